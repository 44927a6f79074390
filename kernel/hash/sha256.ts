import { createHash } from "node:crypto";
import { compressBlock } from "./_sha256_block.ts";
import { Sha256, stateToBytes } from "./sha256_midstate.ts";

// Short messages (sighash preimages, 32-byte rehashes, headers, most
// transactions) are hashed in TypeScript: a node:crypto digest costs a native
// call, a Buffer and garbage, ~5 µs in Deno, the price of ~12 blocks here.
// Longer messages go to node:crypto, whose per-block cost is lower.
// Scratch buffers are module-level but never observable: every function
// fills them and reads them back synchronously before returning.

/**
 * Longest message hashed in TypeScript. Measured under load on these machines:
 * node:crypto ≈ 6 µs per call + 0.15 µs per block, TypeScript 0.2–0.4 µs per
 * block, so the crossover is near 1.5 KiB; 1 KiB stays on the safe side.
 */
export const SHA256_TS_LIMIT = 1024;

const IV = new Int32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);
const STATE = new Int32Array(8);
const TAIL = new Uint8Array(128);

// Element loops: TypedArray set/fill cost more than these 8-64 stores.
function resetState(): void {
  for (let i = 0; i < 8; i++) STATE[i] = IV[i];
}

/** Hashes `data` (at most {@link SHA256_TS_LIMIT} bytes) into STATE. */
function hashIntoState(data: Uint8Array): void {
  resetState();
  hashFrom(data, 0);
}

/** Continues STATE over `data`, `prefixLength` bytes (a multiple of 64) having been hashed. */
function hashFrom(data: Uint8Array, prefixLength: number): void {
  const length = data.length;
  const full = length - (length & 63);
  for (let at = 0; at < full; at += 64) compressBlock(STATE, data, at);
  const rest = length - full;
  const tailLength = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) TAIL[i] = data[full + i];
  TAIL[rest] = 0x80;
  for (let i = rest + 1; i < tailLength - 4; i++) TAIL[i] = 0;
  const bits = (prefixLength + length) * 8; // < 2^32 below the limit
  TAIL[tailLength - 4] = bits >>> 24;
  TAIL[tailLength - 3] = bits >>> 16;
  TAIL[tailLength - 2] = bits >>> 8;
  TAIL[tailLength - 1] = bits;
  compressBlock(STATE, TAIL, 0);
  if (tailLength === 128) compressBlock(STATE, TAIL, 64);
}

/** Writes STATE big-endian to `out[at..at+32)`. */
function writeState(out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++, at += 4) {
    const word = STATE[i];
    out[at] = word >>> 24;
    out[at + 1] = word >>> 16;
    out[at + 2] = word >>> 8;
    out[at + 3] = word;
  }
}

/** Replaces STATE by the SHA-256 of its own 32-byte digest (one padded block). */
function rehashState(): void {
  writeState(TAIL, 0);
  TAIL[32] = 0x80;
  for (let i = 33; i < 62; i++) TAIL[i] = 0;
  TAIL[62] = 0x01; // 256 bits
  TAIL[63] = 0x00;
  resetState();
  compressBlock(STATE, TAIL, 0);
}

/** Loads a 32-byte digest into STATE, so that {@link rehashState} can hash it. */
function loadState(digest: Uint8Array): void {
  for (let i = 0, at = 0; i < 8; i++, at += 4) {
    STATE[i] = (digest[at] << 24) | (digest[at + 1] << 16) | (digest[at + 2] << 8) |
      digest[at + 3];
  }
}

function nativeSha256(data: Uint8Array): Uint8Array {
  return createHash("sha256").update(data).digest();
}

/**
 * SHA-256 of `data` (FIPS 180-4).
 *
 * @example
 * ```ts
 * import { sha256 } from "./sha256.ts";
 * console.assert(sha256(new Uint8Array()).length === 32);
 * ```
 */
