import assert from "node:assert/strict";
import { ByteWriter } from "./byte_writer.ts";
import { ByteReader } from "./byte_reader.ts";
import { bytesToHex } from "./hex.ts";

Deno.test("writes little-endian integers that the reader reads back", () => {
  const w = new ByteWriter(1);
  w.writeU8(0xab).writeU16LE(0x1234).writeU32LE(0xdeadbeef).writeI32LE(-2)
    .writeU64LE(0x0102030405060708n).writeI64LE(-3n).writeVarBytes(new Uint8Array([7, 8]));
  const r = new ByteReader(w.toBytes());
  assert.equal(r.readU8(), 0xab);
  assert.equal(r.readU16LE(), 0x1234);
  assert.equal(r.readU32LE(), 0xdeadbeef);
  assert.equal(r.readI32LE(), -2);
  assert.equal(r.readU64LE(), 0x0102030405060708n);
  assert.equal(r.readI64LE(), -3n);
  assert.equal(bytesToHex(r.readVarBytes()), "0708");
  r.assertFinished();
});

Deno.test("grows past its initial capacity", () => {
  const w = new ByteWriter(16);
  const big = new Uint8Array(10_000).fill(5);
  w.writeBytes(big).writeU8(1);
  assert.equal(w.length, 10_001);
  assert.equal(w.toBytes()[10_000], 1);
});

Deno.test("rejects out-of-range arguments as programming errors", () => {
  const w = new ByteWriter();
  assert.throws(() => w.writeU8(256), RangeError);
  assert.throws(() => w.writeU32LE(-1), RangeError);
  assert.throws(() => w.writeI32LE(0x80000000), RangeError);
  assert.throws(() => w.writeU64LE(-1n), RangeError);
  assert.throws(() => w.writeI64LE(1n << 63n), RangeError);
  assert.throws(() => w.writeCompactSize(-1), RangeError);
  assert.throws(() => w.writeVarInt(-1), RangeError);
});
