import { createHmac } from "node:crypto";
import { decodeBase58Check, encodeBase58Check } from "../address/base58.ts";
import type { ChainPrefixes } from "../address/chain_prefixes.ts";
import { hash160 } from "../hash/mod.ts";
import type { Secp256k1 } from "../secp256k1/mod.ts";
import { HARDENED } from "./key_path.ts";
import { isValidSecretKey } from "./secret_key.ts";

/** Length of a serialized extended key without its 4 version bytes (`BIP32_EXTKEY_SIZE`). */
export const BIP32_EXTKEY_SIZE = 74;

/** Fields shared by extended public and private keys. */
interface ExtKeyBase {
  /** 0 for a master key. */
  readonly depth: number;
  /** First four bytes of the parent's HASH160 key id; zero for a master key. */
  readonly parentFingerprint: Uint8Array;
  /** Index this key was derived with; >= 2^31 when hardened. */
  readonly childNumber: number;
  readonly chainCode: Uint8Array;
}

/** A BIP32 extended private key (`CExtKey`); keys are always compressed. */
export interface ExtKey extends ExtKeyBase {
  readonly secret: Uint8Array;
}

/** A BIP32 extended public key (`CExtPubKey`) with a 33-byte compressed public key. */
export interface ExtPubKey extends ExtKeyBase {
  readonly pubkey: Uint8Array;
}

/** HMAC key of BIP32 master key generation: the ASCII bytes of "Bitcoin seed". */
const BITCOIN_SEED = Uint8Array.from("Bitcoin seed", (c) => c.charCodeAt(0));

function hmacSha512(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha512", key).update(data).digest());
}

function writeHeader(out: Uint8Array, key: ExtKeyBase): void {
  out[0] = key.depth;
  out.set(key.parentFingerprint, 1);
  new DataView(out.buffer, out.byteOffset).setUint32(5, key.childNumber >>> 0, false);
  out.set(key.chainCode, 9);
}

function readHeader(code: Uint8Array): ExtKeyBase | null {
  const depth = code[0];
  const parentFingerprint = code.slice(1, 5);
  const childNumber = new DataView(code.buffer, code.byteOffset).getUint32(5, false);
  // A master key has neither a parent nor a child number.
  if (depth === 0 && (childNumber !== 0 || parentFingerprint.some((b) => b !== 0))) return null;
  return { depth, parentFingerprint, childNumber, chainCode: code.slice(9, 41) };
}

