import { DecodeError } from "./decode_error.ts";

/**
 * The largest length a CompactSize may carry when it sizes a vector or byte
 * string (serialize.h `MAX_SIZE`; Freicoin raised it to 2^31 - 1, Bitcoin has
 * 0x02000000).
 */
export const MAX_SIZE = 0x7fffffff;

/**
 * Reads Bitcoin-style little-endian serialized data from a byte array.
 *
 * Every read checks the remaining length first and throws {@link DecodeError}
 * ("end of data") instead of reading past the end; nothing is allocated from
 * a length that has not been checked against the bytes actually present.
 *
 * @example
 * ```ts
 * import { ByteReader } from "./byte_reader.ts";
 * const reader = new ByteReader(new Uint8Array([1, 0xfd, 0x00, 0x01]));
 * console.assert(reader.readU8() === 1);
 * console.assert(reader.readCompactSize() === 256);
 * reader.assertFinished();
 * ```
 */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;

  /** Wraps `bytes` (not copied; do not modify it while reading). */
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Number of bytes not read yet. */
  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  /** Number of bytes read so far. */
  get offset(): number {
    return this.#offset;
  }

  /** The underlying bytes between two offsets, without copying. */
  view(start: number, end: number): Uint8Array {
    return this.#bytes.subarray(start, end);
  }

  #need(n: number): number {
    if (n > this.#bytes.length - this.#offset) throw new DecodeError("end of data");
    const at = this.#offset;
    this.#offset += n;
    return at;
  }

  /** Returns the next byte without consuming it. */
  peekU8(): number {
    if (this.remaining < 1) throw new DecodeError("end of data");
    return this.#bytes[this.#offset];
  }

  /** Reads one byte. */
  readU8(): number {
    return this.#bytes[this.#need(1)];
  }

  /** Reads an unsigned 16-bit little-endian integer. */
  readU16LE(): number {
    return this.#view.getUint16(this.#need(2), true);
  }

  /** Reads an unsigned 32-bit little-endian integer. */
  readU32LE(): number {
    return this.#view.getUint32(this.#need(4), true);
  }

  /** Reads a signed 32-bit little-endian integer. */
  readI32LE(): number {
    return this.#view.getInt32(this.#need(4), true);
  }

  /** Reads an unsigned 64-bit little-endian integer as a bigint. */
  readU64LE(): bigint {
    return this.#view.getBigUint64(this.#need(8), true);
  }

  /** Reads a signed 64-bit little-endian integer as a bigint. */
  readI64LE(): bigint {
    return this.#view.getBigInt64(this.#need(8), true);
  }

  /**
   * Reads a CompactSize used as a length (ReadCompactSize with range check):
   * rejects non-minimal encodings ("non-canonical ReadCompactSize()") and
   * values above {@link MAX_SIZE} ("ReadCompactSize(): size too large").
   */
  readCompactSize(): number {
    const value = this.readCompactSizeUnchecked();
    if (value > BigInt(MAX_SIZE)) throw new DecodeError("ReadCompactSize(): size too large");
    return Number(value);
  }

  /**
   * Reads a CompactSize used as a plain number (ReadCompactSize without range
   * check): still rejects non-minimal encodings.
   */
  readCompactSizeUnchecked(): bigint {
    const first = this.readU8();
    if (first < 253) return BigInt(first);
    if (first === 253) {
      const value = this.readU16LE();
      if (value < 253) throw new DecodeError("non-canonical ReadCompactSize()");
      return BigInt(value);
    }
    if (first === 254) {
      const value = this.readU32LE();
      if (value < 0x10000) throw new DecodeError("non-canonical ReadCompactSize()");
      return BigInt(value);
    }
    const value = this.readU64LE();
    if (value < 0x100000000n) throw new DecodeError("non-canonical ReadCompactSize()");
    return value;
  }

  /**
   * Reads the element count of a vector whose elements each take at least
   * `minElementSize` bytes, and rejects a count the remaining bytes cannot
   * hold, before anything is allocated for it.
   */
  readVectorLength(minElementSize: number): number {
    const count = this.readCompactSize();
    if (count * minElementSize > this.remaining) throw new DecodeError("end of data");
    return count;
  }

  /** Reads exactly `n` bytes into a new array (the length is checked first). */
  readBytes(n: number): Uint8Array {
    if (!Number.isSafeInteger(n) || n < 0) throw new DecodeError("invalid length");
    const at = this.#need(n);
    return this.#bytes.slice(at, at + n);
  }

  /**
   * Steps over `n` bytes (the length is checked first) and returns the offset
   * where they start, for decoders that slice their own copy later.
   */
  skip(n: number): number {
    if (!Number.isSafeInteger(n) || n < 0) throw new DecodeError("invalid length");
    return this.#need(n);
  }

  /** Reads a CompactSize length followed by that many bytes. */
  readVarBytes(): Uint8Array {
    return this.readBytes(this.readCompactSize());
  }

  /** Reads a 32-byte hash (uint256) in internal byte order. */
  readHash(): Uint8Array {
    return this.readBytes(32);
  }

  /**
   * Reads Bitcoin's MSB base-128 VARINT (serialize.h ReadVarInt) into a
   * value of at most `bits` bits; larger values throw
   * "ReadVarInt(): size too large".
   */
  readVarInt(bits: 32 | 64 = 64): bigint {
    const max = (1n << BigInt(bits)) - 1n;
    let n = 0n;
    for (;;) {
      const byte = this.readU8();
      if (n > max >> 7n) throw new DecodeError("ReadVarInt(): size too large");
      n = (n << 7n) | BigInt(byte & 0x7f);
      if ((byte & 0x80) === 0) return n;
      if (n === max) throw new DecodeError("ReadVarInt(): size too large");
      n++;
    }
  }

  /** Reads a VARINT limited to 32 bits, as a number. */
  readVarIntU32(): number {
    return Number(this.readVarInt(32));
  }

  /** Throws {@link DecodeError} if any bytes are left unread (trailing data). */
  assertFinished(): void {
    if (this.remaining !== 0) throw new DecodeError("unexpected trailing data");
  }
}
