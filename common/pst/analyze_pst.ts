/**
 * `AnalyzePST` (src/node/pst.cpp): which role each input needs next, and, when every spent
 * output is known, the demurrage, fee and the size and feerate of the final transaction.
 *
 * @module
 */
import { timeAdjustValue } from "../../kernel/amount/mod.ts";
import { bytesToHex } from "../../kernel/encoding/mod.ts";
import { hash160 } from "../../kernel/hash/mod.ts";
import { isUnspendable, solveScript } from "../../kernel/script/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { SigningProvider } from "../signing/mod.ts";
import { type Pst, pstInputSigned, pstInputUtxo } from "./pst.ts";
import { extractTransaction, signPstInput, structuredClonePst } from "./pst_roles.ts";

/** The BIP174 roles in order (`PSTRole`); a PST's next role is its inputs' minimum. */
export const PST_ROLES = ["creator", "updater", "signer", "finalizer", "extractor"] as const;
/** A BIP174 role name as `analyzepst` writes it. */
export type PstRole = typeof PST_ROLES[number];

/** What an input still lacks (`SignatureData`'s missing_* fields), as hex ids. */
export interface PstMissing {
  pubkeys: string[];
  signatures: string[];
  redeemscript?: string;
  witnessscript?: string;
}

/** One input's state (`PSTInputAnalysis`). */
export interface PstInputAnalysis {
  hasUtxo: boolean;
  isFinal: boolean;
  next: PstRole;
  missing?: PstMissing;
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

/** Public keys the input already names (partial signatures and BIP32 origins), by key id. */
function knownPubkeys(pst: Pst, index: number): Map<string, Uint8Array> {
  const input = pst.inputs[index];
  const keys = new Map<string, Uint8Array>();
  for (const [id, { pubkey }] of input.partialSigs) keys.set(id, pubkey);
  for (const hex of input.hdKeypaths.keys()) {
    const pubkey = Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
    keys.set(bytesToHex(hash160(pubkey)), pubkey);
  }
  return keys;
}

/**
 * What input `index` lacks to be finalized: the scripts behind P2SH and witness hashes, then the
 * public keys and signatures of the script that must be satisfied.
 */
function missingOf(pst: Pst, index: number, scriptPubKey: Uint8Array): PstMissing {
  const input = pst.inputs[index];
  const missing: PstMissing = { pubkeys: [], signatures: [] };
  let script = scriptPubKey;
  let solved = solveScript(script);
  if (solved.type === "scripthash") {
    if (!input.redeemScript) {
      missing.redeemscript = bytesToHex(solved.solutions[0]);
      return missing;
    }
    script = input.redeemScript;
    solved = solveScript(script);
  }
  if (solved.type === "witness_v0_shorthash" || solved.type === "witness_v0_longhash") {
    const entry = input.witnessEntry?.script;
    if (!entry || entry[0] !== 0) {
      missing.witnessscript = bytesToHex(solved.solutions[0]);
      return missing;
    }
    script = entry.subarray(1);
    solved = solveScript(script);
  }
  const keys = knownPubkeys(pst, index);
  const needSignature = (keyId: string) => {
    if (!input.partialSigs.has(keyId)) missing.signatures.push(keyId);
  };
  if (solved.type === "pubkey") {
    needSignature(bytesToHex(hash160(solved.solutions[0])));
  } else if (solved.type === "pubkeyhash") {
    const keyId = bytesToHex(solved.solutions[0]);
    if (keys.has(keyId)) needSignature(keyId);
    else missing.pubkeys.push(keyId);
  } else if (solved.type === "multisig") {
    const required = solved.solutions[0][0];
    const pubkeys = solved.solutions.slice(1, -1);
    const have = pubkeys.filter((key) => input.partialSigs.has(bytesToHex(hash160(key)))).length;
    if (have < required) {
      for (const key of pubkeys) needSignature(bytesToHex(hash160(key)));
    }
  }
  return missing;
}

/**
 * Analyzes a PST without changing it. `bitcoinMode` (regtest -bitcoinmode) turns demurrage off.
 * Missing data is worked out for P2PK, P2PKH and multisig scripts, bare or behind P2SH and
 * witness v0 hashes.
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
    if (complete) {
      analysis.next = minRole(analysis.next, "finalizer");
    } else if (utxo) {
      const missing = missingOf(pst, i, utxo.output.scriptPubKey);
      const onlySignatures = missing.pubkeys.length === 0 && missing.redeemscript === undefined &&
        missing.witnessscript === undefined && missing.signatures.length > 0;
      analysis.next = minRole(analysis.next, onlySignatures ? "signer" : "updater");
      if (
        missing.pubkeys.length > 0 || missing.signatures.length > 0 ||
        missing.redeemscript !== undefined || missing.witnessscript !== undefined
      ) {
        analysis.missing = missing;
      }
    }
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
