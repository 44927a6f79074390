import { utf8Encode } from "./_utf8.ts";
import type { ChainPrefixes } from "../address/chain_prefixes.ts";
import { bytesToHex, hexToBytes } from "../encoding/mod.ts";
import { hash160 } from "../hash/mod.ts";
import {
  decodeExtKey,
  decodeExtPubKey,
  deriveExtKey,
  deriveExtPubKey,
  encodeExtKey,
  encodeExtPubKey,
  type ExtKey,
  type ExtPubKey,
  neuterExtKey,
} from "../keys/bip32.ts";
import { formatHDKeypath, HARDENED } from "../keys/key_path.ts";
import { decodeSecret, encodeSecret, type WifKey } from "../keys/wif.ts";
import type { Secp256k1 } from "../secp256k1/mod.ts";
import { DescriptorError } from "./descriptor_error.ts";
import { isHexString, parseUInt32 } from "./_span.ts";

/** Where a key may appear, which decides whether uncompressed keys are allowed. */
export type ScriptContext = "top" | "p2sh" | "p2wpk" | "p2wsh";

/** How the last step of a BIP32 key expression is derived: fixed, `/*` or `/*'`. */
export type DeriveType = "none" | "unhardened" | "hardened";

/** A literal public key (hex) or a WIF private key. */
export interface ConstKey {
  readonly type: "const";
  readonly pubkey: Uint8Array;
  /** Present when the descriptor gave the private key (WIF). */
  readonly privateKey?: WifKey;
}

/** An xpub/xprv with a derivation path and an optional ranged last step. */
export interface Bip32Key {
  readonly type: "bip32";
  readonly root: ExtPubKey;
  /** The root's secret when the descriptor gave an xprv. */
  readonly rootSecret?: Uint8Array;
  readonly path: readonly number[];
  readonly derive: DeriveType;
  /** Whether `'` (true) or `h` (false) marks hardened steps in the output string. */
  readonly apostrophe: boolean;
}

/** A key with `[fingerprint/path]` origin information. */
export interface OriginKey {
  readonly type: "origin";
  readonly fingerprint: Uint8Array;
  readonly path: readonly number[];
  readonly inner: ConstKey | Bip32Key;
  readonly apostrophe: boolean;
}

/** A KEY expression of a descriptor (the reference's `PubkeyProvider`). */
export type KeyExpression = ConstKey | Bip32Key | OriginKey;

/** What parsing needs: the network's prefixes and a secp256k1 backend. */
export interface KeyParseContext {
  readonly prefixes: ChainPrefixes;
  readonly secp: Secp256k1;
}

/** Mutable flag shared by the origin and key path parsers, as in the reference. */
interface ApostropheFlag {
  value: boolean;
}

/** Parses the elements of a key path (the first element of `split` is skipped). */
function parseKeyPath(split: readonly string[], apostrophe: ApostropheFlag): number[] {
  const path: number[] = [];
  for (let i = 1; i < split.length; i++) {
    let elem = split[i];
    let hardened = false;
    const last = elem[elem.length - 1];
    if (last === "'" || last === "h") {
      elem = elem.slice(0, -1);
      hardened = true;
      apostrophe.value = last === "'";
    }
    const value = parseUInt32(elem);
    if (value === null) throw new DescriptorError(`Key path value '${elem}' is not a valid uint32`);
    if (value > 0x7fffffff) throw new DescriptorError(`Key path value ${value} is out of range`);
    path.push(hardened ? (value | HARDENED) >>> 0 : value);
  }
  return path;
}

/** Header byte and length agree (`CPubKey` construction succeeds). */
function hasConsistentLength(bytes: Uint8Array): boolean {
  if (bytes.length === 33) return bytes[0] === 2 || bytes[0] === 3;
  if (bytes.length === 65) return bytes[0] === 4 || bytes[0] === 6 || bytes[0] === 7;
  return false;
}

