import assert from "node:assert/strict";
import { ByteReader, MAX_SIZE } from "./byte_reader.ts";
import { ByteWriter, compactSizeLength } from "./byte_writer.ts";
import { DecodeError } from "./decode_error.ts";
import { hexToBytes } from "./hex.ts";

function reader(hex: string): ByteReader {
  return new ByteReader(hexToBytes(hex));
}

Deno.test("reads little-endian integers of every width", () => {
  const r = reader(
    "01" + "0201" + "04030201" + "ffffffff" + "0807060504030201" + "ffffffffffffffff",
  );
  assert.equal(r.readU8(), 1);
  assert.equal(r.readU16LE(), 0x0102);
  assert.equal(r.readU32LE(), 0x01020304);
  assert.equal(r.readI32LE(), -1);
  assert.equal(r.readU64LE(), 0x0102030405060708n);
  assert.equal(r.readI64LE(), -1n);
  r.assertFinished();
});

Deno.test("reads canonical CompactSize values at every boundary", async (t) => {
  const cases: [string, bigint][] = [
    ["00", 0n],
    ["fc", 252n],
    ["fdfd00", 253n],
    ["fdffff", 0xffffn],
    ["fe00000100", 0x10000n],
    ["feffffffff", 0xffffffffn],
    ["ff0000000001000000", 0x100000000n],
  ];
  for (const [hex, value] of cases) {
    await t.step(hex, () => {
      const r = reader(hex);
      assert.equal(r.readCompactSizeUnchecked(), value);
      r.assertFinished();
      const w = new ByteWriter().writeCompactSize(value).toBytes();
      assert.deepEqual(w, hexToBytes(hex));
      assert.equal(compactSizeLength(value), w.length);
    });
  }
});

Deno.test("rejects a non-canonical CompactSize", () => {
  for (const hex of ["fdfc00", "fe ffff0000".replace(" ", ""), "ffffffffff00000000"]) {
    assert.throws(() => reader(hex).readCompactSizeUnchecked(), {
      name: "DecodeError",
      message: "non-canonical ReadCompactSize()",
    });
  }
});

Deno.test("rejects a CompactSize length above MAX_SIZE", () => {
  assert.equal(reader("feffffff7f").readCompactSize(), MAX_SIZE);
  assert.throws(() => reader("fe00000080").readCompactSize(), {
    name: "DecodeError",
    message: "ReadCompactSize(): size too large",
  });
  assert.throws(() => reader("ff0000000001000000").readCompactSize(), DecodeError);
});

Deno.test("rejects reads past the end without allocating", () => {
  assert.throws(() => reader("0102").readU32LE(), { message: "end of data" });
  // A claimed 2 GB byte string with 1 byte present fails on the length check.
  assert.throws(() => reader("feffffff7f00").readVarBytes(), { message: "end of data" });
  assert.throws(() => reader("").readU8(), DecodeError);
  assert.throws(() => reader("00").readBytes(-1), DecodeError);
});

Deno.test("readVectorLength rejects counts the remaining bytes cannot hold", () => {
  assert.equal(reader("020000").readVectorLength(1), 2);
  assert.throws(() => reader("030000").readVectorLength(1), { message: "end of data" });
  assert.throws(() => reader("fe00000100").readVectorLength(41), DecodeError);
});

Deno.test("readBytes copies so the result is independent of the input", () => {
  const input = hexToBytes("0102");
  const bytes = new ByteReader(input).readBytes(2);
  input[0] = 9;
  assert.equal(bytes[0], 1);
});

Deno.test("assertFinished rejects trailing data", () => {
  const r = reader("0000");
  r.readU8();
  assert.throws(() => r.assertFinished(), DecodeError);
});

Deno.test("VARINT matches the reference table and round-trips", async (t) => {
  const table: [bigint, string][] = [
    [0n, "00"],
    [1n, "01"],
    [127n, "7f"],
    [128n, "8000"],
    [255n, "807f"],
    [256n, "8100"],
    [16383n, "fe7f"],
    [16384n, "ff00"],
    [16511n, "ff7f"],
    [65535n, "82fe7f"],
    [1n << 32n, "8efefeff00"],
  ];
  for (const [value, hex] of table) {
    await t.step(hex, () => {
      assert.deepEqual(new ByteWriter().writeVarInt(value).toBytes(), hexToBytes(hex));
      const r = reader(hex);
      assert.equal(r.readVarInt(), value);
      r.assertFinished();
    });
  }
});

Deno.test("VARINT rejects values too large for the target width", () => {
  const big = new ByteWriter().writeVarInt(1n << 32n).toBytes();
  assert.throws(() => new ByteReader(big).readVarIntU32(), {
    message: "ReadVarInt(): size too large",
  });
  assert.equal(
    new ByteReader(new ByteWriter().writeVarInt(0xffffffff).toBytes()).readVarIntU32(),
    0xffffffff,
  );
  assert.throws(() => reader("ffffffffffffffffffffff7f").readVarInt(), DecodeError);
});
