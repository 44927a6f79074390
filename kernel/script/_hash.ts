// Hashes used by script validation: short messages through the in-file
// SHA-256 (see _sha256_small.ts), RIPEMD-160 from kernel/hash, and SHA-1,
// which only OP_SHA1 in legacy scripts needs.
import { createHash } from "node:crypto";
import { ripemd160 } from "../hash/mod.ts";
import { sha256, sha256d } from "./_sha256_small.ts";

export { ripemd160, sha256, sha256d };

/** RIPEMD-160 of SHA-256 (`Hash160`). */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}

/** SHA-1 (OP_SHA1). */
export function sha1(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(data).digest());
}
