/**
 * The PST wire format (src/pst.h): magic `pst\xff`, the global map, one map per input and per
 * output, each ended by a 0x00 separator. Decoding is strict and reports freicoind's texts
 * (libstdc++ appends ": iostream error" to every stream failure).
 *
 * @module
 */
import {
  ByteReader,
  bytesToHex,
  ByteWriter,
  DecodeError,
  hexToBytes,
} from "../../kernel/encoding/mod.ts";
import { Transaction, TxOut } from "../../kernel/primitives/mod.ts";
import { createPureSecp256k1, type Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { hash160 } from "../../kernel/hash/mod.ts";
import {
  emptyPstInput,
  emptyPstOutput,
  type Pst,
  type PstInput,
  type PstKeyOrigin,
  type PstOutput,
  type PstProprietary,
  pstVersion,
  type PstWitnessEntry,
} from "./pst.ts";

/** The four magic bytes every PST starts with. */
export const PST_MAGIC = Uint8Array.of(0x70, 0x73, 0x74, 0xff);
/** The highest PST version this code understands. */
export const PST_HIGHEST_VERSION = 0;
/** freicoind refuses PSTs above 100 MB (MAX_FILE_SIZE_PST). */
export const MAX_FILE_SIZE_PST = 100_000_000;

const GLOBAL_UNSIGNED_TX = 0x00;
const GLOBAL_XPUB = 0x01;
const GLOBAL_VERSION = 0xfb;
const PROPRIETARY = 0xfc;

const IN_NON_WITNESS_UTXO = 0x00;
const IN_WITNESS_UTXO = 0x01;
const IN_PARTIAL_SIG = 0x02;
const IN_SIGHASH = 0x03;
const IN_REDEEMSCRIPT = 0x04;
const IN_WITNESSSCRIPT = 0x05;
const IN_BIP32_DERIVATION = 0x06;
const IN_SCRIPTSIG = 0x07;
const IN_SCRIPTWITNESS = 0x08;
const IN_RIPEMD160 = 0x0a;
const IN_SHA256 = 0x0b;
const IN_HASH160 = 0x0c;
const IN_HASH256 = 0x0d;

const OUT_REDEEMSCRIPT = 0x00;
const OUT_WITNESSSCRIPT = 0x01;
const OUT_BIP32_DERIVATION = 0x02;

const XPUB_SIZE = 78;

/** A PST that could not be decoded; the message is freicoind's `error` text. */
export class PstDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PstDecodeError";
  }
}

/** Options for {@link decodePst}. */
export interface PstDecodeOptions {
  /** Validates public keys in keys (`IsFullyValid`); a pure backend by default. */
  secp?: Secp256k1;
}

let defaultSecp: Secp256k1 | undefined;

/** Decodes a hex PST (`DecodeHexPST`); throws {@link PstDecodeError}. */
export function decodeHexPst(hex: string, options: PstDecodeOptions = {}): Pst {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new PstDecodeError("invalid hex");
  return decodePst(hexToBytes(hex), options);
}

/** Decodes a binary PST (`DecodeRawPST`); throws {@link PstDecodeError}. */
export function decodePst(bytes: Uint8Array, options: PstDecodeOptions = {}): Pst {
  const secp = options.secp ?? (defaultSecp ??= createPureSecp256k1());
  const reader = new ByteReader(bytes);
  let pst: Pst;
  try {
    pst = readPst(reader, secp);
  } catch (error) {
    if (error instanceof StreamFailure) {
      throw new PstDecodeError(`${error.message}: iostream error`);
    }
    if (error instanceof DecodeError || error instanceof RangeError) {
      const text = error.message === "end of data"
        ? "DataStream::read(): end of data"
        : error.message;
      throw new PstDecodeError(`${text}: iostream error`);
    }
    throw error;
  }
  if (reader.remaining !== 0) throw new PstDecodeError("extra data after PST");
  return pst;
}

