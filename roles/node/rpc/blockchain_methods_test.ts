import assert from "node:assert/strict";
import { regtestChain } from "../chain/_test_support.ts";
import { TestNode } from "./_test_support.ts";

type Answer = { __error__?: { code: number; message: string } };

function blockHash(height: number): string {
  return regtestChain().blocks[height].hashHex;
}

Deno.test("block lookups answer bad hashes with freicoind's errors", async (t) => {
  await using node = await TestNode.open();
  await node.feedTo(10);
  const cases: [string, unknown[], number, string][] = [
    ["getblock", ["00"], -8, "blockhash must be of length 64 (not 2, for '00')"],
    [
      "getblock",
      ["zz".repeat(32)],
      -8,
      `blockhash must be hexadecimal string (not '${"zz".repeat(32)}')`,
    ],
    ["getblock", ["00".repeat(32)], -5, "Block not found"],
    ["getblockheader", ["00".repeat(32)], -5, "Block not found"],
    ["getdeploymentinfo", ["00".repeat(32)], -5, "Block not found"],
    ["invalidateblock", ["00".repeat(32)], -5, "Block not found"],
    [
      "getchaintxstats",
      [20],
      -8,
      "Invalid block count: should be between 0 and the block's height - 1",
    ],
    ["gettxoutsetinfo", ["sha1"], -8, "'sha1' is not a valid hash_type"],
    ["scantxoutset", ["begin"], -8, "Invalid action 'begin'"],
    ["scantxoutset", ["start"], -1, "scanobjects argument is required for the start action"],
    [
      "getrawtransaction",
      ["00".repeat(32)],
      -5,
      "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries. Use gettransaction for wallet transactions.",
    ],
    [
      "getrawtransaction",
      ["00".repeat(32), 0, blockHash(3)],
      -5,
      "No such transaction found in the provided block. Use gettransaction for wallet transactions.",
    ],
    [
      "getrawtransaction",
      [regtestChain().blocks[0].transactions[0].txidHex],
      -5,
      "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved",
    ],
    ["decoderawtransaction", ["00"], -22, "TX decode failed"],
    ["decodescript", ["0g"], -8, "argument must be hexadecimal string (not '0g')"],
  ];
  for (const [method, params, code, message] of cases) {
    await t.step(`${method} ${JSON.stringify(params).slice(0, 40)}`, async () => {
      assert.deepEqual(await node.answer([method, ...params]), { __error__: { code, message } });
    });
  }
});

Deno.test("getblock verbosity, header hex and chain position agree with the chain", async () => {
  await using node = await TestNode.open();
  await node.feedTo(5);
  const hash = blockHash(3);
  const v1 = await node.call("getblock", [hash]) as Record<string, unknown>;
  assert.equal(v1.confirmations, 3);
  assert.equal(v1.nextblockhash, blockHash(4));
  assert.deepEqual(v1.tx, regtestChain().blocks[3].transactions.map((tx) => tx.txidHex));
  assert.deepEqual(
    await node.call("getblock", [hash, false]),
    await node.call("getblock", [hash, 0]),
  );
  const header = await node.call("getblockheader", [hash, false]) as string;
  assert.equal(header.length, 160);
  assert.ok((await node.call("getblock", [hash, 0]) as string).startsWith(header));
  const v2 = await node.call("getblock", [hash, 2]) as { tx: { hex: string; fee?: unknown }[] };
  assert.equal(v2.tx[0].fee, undefined, "a coinbase has no fee");
  assert.equal(await node.call("getdifficulty", []), 4.656542373906925e-10);
});

Deno.test("invalidateblock and reconsiderblock move the tip and getchaintips follows", async () => {
  await using node = await TestNode.open();
  await node.feedTo(8);
  await node.call("invalidateblock", [blockHash(6)]);
  assert.equal(await node.call("getblockcount", []), 5);
  assert.deepEqual(await node.call("getchaintips", []), [
    { height: 8, hash: blockHash(8), branchlen: 3, status: "invalid" },
    { height: 5, hash: blockHash(5), branchlen: 0, status: "active" },
  ]);
  const header = await node.call("getblockheader", [blockHash(7)]) as { confirmations: number };
  assert.equal(header.confirmations, -1);
  await node.call("reconsiderblock", [blockHash(6)]);
  assert.equal(await node.call("getbestblockhash", []), blockHash(8));
  await node.call("preciousblock", [blockHash(8)]);
  assert.equal(await node.call("verifychain", [3, 4]), true);
});

Deno.test("getchaintxstats counts transactions over a window", async () => {
  await using node = await TestNode.open();
  await node.feedTo(157);
  const stats = await node.call("getchaintxstats", [10]) as Record<string, number | string>;
  const tip = regtestChain().blocks[157];
  assert.equal(stats.window_final_block_hash, tip.hashHex);
  assert.equal(stats.window_final_block_height, 157);
  assert.equal(stats.window_block_count, 10);
  let txs = 0;
  for (let h = 148; h <= 157; h++) txs += regtestChain().blocks[h].transactions.length;
  assert.equal(stats.window_tx_count, txs);
  assert.deepEqual(
    await node.answer(["getchaintxstats", 1, "00".repeat(32)]),
    { __error__: { code: -5, message: "Block not found" } },
  );
});

