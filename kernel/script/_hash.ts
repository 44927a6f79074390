// Hashes used by script validation: SHA-256, RIPEMD-160 and HASH160 from
// kernel/hash (TypeScript for short messages), and SHA-1, which only OP_SHA1
// in legacy scripts needs.
import { createHash } from "node:crypto";

export {
  hash160,
  ripemd160,
  ripemd160Into,
  sha256,
  SHA256_TS_LIMIT,
  sha256d,
  sha256dAfterBlockInto,
  sha256dInto,
  sha256FirstBlockState,
  sha256Into,
} from "../hash/mod.ts";

/** SHA-1 (OP_SHA1). */
export function sha1(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(data).digest());
}
