/**
 * ChaCha20 (RFC 8439) as BIP324 uses it (`ChaCha20` / `FSChaCha20` in the reference's
 * src/crypto/chacha20.h): a 256-bit key, a 96-bit nonce given as a 32-bit and a 64-bit part,
 * and a 32-bit block counter that carries into the first nonce word.
 *
 * @module
 */

/** Key size in bytes. */
export const CHACHA20_KEY_SIZE = 32;
/** Keystream block size in bytes. */
export const CHACHA20_BLOCK_SIZE = 64;

/**
 * A 96-bit nonce: `[first, second]` with `first` a 32-bit word (state word 13) and `second` a
 * 64-bit integer (state words 14 and 15, little-endian), as the reference's `Nonce96`.
 */
export type Nonce96 = readonly [number, bigint];

// "expand 32-byte k"
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

/** Computes one keystream block of `input` (16 words) into `out` (16 words). */
function chachaBlock(input: Uint32Array, out: Uint32Array): void {
  let x0 = input[0], x1 = input[1], x2 = input[2], x3 = input[3];
  let x4 = input[4], x5 = input[5], x6 = input[6], x7 = input[7];
  let x8 = input[8], x9 = input[9], x10 = input[10], x11 = input[11];
  let x12 = input[12], x13 = input[13], x14 = input[14], x15 = input[15];
  for (let i = 0; i < 10; i++) {
    // column rounds
    x0 = (x0 + x4) | 0, x12 ^= x0, x12 = (x12 << 16) | (x12 >>> 16);
    x8 = (x8 + x12) | 0, x4 ^= x8, x4 = (x4 << 12) | (x4 >>> 20);
    x0 = (x0 + x4) | 0, x12 ^= x0, x12 = (x12 << 8) | (x12 >>> 24);
    x8 = (x8 + x12) | 0, x4 ^= x8, x4 = (x4 << 7) | (x4 >>> 25);
    x1 = (x1 + x5) | 0, x13 ^= x1, x13 = (x13 << 16) | (x13 >>> 16);
    x9 = (x9 + x13) | 0, x5 ^= x9, x5 = (x5 << 12) | (x5 >>> 20);
    x1 = (x1 + x5) | 0, x13 ^= x1, x13 = (x13 << 8) | (x13 >>> 24);
    x9 = (x9 + x13) | 0, x5 ^= x9, x5 = (x5 << 7) | (x5 >>> 25);
    x2 = (x2 + x6) | 0, x14 ^= x2, x14 = (x14 << 16) | (x14 >>> 16);
    x10 = (x10 + x14) | 0, x6 ^= x10, x6 = (x6 << 12) | (x6 >>> 20);
    x2 = (x2 + x6) | 0, x14 ^= x2, x14 = (x14 << 8) | (x14 >>> 24);
    x10 = (x10 + x14) | 0, x6 ^= x10, x6 = (x6 << 7) | (x6 >>> 25);
    x3 = (x3 + x7) | 0, x15 ^= x3, x15 = (x15 << 16) | (x15 >>> 16);
    x11 = (x11 + x15) | 0, x7 ^= x11, x7 = (x7 << 12) | (x7 >>> 20);
    x3 = (x3 + x7) | 0, x15 ^= x3, x15 = (x15 << 8) | (x15 >>> 24);
    x11 = (x11 + x15) | 0, x7 ^= x11, x7 = (x7 << 7) | (x7 >>> 25);
    // diagonal rounds
    x0 = (x0 + x5) | 0, x15 ^= x0, x15 = (x15 << 16) | (x15 >>> 16);
    x10 = (x10 + x15) | 0, x5 ^= x10, x5 = (x5 << 12) | (x5 >>> 20);
    x0 = (x0 + x5) | 0, x15 ^= x0, x15 = (x15 << 8) | (x15 >>> 24);
    x10 = (x10 + x15) | 0, x5 ^= x10, x5 = (x5 << 7) | (x5 >>> 25);
    x1 = (x1 + x6) | 0, x12 ^= x1, x12 = (x12 << 16) | (x12 >>> 16);
    x11 = (x11 + x12) | 0, x6 ^= x11, x6 = (x6 << 12) | (x6 >>> 20);
    x1 = (x1 + x6) | 0, x12 ^= x1, x12 = (x12 << 8) | (x12 >>> 24);
    x11 = (x11 + x12) | 0, x6 ^= x11, x6 = (x6 << 7) | (x6 >>> 25);
    x2 = (x2 + x7) | 0, x13 ^= x2, x13 = (x13 << 16) | (x13 >>> 16);
    x8 = (x8 + x13) | 0, x7 ^= x8, x7 = (x7 << 12) | (x7 >>> 20);
    x2 = (x2 + x7) | 0, x13 ^= x2, x13 = (x13 << 8) | (x13 >>> 24);
    x8 = (x8 + x13) | 0, x7 ^= x8, x7 = (x7 << 7) | (x7 >>> 25);
    x3 = (x3 + x4) | 0, x14 ^= x3, x14 = (x14 << 16) | (x14 >>> 16);
    x9 = (x9 + x14) | 0, x4 ^= x9, x4 = (x4 << 12) | (x4 >>> 20);
    x3 = (x3 + x4) | 0, x14 ^= x3, x14 = (x14 << 8) | (x14 >>> 24);
    x9 = (x9 + x14) | 0, x4 ^= x9, x4 = (x4 << 7) | (x4 >>> 25);
  }
  out[0] = x0 + input[0], out[1] = x1 + input[1], out[2] = x2 + input[2];
  out[3] = x3 + input[3], out[4] = x4 + input[4], out[5] = x5 + input[5];
  out[6] = x6 + input[6], out[7] = x7 + input[7], out[8] = x8 + input[8];
  out[9] = x9 + input[9], out[10] = x10 + input[10], out[11] = x11 + input[11];
  out[12] = x12 + input[12], out[13] = x13 + input[13], out[14] = x14 + input[14];
  out[15] = x15 + input[15];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The ChaCha20 stream cipher with a seekable position. Output continues across calls: two
 * calls of 10 and 54 bytes give the same keystream as one call of 64.
 */
export class ChaCha20 {
  readonly #state = new Uint32Array(16);
  readonly #block = new Uint32Array(16);
  readonly #blockBytes = new Uint8Array(this.#block.buffer);
  /** Unused keystream bytes left at the end of `#blockBytes`. */
  #buffered = 0;

  /** Creates a cipher keyed with `key` (32 bytes), positioned at nonce {0, 0}, block 0. */
  constructor(key: Uint8Array) {
    this.setKey(key);
  }

  /** Replaces the key and seeks to nonce {0, 0}, block 0. */
  setKey(key: Uint8Array): void {
    if (key.length !== CHACHA20_KEY_SIZE) throw new RangeError("ChaCha20 key must be 32 bytes");
    const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
    this.#state.set(SIGMA, 0);
    for (let i = 0; i < 8; i++) this.#state[4 + i] = view.getUint32(i * 4, true);
    this.seek([0, 0n], 0);
  }

  /** Moves to block `blockCounter` of the keystream for `nonce`. */
  seek(nonce: Nonce96, blockCounter: number): void {
    const s = this.#state;
    s[12] = blockCounter;
    s[13] = nonce[0];
    s[14] = Number(nonce[1] & 0xffffffffn);
    s[15] = Number((nonce[1] >> 32n) & 0xffffffffn);
    this.#buffered = 0;
  }

  /** Returns the next `length` bytes of keystream. */
  keystream(length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.#xorInto(out, out);
    return out;
  }

  /** XORs `input` with the keystream; returns a new array of the same length. */
  crypt(input: Uint8Array): Uint8Array {
    const out = new Uint8Array(input.length);
    this.#xorInto(input, out);
    return out;
  }

  #nextBlock(): void {
    chachaBlock(this.#state, this.#block);
    if (!LITTLE_ENDIAN) {
      const view = new DataView(this.#blockBytes.buffer);
      for (let i = 0; i < 16; i++) view.setUint32(i * 4, this.#block[i], true);
    }
    // The 32-bit block counter carries into nonce word 13 (the reference's behaviour past
    // 256 GiB of output).
    this.#state[12] = (this.#state[12] + 1) >>> 0;
    if (this.#state[12] === 0) this.#state[13] = (this.#state[13] + 1) >>> 0;
    this.#buffered = CHACHA20_BLOCK_SIZE;
  }

  #xorInto(input: Uint8Array, out: Uint8Array): void {
    const bytes = this.#blockBytes;
    let pos = 0;
    while (pos < input.length) {
      if (this.#buffered === 0) this.#nextBlock();
      const start = CHACHA20_BLOCK_SIZE - this.#buffered;
      const take = Math.min(this.#buffered, input.length - pos);
      for (let i = 0; i < take; i++) out[pos + i] = input[pos + i] ^ bytes[start + i];
      this.#buffered -= take;
      pos += take;
    }
  }
}

/**
 * BIP324's forward-secure ChaCha20 (`FSChaCha20`): every call to {@linkcode FSChaCha20.crypt}
 * is one chunk; after `rekeyInterval` chunks the next 32 keystream bytes become the new key
 * and the nonce moves to {0, rekey count}.
 */
export class FSChaCha20 {
  readonly #cipher: ChaCha20;
  readonly #rekeyInterval: number;
  #chunkCounter = 0;
  #rekeyCounter = 0n;

  /** Creates the cipher; BIP324 uses a `rekeyInterval` of 224. */
  constructor(key: Uint8Array, rekeyInterval: number) {
    if (!(rekeyInterval > 0)) throw new RangeError("rekey interval must be positive");
    this.#cipher = new ChaCha20(key);
    this.#rekeyInterval = rekeyInterval;
  }

  /** Encrypts or decrypts one chunk. */
  crypt(input: Uint8Array): Uint8Array {
    const out = this.#cipher.crypt(input);
    if (++this.#chunkCounter === this.#rekeyInterval) {
      const newKey = this.#cipher.keystream(CHACHA20_KEY_SIZE);
      this.#chunkCounter = 0;
      this.#rekeyCounter++;
      this.#cipher.setKey(newKey);
      this.#cipher.seek([0, this.#rekeyCounter], 0);
    }
    return out;
  }
}
