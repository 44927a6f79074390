import assert from "node:assert/strict";
import { ByteWriter } from "../encoding/byte_writer.ts";
import { sha256d } from "../hash/mod.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { HASH_BACKENDS, withHashBackend } from "../hash/_test_backends.ts";
import { PrecomputedTransactionData, signatureHash } from "./sighash.ts";

// The preimages written out plainly with a ByteWriter (protocol.md §5.1–5.3), as an
// independent check of the hot-path code that writes them into a scratch buffer.

function transaction(inputCount: number, outputCount: number): Transaction {
  const inputs = Array.from({ length: inputCount }, (_, i) =>
    new TxIn({
      prevout: new OutPoint(new Uint8Array(32).fill(0x10 + i), i * 3),
      scriptSig: new Uint8Array(i),
      sequence: 0xfffffffd - i,
    }));
  const outputs = Array.from(
    { length: outputCount },
    (_, i) => new TxOut(1000n * BigInt(i + 1), new Uint8Array(22 + (i % 3) * 130).fill(0x51)),
  );
  return new Transaction({ version: 2, inputs, outputs, lockTime: 17, lockHeight: 40 });
}

function plainSegwitV0(
  code: Uint8Array,
  tx: Transaction,
  index: number,
  hashType: number,
  amount: bigint,
  refheight: number,
): Uint8Array {
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & 0x80) !== 0;
  const noLockHeight = (hashType & 0x100) !== 0;
  const zero = new Uint8Array(32);
  const all = (write: (w: ByteWriter) => void) => {
    const w = new ByteWriter();
    write(w);
    return sha256d(w.toBytes());
  };
  const hashPrevouts = anyoneCanPay
    ? zero
    : all((w) => tx.inputs.forEach((input) => input.prevout.write(w)));
  const hashSequence = anyoneCanPay || base === 2 || base === 3
    ? zero
    : all((w) => tx.inputs.forEach((input) => w.writeU32LE(input.sequence)));
  const hashOutputs = base !== 2 && base !== 3
    ? all((w) => tx.outputs.forEach((output) => output.write(w)))
    : base === 3 && index < tx.outputs.length
    ? all((w) => tx.outputs[index].write(w))
    : zero;
  const w = new ByteWriter();
  w.writeI32LE(tx.version).writeBytes(hashPrevouts).writeBytes(hashSequence);
  tx.inputs[index].prevout.write(w);
  w.writeVarBytes(code).writeI64LE(amount);
  if (!noLockHeight) w.writeI64LE(BigInt(refheight));
  w.writeU32LE(tx.inputs[index].sequence).writeBytes(hashOutputs).writeU32LE(tx.lockTime);
  if (!noLockHeight) w.writeU32LE(tx.lockHeight);
  w.writeI32LE(hashType & ~0x100);
  return sha256d(w.toBytes());
}

/** Legacy preimage for a scriptCode without OP_CODESEPARATOR. */
function plainLegacy(code: Uint8Array, tx: Transaction, index: number, hashType: number) {
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & 0x80) !== 0;
  if (base === 3 && index >= tx.outputs.length) return Uint8Array.of(1, ...new Uint8Array(31));
  const w = new ByteWriter();
  w.writeI32LE(tx.version);
  const signed = anyoneCanPay ? [index] : tx.inputs.map((_, i) => i);
  w.writeCompactSize(signed.length);
  for (const i of signed) {
    tx.inputs[i].prevout.write(w);
    w.writeVarBytes(i === index ? code : new Uint8Array(0));
    w.writeU32LE(i !== index && (base === 2 || base === 3) ? 0 : tx.inputs[i].sequence);
  }
  const outputCount = base === 2 ? 0 : base === 3 ? index + 1 : tx.outputs.length;
  w.writeCompactSize(outputCount);
  for (let i = 0; i < outputCount; i++) {
    if (base === 3 && i !== index) w.writeI64LE(-1n).writeCompactSize(0);
    else tx.outputs[i].write(w);
  }
  w.writeU32LE(tx.lockTime);
  if ((hashType & 0x100) === 0) w.writeU32LE(tx.lockHeight);
  w.writeI32LE(hashType & ~0x100);
  return sha256d(w.toBytes());
}

const HASH_TYPES = [1, 2, 3, 0x81, 0x82, 0x83, 0x101, 0x183, 0, 4];
const CODES = [Uint8Array.of(0x51), new Uint8Array(300).fill(0x61), new Uint8Array(1100)];

for (const backend of HASH_BACKENDS) {
  Deno.test(`[${backend.backend}] segwit v0 sighashes equal the plainly written preimage's hash`, () => {
    withHashBackend(backend, () => {
      // 1 input (no per-transaction store) and 3 inputs (shared store, first-block state),
      // visited in an order that mixes hash types on one shared data.
      for (const tx of [transaction(1, 2), transaction(3, 2), transaction(3, 4)]) {
        const shared = new PrecomputedTransactionData(tx);
        for (const hashType of [...HASH_TYPES].reverse().concat(HASH_TYPES)) {
          for (let i = 0; i < tx.inputs.length; i++) {
            for (const code of CODES) {
              const expected = plainSegwitV0(code, tx, i, hashType, 123n, 4);
              const label = `${tx.inputs.length} inputs, type ${hashType}, input ${i}`;
              assert.deepEqual(
                signatureHash(code, tx, i, hashType, 123n, 4, "WITNESS_V0", shared),
                expected,
                label,
              );
              assert.deepEqual(
                signatureHash(code, tx, i, hashType, 123n, 4n, "WITNESS_V0"),
                expected,
                label,
              );
            }
          }
        }
        const prevouts = new ByteWriter();
        tx.inputs.forEach((input) => input.prevout.write(prevouts));
        assert.deepEqual(shared.hashPrevouts, sha256d(prevouts.toBytes()));
      }
    });
  });

  Deno.test(`[${backend.backend}] legacy sighashes equal the plainly written preimage's hash`, () => {
    withHashBackend(backend, () => {
      for (const tx of [transaction(1, 1), transaction(3, 2), transaction(2, 300)]) {
        for (const hashType of HASH_TYPES) {
          for (let i = 0; i < tx.inputs.length; i++) {
            for (const code of CODES) {
              assert.deepEqual(
                signatureHash(code, tx, i, hashType, 0n, 0, "BASE"),
                plainLegacy(code, tx, i, hashType),
                `${tx.inputs.length} inputs, type ${hashType}, input ${i}, code ${code.length}`,
              );
            }
          }
        }
      }
    });
  });
}

Deno.test("the BIP143 getters return independent copies of the shared hashes", () => {
  const tx = transaction(2, 1);
  const data = new PrecomputedTransactionData(tx);
  const first = data.hashOutputs;
  first.fill(0);
  assert.notDeepEqual(data.hashOutputs, first);
  assert.equal(data.hashSequence.length, 32);
});

Deno.test("a legacy scriptCode loses its OP_CODESEPARATORs but keeps its full length prefix", () => {
  const tx = transaction(1, 1);
  // OP_1 OP_CODESEPARATOR <push 0xab> OP_CODESEPARATOR OP_2: the pushed 0xab byte stays.
  const code = Uint8Array.of(0x51, 0xab, 0x01, 0xab, 0xab, 0x52);
  assert.deepEqual(
    signatureHash(code, tx, 0, 1, 0n, 0, "BASE"),
    plainLegacy(Uint8Array.of(0x51, 0x01, 0xab, 0x52), tx, 0, 1),
  );
});
