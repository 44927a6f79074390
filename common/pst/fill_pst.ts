/**
 * The Updater and Signer roles with what an output descriptor knows about a script (its
 * `SigningData`: public keys, key origins, redeem and witness scripts) and, for signing, its
 * private keys. Used by the node (utxoupdatepst, descriptorprocesspst) and the wallet
 * (walletprocesspst and friends).
 *
 * @module
 */
import type { SigningData } from "../../kernel/descriptor/mod.ts";
import { bytesToHex } from "../../kernel/encoding/mod.ts";
import { ripemd160, sha256d } from "../../kernel/hash/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { type SigningKey, SigningProvider } from "../signing/mod.ts";
import { type Pst, pstInputSigned } from "./pst.ts";
import { signPstInput } from "./pst_roles.ts";

/** What is known about one script: its signing data and, to sign, its private keys. */
export interface ScriptKnowledge {
  readonly data: SigningData;
  readonly keys?: Iterable<SigningKey>;
}

/** How {@link fillPstInput} works. */
export interface FillInputOptions {
  sign: boolean;
  sighash: number;
  finalize: boolean;
  bip32derivs: boolean;
}

/** A signing provider holding the scripts (and keys when given) of `known`. */
export function providerOf(secp: Secp256k1, known: ScriptKnowledge): SigningProvider {
  const provider = new SigningProvider(secp);
  for (const key of known.keys ?? []) provider.addKey(key);
  for (const script of known.data.scripts.values()) provider.addScript(script);
  for (const entry of known.data.witnessScripts.values()) provider.addWitnessScript(entry);
  return provider;
}

/** The scriptPubKey input `index` spends, when the PST carries it. */
export function pstSpentScript(pst: Pst, index: number): Uint8Array | undefined {
  const input = pst.inputs[index];
  if (input.witnessUtxo) return input.witnessUtxo.output.scriptPubKey;
  const prev = input.nonWitnessUtxo;
  const n = pst.tx.inputs[index].prevout.n;
  return prev && n < prev.outputs.length ? prev.outputs[n].scriptPubKey : undefined;
}

/**
 * Updates (and with `sign`, signs) input `index` with what is known about its script; key
 * origins are added to inputs that stay unfinished. True when the input is final.
 */
export function fillPstInput(
  secp: Secp256k1,
  pst: Pst,
  index: number,
  known: ScriptKnowledge,
  options: FillInputOptions,
): boolean {
  const input = pst.inputs[index];
  if (pstInputSigned(input)) return true;
  const provider = providerOf(secp, options.sign ? known : { data: known.data });
  signPstInput(secp, provider, pst, index, options);
  if (options.bip32derivs && !pstInputSigned(input)) {
    for (const origin of known.data.origins.values()) {
      const pubkey = bytesToHex(origin.pubkey);
      if (!input.hdKeypaths.has(pubkey)) {
        input.hdKeypaths.set(pubkey, { fingerprint: origin.fingerprint, path: origin.path });
      }
    }
  }
  return pstInputSigned(input);
}

/** The 20-byte program of a witness v0 short-hash output, else undefined. */
function shortHashProgram(script: Uint8Array): Uint8Array | undefined {
  return script.length === 22 && script[0] === 0x00 && script[1] === 20
    ? script.subarray(2)
    : undefined;
}

/**
 * `UpdatePSTOutput` for an output whose script is known: its redeem script, witness script
 * entry and (with `bip32derivs`) key origins.
 */
export function updatePstOutput(
  pst: Pst,
  index: number,
  known: ScriptKnowledge,
  bip32derivs: boolean,
): void {
  const output = pst.outputs[index];
  const script = pst.tx.outputs[index].scriptPubKey;
  for (const redeem of known.data.scripts.values()) output.redeemScript ??= redeem;
  const program = shortHashProgram(script) ??
    (output.redeemScript ? shortHashProgram(output.redeemScript) : undefined);
  if (program) {
    for (const entry of known.data.witnessScripts.values()) {
      if (bytesToHex(ripemd160(sha256d(entry))) === bytesToHex(program)) {
        output.witnessEntry ??= { script: entry, path: 0, branch: [] };
      }
    }
  }
  if (!bip32derivs) return;
  for (const origin of known.data.origins.values()) {
    const pubkey = bytesToHex(origin.pubkey);
    if (!output.hdKeypaths.has(pubkey)) {
      output.hdKeypaths.set(pubkey, { fingerprint: origin.fingerprint, path: origin.path });
    }
  }
}
