/**
 * One descriptor of a wallet and the scripts it produces (freicoind's
 * `DescriptorScriptPubKeyMan`): the range of derived positions, the next unused position, the
 * keypool top-up, and what a signer needs at a position.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import {
  type ChainPrefixes,
  payToPubKeyScript,
  pkHashOf,
  scriptForDestination,
  witnessV0ShortHashOf,
  witnessV0ShortHashOfPubKey,
} from "../../kernel/address/mod.ts";
import {
  type Bip32Key,
  type Descriptor,
  type DescriptorInferenceProvider,
  emptySigningData,
  inferDescriptor,
  parseDescriptor,
  type SigningData,
} from "../../kernel/descriptor/mod.ts";
import { bytesToHex, hexToBytes } from "../../kernel/encoding/mod.ts";
import { hash160 } from "../../kernel/hash/mod.ts";
import {
  deriveExtKey,
  deriveExtKeyPath,
  deriveExtPubKey,
  deriveExtPubKeyPath,
  type ExtKey,
  type ExtPubKey,
  HARDENED,
  type WifKey,
} from "../../kernel/keys/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import type { DescriptorRow } from "./wallet_database.ts";

/** What a descriptor manager needs to parse and derive. */
export interface DescriptorContext {
  readonly prefixes: ChainPrefixes;
  readonly secp: Secp256k1;
}

/** A script derived at a position, to be stored. */
export interface DerivedScript {
  readonly script: Uint8Array;
  readonly position: number;
}

/** One wallet descriptor with its derived scripts. */
export class DescriptorManager {
  /** The stored row (range, next index, activity). */
  row: DescriptorRow;
  /** The descriptor as stored (with private keys when it has them). */
  readonly descriptor: Descriptor;
  /** The public form used for deriving scripts (hardened steps folded into the origin). */
  readonly #expander: Descriptor;
  /** Derived scripts by hex, with their positions. */
  readonly scripts = new Map<string, number>();
  readonly #context: DescriptorContext;
  readonly #privateText: string | undefined;
  readonly #signingData = new Map<number, SigningData | null>();
  /** The extended key ranged positions derive from (undefined: not computed yet). */
  #parent: ExtPubKey | null | undefined;
  /** The extended private key hardened ranged positions derive from (undefined: not yet). */
  #privateParent: ExtKey | null | undefined;

  /** Wraps a stored row; `privateText` is the private descriptor when it is kept apart. */
  constructor(row: DescriptorRow, context: DescriptorContext, privateText?: string) {
    this.row = row;
    this.#context = context;
    this.#privateText = privateText;
    this.descriptor = parseDescriptor(privateText ?? row.descriptor, context);
    const normalized = row.derivation ?? this.descriptor.toNormalizedString();
    this.#expander = normalized === null ? this.descriptor : parseDescriptor(normalized, context);
    if (row.derivation === null && normalized !== null) {
      this.row = { ...row, derivation: normalized };
    }
  }

  /** The secp256k1 backend its keys derive with. */
  get secp(): Secp256k1 {
    return this.#context.secp;
  }

  /** The descriptor id, hex. */
  get idHex(): string {
    return bytesToHex(this.row.id);
  }

  /** Whether the descriptor has a `*` position. */
  get isRange(): boolean {
    return this.descriptor.isRange;
  }

  /** Whether private keys are available (not the case for watch-only or locked wallets). */
  get hasPrivateKeys(): boolean {
    return this.descriptor.hasPrivateKeys;
  }

  /** The public descriptor with checksum (`parent_descs`). */
  publicString(): string {
    this.#publicString ??= this.descriptor.toString();
    return this.#publicString;
  }

  #publicString: string | undefined;
  readonly #inferred = new Map<string, string | null>();

  /** The inferred descriptor text of one of its scripts, with checksum (cached). */
  inferredString(script: Uint8Array): string | null {
    const key = bytesToHex(script);
    let text = this.#inferred.get(key);
    if (text === undefined) {
      const inferred = this.inferFor(script);
      text = inferred !== null && inferred.isSolvable ? inferred.toString() : null;
      this.#inferred.set(key, text);
    }
    return text;
  }

  /** The normalized public descriptor (`listdescriptors`). */
  normalizedString(): string {
    return this.descriptor.toNormalizedString() ?? this.row.derivation ??
      this.descriptor.toString();
  }

