/**
 * The BIP174 roles on a {@link Pst} as pure functions (src/pst.cpp): combiner, signer (with a
 * signing provider), finalizer and extractor. The signer writes partial signatures; when every
 * signature is there it writes the final scriptSig and witness instead.
 *
 * @module
 */
import { bytesToHex } from "../../kernel/encoding/mod.ts";
import { ByteWriter } from "../../kernel/encoding/mod.ts";
import { Transaction, TxIn, type TxOut } from "../../kernel/primitives/mod.ts";
import { TransactionSignatureChecker } from "../../kernel/script/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import {
  mergeOnlyCreator,
  produceSignature,
  SignatureData,
  SigningProvider,
  transactionSignatureCreator,
} from "../signing/mod.ts";
import {
  type Pst,
  type PstInput,
  pstInputSigned,
  type PstOutput,
  type PstWitnessEntry,
} from "./pst.ts";

/** SIGHASH_ALL, the finalizer's (unused) hash type. */
const SIGHASH_ALL = 1;

/** Two PSTs of different transactions (`TransactionError::PST_MISMATCH`). */
export class PstMismatchError extends Error {
  constructor() {
    super("PSTs not compatible (different transactions)");
    this.name = "PstMismatchError";
  }
}

/** The bytes the witness carries after the script: path (big-endian, minimal) then branch. */
function proofOf(entry: PstWitnessEntry): Uint8Array {
  if (entry.branch.length === 0 && entry.path === 0) return new Uint8Array();
  const pathBytes: number[] = [];
  for (let path = entry.path; path > 0; path = Math.floor(path / 256)) {
    pathBytes.unshift(path & 0xff);
  }
  const w = new ByteWriter(pathBytes.length + 32 * entry.branch.length);
  w.writeBytes(Uint8Array.from(pathBytes));
  for (const hash of entry.branch) w.writeBytes(hash);
  return w.toBytes();
}

/** The inverse of {@link proofOf}: path bytes are what is left beyond whole 32-byte hashes. */
function entryOf(witness: { script: Uint8Array; proof: Uint8Array }): PstWitnessEntry {
  const pathBytes = witness.proof.length % 32;
  let path = 0;
  for (let i = 0; i < pathBytes; i++) path = path * 256 + witness.proof[i];
  const branch: Uint8Array[] = [];
  for (let i = pathBytes; i < witness.proof.length; i += 32) {
    branch.push(witness.proof.slice(i, i + 32));
  }
  return { script: witness.script, path: path >>> 0, branch };
}

/** `PSTInput::FillSignatureData`. */
export function fillSignatureData(input: PstInput): SignatureData {
  const data = new SignatureData();
  if (input.finalScriptSig !== undefined || input.finalScriptWitness !== undefined) {
    data.scriptSig = input.finalScriptSig ?? new Uint8Array();
    data.witness = [...(input.finalScriptWitness ?? [])];
    data.complete = true;
    return data;
  }
  for (const [id, pair] of input.partialSigs) data.signatures.set(id, pair);
  data.redeemScript = input.redeemScript;
  if (input.witnessEntry) {
    data.witnessEntry = { script: input.witnessEntry.script, proof: proofOf(input.witnessEntry) };
  }
  return data;
}

/** `PSTInput::FromSignatureData`: final fields when complete, else partial data. */
export function fromSignatureData(input: PstInput, data: SignatureData): void {
  if (data.complete) {
    input.partialSigs.clear();
    input.hdKeypaths.clear();
    input.redeemScript = undefined;
    input.witnessEntry = undefined;
    input.ripemd160Preimages.clear();
    input.sha256Preimages.clear();
    input.hash160Preimages.clear();
    input.hash256Preimages.clear();
    input.finalScriptSig = data.scriptSig.length > 0 ? data.scriptSig : undefined;
    input.finalScriptWitness = data.witness.length > 0 ? data.witness : undefined;
    return;
  }
  for (const [id, pair] of data.signatures) input.partialSigs.set(id, pair);
  if (data.redeemScript && data.redeemScript.length > 0) input.redeemScript = data.redeemScript;
  if (data.witnessEntry && data.witnessEntry.script.length > 0) {
    input.witnessEntry = entryOf(data.witnessEntry);
  }
}

/** The spent output of input `index` as the signer may trust it, or why not. */
function spentOutput(
  pst: Pst,
  index: number,
): { output: TxOut; refheight: number; requireWitness: boolean } | undefined {
  const input = pst.inputs[index];
  const prevout = pst.tx.inputs[index].prevout;
  if (input.nonWitnessUtxo) {
    if (prevout.n >= input.nonWitnessUtxo.outputs.length) return undefined;
    if (input.nonWitnessUtxo.txidHex !== prevout.txid) return undefined;
    return {
      output: input.nonWitnessUtxo.outputs[prevout.n],
      refheight: input.nonWitnessUtxo.lockHeight,
      requireWitness: false,
    };
  }
  if (input.witnessUtxo) return { ...input.witnessUtxo, requireWitness: true };
  return undefined;
}

/** Options of {@link signPstInput}. */
export interface SignPstInputOptions {
  /** Sign with the provider's keys (else only merge what is there: the finalizer). */
  sign: boolean;
  /** The hash type of new signatures. */
  sighash: number;
  /** Write final fields when complete (else keep partial signatures). */
  finalize: boolean;
}

/**
 * `SignPSTInput`: adds what the provider can contribute to input `index`; true when the input
 * is complete. A PST whose input lacks a usable UTXO is left as it is.
 */
