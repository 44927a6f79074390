import { createHash } from "node:crypto";

/**
 * BIP340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || data), as the
 * reference's `TaggedHash(tag) << data` then `GetSHA256()`.
 *
 * @example
 * ```ts
 * import { taggedHash } from "./tagged_hash.ts";
 * console.assert(taggedHash("TapLeaf", new Uint8Array()).length === 32);
 * ```
 */
export function taggedHash(tag: string, data: Uint8Array): Uint8Array {
  const tagHash = createHash("sha256").update(new TextEncoder().encode(tag)).digest();
  return new Uint8Array(
    createHash("sha256").update(tagHash).update(tagHash).update(data).digest(),
  );
}