function withPrefix(prefix: readonly number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

function payload(str: string, prefix: readonly number[]): Uint8Array | null {
  const data = decodeBase58Check(str, 78);
  if (data === null || data.length !== BIP32_EXTKEY_SIZE + prefix.length) return null;
  if (!prefix.every((byte, i) => data[i] === byte)) return null;
  return data.subarray(prefix.length);
}

/** The 4-byte fingerprint of a public key: the start of its HASH160. */
export function keyFingerprint(pubkey: Uint8Array): Uint8Array {
  return hash160(pubkey).slice(0, 4);
}

/**
 * Serializes an extended private key (`EncodeExtKey`), e.g. `xprv…` / `tprv…`.
 *
 * @example
 * ```ts
 * import { decodeExtKey, encodeExtKey } from "./bip32.ts";
 * import { MAIN_PREFIXES } from "../address/chain_prefixes.ts";
 * const s = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
 * encodeExtKey(decodeExtKey(s, MAIN_PREFIXES)!, MAIN_PREFIXES) === s; // true
 * ```
 */
export function encodeExtKey(key: ExtKey, prefixes: ChainPrefixes): string {
  const code = new Uint8Array(BIP32_EXTKEY_SIZE);
  writeHeader(code, key);
  code.set(key.secret, 42);
  return encodeBase58Check(withPrefix(prefixes.extSec, code));
}

/** Parses an extended private key of a network (`DecodeExtKey`); `null` when invalid. */
export function decodeExtKey(str: string, prefixes: ChainPrefixes): ExtKey | null {
  const code = payload(str, prefixes.extSec);
  if (code === null) return null;
  const header = readHeader(code);
  if (header === null || code[41] !== 0) return null;
  const secret = code.slice(42, 74);
  if (!isValidSecretKey(secret)) return null;
  return { ...header, secret };
}

/** Serializes an extended public key (`EncodeExtPubKey`), e.g. `xpub…` / `tpub…`. */
export function encodeExtPubKey(key: ExtPubKey, prefixes: ChainPrefixes): string {
  const code = new Uint8Array(BIP32_EXTKEY_SIZE);
  writeHeader(code, key);
  code.set(key.pubkey, 41);
  return encodeBase58Check(withPrefix(prefixes.extPub, code));
}

/**
 * Parses an extended public key of a network (`DecodeExtPubKey`); `null` when the string, the
 * master-key fields or the public key (which must be a compressed curve point) are invalid.
 */
export function decodeExtPubKey(
  str: string,
  prefixes: ChainPrefixes,
  secp: Secp256k1,
): ExtPubKey | null {
  const code = payload(str, prefixes.extPub);
  if (code === null) return null;
  const header = readHeader(code);
  if (header === null) return null;
  const pubkey = code.slice(41, 74);
  if (pubkey[0] !== 2 && pubkey[0] !== 3) return null;
  if (secp.normalizePublicKey(pubkey, true) === null) return null;
  return { ...header, pubkey };
}

/** The master key of a seed (`CExtKey::SetSeed`, HMAC-SHA512 keyed with "Bitcoin seed"). */
export function extKeyFromSeed(seed: Uint8Array): ExtKey | null {
  const out = hmacSha512(BITCOIN_SEED, seed);
  const secret = out.slice(0, 32);
  if (!isValidSecretKey(secret)) return null;
  return {
    depth: 0,
    parentFingerprint: new Uint8Array(4),
    childNumber: 0,
    chainCode: out.slice(32),
    secret,
  };
}

/** The extended public key of an extended private key (`CExtKey::Neuter`). */
export function neuterExtKey(key: ExtKey, secp: Secp256k1): ExtPubKey {
  const { depth, parentFingerprint, childNumber, chainCode } = key;
  const pubkey = secp.publicKeyFromSecret(key.secret, true);
  return { depth, parentFingerprint, childNumber, chainCode, pubkey };
}

function childHmac(chainCode: Uint8Array, first: Uint8Array, index: number): Uint8Array {
  const data = new Uint8Array(37);
  data.set(first, 0);
  new DataView(data.buffer).setUint32(33, index >>> 0, false);
  return hmacSha512(chainCode, data);
}

/**
 * Derives child `index` of an extended private key (hardened when `index >= 2^31`).
 * Returns `null` at depth 255 or in the (negligible) case of an invalid child.
 */
export function deriveExtKey(key: ExtKey, index: number, secp: Secp256k1): ExtKey | null {
  if (key.depth === 255) return null;
  const pubkey = secp.publicKeyFromSecret(key.secret, true);
  let first: Uint8Array;
  if (index >>> 0 >= HARDENED) {
    first = new Uint8Array(33);
    first.set(key.secret, 1);
  } else {
    first = pubkey;
  }
  const out = childHmac(key.chainCode, first, index);
  const secret = secp.privateKeyTweakAdd(key.secret, out.subarray(0, 32));
  if (secret === null) return null;
  return {
    depth: key.depth + 1,
    parentFingerprint: keyFingerprint(pubkey),
    childNumber: index >>> 0,
    chainCode: out.slice(32),
    secret,
  };
}

/**
 * Derives non-hardened child `index` of an extended public key; `null` for a hardened index,
 * at depth 255, or for an invalid child.
 */
export function deriveExtPubKey(key: ExtPubKey, index: number, secp: Secp256k1): ExtPubKey | null {
  if (key.depth === 255 || index >>> 0 >= HARDENED) return null;
  const out = childHmac(key.chainCode, key.pubkey, index);
  const pubkey = secp.publicKeyTweakAdd(key.pubkey, out.subarray(0, 32), true);
  if (pubkey === null) return null;
  return {
    depth: key.depth + 1,
    parentFingerprint: keyFingerprint(key.pubkey),
    childNumber: index >>> 0,
    chainCode: out.slice(32),
    pubkey,
  };
}

/** Derives along a path of indices; `null` if any step fails. */
export function deriveExtKeyPath(
  key: ExtKey,
  path: readonly number[],
  secp: Secp256k1,
): ExtKey | null {
  let current: ExtKey | null = key;
  for (const index of path) {
    if (current === null) return null;
    current = deriveExtKey(current, index, secp);
  }
  return current;
}

/** Derives a public key along a path of non-hardened indices; `null` if any step fails. */
export function deriveExtPubKeyPath(
  key: ExtPubKey,
  path: readonly number[],
  secp: Secp256k1,
): ExtPubKey | null {
  let current: ExtPubKey | null = key;
  for (const index of path) {
    if (current === null) return null;
    current = deriveExtPubKey(current, index, secp);
  }
  return current;
}
