/**
 * Signing the inputs the wallet can solve (`CWallet::SignTransaction` with
 * `ProduceSignature`): P2PKH, P2PK and segwit-v0 short-hash ("P2WPK") outputs of the wallet's
 * descriptors. Freicoin's segwit witness is `[signature, 0x00 ‖ script, proof]`; the script
 * code signed is the inner script, with the coin's reference value and refheight.
 *
 * @module
 */
import { bytesToHex, concatBytes } from "../../kernel/encoding/mod.ts";
import { hash160 } from "../../kernel/hash/mod.ts";
import { Transaction, TxIn, type TxOut } from "../../kernel/primitives/mod.ts";
import {
  PrecomputedTransactionData,
  pushData,
  SigHash,
  signatureHash,
  solveScript,
  type SpentOutput,
} from "../../kernel/script/mod.ts";
import type { DescriptorManager } from "./descriptor_manager.ts";

/** The coin an input spends. */
export interface SpentCoin {
  readonly output: TxOut;
  readonly refheight: number;
}

/** What the signer asks about a script: its manager, or nothing if not ours. */
export type OwnerLookup = (script: Uint8Array) => DescriptorManager | undefined;

/** How one input came out. */
export interface InputSignResult {
  readonly complete: boolean;
  /** freicoind's per-input error text when not complete. */
  readonly error?: string;
}

/** Length of the dummy signature (with its hash type) used for size estimates. */
export const DUMMY_SIGNATURE_LENGTH = 71;

/** A solution for a script: the scriptSig and witness (real or dummy signatures). */
interface Solution {
  scriptSig: Uint8Array;
  witness: Uint8Array[];
}

type SignFn = (scriptCode: Uint8Array, sigVersion: "BASE" | "WITNESS_V0", keyId: string) =>
  | Uint8Array
  | null;

function solve(
  scriptPubKey: Uint8Array,
  manager: DescriptorManager,
  sign: SignFn,
): Solution | string {
  const position = manager.scripts.get(bytesToHex(scriptPubKey));
  if (position === undefined) return "Unable to sign input, missing keys";
  const data = manager.signingData(position);
  if (data === null) return "Unable to sign input, missing keys";
  const solved = solveScript(scriptPubKey);
  switch (solved.type) {
    case "pubkeyhash": {
      const keyId = bytesToHex(solved.solutions[0]);
      const pubkey = data.pubkeys.get(keyId);
      if (!pubkey) return "Unable to sign input, missing keys";
      const sig = sign(scriptPubKey, "BASE", keyId);
      if (!sig) return "Unable to sign input, missing keys";
      return { scriptSig: concatBytes(pushData(sig), pushData(pubkey)), witness: [] };
    }
    case "pubkey": {
      const sig = sign(scriptPubKey, "BASE", bytesToHex(hash160(solved.solutions[0])));
      if (!sig) return "Unable to sign input, missing keys";
      return { scriptSig: pushData(sig), witness: [] };
    }
    case "witness_v0_shorthash": {
      const entry = data.witnessScripts.get(bytesToHex(solved.solutions[0]));
      if (!entry || entry.length === 0 || entry[0] !== 0) {
        return "Unable to sign input, missing keys";
      }
      const inner = entry.subarray(1);
      const innerSolved = solveScript(inner);
      let keyId: string;
      if (innerSolved.type === "pubkey") keyId = bytesToHex(hash160(innerSolved.solutions[0]));
      else if (innerSolved.type === "pubkeyhash") keyId = bytesToHex(innerSolved.solutions[0]);
      else return "Unable to sign input, unsupported witness script";
      const sig = sign(inner, "WITNESS_V0", keyId);
      if (!sig) return "Unable to sign input, missing keys";
      const stack = [sig];
      if (innerSolved.type === "pubkeyhash") {
        const pubkey = data.pubkeys.get(keyId);
        if (!pubkey) return "Unable to sign input, missing keys";
        stack.push(pubkey);
      }
      // Single-leaf tree: the proof is empty.
      return { scriptSig: new Uint8Array(0), witness: [...stack, entry, new Uint8Array(0)] };
    }
    default:
      return "Unable to sign input, unsupported script type";
  }
}

/** A dummy solution of the right size for fee estimation, or null if not solvable. */
export function dummySolution(
  scriptPubKey: Uint8Array,
  manager: DescriptorManager,
): Solution | null {
  const dummy = new Uint8Array(DUMMY_SIGNATURE_LENGTH);
  const solution = solve(scriptPubKey, manager, () => dummy);
  return typeof solution === "string" ? null : solution;
}

/**
 * Signs every input of `tx` whose coin the wallet can solve, with `hashType` (default ALL);
 * inputs it cannot sign are left as they are. Returns the new transaction and per-input
 * results.
 */
export function signTransaction(
  tx: Transaction,
  coins: readonly (SpentCoin | undefined)[],
  owners: OwnerLookup,
  options: { hashType?: number; secp: import("../../kernel/secp256k1/mod.ts").Secp256k1 },
): { tx: Transaction; results: InputSignResult[] } {
  const hashType = options.hashType ?? SigHash.ALL;
  const inputs = [...tx.inputs];
  const results: InputSignResult[] = [];
  const allKnown = coins.every((coin) => coin !== undefined);
  const spent: SpentOutput[] | undefined = allKnown
    ? coins.map((coin) => ({ output: coin!.output, refheight: coin!.refheight }))
    : undefined;
  const precomputed = new PrecomputedTransactionData(tx, spent);
  for (let i = 0; i < inputs.length; i++) {
    const coin = coins[i];
    if (!coin) {
      results.push({ complete: false, error: "Input not found or already spent" });
      continue;
    }
    const manager = owners(coin.output.scriptPubKey);
    if (!manager) {
      results.push({ complete: false, error: "Unable to sign input, missing keys" });
      continue;
    }
    const position = manager.scripts.get(bytesToHex(coin.output.scriptPubKey))!;
    const keys = manager.privateKeys(position);
    const solution = solve(coin.output.scriptPubKey, manager, (scriptCode, sigVersion, keyId) => {
      const key = keys.get(keyId);
      if (!key) return null;
      const digest = signatureHash(
        scriptCode,
        tx,
        i,
        hashType,
        coin.output.value,
        coin.refheight,
        sigVersion,
        precomputed,
      );
      const der = options.secp.signEcdsa(digest, key.secret);
      return concatBytes(der, Uint8Array.of(hashType & 0xff));
    });
    if (typeof solution === "string") {
      results.push({ complete: false, error: solution });
      continue;
    }
    inputs[i] = new TxIn({
      prevout: inputs[i].prevout,
      sequence: inputs[i].sequence,
      scriptSig: solution.scriptSig,
      witness: solution.witness,
    });
    results.push({ complete: true });
  }
  return { tx: new Transaction({ ...tx, inputs }), results };
}
