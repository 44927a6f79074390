import { createHash } from "node:crypto";
import { hashBackend } from "./hash_backend.ts";
import { sha256Into } from "./sha256.ts";

// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996). Script validation hashes
// only 20-byte programs' 32-byte roots and 33/65-byte public keys, one or two
// blocks each. Padding and the digest are written here; the compression
// function is the hash backend's (TypeScript or libcrypto, hash_backend.ts).
// Inputs above the backend's limit go to node:crypto in one call. Scratch
// buffers are module-level, filled and read back synchronously.

const IV = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0);
const TAIL = new Uint8Array(128);

function ripemd160Direct(data: Uint8Array, out: Uint8Array, at: number): void {
  const backend = hashBackend();
  const state = backend.ripemd160State;
  for (let i = 0; i < 5; i++) state[i] = IV[i];
  const length = data.length;
  const full = length - (length & 63);
  if (full > 0) backend.ripemd160Blocks(data, full);
  const rest = length - full;
  const tailLength = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) TAIL[i] = data[full + i];
  TAIL[rest] = 0x80;
  for (let i = rest + 1; i < tailLength; i++) TAIL[i] = 0;
  // Little-endian 64-bit bit length.
  const bits = length * 8;
  const high = Math.floor(bits / 0x100000000);
  TAIL[tailLength - 8] = bits;
  TAIL[tailLength - 7] = bits >>> 8;
  TAIL[tailLength - 6] = bits >>> 16;
  TAIL[tailLength - 5] = bits >>> 24;
  TAIL[tailLength - 4] = high;
  TAIL[tailLength - 3] = high >>> 8;
  TAIL[tailLength - 2] = high >>> 16;
  TAIL[tailLength - 1] = high >>> 24;
  backend.ripemd160Blocks(TAIL, tailLength);
  for (let i = 0; i < 5; i++, at += 4) {
    const word = state[i];
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
  if (data.length <= hashBackend().ripemd160DirectLimit) ripemd160Direct(data, out, at);
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
