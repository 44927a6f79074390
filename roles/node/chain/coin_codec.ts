/**
 * freicoind's compact coin encodings (src/compressor.{h,cpp}, src/coins.h): amount
 * compression, script compression and the `Coin` record
 * `VARINT(height·2 + coinbase) ‖ TxOutCompression ‖ VARINT(refheight)`.
 *
 * The chainstate database stores coins in this form, and undo data (rev?????.dat) embeds it.
 */

import { ByteReader } from "../../../kernel/encoding/byte_reader.ts";
import type { ByteWriter } from "../../../kernel/encoding/byte_writer.ts";
import { DecodeError } from "../../../kernel/encoding/decode_error.ts";
import type { Coin } from "../../../kernel/consensus/coins.ts";
import { TxOut } from "../../../kernel/primitives/tx_out.ts";

/** Scripts longer than this are stored as a lone OP_RETURN (`MAX_SCRIPT_SIZE`). */
const MAX_SCRIPT_SIZE = 10_000;
/** Number of special (compressed) script kinds (`ScriptCompression::nSpecialScripts`). */
const SPECIAL_SCRIPTS = 6;
const OP_DUP = 0x76;
const OP_HASH160 = 0xa9;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_CHECKSIG = 0xac;
const OP_RETURN = 0x6a;

/**
 * Turns a 33-byte compressed public key into its 65-byte uncompressed form, or null when it
 * is not on the curve. Only needed to read script kinds 4 and 5, which this node never writes.
 */
export type PublicKeyDecompressor = (compressed: Uint8Array) => Uint8Array | null;

/**
 * Writes Bitcoin's VARINT for a safe integer without BigInt arithmetic (the hot path of undo
 * and coin encoding); the bytes equal `ByteWriter.writeVarInt`'s.
 */
export function writeVarIntNumber(writer: ByteWriter, value: number): void {
  if (value <= 0x7f) {
    writer.writeU8(value);
    return;
  }
  // Digits are produced last first; a safe integer needs at most 8 of them.
  const digits = VARINT_DIGITS;
  let count = 0;
  let n = value;
  for (;;) {
    digits[count] = (n % 128) | (count > 0 ? 0x80 : 0);
    count++;
    if (n <= 0x7f) break;
    n = Math.floor(n / 128) - 1;
  }
  for (let i = count - 1; i >= 0; i--) writer.writeU8(digits[i]);
}

/** Scratch digits of {@link writeVarIntNumber} (no array per call on the undo path). */
const VARINT_DIGITS = new Uint8Array(10);

/** {@link compressAmount} for amounts that are safe integers (all valid coin values). */
export function compressAmountNumber(amount: number): number {
  if (amount === 0) return 0;
  let n = amount;
  let e = 0;
  while (n % 10 === 0 && e < 9) {
    n /= 10;
    e++;
  }
  if (e < 9) {
    const d = n % 10;
    n = (n - d) / 10;
    return 1 + (n * 9 + d - 1) * 10 + e;
  }
  return 1 + (n - 1) * 10 + 9;
}

/** `CompressAmount`: a compact integer for an amount in kria (0 ≤ amount ≤ 2⁶⁴−1). */
export function compressAmount(amount: bigint): bigint {
  if (amount === 0n) return 0n;
  let n = amount;
  let e = 0n;
  while (n % 10n === 0n && e < 9n) {
    n /= 10n;
    e++;
  }
  if (e < 9n) {
    const d = n % 10n;
    n /= 10n;
    return 1n + (n * 9n + d - 1n) * 10n + e;
  }
  return 1n + (n - 1n) * 10n + 9n;
}

/** `DecompressAmount`: the inverse of {@link compressAmount}. */
export function decompressAmount(x: bigint): bigint {
  if (x === 0n) return 0n;
  x--;
  let e = x % 10n;
  x /= 10n;
  let n: bigint;
  if (e < 9n) {
    const d = (x % 9n) + 1n;
    x /= 9n;
    n = x * 10n + d;
  } else {
    n = x + 1n;
  }
  while (e > 0n) {
    n *= 10n;
    e--;
  }
  return n;
}

/**
 * Writes a script in `ScriptCompression` form. P2PKH, P2SH and compressed P2PK take their
 * special forms; uncompressed P2PK is written verbatim (always readable by freicoind, and it
 * spares the reader a curve operation).
 */