Deno.test("waitforblockheight returns at once when reached and after its timeout otherwise", async () => {
  await using node = await TestNode.open();
  await node.feedTo(3);
  assert.deepEqual(await node.call("waitforblockheight", [2]), { hash: blockHash(3), height: 3 });
  assert.deepEqual(await node.call("waitforblockheight", [50, 20]), {
    hash: blockHash(3),
    height: 3,
  });
  const waiting = node.call("waitfornewblock", [5000]);
  await node.feedTo(4);
  assert.deepEqual(await waiting, { hash: blockHash(4), height: 4 });
  const byHash = node.call("waitforblock", [blockHash(5), 5000]);
  await node.feedTo(5);
  assert.deepEqual(await byHash, { hash: blockHash(5), height: 5 });
});

Deno.test("scantxoutset finds the recorded chain's outputs by descriptor", async () => {
  await using node = await TestNode.open();
  await node.feedTo(157);
  const address = "fcrt1qn98dnpkj6rh0dzj8sn8t97hytqumjgwd9zn0jk";
  const scan = await node.call("scantxoutset", ["start", [`addr(${address})`]]) as {
    success: boolean;
    txouts: number;
    height: number;
    unspents: { desc: string; refheight: number; value: number; amount: number }[];
    total_amount: number;
  };
  const info = await node.call("gettxoutsetinfo", []) as { txouts: number };
  assert.equal(scan.success, true);
  assert.equal(scan.txouts, info.txouts);
  assert.equal(scan.height, 157);
  assert.ok(scan.unspents.length > 0);
  assert.ok(scan.unspents.every((u) => u.desc.startsWith(`addr(${address})#`)));
  const sum = scan.unspents.reduce((total, u) => total + Math.round(u.amount * 1e8), 0);
  assert.equal(Math.round(scan.total_amount * 1e8), sum);
  assert.deepEqual(await node.answer(["scantxoutset", "start", [{ desc: "raw(51)", range: -1 }]]), {
    __error__: { code: -8, message: "End of range is too high" },
  });
  // After a reorganisation the scan follows the new tip.
  await node.call("invalidateblock", [blockHash(150)]);
  const after = await node.call("scantxoutset", ["start", [`addr(${address})`]]) as {
    txouts: number;
    height: number;
  };
  const infoAfter = await node.call("gettxoutsetinfo", []) as { txouts: number };
  assert.deepEqual([after.height, after.txouts], [149, infoAfter.txouts]);
  await node.call("reconsiderblock", [blockHash(150)]);
  const again = await node.call("scantxoutset", ["start", [`addr(${address})`]]);
  assert.deepEqual(again, scan);
  assert.equal(await node.call("scantxoutset", ["status"]), null);
  assert.equal(await node.call("scantxoutset", ["abort"]), false);
});

Deno.test("getblockstats totals fees and selects statistics", async () => {
  await using node = await TestNode.open();
  await node.feedTo(157);
  const block = regtestChain().blocks[152];
  const stats = await node.call("getblockstats", [152]) as Record<string, number>;
  const coinbaseOut = block.transactions[0].outputs.reduce((sum, o) => sum + o.value, 0n);
  assert.equal(BigInt(stats.totalfee), coinbaseOut - BigInt(stats.subsidy));
  assert.equal(stats.txs, block.transactions.length);
  assert.equal(stats.height, 152);
  assert.equal(stats.blockhash, block.hashHex);
  assert.deepEqual(await node.call("getblockstats", [block.hashHex, ["txs", "height"]]), {
    height: 152,
    txs: block.transactions.length,
  });
  const cases: [unknown[], number, string][] = [
    [[200], -8, "Target block height 200 after current tip 157"],
    [[-1], -8, "Target block height -1 is negative"],
    [[152, ["nope"]], -8, "Invalid selected statistic 'nope'"],
    [[152, ["constructor"]], -8, "Invalid selected statistic 'constructor'"],
    [["00".repeat(32)], -5, "Block not found"],
  ];
  for (const [params, code, message] of cases) {
    assert.deepEqual(await node.answer(["getblockstats", ...params]), {
      __error__: { code, message },
    });
  }
  const genesis = await node.call("getblockstats", [0]) as Record<string, number>;
  assert.equal(genesis.utxo_increase_actual, 0);
});

Deno.test("a wait without timeout ends when the node shuts down", async () => {
  const stop = new AbortController();
  await using node = await TestNode.open({ shutdownSignal: stop.signal });
  await node.feedTo(2);
  const waiting = node.call("waitfornewblock", []);
  stop.abort();
  assert.deepEqual(await waiting, { hash: blockHash(2), height: 2 });
});

Deno.test("getchainstates describes the one fully validated chainstate", async () => {
  await using node = await TestNode.open();
  await node.feedTo(4);
  assert.deepEqual(await node.call("getchainstates", []), {
    headers: 4,
    chainstates: [{
      blocks: 4,
      bestblockhash: blockHash(4),
      difficulty: 4.656542373906925e-10,
      verificationprogress: 1,
      coins_db_cache_bytes: 8388608,
      coins_tip_cache_bytes: 461373440,
      validated: true,
    }],
  });
});

Deno.test("pruneblockchain answers as a node that is not pruning", async () => {
  await using node = await TestNode.open();
  assert.deepEqual(await node.answer(["pruneblockchain", 10]), {
    __error__: { code: -1, message: "Cannot prune blocks because node is not in prune mode." },
  });
});
