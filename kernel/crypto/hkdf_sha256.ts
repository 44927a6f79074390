/**
 * HKDF with HMAC-SHA256 (RFC 5869) limited to one 32-byte output block, as the reference's
 * `CHKDF_HMAC_SHA256_L32` (src/crypto/hkdf_sha256_32.h).
 *
 * @module
 */
import { createHmac } from "node:crypto";

/** HMAC-SHA256 of `data` under `key`. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(data).digest());
}

const encoder = new TextEncoder();

/** HKDF-SHA256 with L = 32: extract once, then expand any number of labels. */
export class HkdfSha256L32 {
  readonly #prk: Uint8Array;

  /** Extracts the pseudorandom key from input key material `ikm` and `salt`. */
  constructor(ikm: Uint8Array, salt: Uint8Array | string) {
    this.#prk = hmacSha256(typeof salt === "string" ? encoder.encode(salt) : salt, ikm);
  }

  /** The first 32 bytes of output keying material for `info` (T(1) = HMAC(PRK, info ‖ 0x01)). */
  expand32(info: Uint8Array | string): Uint8Array {
    const label = typeof info === "string" ? encoder.encode(info) : info;
    const data = new Uint8Array(label.length + 1);
    data.set(label);
    data[label.length] = 1;
    return hmacSha256(this.#prk, data);
  }
}
