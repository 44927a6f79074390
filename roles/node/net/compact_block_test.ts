import assert from "node:assert/strict";
import { sipHash24 } from "../../../kernel/blockfilter/siphash.ts";
import { sha256 } from "../../../kernel/hash/mod.ts";
import { regtestChain } from "../chain/_test_support.ts";
import { buildCompactBlock, shortIdKey } from "./compact_block.ts";
import { decodePayload, encodePayload } from "./messages.ts";

Deno.test("a compact block prefills the coinbase and keys short ids by SHA-256(header ‖ nonce)", () => {
  const block = regtestChain().blocks[153];
  const nonce = 0x0102030405060708n;
  const compact = buildCompactBlock(block, nonce);
  assert.equal(compact.prefilled.length, 1);
  assert.equal(compact.prefilled[0].index, 0);
  assert.equal(compact.shortIds.length, block.transactions.length - 1);
  const preimage = new Uint8Array([...block.header.toBytes(), 8, 7, 6, 5, 4, 3, 2, 1]);
  const digest = sha256(preimage);
  const view = new DataView(digest.buffer, digest.byteOffset);
  const key = { k0: view.getBigUint64(0, true), k1: view.getBigUint64(8, true) };
  assert.deepEqual(shortIdKey(block.header, nonce), key);
  block.transactions.slice(1).forEach((tx, i) => {
    assert.equal(compact.shortIds[i], Number(sipHash24(key, tx.wtxid) & 0xffffffffffffn));
  });
  const wire = encodePayload({ type: "cmpctblock", compact });
  const decoded = decodePayload("cmpctblock", wire);
  assert.equal(decoded.type, "cmpctblock");
  if (decoded.type === "cmpctblock") assert.deepEqual(decoded.compact.shortIds, compact.shortIds);
});
