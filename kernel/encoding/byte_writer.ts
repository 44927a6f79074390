const INITIAL_CAPACITY = 256;

/**
 * Builds Bitcoin-style little-endian serialized data in a growable buffer.
 *
 * Out-of-range arguments are programming errors and throw `RangeError`.
 *
 * @example
 * ```ts
 * import { ByteWriter } from "./byte_writer.ts";
 * const writer = new ByteWriter();
 * writer.writeU32LE(1);
 * writer.writeCompactSize(300);
 * console.assert(writer.toBytes().length === 7);
 * ```
 */
export class ByteWriter {
  #bytes: Uint8Array;
  #view: DataView;
  #length = 0;

  /** Creates a writer; `capacity` is only a hint. */
  constructor(capacity: number = INITIAL_CAPACITY) {
    this.#bytes = new Uint8Array(Math.max(16, capacity));
    this.#view = new DataView(this.#bytes.buffer);
  }

  /** Number of bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** Grows the buffer if needed; call it BEFORE reading `#bytes`/`#view`. */
  #reserve(n: number): number {
    const at = this.#length;
    const needed = at + n;
    if (needed > this.#bytes.length) {
      let capacity = this.#bytes.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.#bytes.subarray(0, at));
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    this.#length = needed;
    return at;
  }

  /** Writes one byte (0..255). */
  writeU8(value: number): this {
    checkUint(value, 0xff);
    const at = this.#reserve(1);
    this.#bytes[at] = value;
    return this;
  }

  /** Writes an unsigned 16-bit little-endian integer. */
  writeU16LE(value: number): this {
    checkUint(value, 0xffff);
    const at = this.#reserve(2);
    this.#view.setUint16(at, value, true);
    return this;
  }

  /** Writes an unsigned 32-bit little-endian integer. */
  writeU32LE(value: number): this {
    checkUint(value, 0xffffffff);
    const at = this.#reserve(4);
    this.#view.setUint32(at, value, true);
    return this;
  }

  /** Writes a signed 32-bit little-endian integer. */
  writeI32LE(value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      throw new RangeError(`not an int32: ${value}`);
    }
    const at = this.#reserve(4);
    this.#view.setInt32(at, value, true);
    return this;
  }

  /** Writes an unsigned 64-bit little-endian integer. */
  writeU64LE(value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`not a uint64: ${value}`);
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, value, true);
    return this;
  }

  /** Writes a signed 64-bit little-endian integer. */
  writeI64LE(value: bigint): this {
    if (value < -0x8000000000000000n || value > 0x7fffffffffffffffn) {
      throw new RangeError(`not an int64: ${value}`);
    }
    const at = this.#reserve(8);
    this.#view.setBigInt64(at, value, true);
    return this;
  }

  /** Writes a CompactSize (the minimal encoding of `value`). */
  writeCompactSize(value: number | bigint): this {
    if (typeof value === "number" && value < 253 && value >= 0 && Number.isInteger(value)) {
      return this.writeU8(value);
    }
    const n = BigInt(value);
    if (n < 0n || n > 0xffffffffffffffffn) throw new RangeError(`not a CompactSize: ${value}`);
    if (n < 253n) return this.writeU8(Number(n));
    if (n <= 0xffffn) return this.writeU8(253).writeU16LE(Number(n));
    if (n <= 0xffffffffn) return this.writeU8(254).writeU32LE(Number(n));
    return this.writeU8(255).writeU64LE(n);
  }

  /** Writes raw bytes. */
  writeBytes(bytes: Uint8Array): this {
    const at = this.#reserve(bytes.length);
    this.#bytes.set(bytes, at);
    return this;
  }

  /** Writes a CompactSize length followed by the bytes. */
  writeVarBytes(bytes: Uint8Array): this {
    return this.writeCompactSize(bytes.length).writeBytes(bytes);
  }

  /** Writes Bitcoin's MSB base-128 VARINT (serialize.h WriteVarInt). */
  writeVarInt(value: number | bigint): this {
    let n = BigInt(value);
    if (n < 0n) throw new RangeError(`VARINT cannot encode a negative value: ${value}`);
    const digits: number[] = [];
    for (;;) {
      digits.push(Number(n & 0x7fn) | (digits.length > 0 ? 0x80 : 0));
      if (n <= 0x7fn) break;
      n = (n >> 7n) - 1n;
    }
    for (let i = digits.length - 1; i >= 0; i--) this.writeU8(digits[i]);
    return this;
  }

  /** Returns a copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }
}

function checkUint(value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`integer out of range 0..${max}: ${value}`);
  }
}

/** Number of bytes the CompactSize encoding of `value` takes. */
export function compactSizeLength(value: number | bigint): number {
  if (typeof value === "number" && value < 253) return 1;
  const n = BigInt(value);
  if (n < 253n) return 1;
  if (n <= 0xffffn) return 3;
  if (n <= 0xffffffffn) return 5;
  return 9;
}
