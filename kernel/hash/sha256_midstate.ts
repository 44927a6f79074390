// A SHA-256 written out in TypeScript because the fast Merkle tree and
// merge-mining proofs need what no Web or node API exposes: the raw
// compression function, starting from an arbitrary midstate, and the state
// after a block without padding.

const K = new Uint32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

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

const schedule = new Uint32Array(64);

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
  const w = schedule;
  for (let i = 0; i < 16; i++) {
    const j = offset + 4 * i;
    w[i] = (block[j] << 24) | (block[j + 1] << 16) | (block[j + 2] << 8) | block[j + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0], b = state[1], c = state[2], d = state[3];
  let e = state[4], f = state[5], g = state[6], h = state[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + s1 + ch + K[i] + w[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (s0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
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
