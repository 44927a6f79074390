// Hash helpers for the secp256k1 backends (node:crypto is pure computation).
// TODO(kernel/hash): switch to kernel/hash once it exports sha256/hmacSha256.
import { createHash, createHmac } from "node:crypto";

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** BIP340 tagged hash: SHA256(SHA256(tag) ‖ SHA256(tag) ‖ data…). */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const tagHash = sha256(new TextEncoder().encode(tag));
  const h = createHash("sha256").update(tagHash).update(tagHash);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}
