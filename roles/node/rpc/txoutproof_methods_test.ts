import assert from "node:assert/strict";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { regtestChain } from "../chain/_test_support.ts";
import {
  buildPartialMerkleTree,
  decodeMerkleBlock,
  encodeMerkleBlock,
  extractMatches,
} from "./partial_merkle_tree.ts";
import { TestNode } from "./_test_support.ts";

Deno.test("partial Merkle trees commit to the block's root for every subset (1..6 transactions)", () => {
  const txs = regtestChain().blocks.slice(150).flatMap((b) => b.transactions).map((tx) => tx.txid);
  for (let count = 1; count <= 6; count++) {
    const txids = txs.slice(0, count);
    const root = buildPartialMerkleTree(txids, txids.map(() => false)).hashes[0];
    for (let mask = 0; mask < 1 << count; mask++) {
      const matches = txids.map((_, i) => (mask & (1 << i)) !== 0);
      const tree = buildPartialMerkleTree(txids, matches);
      const extracted = extractMatches(tree)!;
      assert.equal(bytesToHex(extracted.root), bytesToHex(root));
      assert.deepEqual(extracted.indexes, matches.flatMap((m, i) => (m ? [i] : [])));
    }
  }
});

Deno.test("gettxoutproof proves a confirmed transaction and verifytxoutproof reads it back", async () => {
  await using node = await TestNode.open();
  await node.feedTo(157);
  const block = regtestChain().blocks[152];
  const txid = block.transactions[1].txidHex;
  const proof = await node.call("gettxoutproof", [[txid]]) as string;
  assert.deepEqual(await node.call("verifytxoutproof", [proof]), [txid]);
  const explicit = await node.call("gettxoutproof", [[txid], block.hashHex]);
  assert.equal(explicit, proof);
  const decoded = decodeMerkleBlock(Uint8Array.from(proof.match(/../g)!, (h) => parseInt(h, 16)));
  assert.equal(decoded.tree.transactionCount, block.transactions.length);
  assert.equal(bytesToHex(encodeMerkleBlock(decoded)), proof);
  const cases: [unknown[], number, string][] = [
    [[[]], -8, "Parameter 'txids' cannot be empty"],
    [[[txid, txid]], -8, `Invalid parameter, duplicated txid: ${txid}`],
    [[["00".repeat(32)]], -5, "Transaction not yet in block"],
    [
      [[txid], regtestChain().blocks[3].hashHex],
      -5,
      "Not all transactions found in specified or retrieved block",
    ],
  ];
  for (const [params, code, message] of cases) {
    assert.deepEqual(await node.answer(["gettxoutproof", ...params]), {
      __error__: { code, message },
    });
  }
  assert.equal(
    (await node.answer(["verifytxoutproof", "00"]) as { __error__: { code: number } })
      .__error__.code,
    -1,
  );
});

Deno.test("verifytxoutproof survives mutated proofs (bounded fuzz)", async () => {
  await using node = await TestNode.open();
  await node.feedTo(157);
  const txid = regtestChain().blocks[152].transactions[1].txidHex;
  const proof = (await node.call("gettxoutproof", [[txid]]) as string).match(/../g)!;
  let state = 99;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0);
  for (let i = 0; i < 200; i++) {
    const bytes = [...proof];
    bytes[80 + (next() % (bytes.length - 80))] = (next() & 0xff).toString(16).padStart(2, "0");
    const cut = next() % 5 === 0 ? next() % bytes.length : bytes.length;
    const answer = await node.answer(["verifytxoutproof", bytes.slice(0, cut).join("")]);
    assert.ok(Array.isArray(answer) || typeof answer === "object");
    if (Array.isArray(answer)) assert.ok(answer.length === 0 || answer[0] === txid);
  }
});
