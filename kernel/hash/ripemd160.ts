import { createHash } from "node:crypto";
import { sha256Into } from "./sha256.ts";

// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996). Script validation hashes
// only 20-byte programs' 32-byte roots and 33/65-byte public keys, one or two
// blocks each: in TypeScript that costs well under a node:crypto call
// (~5 µs of native call, Buffer and garbage in Deno). Long inputs still go to
// node:crypto. Scratch buffers are module-level, filled and read back
// synchronously.

/** Longest message hashed in TypeScript; beyond it node:crypto is used. */
const TS_LIMIT = 256;

/** Message word index per step, left line then right line (5 rounds of 16). */
const WORD_LEFT = Uint8Array.of(
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  ...[7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8],
  ...[3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12],
  ...[1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2],
  ...[4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13],
);
const WORD_RIGHT = Uint8Array.of(
  ...[5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12],
  ...[6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2],
  ...[15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13],
  ...[8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14],
  ...[12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11],
);
/** Left-rotation amount per step. */
const SHIFT_LEFT = Uint8Array.of(
  ...[11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8],
  ...[7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12],
  ...[11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5],
  ...[11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12],
  ...[9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6],
);
const SHIFT_RIGHT = Uint8Array.of(
  ...[8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6],
  ...[9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11],
  ...[9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5],
  ...[15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8],
  ...[8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11],
);
const IV = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0);

const STATE = new Int32Array(5);
const X = new Int32Array(16);
const TAIL = new Uint8Array(128);

// The 80 steps run as five loops of 16, one per round, so each loop has its
// boolean functions and constants inline (the right line uses them in reverse).
function compress(block: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    X[i] = block[at] | (block[at + 1] << 8) | (block[at + 2] << 16) | (block[at + 3] << 24);
  }
  let al = STATE[0], bl = STATE[1], cl = STATE[2], dl = STATE[3], el = STATE[4];
  let ar = al, br = bl, cr = cl, dr = dl, er = el;
  for (let j = 0; j < 16; j++) {
    let t = (al + (bl ^ cl ^ dl) + X[WORD_LEFT[j]]) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + (br ^ (cr | ~dr)) + X[WORD_RIGHT[j]] + 0x50a28be6) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  for (let j = 16; j < 32; j++) {
    let t = (al + ((bl & cl) | (~bl & dl)) + X[WORD_LEFT[j]] + 0x5a827999) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + ((br & dr) | (cr & ~dr)) + X[WORD_RIGHT[j]] + 0x5c4dd124) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  for (let j = 32; j < 48; j++) {
    let t = (al + ((bl | ~cl) ^ dl) + X[WORD_LEFT[j]] + 0x6ed9eba1) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + ((br | ~cr) ^ dr) + X[WORD_RIGHT[j]] + 0x6d703ef3) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  for (let j = 48; j < 64; j++) {
    let t = (al + ((bl & dl) | (cl & ~dl)) + X[WORD_LEFT[j]] + (0x8f1bbcdc | 0)) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + ((br & cr) | (~br & dr)) + X[WORD_RIGHT[j]] + 0x7a6d76e9) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  for (let j = 64; j < 80; j++) {
    let t = (al + (bl ^ (cl | ~dl)) + X[WORD_LEFT[j]] + (0xa953fd4e | 0)) | 0;
    let s = SHIFT_LEFT[j];
    t = (((t << s) | (t >>> (32 - s))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + (br ^ cr ^ dr) + X[WORD_RIGHT[j]]) | 0;
    s = SHIFT_RIGHT[j];
    t = (((t << s) | (t >>> (32 - s))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  const t = (STATE[1] + cl + dr) | 0;
  STATE[1] = (STATE[2] + dl + er) | 0;
  STATE[2] = (STATE[3] + el + ar) | 0;
  STATE[3] = (STATE[4] + al + br) | 0;
  STATE[4] = (STATE[0] + bl + cr) | 0;
  STATE[0] = t;
}

function ripemd160Small(data: Uint8Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 5; i++) STATE[i] = IV[i];
  const length = data.length;
  const full = length - (length & 63);
  for (let at = 0; at < full; at += 64) compress(data, at);
  const rest = length - full;
  const tailLength = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) TAIL[i] = data[full + i];
  TAIL[rest] = 0x80;
  for (let i = rest + 1; i < tailLength; i++) TAIL[i] = 0;
  const bits = length * 8; // < 2^32 below the limit; little-endian 64-bit length
  TAIL[tailLength - 8] = bits;
  TAIL[tailLength - 7] = bits >>> 8;
  TAIL[tailLength - 6] = bits >>> 16;
  TAIL[tailLength - 5] = bits >>> 24;
  compress(TAIL, 0);
  if (tailLength === 128) compress(TAIL, 64);
  for (let i = 0; i < 5; i++, at += 4) {
    const word = STATE[i];
    out[at] = word;
    out[at + 1] = word >>> 8;
    out[at + 2] = word >>> 16;
    out[at + 3] = word >>> 24;
  }
}

/**
 * RIPEMD-160 of `data`.
 *
 * @example
 * ```ts
 * import { ripemd160 } from "./ripemd160.ts";
 * console.assert(ripemd160(new Uint8Array()).length === 20);
 * ```
 */
export function ripemd160(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(20);
  ripemd160Into(data, out, 0);
  return out;
}

/** Writes RIPEMD-160 of `data` to `out[at..at+20)`; allocates nothing for short messages. */
export function ripemd160Into(data: Uint8Array, out: Uint8Array, at = 0): void {
  if (data.length <= TS_LIMIT) ripemd160Small(data, out, at);
  else out.set(createHash("ripemd160").update(data).digest(), at);
}

/**
 * RIPEMD160(SHA256(data)), the reference's `Hash160` (P2PKH, P2SH).
 *
 * @example
 * ```ts
 * import { hash160 } from "./ripemd160.ts";
 * console.assert(hash160(new Uint8Array()).length === 20);
 * ```
 */
export function hash160(data: Uint8Array): Uint8Array {
  sha256Into(data, INNER_DIGEST, 0);
  return ripemd160(INNER_DIGEST);
}

/** The SHA-256 inside {@link hash160}, consumed at once. */
const INNER_DIGEST = new Uint8Array(32);
