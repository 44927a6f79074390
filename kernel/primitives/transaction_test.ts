import assert from "node:assert/strict";
import { decodeTransaction, encodeTransaction, Transaction } from "./transaction.ts";
import { TxIn } from "./tx_in.ts";
import { TxOut } from "./tx_out.ts";
import { OutPoint } from "./outpoint.ts";
import { bytesToHex, hexToBytes } from "../encoding/hex.ts";
import { DecodeError } from "../encoding/decode_error.ts";
import { loadVectors } from "./_test_vectors.ts";

const vectors = loadVectors("freicoin-protocol-vectors.json");

function coinbase(version: number, lockHeight: number): Transaction {
  return new Transaction({
    version,
    inputs: [new TxIn({ prevout: OutPoint.null(), scriptSig: hexToBytes("5100") })],
    outputs: [new TxOut(5_000_000_000n, hexToBytes("51"))],
    lockTime: 0,
    lockHeight,
  });
}

Deno.test("decodes the mainnet transaction b25458e2 with lock_height 12100", () => {
  const raw = hexToBytes(vectors.mainnet_tx_b25458e2.hex);
  const tx = decodeTransaction(raw);
  assert.equal(tx.txidHex, vectors.mainnet_tx_b25458e2.txid);
  assert.equal(tx.lockHeight, 12100);
  assert.equal(tx.version, 2);
  assert.equal(tx.inputs.length, 1);
  assert.equal(tx.outputs.length, 2);
  assert.deepEqual(encodeTransaction(tx), raw);
  assert.equal(tx.wtxidHex, tx.txidHex);
  assert.equal(tx.weight, raw.length * 4);
});

Deno.test("accepts the marker with flags 0 and hashes the canonical form", () => {
  const raw = hexToBytes(vectors.mainnet_tx_b25458e2.hex);
  const marked = new Uint8Array(raw.length + 2);
  marked.set(raw.subarray(0, 4));
  marked.set([0xff, 0x00], 4);
  marked.set(raw.subarray(4), 6);
  const tx = decodeTransaction(marked);
  assert.equal(tx.txidHex, vectors.mainnet_tx_b25458e2.txid);
  assert.deepEqual(encodeTransaction(tx), raw);
  assert.equal(tx.totalSize, raw.length);
});

Deno.test("decodes the genesis coinbase transactions (version 2, lock_height present)", async (t) => {
  for (const key of ["genesis_tx_main_regtest_signet", "genesis_tx_testnet"]) {
    await t.step(key, () => {
      const raw = hexToBytes(vectors[key].hex);
      const tx = decodeTransaction(raw);
      assert.equal(tx.txidHex, vectors[key].txid);
      assert.ok(tx.isCoinBase());
      assert.ok(tx.hasSerializedLockHeight());
      assert.deepEqual(tx.toBytes(), raw);
    });
  }
});

Deno.test("decodes the P2WPK spend with its witness, txid and wtxid", () => {
  const example = vectors.p2wpk_spend_example;
  const raw = hexToBytes(example.tx_hex_with_witness);
  const tx = decodeTransaction(raw);
  assert.equal(tx.txidHex, example.txid);
  assert.equal(tx.wtxidHex, example.wtxid);
  assert.ok(tx.hasWitness());
  assert.deepEqual(tx.inputs[0].witness.map(bytesToHex), example.witness_stack);
  assert.deepEqual(tx.toBytes(), raw);
  // A freshly built copy computes the same hashes by re-serializing.
  const copy = new Transaction({ ...tx });
  assert.equal(copy.txidHex, example.txid);
  assert.equal(copy.wtxidHex, example.wtxid);
  assert.equal(copy.strippedSize, tx.strippedSize);
  assert.equal(copy.totalSize, raw.length);
  assert.equal(tx.toBytes({ witness: false }).length, tx.strippedSize);
});

Deno.test("omits lock_height only for a version-1 coinbase", () => {
  const v1 = coinbase(1, 0);
  const v2 = coinbase(2, 7);
  assert.equal(v1.hasSerializedLockHeight(), false);
  assert.equal(v2.toBytes().length, v1.toBytes().length + 4);
  assert.equal(decodeTransaction(v1.toBytes()).lockHeight, 0);
  assert.equal(decodeTransaction(v2.toBytes()).lockHeight, 7);
  // A version-1 non-coinbase keeps its lock_height.
  const spend = new Transaction({
    version: 1,
    inputs: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(1), 0) })],
    outputs: [],
    lockTime: 0,
    lockHeight: 9,
  });
  assert.equal(decodeTransaction(spend.toBytes()).lockHeight, 9);
});

Deno.test("rejects a witness flag whose stacks are all empty", () => {
  // version 2, ff 01, one input, no outputs, one empty witness stack, nLockTime, lock_height.
  const hex = "02000000ff01" + "01" + "11".repeat(32) + "00000000" + "00" + "ffffffff" + "00" +
    "00" + "00000000" + "00000000";
  assert.throws(() => decodeTransaction(hexToBytes(hex)), {
    name: "DecodeError",
    message: "Superfluous witness record",
  });
});

Deno.test("rejects unknown optional-data flags and witness when not allowed", () => {
  const body = "01" + "11".repeat(32) + "00000000" + "00" + "ffffffff" + "00";
  assert.throws(() => decodeTransaction(hexToBytes("02000000ff02" + body + "0000000000000000")), {
    message: "Unknown transaction optional data",
  });
  const witnessTx = hexToBytes(vectors.p2wpk_spend_example.tx_hex_with_witness);
  assert.throws(() => decodeTransaction(witnessTx, { allowWitness: false }), {
    message: "Unknown transaction optional data",
  });
});

Deno.test("rejects trailing bytes, truncation and a non-canonical input count", () => {
  const raw = hexToBytes(vectors.mainnet_tx_b25458e2.hex);
  const longer = new Uint8Array(raw.length + 1);
  longer.set(raw);
  assert.throws(() => decodeTransaction(longer), DecodeError);
  for (let cut = 0; cut < raw.length; cut += 7) {
    assert.throws(() => decodeTransaction(raw.subarray(0, cut)), DecodeError);
  }
  // Input count 1 written as fd 01 00.
  const nonCanonical = "02000000fd0100" + bytesToHex(raw.subarray(5));
  assert.throws(() => decodeTransaction(hexToBytes(nonCanonical)), {
    message: "non-canonical ReadCompactSize()",
  });
  // A huge input count fails before allocating.
  assert.throws(() => decodeTransaction(hexToBytes("02000000feffffff7f00")), DecodeError);
});

Deno.test("a zero-input transaction is unambiguous", () => {
  const tx = new Transaction({ version: 2, inputs: [], outputs: [], lockTime: 0, lockHeight: 0 });
  assert.equal(bytesToHex(tx.toBytes()), "02000000" + "00" + "00" + "00000000" + "00000000");
  assert.ok(decodeTransaction(tx.toBytes()).isNull());
});

Deno.test("primitives are immutable", () => {
  const tx = coinbase(2, 1);
  assert.throws(() => {
    (tx as { lockHeight: number }).lockHeight = 5;
  }, TypeError);
  assert.throws(() => (tx.inputs as TxIn[]).push(tx.inputs[0]), TypeError);
});