/** Encodes a PST as bytes (`PartiallySignedTransaction::Serialize`). */
export function encodePst(pst: Pst): Uint8Array {
  const w = new ByteWriter(256);
  w.writeBytes(PST_MAGIC);
  writeRecord(w, [GLOBAL_UNSIGNED_TX], pst.tx.toBytes({ witness: false }));
  for (const { xpub, origin } of sortedXpubs(pst)) {
    writeRecord(w, [GLOBAL_XPUB, ...xpub], originBytes(origin));
  }
  if (pstVersion(pst) > 0) writeRecord(w, [GLOBAL_VERSION], u32(pstVersion(pst)));
  writeExtras(w, pst.proprietary, pst.unknown);
  w.writeU8(0);
  for (const input of pst.inputs) writeInput(w, input);
  for (const output of pst.outputs) writeOutput(w, output);
  return w.toBytes();
}

/** Encodes a PST as the lower-case hex string the RPCs exchange. */
export function encodeHexPst(pst: Pst): string {
  return bytesToHex(encodePst(pst));
}

class StreamFailure extends Error {}

function fail(message: string): never {
  throw new StreamFailure(message);
}

function readPst(r: ByteReader, secp: Secp256k1): Pst {
  const magic = r.readBytes(4);
  if (!magic.every((byte, i) => byte === PST_MAGIC[i])) fail("Invalid PST magic bytes");
  let tx: Transaction | undefined;
  let version: number | undefined;
  const xpubs: Pst["xpubs"] = [];
  const seenXpubs = new Set<string>();
  const proprietary = new Map<string, PstProprietary>();
  const unknown = new Map<string, Uint8Array>();
  let foundSeparator = false;
  while (r.remaining > 0) {
    const key = r.readVarBytes();
    if (key.length === 0) {
      foundSeparator = true;
      break;
    }
    const keyReader = new ByteReader(key);
    const type = keyReader.readCompactSizeUnchecked();
    if (type === BigInt(GLOBAL_UNSIGNED_TX)) {
      if (tx) fail("Duplicate Key, unsigned tx already provided");
      if (key.length !== 1) fail("Global unsigned tx key is more than one byte type");
      tx = readSized(r, () => Transaction.read(r, { allowWitness: false }));
      if (tx.inputs.some((input) => input.scriptSig.length > 0 || input.witness.length > 0)) {
        fail("Unsigned tx does not have empty scriptSigs and scriptWitnesses.");
      }
    } else if (type === BigInt(GLOBAL_XPUB)) {
      if (key.length !== XPUB_SIZE + 1) {
        fail("Size of key was not the expected size for the type global xpub");
      }
      const xpub = key.slice(1);
      // The public key is the last 33 bytes of the serialized extended key.
      if (!secp.normalizePublicKey(xpub.subarray(45), true)) fail("Invalid pubkey");
      const id = bytesToHex(xpub);
      if (seenXpubs.has(id)) fail("Duplicate key, global xpub already provided");
      seenXpubs.add(id);
      xpubs.push({ xpub, origin: readOrigin(r, r.readCompactSize()) });
    } else if (type === BigInt(GLOBAL_VERSION)) {
      if (version !== undefined) fail("Duplicate Key, version already provided");
      if (key.length !== 1) fail("Global version key is more than one byte type");
      version = readSized(r, () => r.readU32LE());
      if (version > PST_HIGHEST_VERSION) fail("Unsupported version number");
    } else if (type === BigInt(PROPRIETARY)) {
      readProprietary(r, keyReader, key, proprietary);
    } else {
      readUnknown(r, key, unknown);
    }
  }
  if (!foundSeparator) fail("Separator is missing at the end of the global map");
  if (!tx) fail("No unsigned transaction was provided");
  const inputs: PstInput[] = [];
  while (r.remaining > 0 && inputs.length < tx.inputs.length) {
    const input = readInput(r, secp);
    const prevout = tx.inputs[inputs.length].prevout;
    if (input.nonWitnessUtxo && input.nonWitnessUtxo.txidHex !== prevout.txid) {
      fail("Non-witness UTXO does not match outpoint hash");
    }
    inputs.push(input);
  }
  if (inputs.length !== tx.inputs.length) {
    fail("Inputs provided does not match the number of inputs in transaction.");
  }
  const outputs: PstOutput[] = [];
  while (r.remaining > 0 && outputs.length < tx.outputs.length) outputs.push(readOutput(r, secp));
  if (outputs.length !== tx.outputs.length) {
    fail("Outputs provided does not match the number of outputs in transaction.");
  }
  return { tx, xpubs, version, proprietary, unknown, inputs, outputs };
}

