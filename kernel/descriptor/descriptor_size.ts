// Size estimates of descriptors for fee calculation (`ScriptSize`, `MaxSatSize`,
// `MaxSatisfactionWeight`, `MaxSatisfactionElems` in freicoind), with Freicoin's witness layout:
// a P2WPK/P2WSH witness carries the signature(s), the script with its inner version byte, and an
// (empty) Merkle proof.
import { extractDestination, scriptForDestination } from "../address/destination.ts";
import { type OutputType, outputTypeOfDestination } from "../address/output_type.ts";
import { compactSizeLength } from "../encoding/mod.ts";
import type { DescriptorNode } from "./descriptor_node.ts";
import { keySize } from "./key_expression.ts";
import { stackSize } from "./miniscript.ts";

const WITNESS_SCALE_FACTOR = 4;

function intPushSize(n: number): number {
  return n <= 16 ? 1 : 2;
}

/** Length of the scriptPubKey (or redeem/witness script for inner nodes); null for combo(). */
export function descriptorScriptSize(node: DescriptorNode): number | null {
  switch (node.type) {
    case "addr":
      return scriptForDestination(node.destination).length;
    case "raw":
      return node.script.length;
    case "pk":
      return 1 + keySize(node.key) + 1;
    case "pkh":
      return 25;
    case "wpk":
      return 22;
    case "combo":
      return null;
    case "multi":
    case "sortedmulti":
      return 1 + intPushSize(node.keys.length) + intPushSize(node.threshold) +
        node.keys.reduce((sum, key) => sum + 1 + keySize(key), 0);
    case "sh":
      return 23;
    case "wsh":
      return 34;
    case "miniscript":
      return node.node.scriptSize;
  }
}

/** Largest satisfaction in raw bytes (`MaxSatSize`), or null when unknown. */
function maxSatSize(node: DescriptorNode, useMaxSig: boolean): number | null {
  const sig = useMaxSig ? 72 : 71;
  switch (node.type) {
    case "pk":
      return 1 + sig;
    case "pkh":
      return 1 + sig + 1 + keySize(node.key);
    case "wpk":
      return 1 + sig + 1 + (1 + (1 + 33) + 1) + 1;
    case "multi":
    case "sortedmulti":
      return 1 + (1 + sig) * node.threshold;
    case "wsh": {
      const sat = maxSatSize(node.inner, useMaxSig);
      const script = descriptorScriptSize(node.inner);
      if (sat === null || script === null) return null;
      return compactSizeLength(script + 1) + 1 + script + sat;
    }
    case "miniscript":
      return node.node.witness.sat;
    default:
      return null;
  }
}

/**
 * Largest weight of the scriptSig and witness that satisfy the descriptor (for fee estimation),
 * or null when it cannot be estimated (combo, addr, raw).
 */
export function maxSatisfactionWeight(node: DescriptorNode, useMaxSig: boolean): number | null {
  switch (node.type) {
    case "pk":
    case "pkh":
    case "multi":
    case "sortedmulti": {
      const size = maxSatSize(node, useMaxSig);
      return size === null ? null : size * WITNESS_SCALE_FACTOR;
    }
    case "wpk":
    case "wsh":
      return maxSatSize(node, useMaxSig);
    case "sh": {
      const sat = maxSatSize(node.inner, useMaxSig);
      const script = descriptorScriptSize(node.inner);
      if (sat === null || script === null) return null;
      // The redeem script is never witness data; nothing inside sh() is segwit in Freicoin.
      return (1 + script) * WITNESS_SCALE_FACTOR + sat * WITNESS_SCALE_FACTOR;
    }
    default:
      return null;
  }
}

/** Largest number of stack elements of a satisfaction, or null when unknown. */
export function maxSatisfactionElems(node: DescriptorNode): number | null {
  switch (node.type) {
    case "pk":
      return 1;
    case "pkh":
      return 2;
    case "wpk":
      return 3;
    case "multi":
    case "sortedmulti":
      return 1 + node.threshold;
    case "sh":
    case "wsh": {
      const inner = maxSatisfactionElems(node.inner);
      return inner === null ? null : 1 + inner;
    }
    case "miniscript":
      return stackSize(node.node);
    default:
      return null;
  }
}

/** The address type of the descriptor's outputs (`GetOutputType`), or null for mixed/none. */
export function descriptorOutputType(node: DescriptorNode): OutputType | null {
  switch (node.type) {
    case "addr":
      return outputTypeOfDestination(node.destination);
    case "raw":
      return outputTypeOfDestination(extractDestination(node.script));
    case "pkh":
    case "sh":
      return "legacy";
    case "wpk":
    case "wsh":
      return "bech32";
    default:
      return null;
  }
}
