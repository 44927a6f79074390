import { createHash } from "node:crypto";

/**
 * SHA-256 of `data` (FIPS 180-4), computed by `node:crypto`.
 *
 * @example
 * ```ts
 * import { sha256 } from "./sha256.ts";
 * console.assert(sha256(new Uint8Array()).length === 32);
 * ```
 */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

/**
 * Double SHA-256, SHA256(SHA256(data)): txids, block hashes, Merkle nodes
 * (the reference's `Hash()` / `CHash256`). Returned in internal byte order;
 * display with `hashToHex`.
 *
 * @example
 * ```ts
 * import { sha256d } from "./sha256.ts";
 * console.assert(sha256d(new Uint8Array()).length === 32);
 * ```
 */
export function sha256d(data: Uint8Array): Uint8Array {
  const first = createHash("sha256").update(data).digest();
  return new Uint8Array(createHash("sha256").update(first).digest());
}

/** Alias of {@link sha256d} under the reference's other name (`Hash256`). */
export const hash256: (data: Uint8Array) => Uint8Array = sha256d;

/**
 * Double SHA-256 of the concatenation of `parts`, without building the
 * concatenation (used to hash a serialization from slices of a buffer).
 */
export function sha256dConcat(parts: readonly Uint8Array[]): Uint8Array {
  const hasher = createHash("sha256");
  for (const part of parts) hasher.update(part);
  return new Uint8Array(createHash("sha256").update(hasher.digest()).digest());
}
