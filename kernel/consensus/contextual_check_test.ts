import assert from "node:assert/strict";
import { type ChainEntry, medianTimePast } from "../chain/chain_entry.ts";
import { selectParams } from "../chain/chain_params.ts";
import { hexToBytes } from "../encoding/hex.ts";
import { type Block, decodeBlock } from "../primitives/block.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { entryFor, remine } from "./_test_chain.ts";
import {
  contextualCheckBlock,
  contextualCheckBlockHeader,
  heightScriptPrefix,
} from "./contextual_check.ts";
import type { BlockValidationResult } from "./validation_result.ts";

const vector = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../shared/vectors/regtest-chain-158.json", import.meta.url),
  ),
) as { blocks: string[] };
const blocks: Block[] = vector.blocks.map((hex) => decodeBlock(hexToBytes(hex)));
const params = selectParams("regtest").consensus;
const entries: ChainEntry[] = [];
for (const block of blocks) entries.push(entryFor(block, entries.at(-1)));

function reason(result: BlockValidationResult): string {
  return result.ok ? "ok" : result.reason;
}

function header(block: Block, height: number, now = block.header.time): string {
  return reason(contextualCheckBlockHeader(block.header, entries[height - 1], params, { now }));
}

function body(block: Block, height: number): string {
  return reason(contextualCheckBlock(block, entries[height - 1], params));
}

function withTx(tx: Transaction, change: Partial<Transaction>): Transaction {
  return new Transaction({ ...tx, ...change });
}

function withCoinbaseWitness(block: Block, witness: Uint8Array[]): Block {
  const coinbase = block.transactions[0];
  const input = new TxIn({ ...coinbase.inputs[0], witness });
  return remine(block, params, [
    withTx(coinbase, { inputs: [input] }),
    ...block.transactions.slice(1),
  ]);
}

Deno.test("every block of the real chain passes both contextual checks", () => {
  for (let height = 1; height < blocks.length; height++) {
    assert.equal(header(blocks[height], height), "ok", `header ${height}`);
    assert.equal(body(blocks[height], height), "ok", `block ${height}`);
  }
});

Deno.test("rejects a time at the median time past: time-too-old", () => {
  const mutated = remine(blocks[120], params, undefined, { time: medianTimePast(entries[119]) });
  assert.equal(header(mutated, 120), "time-too-old");
});

Deno.test("rejects a time more than two hours ahead: time-too-new", () => {
  const block = blocks[120];
  assert.equal(header(block, 120, block.header.time - 7200), "ok");
  assert.equal(header(block, 120, block.header.time - 7201), "time-too-new");
});

Deno.test("rejects bits other than the parent's on regtest: bad-diffbits", () => {
  const mutated = remine(blocks[120], params, undefined, { bits: 0x207ffffe });
  assert.equal(header(mutated, 120), "bad-diffbits");
});

Deno.test("rejects a version-2 block once BIP66 is active: bad-version(0x00000002)", () => {
  const mutated = remine(blocks[120], params, undefined, { version: 2 });
  assert.equal(header(mutated, 120), "bad-version(0x00000002)");
});

Deno.test("rejects a coinbase without the height push: bad-cb-height", () => {
  const block = blocks[50];
  const coinbase = block.transactions[0];
  const scriptSig = new Uint8Array([...heightScriptPrefix(51), 0x00]);
  const input = new TxIn({ ...coinbase.inputs[0], scriptSig });
  const mutated = remine(block, params, [withTx(coinbase, { inputs: [input] })]);
  assert.equal(body(mutated, 50), "bad-cb-height");
});

Deno.test("the height push is CScript() << height", () => {
  assert.deepEqual([...heightScriptPrefix(1)], [0x51]);
  assert.deepEqual([...heightScriptPrefix(16)], [0x60]);
  assert.deepEqual([...heightScriptPrefix(17)], [0x01, 0x11]);
  assert.deepEqual([...heightScriptPrefix(128)], [0x02, 0x80, 0x00]);
  assert.deepEqual([...heightScriptPrefix(70000)], [0x03, 0x70, 0x11, 0x01]);
});

Deno.test("rejects lock_height above the block height: bad-txns-nonfinal", () => {
  const block = blocks[152];
  const [coinbase, spend, finalTx] = block.transactions;
  const late = remine(block, params, [coinbase, withTx(spend, { lockHeight: 153 }), finalTx]);
  const result = contextualCheckBlock(late, entries[151], params);
  assert.ok(!result.ok && result.reason === "bad-txns-nonfinal");
  assert.equal(result.debugMessage, "non-final transaction");
  const cb = remine(block, params, [withTx(coinbase, { lockHeight: 153 }), spend, finalTx]);
  const cbResult = contextualCheckBlock(cb, entries[151], params);
  assert.ok(!cbResult.ok && cbResult.debugMessage === "non-final coinbase");
});

Deno.test("rejects witness data without a commitment: unexpected-witness", () => {
  assert.equal(
    body(withCoinbaseWitness(blocks[50], [new Uint8Array(0)]), 50),
    "unexpected-witness",
  );
});

Deno.test("rejects a coinbase witness of the wrong shape: bad-witness-nonce-size", () => {
  assert.equal(
    body(withCoinbaseWitness(blocks[101], [new Uint8Array(1)]), 101),
    "bad-witness-nonce-size",
  );
  assert.equal(
    body(withCoinbaseWitness(blocks[101], [new Uint8Array(0), new Uint8Array(0)]), 101),
    "bad-witness-nonce-size",
  );
});

Deno.test("rejects a branch longer than the path says: bad-witness-branch-size", () => {
  assert.equal(
    body(withCoinbaseWitness(blocks[101], [new Uint8Array(32)]), 101),
    "bad-witness-branch-size",
  );
});

Deno.test("rejects a commitment with path 0: bad-witness-path", () => {
  const block = blocks[101];
  const [coinbase, finalTx] = block.transactions;
  const script = finalTx.outputs[0].scriptPubKey.slice();
  script[1] = 0;
  const mutated = remine(block, params, [
    coinbase,
    withTx(finalTx, { outputs: [new TxOut(finalTx.outputs[0].value, script)] }),
  ]);
  assert.equal(body(mutated, 101), "bad-witness-path");
});

Deno.test("rejects a changed witness under an old commitment: bad-witness-merkle-match", () => {
  const block = blocks[152];
  const [coinbase, spend, finalTx] = block.transactions;
  const witness = spend.inputs[0].witness.map((item) => item.slice());
  witness[0][5] ^= 1;
  const input = new TxIn({ ...spend.inputs[0], witness });
  const mutated = remine(block, params, [coinbase, withTx(spend, { inputs: [input] }), finalTx]);
  assert.equal(body(mutated, 152), "bad-witness-merkle-match");
});
