import { createHash } from "node:crypto";
import { type HashBackend, hashBackend } from "./hash_backend.ts";
import { Sha256, stateToBytes } from "./sha256_midstate.ts";

// Padding, lengths and digest encoding are written here; the compression
// function is the hash backend's (hash_backend.ts): the TypeScript one, or
// libcrypto's (SHA-NI where the CPU has it) when start-up code installed the
// native backend. Messages above the backend's limit go to node:crypto in one
// call (the TypeScript blocks lose to it beyond ~1.5 KiB; the native backend
// has no limit). Scratch buffers are module-level but never observable: every
// function fills them and reads them back synchronously before returning.

/**
 * Longest message the pure backend hashes in TypeScript (see
 * `HashBackend.sha256DirectLimit`); callers use it to keep preimages short.
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
const TAIL = new Uint8Array(128);

// Element loops: TypedArray set/fill cost more than these 8-64 stores.
function resetState(state: Int32Array): void {
  for (let i = 0; i < 8; i++) state[i] = IV[i];
}

/** Hashes `data` (at most the backend's direct limit) into the backend's state. */
function hashIntoState(backend: HashBackend, data: Uint8Array): void {
  resetState(backend.sha256State);
  hashFrom(backend, data, 0);
}

/**
 * Continues the backend's state over `data`, `prefixLength` bytes (a multiple
 * of 64) having been hashed, and pads.
 */
function hashFrom(backend: HashBackend, data: Uint8Array, prefixLength: number): void {
  const length = data.length;
  const full = length - (length & 63);
  if (full > 0) backend.sha256Blocks(data, full);
  const rest = length - full;
  const tailLength = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) TAIL[i] = data[full + i];
  TAIL[rest] = 0x80;
  for (let i = rest + 1; i < tailLength - 8; i++) TAIL[i] = 0;
  // Big-endian 64-bit bit length.
  const bits = (prefixLength + length) * 8;
  const high = Math.floor(bits / 0x100000000);
  TAIL[tailLength - 8] = high >>> 24;
  TAIL[tailLength - 7] = high >>> 16;
  TAIL[tailLength - 6] = high >>> 8;
  TAIL[tailLength - 5] = high;
  TAIL[tailLength - 4] = bits >>> 24;
  TAIL[tailLength - 3] = bits >>> 16;
  TAIL[tailLength - 2] = bits >>> 8;
  TAIL[tailLength - 1] = bits;
  backend.sha256Blocks(TAIL, tailLength);
}

/** Writes the 8 state words big-endian to `out[at..at+32)`. */
function writeState(state: Int32Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++, at += 4) {
    const word = state[i];
    out[at] = word >>> 24;
    out[at + 1] = word >>> 16;
    out[at + 2] = word >>> 8;
    out[at + 3] = word;
  }
}

/** Replaces the backend's state by the SHA-256 of its own 32-byte digest (one padded block). */
function rehashState(backend: HashBackend): void {
  const state = backend.sha256State;
  writeState(state, TAIL, 0);
  TAIL[32] = 0x80;
  for (let i = 33; i < 62; i++) TAIL[i] = 0;
  TAIL[62] = 0x01; // 256 bits
  TAIL[63] = 0x00;
  resetState(state);
  backend.sha256Blocks(TAIL, 64);
}

/** Loads a 32-byte digest into `state`, so that {@link rehashState} can hash it. */
function loadState(state: Int32Array, digest: Uint8Array): void {
  for (let i = 0, at = 0; i < 8; i++, at += 4) {
    state[i] = (digest[at] << 24) | (digest[at + 1] << 16) | (digest[at + 2] << 8) |
      digest[at + 3];
  }
}

function nodeSha256(data: Uint8Array): Uint8Array {
  return createHash("sha256").update(data).digest();
}

/** SHA-256 of `data` into the backend's state, whatever its length. */
function hashAnyIntoState(backend: HashBackend, data: Uint8Array): void {
  if (data.length > backend.sha256DirectLimit) loadState(backend.sha256State, nodeSha256(data));
  else hashIntoState(backend, data);
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
  const out = new Uint8Array(32);
  sha256Into(data, out, 0);
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
  const out = new Uint8Array(32);
  sha256dInto(data, out, 0);
  return out;
}

/**
 * Writes SHA-256 of `data` to `out[at..at+32)`. Allocates nothing for short
 * messages (a fresh 32-byte array costs ~0.2 µs in Deno, as much as a
 * compression): for hot paths that consume the digest at once.
 */
export function sha256Into(data: Uint8Array, out: Uint8Array, at = 0): void {
  const backend = hashBackend();
  hashAnyIntoState(backend, data);
  writeState(backend.sha256State, out, at);
}

/** Writes SHA256(SHA256(`data`)) to `out[at..at+32)`, like {@link sha256Into}. */
export function sha256dInto(data: Uint8Array, out: Uint8Array, at = 0): void {
  const backend = hashBackend();
  hashAnyIntoState(backend, data);
  rehashState(backend);
  writeState(backend.sha256State, out, at);
}

/**
 * The SHA-256 state after the 64-byte block `data[at..at+64)`, to hash many
 * messages that share that first block with {@link sha256dAfterBlockInto}
 * (as BIP143 preimages of one transaction do).
 */
export function sha256FirstBlockState(data: Uint8Array, at = 0): Int32Array {
  if (at < 0 || data.length - at < 64) throw new RangeError("a SHA-256 block is 64 bytes");
  const backend = hashBackend();
  const state = backend.sha256State;
  resetState(state);
  backend.sha256Blocks(at === 0 ? data : data.subarray(at), 64);
  return state.slice(0, 8);
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
  const backend = hashBackend();
  if (rest.length > backend.sha256DirectLimit) {
    const words = new Uint32Array(state.buffer, state.byteOffset, 8);
    const hasher = new Sha256(stateToBytes(words), { buffer: new Uint8Array(0), length: 64 });
    loadState(backend.sha256State, hasher.write(rest).finalize());
  } else {
    const current = backend.sha256State;
    for (let i = 0; i < 8; i++) current[i] = state[i];
    hashFrom(backend, rest, 64);
  }
  rehashState(backend);
  writeState(backend.sha256State, out, at);
}

/** Alias of {@link sha256d} under the reference's other name (`Hash256`). */
export const hash256: (data: Uint8Array) => Uint8Array = sha256d;

/** Longest concatenation {@link sha256dConcat} joins in its scratch buffer (grown on demand). */
const JOIN_LIMIT = 1 << 16;

/** Scratch for {@link sha256dConcat} when the parts are short enough to join. */
let joined = new Uint8Array(SHA256_TS_LIMIT);

/**
 * Double SHA-256 of the concatenation of `parts`, without building the
 * concatenation (used to hash a serialization from slices of a buffer).
 */
export function sha256dConcat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const backend = hashBackend();
  // Joined and hashed by the backend up to its limit (1 KiB for the pure one; the native one
  // takes anything, so transactions up to 64 KiB skip node:crypto's per-call cost too).
  if (total <= JOIN_LIMIT && total <= backend.sha256DirectLimit) {
    if (total > joined.length) {
      joined = new Uint8Array(Math.min(JOIN_LIMIT, 2 ** Math.ceil(Math.log2(total))));
    }
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.length;
    }
    return sha256d(joined.subarray(0, total));
  }
  const hasher = createHash("sha256");
  for (const part of parts) hasher.update(part);
  loadState(backend.sha256State, hasher.digest());
  rehashState(backend);
  const out = new Uint8Array(32);
  writeState(backend.sha256State, out, 0);
  return out;
}
