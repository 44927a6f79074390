import type { ChainPrefixes } from "../address/chain_prefixes.ts";
import {
  extractDestination,
  isValidDestination,
  scriptForDestination,
} from "../address/destination.ts";
import { bytesEqual, bytesToHex } from "../encoding/mod.ts";
import { hash160, ripemd160 } from "../hash/mod.ts";
import { solveScript } from "../script/mod.ts";
import type { Secp256k1 } from "../secp256k1/mod.ts";
import { Descriptor } from "./descriptor.ts";
import type { DescriptorNode } from "./descriptor_node.ts";
import type { ConstKey, KeyExpression, ScriptContext } from "./key_expression.ts";
import { isSaneMiniscript } from "./miniscript.ts";
import { decodeMiniscript } from "./miniscript_decode.ts";

/** Key origin a wallet knows for a public key. */
export interface KnownKeyOrigin {
  readonly fingerprint: Uint8Array;
  readonly path: readonly number[];
}

/**
 * What the wallet knows about scripts and keys (the parts of `SigningProvider` that descriptor
 * inference asks). Every lookup is optional; a missing answer means "unknown".
 */
export interface DescriptorInferenceProvider {
  /** The public key with this HASH160 key id. */
  getPubKey?(keyId: Uint8Array): Uint8Array | undefined;
  /** The redeem script with this HASH160 script id. */
  getScript?(scriptId: Uint8Array): Uint8Array | undefined;
  /** The witness script entry (inner version byte + script) with this 20-byte short hash. */
  getWitnessV0Script?(shortHash: Uint8Array): Uint8Array | undefined;
  /** The origin of the public key with this key id. */
  getKeyOrigin?(keyId: Uint8Array): KnownKeyOrigin | undefined;
}

function inferKey(
  pubkey: Uint8Array,
  context: ScriptContext,
  provider: DescriptorInferenceProvider,
): KeyExpression | null {
  // Hybrid keys are never inferred; uncompressed keys only where legacy scripts allow them.
  const nonHybrid = (pubkey.length === 33 && (pubkey[0] === 2 || pubkey[0] === 3)) ||
    (pubkey.length === 65 && pubkey[0] === 4);
  if (!nonHybrid) return null;
  if (context !== "top" && context !== "p2sh" && pubkey.length !== 33) return null;
  const key: ConstKey = { type: "const", pubkey };
  const origin = provider.getKeyOrigin?.(hash160(pubkey));
  if (origin === undefined) return key;
  return {
    type: "origin",
    fingerprint: origin.fingerprint,
    path: origin.path,
    inner: key,
    apostrophe: false,
  };
}

function inferNode(
  script: Uint8Array,
  context: ScriptContext,
  provider: DescriptorInferenceProvider,
): DescriptorNode | null {
  const { type, solutions } = solveScript(script);
  if (type === "pubkey") {
    const key = inferKey(solutions[0], context, provider);
    if (key !== null) return { type: "pk", key };
  }
  if (type === "pubkeyhash") {
    const pubkey = provider.getPubKey?.(solutions[0]);
    const key = pubkey === undefined ? null : inferKey(pubkey, context, provider);
    if (key !== null) return { type: "pkh", key };
  }
  if (type === "multisig") {
    const keys: KeyExpression[] = [];
    for (const pubkey of solutions.slice(1, -1)) {
      const key = inferKey(pubkey, context, provider);
      if (key === null) break;
      keys.push(key);
    }
    if (keys.length === solutions.length - 2) {
      return { type: "multi", threshold: solutions[0][0], keys };
    }
  }
  if (type === "scripthash" && context === "top") {
    const redeemScript = provider.getScript?.(solutions[0]);
    const inner = redeemScript === undefined ? null : inferNode(redeemScript, "p2sh", provider);
    if (inner !== null) return { type: "sh", inner };
  }
  if ((type === "witness_v0_longhash" || type === "witness_v0_shorthash") && context === "top") {
    const shortHash = type === "witness_v0_longhash" ? ripemd160(solutions[0]) : solutions[0];
    const entry = provider.getWitnessV0Script?.(shortHash);
    if (entry !== undefined && entry.length > 0 && entry[0] === 0x00) {
      const witnessScript = entry.subarray(1);
      const inner = inferNode(witnessScript, "p2wsh", provider);
      if (inner !== null) {
        const solved = solveScript(witnessScript);
        if (type === "witness_v0_shorthash" && solved.type === "pubkey") {
          const key = inferKey(solved.solutions[0], "p2wsh", provider);
          if (key !== null) return { type: "wpk", key };
        } else if (type === "witness_v0_longhash") {
          return { type: "wsh", inner };
        }
      }
    }
  }
  if (context === "p2wsh") {
    const keys: KeyExpression[] = [];
    const add = (key: KeyExpression | null) => {
      if (key === null) return null;
      keys.push(key);
      return keys.length - 1;
    };
    const node = decodeMiniscript(script, {
      fromPubKeyBytes: (bytes) => add(inferKey(bytes, "p2wsh", provider)),
      fromPubKeyHash: (hash) => {
        const pubkey = provider.getPubKey?.(hash);
        return pubkey === undefined ? null : add(inferKey(pubkey, "p2wsh", provider));
      },
    });
    const keyId = (i: number) => {
      const key = keys[i];
      return bytesToHex(
        key.type === "origin" ? (key.inner as ConstKey).pubkey : (key as ConstKey).pubkey,
      );
    };
    if (node !== null && isSaneMiniscript(node, keyId)) return { type: "miniscript", node, keys };
  }
  if (context !== "top") return null;
  const destination = extractDestination(script);
  if (
    isValidDestination(destination) && bytesEqual(scriptForDestination(destination), script)
  ) {
    return { type: "addr", destination };
  }
  return { type: "raw", script: script.slice() };
}

/**
 * The descriptor that best describes a scriptPubKey given what the wallet knows
 * (`InferDescriptor`): `pk`/`pkh`/`multi`/`sh`/`wpk`/`wsh` (including miniscript) when the keys
 * and scripts are known, otherwise `addr(...)` or `raw(...)`.
 *
 * @example
 * ```ts
 * import { inferDescriptor } from "./infer_descriptor.ts";
 * import { REGTEST_PREFIXES } from "../address/chain_prefixes.ts";
 * import { createPureSecp256k1 } from "../secp256k1/mod.ts";
 * inferDescriptor(Uint8Array.of(0x51), {}, { prefixes: REGTEST_PREFIXES, secp: createPureSecp256k1() })
 *   .toString(); // "raw(51)#..."
 * ```
 */
export function inferDescriptor(
  script: Uint8Array,
  provider: DescriptorInferenceProvider,
  options: { readonly prefixes: ChainPrefixes; readonly secp: Secp256k1 },
): Descriptor {
  const node = inferNode(script, "top", provider)!;
  return new Descriptor(node, options.prefixes, options.secp);
}
