import assert from "node:assert/strict";
import { ByteReader } from "../../../kernel/encoding/byte_reader.ts";
import { ByteWriter } from "../../../kernel/encoding/byte_writer.ts";
import { DecodeError } from "../../../kernel/encoding/decode_error.ts";
import { hexToBytes } from "../../../kernel/encoding/hex.ts";
import { TxOut } from "../../../kernel/primitives/tx_out.ts";
import {
  compressAmount,
  compressAmountNumber,
  decodeCoin,
  decompressAmount,
  readCompressedScript,
  writeCoin,
  writeCompressedScript,
  writeVarIntNumber,
} from "./coin_codec.ts";
import { testSecp256k1 } from "./_test_support.ts";

const COIN = 100_000_000n;

Deno.test("compresses amounts as the reference's table says", async (t) => {
  const table: [bigint, bigint][] = [
    [0n, 0x0n],
    [1n, 0x1n],
    [1_000_000n, 0x7n],
    [COIN, 0x9n],
    [50n * COIN, 0x32n],
    [21_000_000n * COIN, 0x1406f40n],
  ];
  for (const [amount, compressed] of table) {
    await t.step(`${amount}`, () => {
      assert.equal(compressAmount(amount), compressed);
      assert.equal(decompressAmount(compressed), amount);
    });
  }
});

Deno.test("amount compression round-trips across magnitudes", () => {
  for (let exponent = 0n; exponent <= 17n; exponent++) {
    for (const mantissa of [1n, 7n, 9n, 10n, 123_456n, 999_999_999n]) {
      const amount = mantissa * 10n ** exponent;
      if (amount > 2n ** 63n) continue;
      assert.equal(decompressAmount(compressAmount(amount)), amount);
    }
  }
});

function roundTrip(script: Uint8Array): { bytes: Uint8Array; back: Uint8Array } {
  const writer = new ByteWriter();
  writeCompressedScript(writer, script);
  const bytes = writer.toBytes();
  const reader = new ByteReader(bytes);
  const back = readCompressedScript(
    reader,
    (key) => testSecp256k1().normalizePublicKey(key, false),
  );
  reader.assertFinished();
  return { bytes, back };
}

Deno.test("compresses P2PKH, P2SH and compressed P2PK scripts to their special forms", async (t) => {
  const cases: [string, string, number][] = [
    ["p2pkh", "76a914" + "11".repeat(20) + "88ac", 21],
    ["p2sh", "a914" + "22".repeat(20) + "87", 21],
    ["p2pk compressed", "21" + "02" + "33".repeat(32) + "ac", 33],
    ["p2wpk (verbatim)", "0014" + "44".repeat(20), 23],
    ["op_true (verbatim)", "51", 2],
  ];
  for (const [name, hex, size] of cases) {
    await t.step(name, () => {
      const { bytes, back } = roundTrip(hexToBytes(hex));
      assert.equal(bytes.length, size);
      assert.deepEqual(back, hexToBytes(hex));
    });
  }
});

Deno.test("reads the uncompressed-key script kinds 4 and 5 through the decompressor", () => {
  const secp = testSecp256k1();
  const secret = new Uint8Array(32).fill(1);
  const full = secp.publicKeyFromSecret(secret, false);
  const compressed = secp.publicKeyFromSecret(secret, true);
  const bytes = new Uint8Array(33);
  bytes[0] = 0x04 | (full[64] & 1);
  bytes.set(compressed.subarray(1), 1);
  const back = readCompressedScript(
    new ByteReader(bytes),
    (key) => secp.normalizePublicKey(key, false),
  );
  assert.deepEqual(back, new Uint8Array([65, ...full, 0xac]));
  assert.throws(() => readCompressedScript(new ByteReader(bytes)), DecodeError);
});

Deno.test("keeps an oversized script as a lone OP_RETURN", () => {
  const writer = new ByteWriter();
  writeCompressedScript(writer, new Uint8Array(10_001));
  assert.deepEqual(readCompressedScript(new ByteReader(writer.toBytes())), new Uint8Array([0x6a]));
});

Deno.test("round-trips coins with height, coinbase flag and refheight", () => {
  const coin = {
    output: new TxOut(4_999_313_401n, hexToBytes("0014" + "55".repeat(20))),
    height: 145,
    isCoinBase: true,
    refheight: 144,
  };
  const writer = new ByteWriter();
  writeCoin(writer, coin);
  assert.deepEqual(decodeCoin(writer.toBytes()), coin);
});

Deno.test("coin decoding rejects truncated and trailing data and survives random bytes", () => {
  const writer = new ByteWriter();
  writeCoin(writer, {
    output: new TxOut(1n, new Uint8Array([0x51])),
    height: 1,
    isCoinBase: false,
    refheight: 1,
  });
  const bytes = writer.toBytes();
  for (let cut = 0; cut < bytes.length; cut++) {
    assert.throws(() => decodeCoin(bytes.subarray(0, cut)), DecodeError);
  }
  assert.throws(() => decodeCoin(new Uint8Array([...bytes, 0])), DecodeError);
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
  for (let i = 0; i < 2000; i++) {
    const fuzz = Uint8Array.from({ length: random() % 48 }, random);
    try {
      decodeCoin(fuzz);
    } catch (error) {
      assert.ok(error instanceof DecodeError || error instanceof RangeError, String(error));
    }
  }
});

Deno.test("number VARINT and amount paths match the BigInt ones", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const values = [0, 1, 127, 128, 255, 16511, 16512, 2 ** 31, 2 ** 40 + 5, 2 ** 53 - 1];
  for (let i = 0; i < 500; i++) values.push(random() * (random() % 1000));
  for (const value of values) {
    const fast = new ByteWriter();
    writeVarIntNumber(fast, value);
    assert.deepEqual(fast.toBytes(), new ByteWriter().writeVarInt(value).toBytes(), `${value}`);
  }
  for (let i = 0; i < 500; i++) {
    const amount = (random() % 21_000_000) * (10 ** (random() % 9));
    if (amount > 90_000_000_000_000) continue;
    assert.equal(BigInt(compressAmountNumber(amount)), compressAmount(BigInt(amount)), `${amount}`);
  }
});