function parseHexKey(str: string, permitUncompressed: boolean, secp: Secp256k1): ConstKey {
  const bytes = hexToBytes(str);
  if (hasConsistentLength(bytes) && (bytes[0] === 6 || bytes[0] === 7)) {
    throw new DescriptorError("Hybrid public keys are not allowed");
  }
  if (hasConsistentLength(bytes) && secp.normalizePublicKey(bytes, bytes.length === 33) !== null) {
    if (permitUncompressed || bytes.length === 33) return { type: "const", pubkey: bytes };
    throw new DescriptorError("Uncompressed keys are not allowed");
  }
  throw new DescriptorError(`Pubkey '${str}' is invalid`);
}

/** A key without origin information (`ParsePubkeyInner`). */
function parseInnerKey(
  text: string,
  context: ScriptContext,
  parse: KeyParseContext,
  apostrophe: ApostropheFlag,
): ConstKey | Bip32Key {
  const permitUncompressed = context === "top" || context === "p2sh";
  const split = text.split("/");
  const str = split[0];
  if (str === "") throw new DescriptorError("No key provided");
  if (split.length === 1) {
    if (isHexString(str)) return parseHexKey(str, permitUncompressed, parse.secp);
    const wif = decodeSecret(str, parse.prefixes);
    if (wif !== null) {
      if (!permitUncompressed && !wif.compressed) {
        throw new DescriptorError("Uncompressed keys are not allowed");
      }
      const pubkey = parse.secp.publicKeyFromSecret(wif.secret, wif.compressed);
      return { type: "const", pubkey, privateKey: wif };
    }
  }
  const extKey = decodeExtKey(str, parse.prefixes);
  const extPubKey = extKey === null ? decodeExtPubKey(str, parse.prefixes, parse.secp) : null;
  if (extKey === null && extPubKey === null) {
    throw new DescriptorError(`key '${str}' is not valid`);
  }
  let derive: DeriveType = "none";
  const last = split[split.length - 1];
  if (last === "*") {
    split.pop();
    derive = "unhardened";
  } else if (last === "*'" || last === "*h") {
    apostrophe.value = last === "*'";
    split.pop();
    derive = "hardened";
  }
  const path = parseKeyPath(split, apostrophe);
  const root = extKey !== null ? neuterExtKey(extKey, parse.secp) : extPubKey!;
  return {
    type: "bip32",
    root,
    ...(extKey !== null ? { rootSecret: extKey.secret } : {}),
    path,
    derive,
    apostrophe: apostrophe.value,
  };
}

/**
 * Parses a KEY expression: hex public key, WIF, or xpub/xprv with path, optionally preceded by
 * `[fingerprint/path]` (`ParsePubkey`). Throws {@link DescriptorError} with freicoind's message.
 */
export function parseKeyExpression(
  text: string,
  context: ScriptContext,
  parse: KeyParseContext,
): KeyExpression {
  const originSplit = text.split("]");
  if (originSplit.length > 2) {
    throw new DescriptorError("Multiple ']' characters found for a single pubkey");
  }
  const apostrophe: ApostropheFlag = { value: false };
  if (originSplit.length === 1) return parseInnerKey(text, context, parse, apostrophe);
  const origin = originSplit[0];
  if (origin === "" || origin[0] !== "[") {
    const got = origin === "" ? "]" : origin[0];
    throw new DescriptorError(
      `Key origin start '[ character expected but not found, got '${got}' instead`,
    );
  }
  const slashSplit = origin.slice(1).split("/");
  const fingerprintHex = slashSplit[0];
  const fingerprintBytes = utf8Encode(fingerprintHex).length;
  if (fingerprintBytes !== 8) {
    throw new DescriptorError(
      `Fingerprint is not 4 bytes (${fingerprintBytes} characters instead of 8 characters)`,
    );
  }
  if (!isHexString(fingerprintHex)) {
    throw new DescriptorError(`Fingerprint '${fingerprintHex}' is not hex`);
  }
  const path = parseKeyPath(slashSplit, apostrophe);
  const inner = parseInnerKey(originSplit[1], context, parse, apostrophe);
  return {
    type: "origin",
    fingerprint: hexToBytes(fingerprintHex),
    path,
    inner,
    apostrophe: apostrophe.value,
  };
}

