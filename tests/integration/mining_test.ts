/**
 * Mining on a real chainstate (SQLite block index and coins, blk/rev files in a temp datadir):
 * the regtest cache chain at mocktime genesis, and the recorded reference chain regenerated
 * block for block through the mempool and the block assembler.
 */
import assert from "node:assert/strict";
import {
  decodeDestination,
  REGTEST_PREFIXES,
  scriptForDestination,
} from "../../kernel/address/mod.ts";
import { selectParams } from "../../kernel/chain/mod.ts";
import { bytesToHex, hashToHex, hexToBytes } from "../../kernel/encoding/mod.ts";
import {
  type Block,
  decodeBlock,
  OutPoint,
  Transaction,
  TxIn,
  TxOut,
} from "../../kernel/primitives/mod.ts";
import { createPureSecp256k1 } from "../../kernel/secp256k1/mod.ts";
import { ChainState } from "../../roles/node/chain/mod.ts";
import { fileExists, RunningProgram, waitFor } from "../support/program.ts";
import {
  acceptToMemoryPool,
  dumpMempoolAtShutdown,
  loadMempoolAtStartup,
  Mempool,
} from "../../roles/node/mempool/mod.ts";
import {
  attachMempoolToChain,
  chainStateView,
  generateBlocks,
} from "../../roles/node/mining/mod.ts";

const GENESIS_TIME = 1356123600;
const secp256k1 = createPureSecp256k1();

async function openChain(dir: string, now: () => number): Promise<ChainState> {
  return await ChainState.open({
    params: selectParams("regtest"),
    networkDir: dir,
    secp256k1,
    clock: now,
  });
}