  /** The private descriptor, or null without private keys. */
  privateString(): string | null {
    // Some private keys only: the text it was made from carries them (see Wallet.addDescriptor).
    return this.descriptor.toPrivateString() ??
      (this.descriptor.hasPrivateKeys ? this.#privateText ?? this.row.descriptor : null);
  }

  /** Records already-derived scripts (from the database cache). */
  addKnownScript(script: Uint8Array, position: number): void {
    this.scripts.set(bytesToHex(script), position);
  }

  /**
   * Derives scripts so that positions up to `nextIndex + keypool` exist (freicoind's
   * `TopUp`); returns the new ones. Non-ranged descriptors derive position 0 once.
   */
  topUp(keypool: number): DerivedScript[] {
    const derived: DerivedScript[] = [];
    const row = this.row;
    const end = this.isRange ? Math.max(row.rangeEnd, row.nextIndex + Math.max(keypool, 1)) : 1;
    const knownPositions = new Set(this.scripts.values());
    let reached = end;
    for (let position = row.rangeStart; position < end; position++) {
      if (knownPositions.has(position)) continue;
      let scripts = this.#fastScripts(position);
      let fromPrivate = false;
      const fast = scripts === null && this.hasPrivateKeys ? this.#fastHardened(position) : null;
      if (fast !== null) {
        scripts = fast.scripts;
        this.#signingData.set(position, fast.signingData);
      } else if (scripts === null && this.#expander === this.descriptor && this.hasPrivateKeys) {
        // One expansion gives both the scripts and the signing data kept below.
        const expanded = this.descriptor.expandWithSigningData(position);
        scripts = expanded?.scripts ?? null;
        if (expanded) this.#signingData.set(position, expanded.signingData);
        fromPrivate = expanded !== null;
      } else if (scripts === null) {
        scripts = this.#expander.expand(position);
        fromPrivate = scripts !== null && this.#expander === this.descriptor && this.hasPrivateKeys;
      }
      if (scripts === null && this.#expander !== this.descriptor) {
        const expanded = this.descriptor.expandWithSigningData(position);
        scripts = expanded?.scripts ?? null;
        if (expanded) this.#signingData.set(position, expanded.signingData);
      }
      if (scripts === null) {
        // Hardened steps need the private keys (a locked wallet): the range stops here.
        reached = position;
        break;
      }
      for (const script of scripts) {
        this.scripts.set(bytesToHex(script), position);
        derived.push({ script, position });
      }
      // Derived with the private keys (hardened steps after the last key): the keys and
      // origins of the position can only be derived now, so keep them for when the wallet is
      // locked (freicoind's descriptor cache).
      if (fromPrivate) this.signingData(position);
    }
    if (this.isRange) this.row = { ...row, rangeEnd: Math.max(row.rangeEnd, reached) };
    return derived;
  }

  /**
   * The script at `position` of a `pkh(xpub/.../*)` or `wpk(xpub/.../*)` descriptor, derived
   * from the cached parent key with a single public derivation (what freicoind's descriptor
   * cache achieves); null for other descriptors.
   */
  #fastScripts(position: number): Uint8Array[] | null {
    const node = this.#expander.node;
    if (node.type !== "pkh" && node.type !== "wpk") return null;
    const key = node.key.type === "origin" ? node.key.inner : node.key;
    if (key.type !== "bip32" || key.derive !== "unhardened") return null;
    if (this.#parent === undefined) {
      this.#parent = deriveExtPubKeyPath(key.root, key.path, this.#context.secp);
    }
    if (this.#parent === null) return null;
    const child = deriveExtPubKey(this.#parent, position, this.#context.secp);
    if (child === null) return null;
    const destination = node.type === "pkh"
      ? pkHashOf(child.pubkey)
      : witnessV0ShortHashOfPubKey(child.pubkey);
    return [scriptForDestination(destination)];
  }

  /**
   * Scripts and signing data at hardened `position` of `pkh(xprv/…/*h)` or `wpk(xprv/…/*h)`:
   * the parent extended key is derived once and kept, so a position costs one hardened step
   * and one public key instead of the whole path (freicoind's descriptor cache). Null for
   * other descriptors.
   */
  #fastHardened(position: number): { scripts: Uint8Array[]; signingData: SigningData } | null {
    const node = this.descriptor.node;
    if (node.type !== "pkh" && node.type !== "wpk") return null;
    const origin = node.key.type === "origin" ? node.key : null;
    const key = origin !== null ? origin.inner : node.key;
    if (key.type !== "bip32" || key.derive !== "hardened" || key.rootSecret === undefined) {
      return null;
    }
    const secp = this.#context.secp;
    const parent = this.#parentPrivateKey(key, key.rootSecret);
    if (parent === null) return null;
    const index = (position | HARDENED) >>> 0;
    // BIP32 hardened child: HMAC-SHA512(chain code, 0x00 ‖ secret ‖ index), left half tweaks.
    const data = new Uint8Array(37);
    data.set(parent.secret, 1);
    new DataView(data.buffer).setUint32(33, index, false);
    const mac = new Uint8Array(createHmac("sha512", parent.chainCode).update(data).digest());
    const secret = secp.privateKeyTweakAdd(parent.secret, mac.subarray(0, 32));
    if (secret === null) return null;
    const pubkey = secp.publicKeyFromSecret(secret, true);
    const keyId = bytesToHex(hash160(pubkey));
    const signingData = emptySigningData();
    signingData.pubkeys.set(keyId, pubkey);
    signingData.origins.set(keyId, {
      pubkey,
      fingerprint: origin !== null ? origin.fingerprint : hash160(key.root.pubkey).slice(0, 4),
      path: [...origin?.path ?? [], ...key.path, index],
    });
    if (node.type === "pkh") {
      return { scripts: [scriptForDestination(pkHashOf(pubkey))], signingData };
    }
    const p2pk = payToPubKeyScript(pubkey);
    const destination = witnessV0ShortHashOf(0, p2pk);
    signingData.witnessScripts.set(bytesToHex(destination.hash), Uint8Array.of(0, ...p2pk));
    return { scripts: [scriptForDestination(destination)], signingData };
  }

  /** The scripts at `position`: from the cached parent key, the public form, or the private one. */
  #expand(position: number): Uint8Array[] | null {
    return this.#fastScripts(position) ?? this.#fastHardened(position)?.scripts ??
      this.#expander.expand(position) ??
      (this.#expander === this.descriptor ? null : this.descriptor.expand(position));
  }

  /** The first script at `position` (for new addresses). */
  scriptAt(position: number): Uint8Array | null {
    const scripts = this.#expand(position);
    if (scripts !== null && scripts.length > 0) return scripts[0];
    // Already derived (a locked wallet cannot derive hardened positions again).
    for (const [script, at] of this.scripts) if (at === position) return hexToBytes(script);
    return null;
  }

  /** Public keys, origins and witness scripts at `position` (derived once, then cached). */
  signingData(position: number): SigningData | null {
    let data = this.#signingData.get(position);
    if (data === undefined) {
      data = this.#fastHardened(position)?.signingData ??
        this.#expander.expandWithSigningData(position)?.signingData ??
        this.descriptor.expandWithSigningData(position)?.signingData ?? null;
      this.#signingData.set(position, data);
    }
    return data;
  }

  /** Takes over the signing data `previous` derived (a locked wallet cannot derive it again). */
  adoptSigningData(previous: DescriptorManager): void {
    for (const [position, data] of previous.#signingData) {
      if (data !== null && !this.#signingData.has(position)) this.#signingData.set(position, data);
    }
  }

  /** The descriptor inferred for one of its scripts (`InferDescriptor` with its keys). */
  inferFor(script: Uint8Array): Descriptor | null {
    const position = this.scripts.get(bytesToHex(script));
    if (position === undefined) return null;
    const data = this.signingData(position);
    if (data === null) return null;
    return inferDescriptor(script, signingProvider(data), this.#context);
  }

  /** The private keys at `position` by hex key id. */
  privateKeys(position: number): Map<string, WifKey> {
    return this.#fastPrivateKeys(position) ?? this.descriptor.expandPrivate(position);
  }

  /** The extended private key at the end of a key's fixed path, derived once and kept. */
  #parentPrivateKey(key: Bip32Key, rootSecret: Uint8Array): ExtKey | null {
    if (this.#privateParent === undefined) {
      this.#privateParent = deriveExtKeyPath(
        { ...key.root, secret: rootSecret },
        key.path,
        this.#context.secp,
      );
    }
    return this.#privateParent;
  }

  /**
   * The private key at `position` of `pkh(xprv/…/*)` or `wpk(xprv/…/*)` (either derivation)
   * as `expandPrivate` gives it, in one BIP32 step from the kept parent key instead of the
   * whole path; null for other descriptors (or an invalid child: the slow path decides).
   */
  #fastPrivateKeys(position: number): Map<string, WifKey> | null {
    const node = this.descriptor.node;
    if (node.type !== "pkh" && node.type !== "wpk") return null;
    const key = node.key.type === "origin" ? node.key.inner : node.key;
    if (key.type !== "bip32" || key.derive === "none" || key.rootSecret === undefined) return null;
    const parent = this.#parentPrivateKey(key, key.rootSecret);
    if (parent === null) return null;
    const index = key.derive === "hardened" ? (position | HARDENED) >>> 0 : position;
    const child = deriveExtKey(parent, index, this.#context.secp);
    if (child === null) return null;
    const id = bytesToHex(hash160(this.#context.secp.publicKeyFromSecret(child.secret, true)));
    return new Map([[id, { secret: child.secret, compressed: true }]]);
  }
}

/** Signing data as the lookups descriptor inference asks for. */
export function signingProvider(data: SigningData): DescriptorInferenceProvider {
  return {
    getPubKey: (id) => data.pubkeys.get(bytesToHex(id)),
    getScript: (id) => data.scripts.get(bytesToHex(id)),
    getWitnessV0Script: (hash) => data.witnessScripts.get(bytesToHex(hash)),
    getKeyOrigin: (id) => data.origins.get(bytesToHex(id)),
  };
}
