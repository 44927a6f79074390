// Hash helpers used by the address, key and descriptor code until kernel/hash lands.
import { createHash } from "node:crypto";

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

/** Double SHA-256 (`Hash` / `CHash256` in the reference). */
export function sha256d(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/** RIPEMD-160 of `data`. */
export function ripemd160(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("ripemd160").update(data).digest());
}

/** RIPEMD-160 of SHA-256 (`Hash160`). */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}

/** HMAC-SHA512, used by BIP32. */
export function hmacSha512(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha512", key).update(data).digest());
}

import { createHmac } from "node:crypto";
