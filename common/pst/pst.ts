/**
 * The in-memory form of a Partially Signed Transaction (src/pst.h): BIP174 without the taproot
 * keys, with Freicoin's witness UTXO (output plus refheight) and witness script entries
 * (script with its inner version byte, Merkle path and branch).
 *
 * Maps are keyed by lower-case hex of the key bytes, so sorting the keys gives freicoind's
 * std::map order.
 *
 * @module
 */
import type { Transaction, TxOut } from "../../kernel/primitives/mod.ts";

/** A BIP32 key origin: 4-byte master fingerprint and derivation path. */
export interface PstKeyOrigin {
  readonly fingerprint: Uint8Array;
  readonly path: readonly number[];
}

/** A witness v0 script entry (`WitnessV0ScriptEntry`). */
export interface PstWitnessEntry {
  /** The witness script with its leading inner version byte. */
  readonly script: Uint8Array;
  /** The leaf's position in the Merkle tree (VARINT on the wire). */
  readonly path: number;
  /** The Merkle branch hashes (uint256, internal byte order). */
  readonly branch: readonly Uint8Array[];
}

/** A proprietary record (`PSTProprietary`): the whole key, its identifier and subtype. */
export interface PstProprietary {
  readonly identifier: Uint8Array;
  readonly subtype: bigint;
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** A global extended public key with its origin. */
export interface PstXpub {
  /** The 78-byte serialized extended key (with version). */
  readonly xpub: Uint8Array;
  readonly origin: PstKeyOrigin;
}

/** Per-input data (`PSTInput`). */
export interface PstInput {
  nonWitnessUtxo?: Transaction;
  witnessUtxo?: { output: TxOut; refheight: number };
  /** Partial signatures by hex HASH160 of the public key. */
  partialSigs: Map<string, { pubkey: Uint8Array; sig: Uint8Array }>;
  sighashType?: number;
  redeemScript?: Uint8Array;
  witnessEntry?: PstWitnessEntry;
  /** BIP32 origins by hex public key. */
  hdKeypaths: Map<string, PstKeyOrigin>;
  ripemd160Preimages: Map<string, Uint8Array>;
  sha256Preimages: Map<string, Uint8Array>;
  hash160Preimages: Map<string, Uint8Array>;
  hash256Preimages: Map<string, Uint8Array>;
  finalScriptSig?: Uint8Array;
  finalScriptWitness?: Uint8Array[];
  /** Proprietary records by hex key. */
  proprietary: Map<string, PstProprietary>;
  /** Unknown records: hex key → value. */
  unknown: Map<string, Uint8Array>;
}

/** Per-output data (`PSTOutput`). */
export interface PstOutput {
  redeemScript?: Uint8Array;
  witnessEntry?: PstWitnessEntry;
  hdKeypaths: Map<string, PstKeyOrigin>;
  proprietary: Map<string, PstProprietary>;
  unknown: Map<string, Uint8Array>;
}

/** A Partially Signed Transaction (`PartiallySignedTransaction`). */
export interface Pst {
  /** The unsigned transaction (empty scriptSigs and witnesses). */
  tx: Transaction;
  xpubs: PstXpub[];
  /** The explicit version record, if present. */
  version?: number;
  proprietary: Map<string, PstProprietary>;
  unknown: Map<string, Uint8Array>;
  inputs: PstInput[];
  outputs: PstOutput[];
}

/** An input with no data. */
export function emptyPstInput(): PstInput {
  return {
    partialSigs: new Map(),
    hdKeypaths: new Map(),
    ripemd160Preimages: new Map(),
    sha256Preimages: new Map(),
    hash160Preimages: new Map(),
    hash256Preimages: new Map(),
    proprietary: new Map(),
    unknown: new Map(),
  };
}

/** An output with no data. */
export function emptyPstOutput(): PstOutput {
  return { hdKeypaths: new Map(), proprietary: new Map(), unknown: new Map() };
}

/** A PST for an unsigned transaction, with empty maps (the Creator role). */
export function pstFromTransaction(tx: Transaction): Pst {
  return {
    tx,
    xpubs: [],
    proprietary: new Map(),
    unknown: new Map(),
    inputs: tx.inputs.map(() => emptyPstInput()),
    outputs: tx.outputs.map(() => emptyPstOutput()),
  };
}

/** The PST version (`GetVersion`): the explicit record or 0. */
export function pstVersion(pst: Pst): number {
  return pst.version ?? 0;
}

/** Whether the input carries a final scriptSig or witness (`PSTInputSigned`). */
export function pstInputSigned(input: PstInput): boolean {
  return input.finalScriptSig !== undefined || input.finalScriptWitness !== undefined;
}

/** Counts the inputs without final data (`CountPSTUnsignedInputs`). */
export function countPstUnsignedInputs(pst: Pst): number {
  return pst.inputs.filter((input) => !pstInputSigned(input)).length;
}

/** The output an input spends and its refheight (`GetInputUTXO`), if known. */
export function pstInputUtxo(
  pst: Pst,
  index: number,
): { output: TxOut; refheight: number } | undefined {
  const input = pst.inputs[index];
  const prevout = pst.tx.inputs[index].prevout;
  if (input.nonWitnessUtxo) {
    if (prevout.n >= input.nonWitnessUtxo.outputs.length) return undefined;
    return {
      output: input.nonWitnessUtxo.outputs[prevout.n],
      refheight: input.nonWitnessUtxo.lockHeight,
    };
  }
  return input.witnessUtxo;
}
