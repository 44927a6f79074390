import { createHash } from "node:crypto";
import { sha256 } from "./sha256.ts";

/**
 * RIPEMD-160 of `data`, computed by `node:crypto`.
 *
 * @example
 * ```ts
 * import { ripemd160 } from "./ripemd160.ts";
 * console.assert(ripemd160(new Uint8Array()).length === 20);
 * ```
 */
export function ripemd160(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("ripemd160").update(data).digest());
}

/**
 * RIPEMD160(SHA256(data)), the reference's `Hash160` (P2PKH, P2SH).
 *
 * @example
 * ```ts
 * import { hash160 } from "./ripemd160.ts";
 * console.assert(hash160(new Uint8Array()).length === 20);
 * ```
 */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}
