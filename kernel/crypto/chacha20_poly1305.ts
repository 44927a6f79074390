/**
 * The ChaCha20-Poly1305 AEAD (RFC 8439 §2.8) and BIP324's forward-secure wrapper around it
 * (`AEADChaCha20Poly1305` / `FSChaCha20Poly1305`, src/crypto/chacha20poly1305.h). The tag is
 * appended to the ciphertext.
 *
 * @module
 */
import { ChaCha20, type Nonce96 } from "./chacha20.ts";
import { Poly1305, POLY1305_TAG_SIZE } from "./poly1305.ts";

/** Bytes an encryption adds: the Poly1305 tag. */
export const AEAD_EXPANSION = POLY1305_TAG_SIZE;

const ZERO_PAD = new Uint8Array(16);

/** The RFC 8439 tag over `aad` and `ciphertext`, with the one-time key from block 0. */
function computeTag(
  cipher: ChaCha20,
  nonce: Nonce96,
  aad: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  cipher.seek(nonce, 0);
  const polyKey = cipher.keystream(32);
  const lengths = new Uint8Array(16);
  const view = new DataView(lengths.buffer);
  view.setBigUint64(0, BigInt(aad.length), true);
  view.setBigUint64(8, BigInt(ciphertext.length), true);
  return new Poly1305(polyKey)
    .update(aad)
    .update(ZERO_PAD.subarray(0, (16 - (aad.length % 16)) % 16))
    .update(ciphertext)
    .update(ZERO_PAD.subarray(0, (16 - (ciphertext.length % 16)) % 16))
    .update(lengths)
    .finish();
}

/** Constant-time comparison of two equal-length byte arrays. */
function tagsEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** ChaCha20-Poly1305 with a fixed key and a caller-chosen nonce per message. */
export class AeadChaCha20Poly1305 {
  readonly #cipher: ChaCha20;

  /** Creates the AEAD for a 32-byte key. */
  constructor(key: Uint8Array) {
    this.#cipher = new ChaCha20(key);
  }

  /** Replaces the key. */
  setKey(key: Uint8Array): void {
    this.#cipher.setKey(key);
  }

  /** Returns `ciphertext ‖ tag` for `plaintext` (which may be given in several parts). */
  encrypt(
    plaintext: Uint8Array | readonly Uint8Array[],
    aad: Uint8Array,
    nonce: Nonce96,
  ): Uint8Array {
    const parts = plaintext instanceof Uint8Array ? [plaintext] : plaintext;
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const out = new Uint8Array(length + AEAD_EXPANSION);
    this.#cipher.seek(nonce, 1);
    let pos = 0;
    for (const part of parts) {
      out.set(this.#cipher.crypt(part), pos);
      pos += part.length;
    }
    out.set(computeTag(this.#cipher, nonce, aad, out.subarray(0, length)), length);
    return out;
  }

  /** Returns the plaintext of `ciphertext ‖ tag`, or `null` when authentication fails. */
  decrypt(input: Uint8Array, aad: Uint8Array, nonce: Nonce96): Uint8Array | null {
    if (input.length < AEAD_EXPANSION) return null;
    const length = input.length - AEAD_EXPANSION;
    const ciphertext = input.subarray(0, length);
    const tag = computeTag(this.#cipher, nonce, aad, ciphertext);
    if (!tagsEqual(tag, input.subarray(length))) return null;
    this.#cipher.seek(nonce, 1);
    return this.#cipher.crypt(ciphertext);
  }

  /** The keystream for `nonce` from block 1 (block 0 keys Poly1305). */
  keystream(nonce: Nonce96, length: number): Uint8Array {
    this.#cipher.seek(nonce, 1);
    return this.#cipher.keystream(length);
  }
}

/**
 * BIP324's forward-secure AEAD: the nonce is {packet counter, rekey counter}, and after
 * `rekeyInterval` packets the key is replaced by 32 bytes of keystream at nonce
 * {0xffffffff, rekey counter}.
 */
export class FSChaCha20Poly1305 {
  readonly #aead: AeadChaCha20Poly1305;
  readonly #rekeyInterval: number;
  #packetCounter = 0;
  #rekeyCounter = 0n;

  /** Creates the AEAD; BIP324 uses a `rekeyInterval` of 224. */
  constructor(key: Uint8Array, rekeyInterval: number) {
    if (!(rekeyInterval > 0)) throw new RangeError("rekey interval must be positive");
    this.#aead = new AeadChaCha20Poly1305(key);
    this.#rekeyInterval = rekeyInterval;
  }

  /** Encrypts the next packet; returns `ciphertext ‖ tag`. */
  encrypt(plaintext: Uint8Array | readonly Uint8Array[], aad: Uint8Array): Uint8Array {
    const out = this.#aead.encrypt(plaintext, aad, this.#nonce());
    this.#nextPacket();
    return out;
  }

  /**
   * Decrypts the next packet; `null` when authentication fails. The packet counter advances
   * either way, as in the reference.
   */
  decrypt(input: Uint8Array, aad: Uint8Array): Uint8Array | null {
    const out = this.#aead.decrypt(input, aad, this.#nonce());
    this.#nextPacket();
    return out;
  }

  #nonce(): Nonce96 {
    return [this.#packetCounter, this.#rekeyCounter];
  }

  #nextPacket(): void {
    if (++this.#packetCounter !== this.#rekeyInterval) return;
    const newKey = this.#aead.keystream([0xffffffff, this.#rekeyCounter], 32);
    this.#aead.setKey(newKey);
    this.#packetCounter = 0;
    this.#rekeyCounter++;
  }
}
