import { hash160, ripemd160, sha256d } from "../hash/mod.ts";
import { opcodeOfWitnessVersion, solveScript } from "../script/mod.ts";

/** Pay to public key hash: `OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG`. */
export interface PKHash {
  readonly kind: "PKHash";
  readonly hash: Uint8Array;
}

/** Pay to script hash: `OP_HASH160 <20> OP_EQUAL`. */
export interface ScriptHash {
  readonly kind: "ScriptHash";
  readonly hash: Uint8Array;
}

/** Version-0 witness program of 20 bytes: RIPEMD160 of a long hash ("P2WPK", short P2WSH). */
export interface WitnessV0ShortHash {
  readonly kind: "WitnessV0ShortHash";
  readonly hash: Uint8Array;
}

/** Version-0 witness program of 32 bytes: fast-Merkle root of `0x00 || script` leaves (P2WSH). */
export interface WitnessV0LongHash {
  readonly kind: "WitnessV0LongHash";
  readonly hash: Uint8Array;
}

/** Any other witness program: version 0..30, program 2..75 bytes. */
export interface WitnessUnknown {
  readonly kind: "WitnessUnknown";
  readonly version: number;
  readonly program: Uint8Array;
}

/** A bare public key output (`<pubkey> OP_CHECKSIG`); has no address. */
export interface PubKeyDestination {
  readonly kind: "PubKeyDestination";
  readonly pubkey: Uint8Array;
}

/** No address; keeps the script it came from, if any. */
export interface NoDestination {
  readonly kind: "NoDestination";
  readonly script: Uint8Array;
}

/** What an address or a standard scriptPubKey pays to (`CTxDestination`). */
export type Destination =
  | PKHash
  | ScriptHash
  | WitnessV0ShortHash
  | WitnessV0LongHash
  | WitnessUnknown
  | PubKeyDestination
  | NoDestination;

/** The destination that stands for "no address". */
export const NO_DESTINATION: NoDestination = Object.freeze({
  kind: "NoDestination",
  script: new Uint8Array(),
});

const OP_0 = 0x00;
const OP_DUP = 0x76;
const OP_HASH160 = 0xa9;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_CHECKSIG = 0xac;

/** True for destinations that have an address (`IsValidDestination`). */
export function isValidDestination(dest: Destination): boolean {
  return dest.kind !== "NoDestination" && dest.kind !== "PubKeyDestination";
}

/** `0x00 || script` hashed with SHA256d: the long-hash of a single-leaf witness script. */
export function witnessV0LongHashOf(innerVersion: number, script: Uint8Array): WitnessV0LongHash {
  const leaf = new Uint8Array(script.length + 1);
  leaf[0] = innerVersion;
  leaf.set(script, 1);
  return { kind: "WitnessV0LongHash", hash: sha256d(leaf) };
}

/** RIPEMD160 of the long hash of `innerVersion || script`. */
export function witnessV0ShortHashOf(innerVersion: number, script: Uint8Array): WitnessV0ShortHash {
  return {
    kind: "WitnessV0ShortHash",
    hash: ripemd160(witnessV0LongHashOf(innerVersion, script).hash),
  };
}

/**
 * The "P2WPK" destination of a compressed public key: the short hash of
 * `0x00 || push33(pubkey) || OP_CHECKSIG`.
 */
export function witnessV0ShortHashOfPubKey(pubkey: Uint8Array): WitnessV0ShortHash {
  if (pubkey.length !== 33) throw new RangeError("P2WPK needs a compressed public key");
  return witnessV0ShortHashOf(0, payToPubKeyScript(pubkey));
}

/** `PKHash` of a serialized public key (HASH160). */
export function pkHashOf(pubkey: Uint8Array): PKHash {
  return { kind: "PKHash", hash: hash160(pubkey) };
}

/** `ScriptHash` of a redeem script (HASH160). */
export function scriptHashOf(script: Uint8Array): ScriptHash {
  return { kind: "ScriptHash", hash: hash160(script) };
}

/** `<push pubkey> OP_CHECKSIG`. */
export function payToPubKeyScript(pubkey: Uint8Array): Uint8Array {
  return Uint8Array.from([pubkey.length, ...pubkey, OP_CHECKSIG]);
}

/**
 * The scriptPubKey that pays to a destination (`GetScriptForDestination`); empty for
 * `NoDestination` without a script.
 *
 * @example
 * ```ts
 * import { scriptForDestination } from "./destination.ts";
 * scriptForDestination({ kind: "ScriptHash", hash: new Uint8Array(20) }).length; // 23
 * ```
 */
export function scriptForDestination(dest: Destination): Uint8Array {
  switch (dest.kind) {
    case "NoDestination":
      return dest.script.slice();
    case "PubKeyDestination":
      return payToPubKeyScript(dest.pubkey);
    case "PKHash":
      return Uint8Array.from([OP_DUP, OP_HASH160, 20, ...dest.hash, OP_EQUALVERIFY, OP_CHECKSIG]);
    case "ScriptHash":
      return Uint8Array.from([OP_HASH160, 20, ...dest.hash, OP_EQUAL]);
    case "WitnessV0ShortHash":
    case "WitnessV0LongHash":
      return Uint8Array.from([OP_0, dest.hash.length, ...dest.hash]);
    case "WitnessUnknown": {
      if (dest.program.length < 2 || dest.program.length > 75) {
        throw new RangeError(`a ${dest.program.length}-byte witness program has no script form`);
      }
      // Throws RangeError for versions outside 0..30.
      const opcode = opcodeOfWitnessVersion(dest.version);
      return Uint8Array.from([opcode, dest.program.length, ...dest.program]);
    }
  }
}

/**
 * What a scriptPubKey pays to (`ExtractDestination`). Scripts without an address (bare pubkey,
 * multisig, OP_RETURN, non-standard) give `PubKeyDestination` or `NoDestination`; check with
 * `isValidDestination`.
 *
 * @example
 * ```ts
 * import { extractDestination } from "./destination.ts";
 * extractDestination(new Uint8Array([0x51, 2, 0xab, 0xcd])); // WitnessUnknown version 2
 * ```
 */
export function extractDestination(script: Uint8Array): Destination {
  const { type, solutions } = solveScript(script);
  switch (type) {
    case "pubkey":
      return { kind: "PubKeyDestination", pubkey: solutions[0] };
    case "pubkeyhash":
      return { kind: "PKHash", hash: solutions[0] };
    case "scripthash":
      return { kind: "ScriptHash", hash: solutions[0] };
    case "witness_v0_shorthash":
      return { kind: "WitnessV0ShortHash", hash: solutions[0] };
    case "witness_v0_longhash":
      return { kind: "WitnessV0LongHash", hash: solutions[0] };
    case "witness_unknown":
      return { kind: "WitnessUnknown", version: solutions[0][0], program: solutions[1] };
    default:
      return { kind: "NoDestination", script: script.slice() };
  }
}
