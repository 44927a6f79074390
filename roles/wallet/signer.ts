/**
 * Signing the inputs the wallet can solve (`CWallet::SignTransaction` with
 * `ProduceSignature`): P2PKH, P2PK and segwit-v0 short-hash ("P2WPK") outputs of the wallet's
 * descriptors directly; everything else a descriptor describes (bare, P2SH and P2WSH multisig,
 * nested scripts) through the generic signer of `common/signing`, which also keeps signatures
 * an input already carries (a multisig signed by several wallets in turn). Freicoin's segwit
 * witness is `[signature…, 0x00 ‖ script, proof]`; the script code signed is the inner script,
 * with the coin's reference value and refheight.
 *
 * @module
 */
import {
  dataFromTransaction,
  produceSignature,
  type SignatureCreator,
  SignatureData,
  SigningProvider,
  transactionSignatureCreator,
} from "../../common/signing/mod.ts";
import { bytesToHex, concatBytes } from "../../kernel/encoding/mod.ts";
import { hash160 } from "../../kernel/hash/mod.ts";
import { Transaction, TxIn, type TxOut } from "../../kernel/primitives/mod.ts";
import {
  NULL_SIGNATURE_CHECKER,
  PrecomputedTransactionData,
  pushData,
  SigHash,
  signatureHash,
  solveScript,
  type SpentOutput,
} from "../../kernel/script/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
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
      else return UNSUPPORTED;
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
      return UNSUPPORTED;
  }
}

/** What {@linkcode solve} answers for scripts left to the generic signer. */
const UNSUPPORTED = "Unable to sign input, unsupported script type";

/**
 * The keys and scripts of `manager` at `position` as a signing provider. `keys` are its private
 * keys; without them (size estimates) public keys stand in with an empty secret, which only a
 * dummy signature creator ever sees.
 */
function providerAt(
  manager: DescriptorManager,
  position: number,
  secp: Secp256k1,
  keys: ReadonlyMap<string, { secret: Uint8Array; compressed: boolean }> | null,
): SigningProvider | null {
  const data = manager.signingData(position);
  if (data === null) return null;
  const provider = new SigningProvider(secp);
  for (const [id, script] of data.scripts) provider.scripts.set(id, script);
  for (const [id, entry] of data.witnessScripts) provider.witnessScripts.set(id, entry);
  if (keys === null) {
    for (const [id, pubkey] of data.pubkeys) {
      provider.keys.set(id, {
        secret: new Uint8Array(32),
        compressed: pubkey.length === 33,
        pubkey,
      });
    }
  } else {
    for (const key of keys.values()) provider.addKey(key);
  }
  return provider;
}

/** A creator that answers a dummy signature for any key (`DUMMY_SIGNATURE_CREATOR`). */
const DUMMY_CREATOR: SignatureCreator = {
  checker: NULL_SIGNATURE_CHECKER,
  createSig: () => new Uint8Array(DUMMY_SIGNATURE_LENGTH),
};

/** The generic signer's solution for `scriptPubKey` (dummy signatures when `creator` is). */
function solveGeneric(
  provider: SigningProvider,
  creator: SignatureCreator,
  scriptPubKey: Uint8Array,
  sigdata: SignatureData,
): Solution | string {
  produceSignature(provider, creator, scriptPubKey, sigdata);
  if (sigdata.scriptSig.length === 0 && sigdata.witness.length === 0) {
    return "Unable to sign input, missing keys";
  }
  return { scriptSig: sigdata.scriptSig, witness: sigdata.witness };
}

/** A dummy solution of the right size for fee estimation, or null if not solvable. */
export function dummySolution(
  scriptPubKey: Uint8Array,
  manager: DescriptorManager,
): Solution | null {
  const dummy = new Uint8Array(DUMMY_SIGNATURE_LENGTH);
  const solution = solve(scriptPubKey, manager, () => dummy);
  if (solution !== UNSUPPORTED) return typeof solution === "string" ? null : solution;
  const position = manager.scripts.get(bytesToHex(scriptPubKey));
  const provider = position === undefined
    ? null
    : providerAt(manager, position, manager.secp, null);
  if (provider === null) return null;
  const generic = solveGeneric(provider, DUMMY_CREATOR, scriptPubKey, new SignatureData());
  return typeof generic === "string" ? null : generic;
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
    if (solution === UNSUPPORTED) {
      const generic = signGeneric(tx, i, coin, manager, position, keys, hashType, options.secp);
      inputs[i] = generic.input;
      results.push(generic.result);
      continue;
    }
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

/**
 * Signs input `index` with the generic signer, starting from the signatures it already carries
 * (`DataFromTransaction`); the input keeps what it had when nothing new could be added.
 */
function signGeneric(
  tx: Transaction,
  index: number,
  coin: SpentCoin,
  manager: DescriptorManager,
  position: number,
  keys: ReadonlyMap<string, { secret: Uint8Array; compressed: boolean }>,
  hashType: number,
  secp: Secp256k1,
): { input: TxIn; result: InputSignResult } {
  const input = tx.inputs[index];
  const provider = providerAt(manager, position, secp, keys);
  if (provider === null) {
    return { input, result: { complete: false, error: "Unable to sign input, missing keys" } };
  }
  const sigdata = dataFromTransaction(secp, tx, index, {
    output: coin.output,
    refheight: coin.refheight,
    height: 0,
    isCoinBase: false,
  });
  const creator = transactionSignatureCreator(secp, tx, index, {
    amount: coin.output.value,
    refheight: coin.refheight,
  }, hashType);
  const complete = produceSignature(provider, creator, coin.output.scriptPubKey, sigdata);
  const signed = new TxIn({
    prevout: input.prevout,
    sequence: input.sequence,
    scriptSig: sigdata.scriptSig,
    witness: sigdata.witness,
  });
  return {
    input: signed,
    result: complete
      ? { complete: true }
      : { complete: false, error: "Unable to sign input, missing keys" },
  };
}
