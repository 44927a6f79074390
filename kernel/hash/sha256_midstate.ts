// SHA-256 by midstate, because the fast Merkle tree and merge-mining proofs
// need what no Web or node API exposes: the raw compression function,
// starting from an arbitrary midstate, and the state after a block without
// padding. The compression itself is the hash backend's (hash_backend.ts).
import { hashBackend } from "./hash_backend.ts";

/** The standard SHA-256 initial state (FIPS 180-4 §5.3.3), as 8 words. */
export const SHA256_INITIAL_STATE: Readonly<Uint32Array> = new Uint32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);

/**
 * The SHA-256 compression function: updates the 8-word `state` in place with
 * the 64-byte block at `block[offset..offset+64)`. No padding, no length.
 *
 * @example
 * ```ts
 * import { SHA256_INITIAL_STATE, sha256Compress } from "./sha256_midstate.ts";
 * const state = new Uint32Array(SHA256_INITIAL_STATE);
 * sha256Compress(state, new Uint8Array(64));
 * ```
 */
export function sha256Compress(state: Uint32Array, block: Uint8Array, offset = 0): void {
  if (offset < 0 || block.length - offset < 64) throw new RangeError("a SHA-256 block is 64 bytes");
  compressRun(state, offset === 0 ? block : block.subarray(offset), 64);
}

/** Compresses `data[0..length)` (`length` a positive multiple of 64) into `state`. */
function compressRun(state: Uint32Array, data: Uint8Array, length: number): void {
  const backend = hashBackend();
  const current = backend.sha256State;
  // The backend works on its own state words (signed views of the same bit patterns).
  for (let i = 0; i < 8; i++) current[i] = state[i];
  backend.sha256Blocks(data, length);
  for (let i = 0; i < 8; i++) state[i] = current[i];
}

/** Reads 32 bytes as 8 big-endian words (CSHA256's midstate constructor). */
export function stateFromBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.length !== 32) throw new RangeError("a SHA-256 state is 32 bytes");
  const state = new Uint32Array(8);
  for (let i = 0; i < 8; i++) {
    state[i] = (bytes[4 * i] << 24) | (bytes[4 * i + 1] << 16) | (bytes[4 * i + 2] << 8) |
      bytes[4 * i + 3];
  }
  return state;
}

/** Writes 8 state words as 32 big-endian bytes (CSHA256::Midstate). */
export function stateToBytes(state: Uint32Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const word = state[i];
    out[4 * i] = word >>> 24;
    out[4 * i + 1] = (word >>> 16) & 0xff;
    out[4 * i + 2] = (word >>> 8) & 0xff;
    out[4 * i + 3] = word & 0xff;
  }
  return out;
}

/**
 * Incremental SHA-256 that can start from, and report, a midstate
 * (the reference's `CSHA256` with its midstate constructor and `Midstate()`).
 *
 * @example
 * ```ts
 * import { Sha256 } from "./sha256_midstate.ts";
 * const digest = new Sha256().write(new TextEncoder().encode("abc")).finalize();
 * console.assert(digest[0] === 0xba);
 * ```
 */
export class Sha256 {
  readonly #state: Uint32Array;
  readonly #buffer = new Uint8Array(64);
  #length: number;

