import {
  type Destination,
  pkHashOf,
  scriptHashOf,
  witnessV0LongHashOf,
  witnessV0ShortHashOfPubKey,
} from "./destination.ts";

/** Address types a wallet can create (`OutputType`): Freicoin has only these two. */
export type OutputType = "legacy" | "bech32";

/**
 * Parses `-addresstype`/`-changetype`/`address_type` values (`ParseOutputType`); `null` for
 * anything else (including Bitcoin's "p2sh-segwit" and "bech32m").
 *
 * @example
 * ```ts
 * import { parseOutputType } from "./output_type.ts";
 * parseOutputType("bech32"); // "bech32"
 * parseOutputType("bech32m"); // null
 * ```
 */
export function parseOutputType(text: string): OutputType | null {
  return text === "legacy" || text === "bech32" ? text : null;
}

/**
 * The destination a wallet uses for a key (`GetDestinationForKey`): P2PKH for legacy; P2WPK for
 * bech32, falling back to P2PKH for an uncompressed key.
 */
export function destinationForKey(pubkey: Uint8Array, type: OutputType): Destination {
  if (type === "bech32" && pubkey.length === 33) return witnessV0ShortHashOfPubKey(pubkey);
  return pkHashOf(pubkey);
}

/** All destinations of a key (`GetAllDestinationsForKey`): P2PKH, plus P2WPK if compressed. */
export function allDestinationsForKey(pubkey: Uint8Array): Destination[] {
  const p2pkh = pkHashOf(pubkey);
  return pubkey.length === 33 ? [p2pkh, witnessV0ShortHashOfPubKey(pubkey)] : [p2pkh];
}

/**
 * The destination of a script for an output type (`AddAndGetDestinationForScript`, without the
 * keystore side effect): P2SH for legacy, P2WSH of `0x00 || script` for bech32.
 */
export function destinationForScript(script: Uint8Array, type: OutputType): Destination {
  return type === "legacy" ? scriptHashOf(script) : witnessV0LongHashOf(0, script);
}

/** The output type of a destination (`OutputTypeFromDestination`), or null for none. */
export function outputTypeOfDestination(dest: Destination): OutputType | null {
  switch (dest.kind) {
    case "PKHash":
    case "ScriptHash":
      return "legacy";
    case "WitnessV0ShortHash":
    case "WitnessV0LongHash":
    case "WitnessUnknown":
      return "bech32";
    default:
      return null;
  }
}