export function signPstInput(
  secp: Secp256k1,
  provider: SigningProvider,
  pst: Pst,
  index: number,
  options: SignPstInputOptions,
): boolean {
  const input = pst.inputs[index];
  if (pstInputSigned(input)) return true;
  const spent = spentOutput(pst, index);
  if (!spent) return false;
  const data = fillSignatureData(input);
  const creator = options.sign
    ? transactionSignatureCreator(
      secp,
      pst.tx,
      index,
      { amount: spent.output.value, refheight: spent.refheight },
      options.sighash,
    )
    : mergeOnlyCreator(
      new TransactionSignatureChecker(secp, pst.tx, index, spent.output.value, spent.refheight),
    );
  const complete = produceSignature(provider, creator, spent.output.scriptPubKey, data);
  const isWitness = data.witness.length > 0;
  if (spent.requireWitness && !isWitness) return false;
  if (!options.finalize && data.complete) data.complete = false;
  fromSignatureData(input, data);
  if (isWitness) input.witnessUtxo = { output: spent.output, refheight: spent.refheight };
  return complete;
}

/** `FinalizePST`: finalizes every input it can; true when all are final. */
export function finalizePst(secp: Secp256k1, pst: Pst): boolean {
  const provider = new SigningProvider(secp);
  let complete = true;
  for (let i = 0; i < pst.inputs.length; i++) {
    const options = { sign: false, sighash: SIGHASH_ALL, finalize: true };
    complete = signPstInput(secp, provider, pst, i, options) && complete;
  }
  return complete;
}

/**
 * `FinalizeAndExtractPST`: the network transaction when every input is final, else undefined.
 * The PST is finalized in place.
 */
export function finalizeAndExtractPst(secp: Secp256k1, pst: Pst): Transaction | undefined {
  if (!finalizePst(secp, pst)) return undefined;
  return extractTransaction(pst);
}

/** The transaction with every input's final scriptSig and witness filled in. */
export function extractTransaction(pst: Pst): Transaction {
  const inputs = pst.tx.inputs.map((txin, i) =>
    new TxIn({
      prevout: txin.prevout,
      sequence: txin.sequence,
      scriptSig: pst.inputs[i].finalScriptSig,
      witness: pst.inputs[i].finalScriptWitness,
    })
  );
  return new Transaction({ ...pst.tx, inputs, outputs: pst.tx.outputs });
}

function mergeMap<T>(into: Map<string, T>, from: Map<string, T>): void {
  for (const [key, value] of from) if (!into.has(key)) into.set(key, value);
}

/** `PSTInput::Merge`. */
function mergeInput(into: PstInput, from: PstInput): void {
  into.nonWitnessUtxo ??= from.nonWitnessUtxo;
  into.witnessUtxo ??= from.witnessUtxo;
  mergeMap(into.partialSigs, from.partialSigs);
  mergeMap(into.ripemd160Preimages, from.ripemd160Preimages);
  mergeMap(into.sha256Preimages, from.sha256Preimages);
  mergeMap(into.hash160Preimages, from.hash160Preimages);
  mergeMap(into.hash256Preimages, from.hash256Preimages);
  mergeMap(into.hdKeypaths, from.hdKeypaths);
  mergeMap(into.unknown, from.unknown);
  mergeMap(into.proprietary, from.proprietary);
  into.redeemScript ??= from.redeemScript;
  into.witnessEntry ??= from.witnessEntry;
  into.finalScriptSig ??= from.finalScriptSig;
  into.finalScriptWitness ??= from.finalScriptWitness;
  into.sighashType ??= from.sighashType;
}

/** `PSTOutput::Merge`. */
function mergeOutput(into: PstOutput, from: PstOutput): void {
  mergeMap(into.hdKeypaths, from.hdKeypaths);
  mergeMap(into.unknown, from.unknown);
  mergeMap(into.proprietary, from.proprietary);
  into.redeemScript ??= from.redeemScript;
  into.witnessEntry ??= from.witnessEntry;
}

/**
 * `CombinePSTs`: the first PST with everything the others add; throws {@link PstMismatchError}
 * when they are for different transactions. The inputs are not modified.
 */
export function combinePsts(psts: readonly Pst[]): Pst {
  const [first, ...rest] = psts;
  const out = structuredClonePst(first);
  for (const other of rest) {
    if (other.tx.txidHex !== out.tx.txidHex) throw new PstMismatchError();
    other.inputs.forEach((input, i) => mergeInput(out.inputs[i], input));
    other.outputs.forEach((output, i) => mergeOutput(out.outputs[i], output));
    const known = new Set(out.xpubs.map((x) => bytesToHex(x.xpub)));
    for (const xpub of other.xpubs) if (!known.has(bytesToHex(xpub.xpub))) out.xpubs.push(xpub);
    mergeMap(out.unknown, other.unknown);
    mergeMap(out.proprietary, other.proprietary);
  }
  return out;
}

/** A copy whose maps and arrays may be changed without touching the original. */
export function structuredClonePst(pst: Pst): Pst {
  return {
    ...pst,
    xpubs: [...pst.xpubs],
    proprietary: new Map(pst.proprietary),
    unknown: new Map(pst.unknown),
    inputs: pst.inputs.map((input) => ({
      ...input,
      partialSigs: new Map(input.partialSigs),
      hdKeypaths: new Map(input.hdKeypaths),
      ripemd160Preimages: new Map(input.ripemd160Preimages),
      sha256Preimages: new Map(input.sha256Preimages),
      hash160Preimages: new Map(input.hash160Preimages),
      hash256Preimages: new Map(input.hash256Preimages),
      proprietary: new Map(input.proprietary),
      unknown: new Map(input.unknown),
    })),
    outputs: pst.outputs.map((output) => ({
      ...output,
      hdKeypaths: new Map(output.hdKeypaths),
      proprietary: new Map(output.proprietary),
      unknown: new Map(output.unknown),
    })),
  };
}