/** `UnserializeFromVector`: a length, then objects read from the stream, which must fit it. */
function readSized<T>(r: ByteReader, read: () => T): T {
  const expected = r.readCompactSize();
  const before = r.remaining;
  const value = read();
  if (before - r.remaining !== expected) fail("Size of value was not the stated size");
  return value;
}

function readOrigin(r: ByteReader, length: number): PstKeyOrigin {
  if (length % 4 !== 0 || length === 0) fail("Invalid length for HD key path");
  const fingerprint = r.readBytes(4);
  const path: number[] = [];
  for (let i = 4; i < length; i += 4) path.push(r.readU32LE());
  return { fingerprint, path };
}

function readKeypath(
  r: ByteReader,
  key: Uint8Array,
  paths: Map<string, PstKeyOrigin>,
  secp: Secp256k1,
): void {
  if (key.length !== 66 && key.length !== 34) {
    fail("Size of key was not the expected size for the type BIP32 keypath");
  }
  const pubkey = key.subarray(1);
  if (!validPubkey(secp, pubkey)) fail("Invalid pubkey");
  const id = bytesToHex(pubkey);
  if (paths.has(id)) fail("Duplicate Key, pubkey derivation path already provided");
  paths.set(id, readOrigin(r, r.readCompactSize()));
}

function validPubkey(secp: Secp256k1, pubkey: Uint8Array): boolean {
  const compressed = pubkey.length === 33;
  if (compressed && pubkey[0] !== 2 && pubkey[0] !== 3) return false;
  if (!compressed && pubkey[0] !== 4) return false;
  return secp.normalizePublicKey(pubkey, compressed) !== null;
}

function readProprietary(
  r: ByteReader,
  keyReader: ByteReader,
  key: Uint8Array,
  into: Map<string, PstProprietary>,
): void {
  const identifier = keyReader.readVarBytes();
  const subtype = keyReader.readCompactSizeUnchecked();
  const id = bytesToHex(key);
  if (into.has(id)) fail("Duplicate Key, proprietary key already found");
  into.set(id, { identifier, subtype, key, value: r.readVarBytes() });
}

function readUnknown(r: ByteReader, key: Uint8Array, into: Map<string, Uint8Array>): void {
  const id = bytesToHex(key);
  if (into.has(id)) fail("Duplicate Key, key for unknown value already provided");
  into.set(id, r.readVarBytes());
}

function readWitnessEntry(r: ByteReader): PstWitnessEntry {
  const script = r.readVarBytes();
  const path = r.readVarIntU32();
  const count = r.readVectorLength(32);
  const branch: Uint8Array[] = [];
  for (let i = 0; i < count; i++) branch.push(r.readHash());
  return { script, path, branch };
}

/** Reads the value of a single-instance record after checking duplicates and the key size. */
function once(seen: Set<number>, type: number, key: Uint8Array, dup: string, size: string): void {
  if (seen.has(type)) fail(dup);
  seen.add(type);
  if (key.length !== 1) fail(size);
}

function readPreimage(
  r: ByteReader,
  key: Uint8Array,
  hashSize: number,
  name: string,
  into: Map<string, Uint8Array>,
): void {
  if (key.length !== hashSize + 1) {
    fail(`Size of key was not the expected size for the type ${name} preimage`);
  }
  const id = bytesToHex(key.subarray(1));
  if (into.has(id)) fail(`Duplicate Key, input ${name} preimage already provided`);
  into.set(id, r.readVarBytes());
}