export function writeCompressedScript(writer: ByteWriter, script: Uint8Array): void {
  const s = script;
  if (
    s.length === 25 && s[0] === OP_DUP && s[1] === OP_HASH160 && s[2] === 20 &&
    s[23] === OP_EQUALVERIFY && s[24] === OP_CHECKSIG
  ) {
    writer.writeU8(0x00).writeBytes(s.subarray(3, 23));
    return;
  }
  if (s.length === 23 && s[0] === OP_HASH160 && s[1] === 20 && s[22] === OP_EQUAL) {
    writer.writeU8(0x01).writeBytes(s.subarray(2, 22));
    return;
  }
  if (s.length === 35 && s[0] === 33 && s[34] === OP_CHECKSIG && (s[1] === 2 || s[1] === 3)) {
    writer.writeU8(s[1]).writeBytes(s.subarray(2, 34));
    return;
  }
  writeVarIntNumber(writer, s.length + SPECIAL_SCRIPTS);
  writer.writeBytes(s);
}

/** Reads a script in `ScriptCompression` form. */
export function readCompressedScript(
  reader: ByteReader,
  decompress?: PublicKeyDecompressor,
): Uint8Array {
  const size = Number(reader.readVarInt(32));
  if (size === 0x00) {
    const hash = reader.readBytes(20);
    const out = new Uint8Array(25);
    out.set([OP_DUP, OP_HASH160, 20]);
    out.set(hash, 3);
    out[23] = OP_EQUALVERIFY;
    out[24] = OP_CHECKSIG;
    return out;
  }
  if (size === 0x01) {
    const hash = reader.readBytes(20);
    const out = new Uint8Array(23);
    out.set([OP_HASH160, 20]);
    out.set(hash, 2);
    out[22] = OP_EQUAL;
    return out;
  }
  if (size === 0x02 || size === 0x03) {
    const x = reader.readBytes(32);
    const out = new Uint8Array(35);
    out[0] = 33;
    out[1] = size;
    out.set(x, 2);
    out[34] = OP_CHECKSIG;
    return out;
  }
  if (size === 0x04 || size === 0x05) {
    const compressed = new Uint8Array(33);
    compressed[0] = size - 2;
    compressed.set(reader.readBytes(32), 1);
    const full = decompress?.(compressed);
    if (!full || full.length !== 65) throw new DecodeError("cannot decompress public key");
    const out = new Uint8Array(67);
    out[0] = 65;
    out.set(full, 1);
    out[66] = OP_CHECKSIG;
    return out;
  }
  const length = size - SPECIAL_SCRIPTS;
  // Oversized scripts are unspendable: the reference keeps a lone OP_RETURN.
  if (length > MAX_SCRIPT_SIZE) {
    reader.skip(length);
    return new Uint8Array([OP_RETURN]);
  }
  return reader.readBytes(length);
}

/** Writes a `TxOutCompression` record: compressed amount, compressed script. */
export function writeCompressedTxOut(writer: ByteWriter, output: TxOut): void {
  const value = output.value;
  // 1 + 10·(9·n + 8) + 8 stays below 2⁵³ for every amount up to 2⁵³ / 100.
  if (value >= 0n && value <= 90_000_000_000_000n) {
    writeVarIntNumber(writer, compressAmountNumber(Number(value)));
  } else {
    writer.writeVarInt(compressAmount(value));
  }
  writeCompressedScript(writer, output.scriptPubKey);
}

/** Reads a `TxOutCompression` record. */
export function readCompressedTxOut(
  reader: ByteReader,
  decompress?: PublicKeyDecompressor,
): TxOut {
  const value = decompressAmount(reader.readVarInt(64));
  if (value > 0x7fffffffffffffffn) throw new DecodeError("amount out of range");
  return new TxOut(value, readCompressedScript(reader, decompress));
}

/** Writes a coin as the chainstate stores it (`Coin::Serialize`). */
export function writeCoin(writer: ByteWriter, coin: Coin): void {
  writeVarIntNumber(writer, coin.height * 2 + (coin.isCoinBase ? 1 : 0));
  writeCompressedTxOut(writer, coin.output);
  writeVarIntNumber(writer, coin.refheight);
}

/** Reads a coin as the chainstate stores it (`Coin::Unserialize`). */
export function readCoin(reader: ByteReader, decompress?: PublicKeyDecompressor): Coin {
  const code = Number(reader.readVarInt(32));
  const output = readCompressedTxOut(reader, decompress);
  const refheight = Number(reader.readVarInt(32));
  return { output, height: Math.floor(code / 2), isCoinBase: (code & 1) === 1, refheight };
}

/** Decodes one whole coin record; trailing bytes are rejected. */
export function decodeCoin(bytes: Uint8Array, decompress?: PublicKeyDecompressor): Coin {
  const reader = new ByteReader(bytes);
  const coin = readCoin(reader, decompress);
  reader.assertFinished();
  return coin;
}
