/**
 * The Poly1305 one-time authenticator (RFC 8439 §2.5), as the reference's
 * src/crypto/poly1305.h. The accumulator is kept in ten 13-bit limbs so every product and
 * sum stays exact in a double; bigints are used only once per key and once per tag.
 *
 * @module
 */

/** Key size in bytes (r ‖ s). */
export const POLY1305_KEY_SIZE = 32;
/** Tag size in bytes. */
export const POLY1305_TAG_SIZE = 16;

const LIMBS = 10;
const LIMB_BITS = 13;
const LIMB_BASE = 8192; // 2^13
const LIMB_MASK = 0x1fff;
const P1305 = (1n << 130n) - 5n;

/** Splits a 130-bit value into ten 13-bit limbs. */
function toLimbs(value: bigint, out: Float64Array): void {
  for (let i = 0; i < LIMBS; i++) {
    out[i] = Number(value & 0x1fffn);
    value >>= 13n;
  }
}

function littleEndian(bytes: Uint8Array, start: number, end: number): bigint {
  let value = 0n;
  for (let i = end - 1; i >= start; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

/** Incremental Poly1305: `update` any number of times, then `finish` once. */
export class Poly1305 {
  readonly #r = new Float64Array(LIMBS);
  readonly #r5 = new Float64Array(LIMBS); // 5·r, for the terms that wrap past 2^130
  readonly #h = new Float64Array(LIMBS);
  readonly #d = new Float64Array(LIMBS);
  readonly #s: bigint;
  /** A partial block waiting for more data. */
  readonly #pending = new Uint8Array(16);
  #pendingLength = 0;
  #finished = false;

  /** Creates an authenticator for the one-time `key` (32 bytes). */
  constructor(key: Uint8Array) {
    if (key.length !== POLY1305_KEY_SIZE) throw new RangeError("Poly1305 key must be 32 bytes");
    // RFC 8439 §2.5.1: clamp r.
    const r = littleEndian(key, 0, 16) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
    toLimbs(r, this.#r);
    for (let i = 0; i < LIMBS; i++) this.#r5[i] = this.#r[i] * 5;
    this.#s = littleEndian(key, 16, 32);
  }

  /** Absorbs `data`. */
  update(data: Uint8Array): this {
    if (this.#finished) throw new Error("Poly1305 already finished");
    let pos = 0;
    if (this.#pendingLength > 0) {
      const take = Math.min(16 - this.#pendingLength, data.length);
      this.#pending.set(data.subarray(0, take), this.#pendingLength);
      this.#pendingLength += take;
      pos = take;
      if (this.#pendingLength < 16) return this;
      this.#block(this.#pending, 0, 1);
      this.#pendingLength = 0;
    }
    while (data.length - pos >= 16) {
      this.#block(data, pos, 1);
      pos += 16;
    }
    if (pos < data.length) {
      this.#pending.fill(0);
      this.#pending.set(data.subarray(pos));
      this.#pendingLength = data.length - pos;
    }
    return this;
  }

  /** Returns the 16-byte tag. */
  finish(): Uint8Array {
    if (this.#finished) throw new Error("Poly1305 already finished");
    this.#finished = true;
    if (this.#pendingLength > 0) {
      // RFC 8439: a final partial block gets a 1 byte appended, not the 2^128 bit.
      this.#pending.fill(0, this.#pendingLength);
      this.#pending[this.#pendingLength] = 1;
      this.#block(this.#pending, 0, 0);
    }
    let h = 0n;
    for (let i = LIMBS - 1; i >= 0; i--) h = (h << 13n) + BigInt(this.#h[i]); // limbs may exceed 13 bits
    const tag = ((h % P1305) + this.#s) & ((1n << 128n) - 1n);
    const out = new Uint8Array(POLY1305_TAG_SIZE);
    let t = tag;
    for (let i = 0; i < POLY1305_TAG_SIZE; i++) {
      out[i] = Number(t & 0xffn);
      t >>= 8n;
    }
    return out;
  }

  /** h = (h + block + hibit·2^128) · r mod 2^130 − 5 (partially reduced). */
  #block(bytes: Uint8Array, offset: number, hibit: number): void {
    const h = this.#h, r = this.#r, r5 = this.#r5, d = this.#d;
    for (let i = 0; i < LIMBS; i++) {
      const bit = i * LIMB_BITS;
      const k = offset + (bit >>> 3);
      // A limb spans up to 3 bytes; never read past the block's 16th byte.
      const third = k + 2 < offset + 16 ? bytes[k + 2] : 0;
      const word = bytes[k] | (bytes[k + 1] << 8) | (third << 16);
      let limb = (word >>> (bit & 7)) & LIMB_MASK;
      if (i === LIMBS - 1) limb = (limb & 0x7ff) | (hibit << 11); // bits 117..127, then 2^128
      h[i] += limb;
    }
    for (let i = 0; i < LIMBS; i++) {
      let sum = 0;
      for (let j = 0; j <= i; j++) sum += h[j] * r[i - j];
      for (let j = i + 1; j < LIMBS; j++) sum += h[j] * r5[i + LIMBS - j];
      d[i] = sum;
    }
    let carry = 0;
    for (let i = 0; i < LIMBS; i++) {
      const value = d[i] + carry;
      carry = Math.floor(value / LIMB_BASE);
      h[i] = value - carry * LIMB_BASE;
    }
    // 2^130 ≡ 5: fold the top carry back into the low limbs.
    let value = h[0] + carry * 5;
    carry = Math.floor(value / LIMB_BASE);
    h[0] = value - carry * LIMB_BASE;
    value = h[1] + carry;
    carry = Math.floor(value / LIMB_BASE);
    h[1] = value - carry * LIMB_BASE;
    h[2] += carry;
  }
}

/** The Poly1305 tag of `message` under the one-time `key`. */
export function poly1305(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Poly1305(key).update(message).finish();
}
