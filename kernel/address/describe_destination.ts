import { bytesToHex } from "../encoding/mod.ts";
import type { Destination } from "./destination.ts";

/** The address-shape fields `validateaddress`/`getaddressinfo` print (`DescribeAddress`). */
export interface DestinationDescription {
  isscript?: boolean;
  iswitness?: boolean;
  witness_version?: number;
  witness_program?: string;
}

/**
 * Describes a destination the way freicoind's RPC does, keys in freicoind's order. Every
 * version-0 witness output counts as a script (`isscript: true`): in Freicoin even "P2WPK" is a
 * hash of a script. Unknown witness versions omit `isscript`; no destination gives `{}`.
 *
 * @example
 * ```ts
 * import { describeDestination } from "./describe_destination.ts";
 * describeDestination({ kind: "WitnessV0ShortHash", hash: new Uint8Array(20) }).isscript; // true
 * ```
 */
export function describeDestination(dest: Destination): DestinationDescription {
  switch (dest.kind) {
    case "NoDestination":
      return {};
    case "PubKeyDestination":
    case "PKHash":
      return { isscript: false, iswitness: false };
    case "ScriptHash":
      return { isscript: true, iswitness: false };
    case "WitnessV0ShortHash":
    case "WitnessV0LongHash":
      return {
        isscript: true,
        iswitness: true,
        witness_version: 0,
        witness_program: bytesToHex(dest.hash),
      };
    case "WitnessUnknown":
      return {
        iswitness: true,
        witness_version: dest.version,
        witness_program: bytesToHex(dest.program),
      };
  }
}
