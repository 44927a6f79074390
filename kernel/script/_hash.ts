// Hashes used by script opcodes; SHA-1 is only needed here (OP_SHA1 in legacy scripts).
import { createHash } from "node:crypto";
export { hash160, ripemd160, sha256, sha256d } from "../hash/mod.ts";

export function sha1(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(data).digest());
}