/** True when the key stands for many keys (`/*` or `/*'`). */
export function isRangeKey(key: KeyExpression): boolean {
  if (key.type === "origin") return isRangeKey(key.inner);
  return key.type === "bip32" && key.derive !== "none";
}

/** Size of the public keys this expression yields (33 or 65). */
export function keySize(key: KeyExpression): number {
  if (key.type === "origin") return keySize(key.inner);
  return key.type === "bip32" ? 33 : key.pubkey.length;
}

/** True when the expression carries private key material (WIF or xprv). */
export function hasPrivateKey(key: KeyExpression): boolean {
  if (key.type === "origin") return hasPrivateKey(key.inner);
  return key.type === "bip32" ? key.rootSecret !== undefined : key.privateKey !== undefined;
}

function rangeSuffix(key: Bip32Key, apostrophe: boolean): string {
  if (key.derive === "none") return "";
  return key.derive === "hardened" ? (apostrophe ? "/*'" : "/*h") : "/*";
}

/**
 * The public form of a key expression as `getdescriptorinfo` prints it. With `compat`, hardened
 * steps always use `'` (the frozen form behind descriptor ids).
 */
export function keyToString(key: KeyExpression, prefixes: ChainPrefixes, compat = false): string {
  switch (key.type) {
    case "const":
      return bytesToHex(key.pubkey);
    case "bip32": {
      const apostrophe = compat || key.apostrophe;
      return encodeExtPubKey(key.root, prefixes) + formatHDKeypath(key.path, apostrophe) +
        rangeSuffix(key, apostrophe);
    }
    case "origin": {
      const apostrophe = compat || key.apostrophe;
      return `[${bytesToHex(key.fingerprint)}${formatHDKeypath(key.path, apostrophe)}]` +
        keyToString(key.inner, prefixes, compat);
    }
  }
}

/** The private form (WIF/xprv in place of public keys), or null without private keys. */
export function keyToPrivateString(key: KeyExpression, prefixes: ChainPrefixes): string | null {
  switch (key.type) {
    case "const":
      return key.privateKey ? encodeSecret(key.privateKey, prefixes) : null;
    case "bip32": {
      if (key.rootSecret === undefined) return null;
      const ext: ExtKey = { ...key.root, secret: key.rootSecret };
      return encodeExtKey(ext, prefixes) + formatHDKeypath(key.path, key.apostrophe) +
        rangeSuffix(key, key.apostrophe);
    }
    case "origin": {
      const inner = keyToPrivateString(key.inner, prefixes);
      if (inner === null) return null;
      return `[${bytesToHex(key.fingerprint)}${formatHDKeypath(key.path, key.apostrophe)}]${inner}`;
    }
  }
}

/**
 * The normalized form `listdescriptors` prints (`ToNormalizedString`): an xpub/xprv with hardened
 * steps is replaced by the xpub at its last hardened step, with that step moved into the origin,
 * and `h` marks hardened steps. Null when that needs a private key the expression lacks.
 */
export function keyToNormalizedString(
  key: KeyExpression,
  prefixes: ChainPrefixes,
  secp: Secp256k1,
): string | null {
  switch (key.type) {
    case "const":
      return bytesToHex(key.pubkey);
    case "bip32":
      return bip32ToNormalizedString(key, prefixes, secp);
    case "origin": {
      const inner = keyToNormalizedString(key.inner, prefixes, secp);
      if (inner === null) return null;
      const origin = bytesToHex(key.fingerprint) + formatHDKeypath(key.path, false);
      // An inner origin (from a hardened xpub path) continues ours: drop its "[fingerprint".
      return inner[0] === "[" ? `[${origin}${inner.slice(9)}` : `[${origin}]${inner}`;
    }
  }
}