Deno.test("mines the 200-block regtest cache chain at mocktime genesis on a real chainstate", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mining_test_" });
  const now = () => GENESIS_TIME;
  try {
    const chainState = await openChain(dir, now);
    const view = chainStateView(chainState, secp256k1, now);
    const mempool = new Mempool();
    using _sub = attachMempoolToChain(mempool, chainState, view, now);
    // The framework's node-0 address (P2PKH).
    const decoded = decodeDestination("mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z", REGTEST_PREFIXES);
    assert.ok(decoded.ok);
    const script = scriptForDestination(decoded.destination);
    for (let round = 0; round < 8; round++) {
      const hashes = await generateBlocks(view, mempool, script, round === 7 ? 24 : 25, 1e6, {
        now,
      });
      assert.equal(hashes.length, round === 7 ? 24 : 25);
    }
    assert.equal(chainState.height, 199);
    const [last] = await generateBlocks(view, mempool, script, 1, 1e6, { now });
    assert.equal(chainState.height, 200);
    assert.equal(chainState.tip?.hashHex, last);

    const block1 = chainState.readBlock(chainState.getBlockHash(1)!)!;
    const coinbase1 = block1.transactions[0];
    assert.deepEqual([...coinbase1.outputs[0].scriptPubKey], [0x51]);
    assert.equal(coinbase1.outputs[0].value, 0n);
    assert.equal(block1.header.time, GENESIS_TIME + 1);
    assert.equal(coinbase1.lockTime, GENESIS_TIME);

    for (const height of [100, 101, 150, 200]) {
      const block = chainState.readBlock(chainState.getBlockHash(height)!)!;
      const txs = block.transactions;
      assert.equal(txs[0].lockHeight, height);
      if (height <= 100) {
        assert.equal(txs.length, 1, `no block-final tx at ${height}`);
        continue;
      }
      const final = txs[txs.length - 1];
      assert.equal(txs.length, 2, `coinbase and block-final tx at ${height}`);
      assert.equal(final.version, 2);
      assert.equal(final.outputs.length, 1);
      assert.equal(final.outputs[0].value, 0n);
      assert.equal(final.outputs[0].scriptPubKey.length, 38);
      assert.deepEqual([...txs[0].inputs[0].witness].map((w) => w.length), [0]);
      // The first block-final tx spends block 1's OP_TRUE output; later ones spend their
      // predecessor's only output.
      const source = height === 101 ? block1.transactions[0] : chainState.readBlock(
        chainState.getBlockHash(height - 1)!,
      )!.transactions.at(-1)!;
      assert.equal(final.inputs.length, 1);
      assert.deepEqual(final.inputs[0].prevout.hash, source.txid);
      assert.equal(final.inputs[0].prevout.n, 0);
    }
    // Subsidy halves every 150 blocks on regtest.
    const block149 = chainState.readBlock(chainState.getBlockHash(149)!)!;
    const block150 = chainState.readBlock(chainState.getBlockHash(150)!)!;
    assert.equal(block149.transactions[0].outputs.at(-1)!.value, 5_000_000_000n);
    assert.equal(block150.transactions[0].outputs.at(-1)!.value, 2_500_000_000n);
    await chainState.close();

    // The datadir reopens at the same tip.
    const reopened = await openChain(dir, now);
    assert.equal(reopened.height, 200);
    assert.equal(reopened.tip?.hashHex, last);
    await reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("100 blocks at mocktime genesis+1 give the reference's rpc_dumptxoutset chain", async () => {
  // rpc_dumptxoutset.py: setmocktime(genesis time + 1), generate(100) to node 0's address;
  // freicoind's block hash and UTXO set hash are fixed there.
  const dir = await Deno.makeTempDir({ prefix: "mining_dumptxoutset_test_" });
  const now = () => GENESIS_TIME + 1;
  try {
    const chainState = await openChain(dir, now);
    const view = chainStateView(chainState, secp256k1, now);
    const decoded = decodeDestination("mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z", REGTEST_PREFIXES);
    assert.ok(decoded.ok);
    const hashes = await generateBlocks(
      view,
      new Mempool(),
      scriptForDestination(decoded.destination),
      100,
      1e6,
      { now },
    );
    assert.equal(hashes[99], "3c11f1f06ed6e3c4a7fd10f97fa53b5c5bc51dc5fc4071f5e7ccb33c14142111");
    const stats = await chainState.utxoStats();
    assert.equal(stats.txouts, 101);
    assert.equal(
      hashToHex(stats.hashSerialized),
      "266766ad0fcf4ad3b871f258cf8f3b5f254beca3c4b30fd8faf451428c60de19",
    );
    await chainState.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regenerates the recorded reference chain on a real chainstate, mempool included", async () => {
  const vector = JSON.parse(
    Deno.readTextFileSync(
      new URL("../../../shared/vectors/regtest-chain-158.json", import.meta.url),
    ),
  ) as { blocks: string[]; expected_tip_hash: string };
  const blocks: Block[] = vector.blocks.map((hex) => decodeBlock(hexToBytes(hex)));
  const dir = await Deno.makeTempDir({ prefix: "mining_vector_test_" });
  let time = 0;
  const now = () => time;
  try {
    const chainState = await openChain(dir, now);
    const view = chainStateView(chainState, secp256k1, now);
    const mempool = new Mempool();
    using _sub = attachMempoolToChain(mempool, chainState, view, now);
    for (let height = 1; height < blocks.length; height++) {
      const expected = blocks[height];
      time = expected.header.time;
      for (const tx of expected.transactions.slice(1, -1)) {
        const result = acceptToMemoryPool(mempool, view, tx, { acceptTime: time });
        assert.ok(result.ok, `height ${height}: ${!result.ok && result.state.reason}`);
      }
      const payout = expected.transactions[0].outputs.at(-1)!.scriptPubKey;
      const [hash] = await generateBlocks(view, mempool, payout, 1, 1e6, { now });
      assert.equal(hash, expected.hashHex, `block ${height}`);
      assert.equal(mempool.size, 0);
    }
    assert.equal(chainState.tip?.hashHex, vector.expected_tip_hash);

    // Invalidating block 152 returns its payment to the mempool; reconsidering it removes it.
    const payment = blocks[152].transactions[1];
    await chainState.invalidateBlock(chainState.getBlockEntry(152)!);
    assert.equal(chainState.height, 151);
    assert.ok(mempool.has(payment.txidHex), "resurrected after the reorganisation");
    await chainState.reconsiderBlock(
      chainState.getBlockEntry(152) ??
        chainState.lookupBlockIndex(blocks[152].hash)!,
    );
    assert.equal(chainState.tip?.hashHex, vector.expected_tip_hash);
    assert.ok(!mempool.has(payment.txidHex), "removed again when its block reconnects");

    // The pool persists across a restart in freicoind's mempool.dat format.
    await chainState.invalidateBlock(chainState.lookupBlockIndex(blocks[152].hash)!);
    assert.ok(mempool.has(payment.txidHex));
    mempool.loaded = true;
    assert.ok(await dumpMempoolAtShutdown(mempool, dir));
    await chainState.close();
    const reopened = await openChain(dir, now);
    const reopenedView = chainStateView(reopened, secp256k1, now);
    const restored = new Mempool();
    const loaded = await loadMempoolAtStartup(restored, reopenedView, dir, time);
    assert.deepEqual(loaded, { succeeded: 1, failed: 0, expired: 0, alreadyThere: 0 });
    assert.ok(restored.loaded && restored.has(payment.txidHex));
    await reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A MiniWallet coin (test_framework/wallet.py): values in kria, height 0 when unconfirmed. */
interface MiniWalletUtxo {
  readonly outpoint: OutPoint;
  readonly value: bigint;
  readonly refheight: number;
  readonly height: number;
  readonly coinbase: boolean;
  readonly order: number;
}

/** The cache chain's four addresses (create_cache.py), node 0's first. */
const CACHE_ADDRESSES = [
  "mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z",
  "msX6jQXvxiNhx3Q62PKeLPrhrqZQdSimTg",
  "mnonCMyH9TmAsSj3M59DsbH8H63U3RKoFP",
  "fcrt1qpfumrmcfcusnnjk4k6gfdpdh4940m0jlxh92kxnl6p403cvrfatsl6549x",
];

function scriptOf(address: string): Uint8Array {
  const decoded = decodeDestination(address, REGTEST_PREFIXES);
  assert.ok(decoded.ok);
  return scriptForDestination(decoded.destination);
}

/** What the scenario drives: a node in process, or one over JSON-RPC. */
interface ScenarioNode {
  /** setmocktime. */
  setTime(seconds: number): Promise<void>;
  /** generatetoaddress(count, address) at the current mock time. */
  generate(count: number, address: string): Promise<void>;
  /** sendrawtransaction. */
  send(tx: Transaction): Promise<void>;
  height(): Promise<number>;
  tipTime(): Promise<number>;
  coinbaseAt(height: number): Promise<Transaction>;
}

/**
 * create_cache.py's 199 blocks at mocktime genesis, then feature_assumeutxo.py's 100 blocks at
 * the tip's time with a MiniWallet self-transfer before every third one.
 */
async function assumeutxoScenario(node: ScenarioNode): Promise<void> {
  await node.setTime(GENESIS_TIME);
  for (let round = 0; round < 8; round++) {
    await node.generate(round === 7 ? 24 : 25, CACHE_ADDRESSES[round % 4]);
  }
  assert.equal(await node.height(), 199);
  await node.setTime(await node.tipTime());

  // MiniWallet(n0): the P2WSH OP_TRUE coinbases (blocks 76-100 and 176-199).
  const opTrue = scriptOf(CACHE_ADDRESSES[3]);
  let order = 0;
  let utxos: MiniWalletUtxo[] = [];
  for (let h = 1; h <= 199; h++) {
    const coinbase = await node.coinbaseAt(h);
    coinbase.outputs.forEach((output, n) => {
      if (bytesToHex(output.scriptPubKey) !== bytesToHex(opTrue)) return;
      utxos.push({
        outpoint: new OutPoint(coinbase.txid, n),
        value: output.value,
        refheight: coinbase.lockHeight,
        height: h,
        coinbase: true,
        order: order++,
      });
    });
  }
  const getUtxo = async (): Promise<MiniWalletUtxo> => {
    // sorted(key=(value, -height)), stable; the last mature one is taken.
    utxos = [...utxos].sort((a, b) =>
      a.value !== b.value
        ? (a.value < b.value ? -1 : 1)
        : (b.height - a.height) || (a.order - b.order)
    );
    const tip = await node.height();
    const mature = utxos.filter((u) => !u.coinbase || 99 <= tip - u.height);
    const chosen = mature[mature.length - 1];
    utxos = utxos.filter((u) => u !== chosen);
    return chosen;
  };
  const witness = [new Uint8Array([0x00, 0x51]), new Uint8Array(0)];
  for (let i = 0; i < 100; i++) {
    if (i % 3 === 0) {
      // send_self_transfer(): fee_rate 0.003 FRC/kvB × 100 vbytes, lockheight = refheight.
      const utxo = await getUtxo();
      const tx = new Transaction({
        version: 2,
        inputs: [new TxIn({ prevout: utxo.outpoint, sequence: 0, witness })],
        outputs: [new TxOut(utxo.value - 30000n, opTrue)],
        lockTime: 0,
        lockHeight: utxo.refheight,
      });
      await node.send(tx);
      utxos.push({
        outpoint: new OutPoint(tx.txid, 0),
        value: tx.outputs[0].value,
        refheight: tx.lockHeight,
        height: 0,
        coinbase: false,
        order: order++,
      });
    }
    await node.generate(1, CACHE_ADDRESSES[0]);
  }
  assert.equal(await node.height(), 299);
}

/** src/kernel/chainparams.cpp, regtest m_assumeutxo_data for height 299. */
const ASSUMEUTXO_299 = {
  blockhash: "1fb3f39dc7db8a2701b70c05bfb090de385dd741a1ffa718666b52f0b2e38e47",
  hashSerialized: "0979d10b7040b5809a49a8ef89065325adbcc6335b65d108426d5b86c2df471e",
};

Deno.test("the cache chain plus feature_assumeutxo's MiniWallet traffic reproduces the regtest assumeutxo entry at 299", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mining_assumeutxo_test_" });
  let time = GENESIS_TIME;
  const now = () => time;
  try {
    const chainState = await openChain(dir, now);
    const view = chainStateView(chainState, secp256k1, now);
    const mempool = new Mempool();
    using _sub = attachMempoolToChain(mempool, chainState, view, now);
    await assumeutxoScenario({
      setTime: (seconds) => {
        time = seconds;
        return Promise.resolve();
      },
      generate: async (count, address) => {
        await generateBlocks(view, mempool, scriptOf(address), count, 1e6, { now });
      },
      send: (tx) => {
        const result = acceptToMemoryPool(mempool, view, tx, { acceptTime: time });
        assert.ok(result.ok, !result.ok ? result.state.reason : "");
        return Promise.resolve();
      },
      height: () => Promise.resolve(chainState.height),
      tipTime: () => Promise.resolve(chainState.tip!.time),
      coinbaseAt: (h) =>
        Promise.resolve(chainState.readBlock(chainState.getBlockHash(h)!)!.transactions[0]),
    });
    assert.equal(chainState.tip?.hashHex, ASSUMEUTXO_299.blockhash);
    const stats = await chainState.utxoStats();
    assert.equal(hashToHex(stats.hashSerialized), ASSUMEUTXO_299.hashSerialized);
    await chainState.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A JSON-RPC client with the node's cookie. */
async function rpcClient(
  port: number,
  cookieFile: string,
): Promise<(method: string, params?: unknown) => Promise<unknown>> {
  await waitFor(() => fileExists(cookieFile), 30_000, "the RPC cookie");
  const auth = "Basic " + btoa(Deno.readTextFileSync(cookieFile).trim());
  let id = 0;
  return async (method, params = []) => {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "1.0", id: ++id, method, params }),
    });
    const reply = await response.json() as { result: unknown; error: unknown };
    if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("the same scenario through freicoind's JSON-RPC (named generatetoaddress, setmocktime, sendrawtransaction)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mining_rpc_process_test_" });
  const rpcPort = freePort();
  try {
    await using node = new RunningProgram([
      "freicoind",
      "-regtest",
      `-datadir=${dir}`,
      "-server",
      `-rpcport=${rpcPort}`,
      `-port=${freePort()}`,
      "-listen=0",
      "-persistmempool=0",
    ]);
    const rpc = await rpcClient(rpcPort, `${dir}/regtest/.cookie`);
    await waitFor(
      async () => {
        try {
          await rpc("getblockcount");
          return true;
        } catch {
          return false;
        }
      },
      30_000,
      "RPC warm-up",
    );
    await assumeutxoScenario({
      setTime: async (seconds) => void await rpc("setmocktime", [seconds]),
      generate: async (count, address) => {
        // The framework sends these as named parameters.
        await rpc("generatetoaddress", { nblocks: count, address, maxtries: 1000000 });
      },
      send: async (tx) => {
        assert.equal(await rpc("sendrawtransaction", [bytesToHex(tx.toBytes()), 0]), tx.txidHex);
      },
      height: async () => await rpc("getblockcount") as number,
      tipTime: async () => {
        const hash = await rpc("getbestblockhash");
        return (await rpc("getblockheader", [hash]) as { time: number }).time;
      },
      coinbaseAt: async (h) => {
        const hash = await rpc("getblockhash", [h]);
        return decodeBlock(hexToBytes(await rpc("getblock", [hash, 0]) as string)).transactions[0];
      },
    });
    assert.equal(await rpc("getbestblockhash"), ASSUMEUTXO_299.blockhash);
    const utxoSet = await rpc("gettxoutsetinfo") as { hash_serialized_3: string };
    assert.equal(utxoSet.hash_serialized_3, ASSUMEUTXO_299.hashSerialized);
    const info = await rpc("getmempoolinfo") as { size: number; loaded: boolean };
    assert.equal(info.size, 0);
    assert.equal(info.loaded, true);
    await rpc("stop");
    const result = await node.finished();
    assert.equal(result.code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a reorganisation to a longer chain keeps a transaction final only at the new tip", async () => {
  // A wallet-style spend has lock_height = tip + 1. While block 110 is disconnected the tip is
  // 109 and it would not be final; freicoind judges it against the final tip (111) and keeps it.
  const dir = await Deno.makeTempDir({ prefix: "mining_reorg_test_" });
  const now = () => GENESIS_TIME;
  try {
    const chainState = await openChain(dir, now);
    const view = chainStateView(chainState, secp256k1, now);
    const mempool = new Mempool();
    using _sub = attachMempoolToChain(mempool, chainState, view, now);
    const opTrue = scriptOf(CACHE_ADDRESSES[3]);
    await generateBlocks(view, mempool, opTrue, 110, 1e6, { now });
    const coinbase = chainState.readBlock(chainState.getBlockHash(2)!)!.transactions[0];
    const spend = new Transaction({
      version: 2,
      inputs: [
        new TxIn({
          prevout: new OutPoint(coinbase.txid, 0),
          sequence: 0xfffffffd,
          witness: [new Uint8Array([0x00, 0x51]), new Uint8Array(0)],
        }),
      ],
      outputs: [new TxOut(coinbase.outputs[0].value - 1_000_000n, opTrue)],
      lockTime: 110,
      lockHeight: 111,
    });
    const accepted = acceptToMemoryPool(mempool, view, spend, { acceptTime: now() });
    assert.ok(accepted.ok, !accepted.ok ? accepted.state.reason : "");

    // A competing branch from block 109, two blocks long, mined elsewhere without the spend.
    const { TestChain } = await import("../../roles/node/mining/_test_chain.ts");
    const other = new TestChain(selectParams("regtest"), now);
    for (let h = 1; h <= 109; h++) {
      await other.processNewBlock(chainState.readBlock(chainState.getBlockHash(h)!)!);
    }
    await generateBlocks(other, undefined, scriptOf(CACHE_ADDRESSES[0]), 2, 1e6, { now });
    for (const h of [110, 111]) {
      const result = await chainState.processNewBlock(other.blockAt(h)!);
      assert.ok(result.accepted);
    }
    assert.equal(chainState.height, 111);
    assert.equal(chainState.tip?.hashHex, other.blockAt(111)!.hashHex);
    // Let any deferred mempool work run.
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.ok(mempool.has(spend.txidHex), "still in the mempool after the reorganisation");
    await chainState.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
