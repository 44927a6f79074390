// A SHA-256 written out in TypeScript because the fast Merkle tree and
// merge-mining proofs need what no Web or node API exposes: the raw
// compression function, starting from an arbitrary midstate, and the state
// after a block without padding.
import { compressBlock } from "./_sha256_block.ts";

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

const scratchState = new Int32Array(8);
const scratchUnsigned = new Uint32Array(scratchState.buffer);

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
  // The unrolled compressor works on signed words; the bit patterns are the same.
  scratchState.set(state);
  compressBlock(scratchState, block, offset);
  state.set(scratchUnsigned);
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
    while (data.length - offset >= 64) {
      sha256Compress(this.#state, data, offset);
      offset += 64;
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

// Padding block for a 64-byte message: 0x80, zeros, bit length 512.
const PAD_AFTER_64 = new Uint8Array(64);
PAD_AFTER_64[0] = 0x80;
PAD_AFTER_64[62] = 0x02;
const pairBlock = new Uint8Array(64);
const digestBlock = new Uint8Array(64);
const pairState = new Uint32Array(8);

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
  pairBlock.set(left, 0);
  pairBlock.set(right, 32);
  pairState.set(SHA256_INITIAL_STATE);
  sha256Compress(pairState, pairBlock);
  sha256Compress(pairState, PAD_AFTER_64);
  // Second pass over the 32-byte digest: digest, 0x80, zeros, bit length 256.
  for (let i = 0; i < 8; i++) {
    const word = pairState[i];
    digestBlock[4 * i] = word >>> 24;
    digestBlock[4 * i + 1] = (word >>> 16) & 0xff;
    digestBlock[4 * i + 2] = (word >>> 8) & 0xff;
    digestBlock[4 * i + 3] = word & 0xff;
  }
  digestBlock.fill(0, 32);
  digestBlock[32] = 0x80;
  digestBlock[62] = 0x01;
  pairState.set(SHA256_INITIAL_STATE);
  sha256Compress(pairState, digestBlock);
  return stateToBytes(pairState);
}