export function sha256(data: Uint8Array): Uint8Array {
  if (data.length > SHA256_TS_LIMIT) return new Uint8Array(nativeSha256(data));
  hashIntoState(data);
  const out = new Uint8Array(32);
  writeState(out, 0);
  return out;
}

/**
 * Double SHA-256, SHA256(SHA256(data)): txids, block hashes, Merkle nodes
 * (the reference's `Hash()` / `CHash256`). Returned in internal byte order;
 * display with `hashToHex`.
 *
 * @example
 * ```ts
 * import { sha256d } from "./sha256.ts";
 * console.assert(sha256d(new Uint8Array()).length === 32);
 * ```
 */
export function sha256d(data: Uint8Array): Uint8Array {
  if (data.length > SHA256_TS_LIMIT) loadState(nativeSha256(data));
  else hashIntoState(data);
  rehashState();
  const out = new Uint8Array(32);
  writeState(out, 0);
  return out;
}

/**
 * Writes SHA-256 of `data` to `out[at..at+32)`. Allocates nothing for short
 * messages (a fresh 32-byte array costs ~0.2 µs in Deno, as much as a
 * compression): for hot paths that consume the digest at once.
 */
export function sha256Into(data: Uint8Array, out: Uint8Array, at = 0): void {
  if (data.length > SHA256_TS_LIMIT) loadState(nativeSha256(data));
  else hashIntoState(data);
  writeState(out, at);
}

/** Writes SHA256(SHA256(`data`)) to `out[at..at+32)`, like {@link sha256Into}. */
export function sha256dInto(data: Uint8Array, out: Uint8Array, at = 0): void {
  if (data.length > SHA256_TS_LIMIT) loadState(nativeSha256(data));
  else hashIntoState(data);
  rehashState();
  writeState(out, at);
}

/**
 * The SHA-256 state after the 64-byte block `data[at..at+64)`, to hash many
 * messages that share that first block with {@link sha256dAfterBlockInto}
 * (as BIP143 preimages of one transaction do).
 */
export function sha256FirstBlockState(data: Uint8Array, at = 0): Int32Array {
  if (at < 0 || data.length - at < 64) throw new RangeError("a SHA-256 block is 64 bytes");
  const state = Int32Array.from(IV);
  compressBlock(state, data, at);
  return state;
}

/**
 * Writes SHA256d(first ‖ `rest`) to `out[at..at+32)`, where `state` is
 * {@link sha256FirstBlockState} of the 64-byte block `first`.
 */
export function sha256dAfterBlockInto(
  state: Int32Array,
  rest: Uint8Array,
  out: Uint8Array,
  at = 0,
): void {
  if (rest.length > SHA256_TS_LIMIT) {
    const words = new Uint32Array(state.buffer, state.byteOffset, 8);
    const hasher = new Sha256(stateToBytes(words), { buffer: new Uint8Array(0), length: 64 });
    loadState(hasher.write(rest).finalize());
  } else {
    for (let i = 0; i < 8; i++) STATE[i] = state[i];
    hashFrom(rest, 64);
  }
  rehashState();
  writeState(out, at);
}

/** Alias of {@link sha256d} under the reference's other name (`Hash256`). */
export const hash256: (data: Uint8Array) => Uint8Array = sha256d;

/** Scratch for {@link sha256dConcat} when the parts are short enough to join. */
const JOINED = new Uint8Array(SHA256_TS_LIMIT);

/**
 * Double SHA-256 of the concatenation of `parts`, without building the
 * concatenation (used to hash a serialization from slices of a buffer).
 */
export function sha256dConcat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  if (total <= SHA256_TS_LIMIT) {
    let at = 0;
    for (const part of parts) {
      JOINED.set(part, at);
      at += part.length;
    }
    return sha256d(JOINED.subarray(0, total));
  }
  const hasher = createHash("sha256");
  for (const part of parts) hasher.update(part);
  loadState(hasher.digest());
  rehashState();
  const out = new Uint8Array(32);
  writeState(out, 0);
  return out;
}
