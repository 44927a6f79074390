// Hash helpers for the secp256k1 backends. HMAC-SHA256 (RFC6979) is not in
// kernel/hash, so it comes from node:crypto (pure computation, no I/O).
import { createHmac } from "node:crypto";
import { taggedHash as taggedHashOne } from "../hash/mod.ts";

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** BIP340 tagged hash of the concatenated parts. */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const data = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return taggedHashOne(tag, data);
}
