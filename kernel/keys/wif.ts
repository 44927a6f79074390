import { decodeBase58Check, encodeBase58Check } from "../address/base58.ts";
import type { ChainPrefixes } from "../address/chain_prefixes.ts";
import { isValidSecretKey } from "./secret_key.ts";

/** A private key as WIF carries it: 32 secret bytes and whether its public key is compressed. */
export interface WifKey {
  readonly secret: Uint8Array;
  readonly compressed: boolean;
}

/**
 * Encodes a private key in Wallet Import Format (`EncodeSecret`): secret prefix, 32 bytes, and
 * a trailing `0x01` for compressed keys, Base58Check encoded.
 *
 * @example
 * ```ts
 * import { encodeSecret } from "./wif.ts";
 * import { MAIN_PREFIXES } from "../address/chain_prefixes.ts";
 * const secret = new Uint8Array(32); secret[31] = 1;
 * encodeSecret({ secret, compressed: true }, MAIN_PREFIXES);
 * // "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn"
 * ```
 */
export function encodeSecret(key: WifKey, prefixes: ChainPrefixes): string {
  if (!isValidSecretKey(key.secret)) throw new RangeError("invalid secret key");
  const prefix = prefixes.secretPrefix;
  const data = new Uint8Array(prefix.length + 32 + (key.compressed ? 1 : 0));
  data.set(prefix);
  data.set(key.secret, prefix.length);
  if (key.compressed) data[data.length - 1] = 1;
  return encodeBase58Check(data);
}

/**
 * Decodes a WIF private key for a network (`DecodeSecret`); `null` if the string is not a valid
 * key of that network (wrong prefix, length, compression flag, or a secret out of range).
 *
 * @example
 * ```ts
 * import { decodeSecret } from "./wif.ts";
 * import { MAIN_PREFIXES } from "../address/chain_prefixes.ts";
 * decodeSecret("KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn", MAIN_PREFIXES)?.compressed;
 * // true
 * ```
 */
export function decodeSecret(str: string, prefixes: ChainPrefixes): WifKey | null {
  const data = decodeBase58Check(str, 34);
  if (data === null) return null;
  const prefix = prefixes.secretPrefix;
  const compressed = data.length === prefix.length + 33 && data[data.length - 1] === 1;
  if (data.length !== prefix.length + 32 && !compressed) return null;
  if (!prefix.every((byte, i) => data[i] === byte)) return null;
  const secret = data.slice(prefix.length, prefix.length + 32);
  if (!isValidSecretKey(secret)) return null;
  return { secret, compressed };
}
