// SipHash-2-4 (`CSipHasher` in the reference) on 32-bit halves, so hashing many filter elements
// does not allocate a BigInt per operation.

/** A SipHash key as the two 64-bit little-endian words k0 and k1. */
export interface SipHashKey {
  readonly k0: bigint;
  readonly k1: bigint;
}

const MASK32 = 0xffffffffn;

/** Working state: v0..v3 as [hi, lo] pairs, flattened. */
type State = Uint32Array;

function add(s: State, a: number, b: number): void {
  const lo = s[a + 1] + s[b + 1];
  s[a] = s[a] + s[b] + (lo > 0xffffffff ? 1 : 0);
  s[a + 1] = lo;
}

function rotl(s: State, a: number, n: number): void {
  let hi = s[a];
  let lo = s[a + 1];
  if (n >= 32) {
    [hi, lo] = [lo, hi];
    n -= 32;
  }
  if (n > 0) {
    const newHi = (hi << n) | (lo >>> (32 - n));
    lo = (lo << n) | (hi >>> (32 - n));
    hi = newHi;
  }
  s[a] = hi;
  s[a + 1] = lo;
}

function xor(s: State, a: number, b: number): void {
  s[a] ^= s[b];
  s[a + 1] ^= s[b + 1];
}

const V0 = 0;
const V1 = 2;
const V2 = 4;
const V3 = 6;

function sipRound(s: State): void {
  add(s, V0, V1);
  rotl(s, V1, 13);
  xor(s, V1, V0);
  rotl(s, V0, 32);
  add(s, V2, V3);
  rotl(s, V3, 16);
  xor(s, V3, V2);
  add(s, V0, V3);
  rotl(s, V3, 21);
  xor(s, V3, V0);
  add(s, V2, V1);
  rotl(s, V1, 17);
  xor(s, V1, V2);
  rotl(s, V2, 32);
}

/** A SipHash-2-4 key prepared for repeated hashing. */
export class SipHasher24 {
  readonly #init: Uint32Array;
  readonly #state = new Uint32Array(8);

  /** Prepares the initial state for key (k0, k1). */
  constructor(key: SipHashKey) {
    const k0h = Number((key.k0 >> 32n) & MASK32);
    const k0l = Number(key.k0 & MASK32);
    const k1h = Number((key.k1 >> 32n) & MASK32);
    const k1l = Number(key.k1 & MASK32);
    this.#init = Uint32Array.of(
      k0h ^ 0x736f6d65,
      k0l ^ 0x70736575,
      k1h ^ 0x646f7261,
      k1l ^ 0x6e646f6d,
      k0h ^ 0x6c796765,
      k0l ^ 0x6e657261,
      k1h ^ 0x74656462,
      k1l ^ 0x79746573,
    );
  }

  #absorb(hi: number, lo: number): void {
    const s = this.#state;
    s[V3] ^= hi;
    s[V3 + 1] ^= lo;
    sipRound(s);
    sipRound(s);
    s[V0] ^= hi;
    s[V0 + 1] ^= lo;
  }

  /** Hashes `data`; returns the 64-bit result as [high, low] 32-bit words. */
  hashWords(data: Uint8Array): [number, number] {
    const s = this.#state;
    s.set(this.#init);
    const full = data.length - (data.length % 8);
    for (let i = 0; i < full; i += 8) {
      const lo = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
      const hi = (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24)) >>>
        0;
      this.#absorb(hi, lo);
    }
    // Last word: remaining bytes, with the length (mod 256) in the top byte.
    const tail = new Uint8Array(8);
    tail.set(data.subarray(full));
    tail[7] = data.length & 0xff;
    const lo = (tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24)) >>> 0;
    const hi = (tail[4] | (tail[5] << 8) | (tail[6] << 16) | (tail[7] << 24)) >>> 0;
    this.#absorb(hi, lo);
    s[V2 + 1] ^= 0xff;
    for (let i = 0; i < 4; i++) sipRound(s);
    return [
      (s[V0] ^ s[V1] ^ s[V2] ^ s[V3]) >>> 0,
      (s[V0 + 1] ^ s[V1 + 1] ^ s[V2 + 1] ^ s[V3 + 1]) >>> 0,
    ];
  }

  /** Hashes `data` to a 64-bit unsigned bigint. */
  hash(data: Uint8Array): bigint {
    const [hi, lo] = this.hashWords(data);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}

/**
 * SipHash-2-4 of `data` under key (k0, k1), as an unsigned 64-bit bigint.
 *
 * @example
 * ```ts
 * import { sipHash24 } from "./siphash.ts";
 * // Reference vector: key 00..0f, empty message.
 * sipHash24({ k0: 0x0706050403020100n, k1: 0x0f0e0d0c0b0a0908n }, new Uint8Array());
 * // 0x726fdb47dd0e0e31n
 * ```
 */
export function sipHash24(key: SipHashKey, data: Uint8Array): bigint {
  return new SipHasher24(key).hash(data);
}
