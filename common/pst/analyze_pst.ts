/**
 * `AnalyzePST` (src/node/pst.cpp): which role each input needs next, and, when every spent
 * output is known, the demurrage, fee and the size and feerate of the final transaction.
 *
 * @module
 */
import { timeAdjustValue } from "../../kernel/amount/mod.ts";
import { isUnspendable } from "../../kernel/script/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { SigningProvider } from "../signing/mod.ts";
import { type Pst, pstInputSigned, pstInputUtxo } from "./pst.ts";
import { extractTransaction, signPstInput, structuredClonePst } from "./pst_roles.ts";

/** The BIP174 roles in order (`PSTRole`); a PST's next role is its inputs' minimum. */
export const PST_ROLES = ["creator", "updater", "signer", "finalizer", "extractor"] as const;
/** A BIP174 role name as `analyzepst` writes it. */
export type PstRole = typeof PST_ROLES[number];

/** One input's state (`PSTInputAnalysis`). */
export interface PstInputAnalysis {
  hasUtxo: boolean;
  isFinal: boolean;
  next: PstRole;
}

/** The analysis of a whole PST (`PSTAnalysis`). */
export interface PstAnalysis {
  inputs: PstInputAnalysis[];
  estimatedVsize?: number;
  /** Kria per 1000 virtual bytes. */
  estimatedFeerate?: bigint;
  demurrage?: bigint;
  fee?: bigint;
  next: PstRole;
  error?: string;
}

const MAX_MONEY = 9_007_199_254_740_991n;
const SIGHASH_ALL = 1;

function moneyRange(value: bigint): boolean {
  return value >= 0n && value <= MAX_MONEY;
}

function invalid(error: string): PstAnalysis {
  return { inputs: [], next: "creator", error };
}

function minRole(a: PstRole, b: PstRole): PstRole {
  return PST_ROLES.indexOf(a) <= PST_ROLES.indexOf(b) ? a : b;
}

/**
 * Analyzes a PST without changing it. `bitcoinMode` (regtest -bitcoinmode) turns demurrage off.
 * Inputs that cannot be finalized are reported as needing the updater: unlike freicoind this
 * does not yet tell missing signatures from missing scripts.
 */
export function analyzePst(secp: Secp256k1, original: Pst, bitcoinMode = false): PstAnalysis {
  const pst = structuredClonePst(original);
  const provider = new SigningProvider(secp);
  const inputs: PstInputAnalysis[] = [];
  let calcFee = true;
  let rawIn = 0n;
  let presentIn = 0n;
  for (let i = 0; i < pst.inputs.length; i++) {
    const input = pst.inputs[i];
    const analysis: PstInputAnalysis = { hasUtxo: false, isFinal: false, next: "extractor" };
    inputs.push(analysis);
    const utxo = pstInputUtxo(pst, i);
    if (utxo) {
      const depth = pst.tx.lockHeight - utxo.refheight;
      const present = bitcoinMode ? utxo.output.value : timeAdjustValue(utxo.output.value, depth);
      if (
        !moneyRange(utxo.output.value) || !moneyRange(present) || !moneyRange(presentIn + present)
      ) {
        return invalid(`PST is not valid. Input ${i} has invalid value`);
      }
      rawIn += utxo.output.value;
      presentIn += present;
      analysis.hasUtxo = true;
      if (isUnspendable(utxo.output.scriptPubKey)) {
        return invalid(`PST is not valid. Input ${i} spends unspendable output`);
      }
    } else {
      const prevout = pst.tx.inputs[i].prevout;
      if (input.nonWitnessUtxo && prevout.n >= input.nonWitnessUtxo.outputs.length) {
        return invalid(`PST is not valid. Input ${i} specifies invalid prevout`);
      }
      analysis.next = "updater";
      calcFee = false;
    }
    if (pstInputSigned(input) && utxo) {
      analysis.isFinal = true;
      continue;
    }
    const options = { sign: false, sighash: SIGHASH_ALL, finalize: true };
    const complete = utxo !== undefined && signPstInput(secp, provider, pst, i, options);
    analysis.next = minRole(analysis.next, complete ? "finalizer" : "updater");
  }
  const next = inputs.reduce<PstRole>((role, input) => minRole(role, input.next), "extractor");
  const result: PstAnalysis = { inputs, next };
  if (!calcFee) return result;
  let outputs = 0n;
  for (const output of pst.tx.outputs) {
    if (!moneyRange(output.value) || !moneyRange(outputs + output.value)) {
      return invalid("PST is not valid. Output amount invalid");
    }
    outputs += output.value;
  }
  result.demurrage = rawIn - presentIn;
  result.fee = presentIn - outputs;
  if (pst.inputs.every(pstInputSigned)) {
    const vsize = extractTransaction(pst).virtualSize;
    result.estimatedVsize = vsize;
    result.estimatedFeerate = vsize > 0 ? (result.fee * 1000n) / BigInt(vsize) : 0n;
  }
  return result;
}