  /**
   * Starts from `midstate` (32 bytes, default: the standard IV), having
   * already hashed `length` bytes of which the last `length % 64` are
   * `buffer`.
   */
  constructor(
    midstate?: Uint8Array,
    options: { buffer?: Uint8Array; length?: number } = {},
  ) {
    this.#state = midstate ? stateFromBytes(midstate) : new Uint32Array(SHA256_INITIAL_STATE);
    this.#length = options.length ?? 0;
    if (!Number.isSafeInteger(this.#length) || this.#length < 0) {
      throw new RangeError("invalid SHA-256 length");
    }
    const pending = this.#length % 64;
    if (pending > 0) {
      if (!options.buffer || options.buffer.length < pending) {
        throw new RangeError("SHA-256 midstate buffer shorter than length % 64");
      }
      this.#buffer.set(options.buffer.subarray(0, pending));
    }
  }

  /** Total number of bytes hashed so far. */
  get length(): number {
    return this.#length;
  }

  /** Feeds more data. */
  write(data: Uint8Array): this {
    let offset = 0;
    let pending = this.#length % 64;
    this.#length += data.length;
    if (pending > 0) {
      const take = Math.min(64 - pending, data.length);
      this.#buffer.set(data.subarray(0, take), pending);
      offset = take;
      pending += take;
      if (pending < 64) return this;
      sha256Compress(this.#state, this.#buffer);
    }
    const whole = (data.length - offset) & ~63;
    if (whole > 0) {
      compressRun(this.#state, offset === 0 ? data : data.subarray(offset), whole);
      offset += whole;
    }
    this.#buffer.set(data.subarray(offset), 0);
    return this;
  }

  /**
   * The current state as 32 big-endian bytes, without padding: the hash of
   * all complete 64-byte blocks so far.
   */
  midstate(): Uint8Array {
    return stateToBytes(this.#state);
  }

  /** Bytes written since the last complete block (`length % 64` of them). */
  pendingBytes(): Uint8Array {
    return this.#buffer.slice(0, this.#length % 64);
  }

  /** Pads, finishes and returns the 32-byte digest. The hasher is spent. */
  finalize(): Uint8Array {
    const bitLength = this.#length * 8;
    const pending = this.#length % 64;
    const padLength = pending < 56 ? 56 - pending : 120 - pending;
    const tail = new Uint8Array(padLength + 8);
    tail[0] = 0x80;
    const view = new DataView(tail.buffer);
    view.setUint32(padLength, Math.floor(bitLength / 0x100000000), false);
    view.setUint32(padLength + 4, bitLength >>> 0, false);
    this.write(tail);
    return stateToBytes(this.#state);
  }
}

// Scratch buffers below are module-level but never observable: every
// function fills them and reads them back synchronously before returning.

// A 64-byte message followed by its padding block (0x80, zeros, bit length 512).
const pairBlocks = new Uint8Array(128);
pairBlocks[64] = 0x80;
pairBlocks[126] = 0x02;
// A 32-byte digest followed by its padding (0x80, zeros, bit length 256).
const digestBlock = new Uint8Array(64);
digestBlock[32] = 0x80;
digestBlock[62] = 0x01;

/**
 * SHA256d of `left || right` (two 32-byte hashes), the node hash of the
 * transaction Merkle tree, computed with three compressions and no
 * allocation but the result: cheaper than two `node:crypto` calls for this
 * fixed size.
 *
 * @example
 * ```ts
 * import { sha256dPair } from "./sha256_midstate.ts";
 * console.assert(sha256dPair(new Uint8Array(32), new Uint8Array(32)).length === 32);
 * ```
 */
export function sha256dPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== 32 || right.length !== 32) {
    throw new RangeError("sha256dPair takes two 32-byte hashes");
  }
  pairBlocks.set(left, 0);
  pairBlocks.set(right, 32);
  const backend = hashBackend();
  const state = backend.sha256State;
  for (let i = 0; i < 8; i++) state[i] = SHA256_INITIAL_STATE[i];
  backend.sha256Blocks(pairBlocks, 128);
  // Second pass over the 32-byte digest.
  for (let i = 0; i < 8; i++) {
    const word = state[i];
    digestBlock[4 * i] = word >>> 24;
    digestBlock[4 * i + 1] = word >>> 16;
    digestBlock[4 * i + 2] = word >>> 8;
    digestBlock[4 * i + 3] = word;
  }
  for (let i = 0; i < 8; i++) state[i] = SHA256_INITIAL_STATE[i];
  backend.sha256Blocks(digestBlock, 64);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const word = state[i];
    out[4 * i] = word >>> 24;
    out[4 * i + 1] = word >>> 16;
    out[4 * i + 2] = word >>> 8;
    out[4 * i + 3] = word;
  }
  return out;
}