function readInput(r: ByteReader, secp: Secp256k1): PstInput {
  const input = emptyPstInput();
  const seen = new Set<number>();
  let foundSeparator = false;
  while (r.remaining > 0) {
    const key = r.readVarBytes();
    if (key.length === 0) {
      foundSeparator = true;
      break;
    }
    const keyReader = new ByteReader(key);
    const wide = keyReader.readCompactSizeUnchecked();
    const type = wide > 0xffn ? -1 : Number(wide);
    switch (type) {
      case IN_NON_WITNESS_UTXO:
        once(
          seen,
          type,
          key,
          "Duplicate Key, input non-witness utxo already provided",
          "Non-witness utxo key is more than one byte type",
        );
        input.nonWitnessUtxo = readSized(r, () => Transaction.read(r, { allowWitness: true }));
        break;
      case IN_WITNESS_UTXO:
        once(
          seen,
          type,
          key,
          "Duplicate Key, input witness utxo already provided",
          "Witness utxo key is more than one byte type",
        );
        input.witnessUtxo = readSized(r, () => {
          const output = TxOut.read(r);
          return { output, refheight: r.readU32LE() };
        });
        break;
      case IN_PARTIAL_SIG: {
        if (key.length !== 66 && key.length !== 34) {
          fail("Size of key was not the expected size for the type partial signature pubkey");
        }
        const pubkey = key.slice(1);
        if (!validPubkey(secp, pubkey)) fail("Invalid pubkey");
        const id = bytesToHex(hash160(pubkey));
        if (input.partialSigs.has(id)) {
          fail("Duplicate Key, input partial signature for pubkey already provided");
        }
        input.partialSigs.set(id, { pubkey, sig: r.readVarBytes() });
        break;
      }
      case IN_SIGHASH:
        once(
          seen,
          type,
          key,
          "Duplicate Key, input sighash type already provided",
          "Sighash type key is more than one byte type",
        );
        input.sighashType = readSized(r, () => r.readI32LE());
        break;
      case IN_REDEEMSCRIPT:
        once(
          seen,
          type,
          key,
          "Duplicate Key, input redeemScript already provided",
          "Input redeemScript key is more than one byte type",
        );
        input.redeemScript = r.readVarBytes();
        break;
      case IN_WITNESSSCRIPT:
        once(
          seen,
          type,
          key,
          "Duplicate Key, input witnessScript already provided",
          "Input witnessScript key is more than one byte type",
        );
        input.witnessEntry = readWitnessEntry(r);
        break;
      case IN_BIP32_DERIVATION:
        readKeypath(r, key, input.hdKeypaths, secp);
        break;
      case IN_SCRIPTSIG:
        once(
          seen,
          type,
          key,
          "Duplicate Key, input final scriptSig already provided",
          "Final scriptSig key is more than one byte type",
        );
        input.finalScriptSig = r.readVarBytes();
        break;
      case IN_SCRIPTWITNESS:
        once(
          seen,
          type,
          key,
          "Duplicate Key, input final scriptWitness already provided",
          "Final scriptWitness key is more than one byte type",
        );
        input.finalScriptWitness = readSized(r, () => {
          const count = r.readVectorLength(1);
          const stack: Uint8Array[] = [];
          for (let i = 0; i < count; i++) stack.push(r.readVarBytes());
          return stack;
        });
        break;
      case IN_RIPEMD160:
        readPreimage(r, key, 20, "ripemd160", input.ripemd160Preimages);
        break;
      case IN_SHA256:
        readPreimage(r, key, 32, "sha256", input.sha256Preimages);
        break;
      case IN_HASH160:
        readPreimage(r, key, 20, "hash160", input.hash160Preimages);
        break;
      case IN_HASH256:
        readPreimage(r, key, 32, "hash256", input.hash256Preimages);
        break;
      case PROPRIETARY:
        readProprietary(r, keyReader, key, input.proprietary);
        break;
      default:
        readUnknown(r, key, input.unknown);
    }
  }
  if (!foundSeparator) fail("Separator is missing at the end of an input map");
  // freicoind keeps an empty final scriptSig as "absent" (CScript::empty()).
  if (input.finalScriptSig?.length === 0) input.finalScriptSig = undefined;
  if (input.finalScriptWitness?.length === 0) input.finalScriptWitness = undefined;
  if (input.redeemScript?.length === 0) input.redeemScript = undefined;
  if (input.witnessEntry?.script.length === 0) input.witnessEntry = undefined;
  if (input.witnessUtxo?.output.isNull()) input.witnessUtxo = undefined;
  return input;
}