function bip32ToNormalizedString(
  key: Bip32Key,
  prefixes: ChainPrefixes,
  secp: Secp256k1,
): string | null {
  if (key.derive === "hardened") {
    return encodeExtPubKey(key.root, prefixes) + formatHDKeypath(key.path, false) +
      rangeSuffix(key, false);
  }
  let last = key.path.length - 1;
  while (last >= 0 && key.path[last] < HARDENED) last--;
  // No hardened step: the public form as written (the reference keeps its apostrophe style).
  if (last === -1) return keyToString(key, prefixes);
  if (key.rootSecret === undefined) return null;
  let ext: ExtKey | null = { ...key.root, secret: key.rootSecret };
  for (const index of key.path.slice(0, last + 1)) {
    ext = deriveExtKey(ext, index, secp);
    if (ext === null) return null;
  }
  const fingerprint = bytesToHex(hash160(key.root.pubkey).slice(0, 4));
  const origin = fingerprint + formatHDKeypath(key.path.slice(0, last + 1), false);
  return `[${origin}]` + encodeExtPubKey(neuterExtKey(ext, secp), prefixes) +
    formatHDKeypath(key.path.slice(last + 1), false) + rangeSuffix(key, false);
}

/** A derived public key with its origin (master fingerprint and full path). */
export interface DerivedKey {
  readonly pubkey: Uint8Array;
  readonly fingerprint: Uint8Array;
  readonly path: readonly number[];
}

function needsPrivateDerivation(key: Bip32Key): boolean {
  return key.derive === "hardened" || key.path.some((index) => index >= HARDENED);
}

function deriveBip32(key: Bip32Key, position: number, secp: Secp256k1): DerivedKey | null {
  const fingerprint = hash160(key.root.pubkey).slice(0, 4);
  const path = [...key.path];
  if (key.derive === "unhardened") path.push(position);
  if (key.derive === "hardened") path.push((position | HARDENED) >>> 0);
  if (needsPrivateDerivation(key)) {
    if (key.rootSecret === undefined) return null;
    let ext: ExtKey | null = { ...key.root, secret: key.rootSecret };
    for (const index of path) {
      ext = deriveExtKey(ext, index, secp);
      if (ext === null) return null;
    }
    return { pubkey: secp.publicKeyFromSecret(ext.secret, true), fingerprint, path };
  }
  let ext: ExtPubKey | null = key.root;
  for (const index of path) {
    ext = deriveExtPubKey(ext, index, secp);
    if (ext === null) return null;
  }
  return { pubkey: ext.pubkey, fingerprint, path };
}

/**
 * The public key at `position` (ignored for non-ranged keys), or null when it needs private
 * keys the descriptor does not have (hardened steps below an xpub).
 */
export function deriveKey(
  key: KeyExpression,
  position: number,
  secp: Secp256k1,
): DerivedKey | null {
  switch (key.type) {
    case "const":
      return { pubkey: key.pubkey, fingerprint: hash160(key.pubkey).slice(0, 4), path: [] };
    case "bip32":
      return deriveBip32(key, position, secp);
    case "origin": {
      const inner = deriveKey(key.inner, position, secp);
      if (inner === null) return null;
      return {
        pubkey: inner.pubkey,
        fingerprint: key.fingerprint,
        path: [...key.path, ...inner.path],
      };
    }
  }
}

/** The private key at `position`, when the expression has private key material. */
export function derivePrivateKey(
  key: KeyExpression,
  position: number,
  secp: Secp256k1,
): WifKey | null {
  switch (key.type) {
    case "const":
      return key.privateKey ?? null;
    case "origin":
      return derivePrivateKey(key.inner, position, secp);
    case "bip32": {
      if (key.rootSecret === undefined) return null;
      const path = [...key.path];
      if (key.derive === "unhardened") path.push(position);
      if (key.derive === "hardened") path.push((position | HARDENED) >>> 0);
      let ext: ExtKey | null = { ...key.root, secret: key.rootSecret };
      for (const index of path) {
        ext = deriveExtKey(ext, index, secp);
        if (ext === null) return null;
      }
      return { secret: ext.secret, compressed: true };
    }
  }
}
