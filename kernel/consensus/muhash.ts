/**
 * MuHash3072 (src/crypto/muhash.cpp): a set hash over the multiplicative group modulo
 * 2^3072 − 1103717, as `gettxoutsetinfo` computes with hash_type "muhash". Elements are
 * mapped to group elements by SHA-256, then 384 bytes of ChaCha20 keystream.
 */

import { sha256 } from "../hash/sha256.ts";
import { chacha20Keystream } from "./_chacha20.ts";

/** The prime modulus 2^3072 − 1103717. */
export const MUHASH_PRIME: bigint = (1n << 3072n) - 1103717n;
const BYTE_SIZE = 384;

function fromLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

function toLittleEndian(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** The group element of one set member (`ToNum3072`), as a number below 2^3072. */
export function muhashElement(data: Uint8Array): bigint {
  return fromLittleEndian(chacha20Keystream(sha256(data), BYTE_SIZE));
}

/**
 * A running MuHash3072: insert and remove set members in any order; the digest depends only
 * on the resulting multiset.
 *
 * @example
 * ```ts
 * import { MuHash3072 } from "./muhash.ts";
 * const a = new MuHash3072().insert(new Uint8Array([1])).insert(new Uint8Array([2]));
 * const b = new MuHash3072().insert(new Uint8Array([2])).insert(new Uint8Array([1]));
 * console.assert(a.digest().every((byte, i) => byte === b.digest()[i]));
 * ```
 */
export class MuHash3072 {
  #numerator = 1n;
  #denominator = 1n;

  /** Adds a member. */
  insert(data: Uint8Array): this {
    this.#numerator = (this.#numerator * muhashElement(data)) % MUHASH_PRIME;
    return this;
  }

  /** Removes a member. */
  remove(data: Uint8Array): this {
    this.#denominator = (this.#denominator * muhashElement(data)) % MUHASH_PRIME;
    return this;
  }

  /** Combines another accumulator into this one (`operator*=`). */
  combine(other: MuHash3072): this {
    this.#numerator = (this.#numerator * other.#numerator) % MUHASH_PRIME;
    this.#denominator = (this.#denominator * other.#denominator) % MUHASH_PRIME;
    return this;
  }

  /**
   * The 32-byte digest (`Finalize`): SHA-256 of numerator / denominator mod p, 384 bytes
   * little-endian. Internal byte order; display with hashToHex.
   */
  digest(): Uint8Array {
    const inverse = modPow(this.#denominator, MUHASH_PRIME - 2n, MUHASH_PRIME);
    const value = (this.#numerator * inverse) % MUHASH_PRIME;
    return sha256(toLittleEndian(value, BYTE_SIZE));
  }

  /** The 768-byte serialization: numerator then denominator, little-endian. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(2 * BYTE_SIZE);
    out.set(toLittleEndian(this.#numerator, BYTE_SIZE), 0);
    out.set(toLittleEndian(this.#denominator, BYTE_SIZE), BYTE_SIZE);
    return out;
  }
}