function readOutput(r: ByteReader, secp: Secp256k1): PstOutput {
  const output = emptyPstOutput();
  const seen = new Set<number>();
  let foundSeparator = false;
  while (r.remaining > 0) {
    const key = r.readVarBytes();
    if (key.length === 0) {
      foundSeparator = true;
      break;
    }
    const keyReader = new ByteReader(key);
    const wide = keyReader.readCompactSizeUnchecked();
    const type = wide > 0xffn ? -1 : Number(wide);
    switch (type) {
      case OUT_REDEEMSCRIPT:
        once(
          seen,
          type,
          key,
          "Duplicate Key, output redeemScript already provided",
          "Output redeemScript key is more than one byte type",
        );
        output.redeemScript = r.readVarBytes();
        break;
      case OUT_WITNESSSCRIPT:
        once(
          seen,
          type,
          key,
          "Duplicate Key, output witnessScript already provided",
          "Output witnessScript key is more than one byte type",
        );
        output.witnessEntry = readWitnessEntry(r);
        break;
      case OUT_BIP32_DERIVATION:
        readKeypath(r, key, output.hdKeypaths, secp);
        break;
      case PROPRIETARY:
        readProprietary(r, keyReader, key, output.proprietary);
        break;
      default:
        readUnknown(r, key, output.unknown);
    }
  }
  if (!foundSeparator) fail("Separator is missing at the end of an output map");
  if (output.redeemScript?.length === 0) output.redeemScript = undefined;
  if (output.witnessEntry?.script.length === 0) output.witnessEntry = undefined;
  return output;
}

function u32(value: number): Uint8Array {
  return new ByteWriter(4).writeU32LE(value).toBytes();
}

function originBytes(origin: PstKeyOrigin): Uint8Array {
  const w = new ByteWriter(4 + 4 * origin.path.length);
  w.writeBytes(origin.fingerprint);
  for (const step of origin.path) w.writeU32LE(step);
  return w.toBytes();
}

/** A key and a length-prefixed value (`SerializeToVector` for both). */
function writeRecord(w: ByteWriter, key: number[] | Uint8Array, value: Uint8Array): void {
  w.writeVarBytes(Uint8Array.from(key)).writeVarBytes(value);
}

/** A one-byte key followed by a value that carries its own length prefix. */
function writeRaw(w: ByteWriter, type: number, value: Uint8Array): void {
  w.writeVarBytes(Uint8Array.of(type)).writeBytes(value);
}

function witnessEntryBytes(entry: PstWitnessEntry): Uint8Array {
  const w = new ByteWriter(entry.script.length + 8 + 32 * entry.branch.length);
  w.writeVarBytes(entry.script).writeVarInt(entry.path).writeCompactSize(entry.branch.length);
  for (const hash of entry.branch) w.writeBytes(hash);
  return w.toBytes();
}

function sortedKeys<T>(map: Map<string, T>): [string, T][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function compareBytes(
  a: Uint8Array | readonly number[],
  b: Uint8Array | readonly number[],
): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

/** xpubs in freicoind's order: by origin (fingerprint, then path), then by key. */
function sortedXpubs(pst: Pst): Pst["xpubs"] {
  return [...pst.xpubs].sort((a, b) =>
    compareBytes(a.origin.fingerprint, b.origin.fingerprint) ||
    compareBytes(a.origin.path, b.origin.path) || compareBytes(a.xpub, b.xpub)
  );
}

function writeExtras(
  w: ByteWriter,
  proprietary: Map<string, PstProprietary>,
  unknown: Map<string, Uint8Array>,
): void {
  for (const [, entry] of sortedKeys(proprietary)) {
    w.writeVarBytes(entry.key).writeVarBytes(entry.value);
  }
  for (const [key, value] of sortedKeys(unknown)) {
    w.writeVarBytes(hexToBytes(key)).writeVarBytes(value);
  }
}

function writeKeypaths(w: ByteWriter, type: number, paths: Map<string, PstKeyOrigin>): void {
  for (const [pubkey, origin] of sortedKeys(paths)) {
    writeRecord(w, [type, ...hexToBytes(pubkey)], originBytes(origin));
  }
}

function writeInput(w: ByteWriter, input: PstInput): void {
  if (input.nonWitnessUtxo) {
    writeRecord(w, [IN_NON_WITNESS_UTXO], input.nonWitnessUtxo.toBytes({ witness: false }));
  }
  if (input.witnessUtxo) {
    const value = new ByteWriter(64);
    input.witnessUtxo.output.write(value);
    value.writeU32LE(input.witnessUtxo.refheight);
    writeRecord(w, [IN_WITNESS_UTXO], value.toBytes());
  }
  if (input.finalScriptSig === undefined && input.finalScriptWitness === undefined) {
    for (const [, { pubkey, sig }] of sortedKeys(input.partialSigs)) {
      writeRecord(w, [IN_PARTIAL_SIG, ...pubkey], sig);
    }
    if (input.sighashType !== undefined) {
      writeRecord(w, [IN_SIGHASH], new ByteWriter(4).writeI32LE(input.sighashType).toBytes());
    }
    if (input.redeemScript) writeRecord(w, [IN_REDEEMSCRIPT], input.redeemScript);
    if (input.witnessEntry) writeRaw(w, IN_WITNESSSCRIPT, witnessEntryBytes(input.witnessEntry));
    writeKeypaths(w, IN_BIP32_DERIVATION, input.hdKeypaths);
    const preimages: [number, Map<string, Uint8Array>][] = [
      [IN_RIPEMD160, input.ripemd160Preimages],
      [IN_SHA256, input.sha256Preimages],
      [IN_HASH160, input.hash160Preimages],
      [IN_HASH256, input.hash256Preimages],
    ];
    for (const [type, map] of preimages) {
      for (const [hash, preimage] of sortedKeys(map)) {
        writeRecord(w, [type, ...hexToBytes(hash)], preimage);
      }
    }
  }
  if (input.finalScriptSig) writeRecord(w, [IN_SCRIPTSIG], input.finalScriptSig);
  if (input.finalScriptWitness) {
    const stack = new ByteWriter(128).writeCompactSize(input.finalScriptWitness.length);
    for (const item of input.finalScriptWitness) stack.writeVarBytes(item);
    writeRecord(w, [IN_SCRIPTWITNESS], stack.toBytes());
  }
  writeExtras(w, input.proprietary, input.unknown);
  w.writeU8(0);
}

function writeOutput(w: ByteWriter, output: PstOutput): void {
  if (output.redeemScript) writeRecord(w, [OUT_REDEEMSCRIPT], output.redeemScript);
  if (output.witnessEntry) writeRaw(w, OUT_WITNESSSCRIPT, witnessEntryBytes(output.witnessEntry));
  writeKeypaths(w, OUT_BIP32_DERIVATION, output.hdKeypaths);
  writeExtras(w, output.proprietary, output.unknown);
  w.writeU8(0);
}
