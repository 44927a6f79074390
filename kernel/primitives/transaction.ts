import { ByteReader } from "../encoding/byte_reader.ts";
import { ByteWriter } from "../encoding/byte_writer.ts";
import { DecodeError } from "../encoding/decode_error.ts";
import { sha256d, sha256dConcat } from "../hash/sha256.ts";
import { concatBytes } from "../encoding/bytes.ts";
import { NULL_INDEX, OutPoint } from "./outpoint.ts";
import { TxIn } from "./tx_in.ts";
import { TxOut } from "./tx_out.ts";

/** The version new transactions get (CTransaction::CURRENT_VERSION). */
export const TX_CURRENT_VERSION = 2;

/** Weight of a stripped byte versus a witness byte (WITNESS_SCALE_FACTOR). */
export const WITNESS_SCALE_FACTOR = 4;

/** Marker byte of the extended (witness) serialization; Bitcoin uses 0x00. */
const EXTENDED_MARKER = 0xff;
/** Flag bit: witness stacks follow the outputs. */
const FLAG_WITNESS = 1;

/** The fields of a {@link Transaction}. */
export interface TransactionFields {
  /** nVersion, an int32. */
  version: number;
  /** The inputs (vin). */
  inputs: readonly TxIn[];
  /** The outputs (vout). */
  outputs: readonly TxOut[];
  /** nLockTime, a uint32. */
  lockTime: number;
  /**
   * lock_height, a uint32: the reference height of the outputs, the minimum
   * inclusion height, and at least every spent coin's refheight.
   */
  lockHeight: number;
}

/** Options for encoding a transaction. */
export interface TransactionEncodeOptions {
  /** Include witness data when present (TX_WITH_WITNESS). Default: true. */
  witness?: boolean;
}

/** Options for decoding a transaction. */
export interface TransactionDecodeOptions {
  /** Accept the witness flag (TX_WITH_WITNESS). Default: true. */
  allowWitness?: boolean;
}

/**
 * A Freicoin transaction (CTransaction): immutable, with its canonical
 * serialization, txid, wtxid and sizes computed once and cached. Build a
 * changed copy with `new Transaction({ ...tx, lockHeight: 7 })`.
 *
 * Serialization (primitives/transaction.h): int32 version; if any witness,
 * marker 0xff and flags 0x01; inputs; outputs; witness stacks; uint32
 * nLockTime; uint32 lock_height unless the transaction is a version-1
 * coinbase (one input with a null prevout).
 *
 * @example
 * ```ts
 * import { OutPoint, Transaction, TxIn, TxOut } from "./mod.ts";
 * const tx = new Transaction({
 *   version: 2,
 *   inputs: [new TxIn({ prevout: OutPoint.null(), scriptSig: new Uint8Array([1, 1]) })],
 *   outputs: [new TxOut(0n, new Uint8Array([0x51]))],
 *   lockTime: 0,
 *   lockHeight: 1,
 * });
 * console.assert(tx.isCoinBase() && tx.txidHex.length === 64);
 * ```
 */
export class Transaction implements TransactionFields {
  /** nVersion, an int32. */
  readonly version: number;
  /** The inputs (vin). */
  readonly inputs: readonly TxIn[];
  /** The outputs (vout). */
  readonly outputs: readonly TxOut[];
  /** nLockTime, a uint32. */
  readonly lockTime: number;
  /** lock_height, a uint32 (see TransactionFields). */
  readonly lockHeight: number;

  #hasWitness: boolean;
  #serialized?: CanonicalBytes;
  #txid?: Uint8Array;
  #wtxid?: Uint8Array;
  #txidHex?: string;
  #wtxidHex?: string;

  /** Creates a transaction; the arrays are copied and frozen. */
  constructor(fields: TransactionFields) {
    this.version = checkInt32(fields.version, "version");
    this.inputs = Object.freeze([...fields.inputs]);
    this.outputs = Object.freeze([...fields.outputs]);
    this.lockTime = checkUint32(fields.lockTime, "lockTime");
    this.lockHeight = checkUint32(fields.lockHeight, "lockHeight");
    this.#hasWitness = this.inputs.some((input) => input.hasWitness());
    // Private caches stay writable: freezing only covers public fields.
    Object.freeze(this);
  }

  /** True when some input has a non-empty witness stack (HasWitness). */
  hasWitness(): boolean {
    return this.#hasWitness;
  }

  /** One input spending the null outpoint (IsCoinBase). */
  isCoinBase(): boolean {
    return this.inputs.length === 1 && this.inputs[0].prevout.isNull();
  }

  /** No inputs and no outputs (CTransaction::IsNull). */
  isNull(): boolean {
    return this.inputs.length === 0 && this.outputs.length === 0;
  }

  /**
   * Whether lock_height is serialized: always, except for a version-1
   * transaction with one input spending the null outpoint.
   */
  hasSerializedLockHeight(): boolean {
    return !(this.version === 1 && this.isCoinBase());
  }

  /** The canonical serialization (with witness if any), built once. */
  #canonical(): CanonicalBytes {
    if (!this.#serialized) {
      const writer = new ByteWriter(256);
      this.#serialized = serializeCanonical(this, writer);
    }
    return this.#serialized;
  }

  /** SHA256d of the serialization without witness, internal byte order. */
  get txid(): Uint8Array {
    if (!this.#txid) this.#txid = sha256dConcat(strippedParts(this.#canonical()));
    return this.#txid;
  }

  /** SHA256d of the serialization with witness; equals txid without witness. */
  get wtxid(): Uint8Array {
    if (!this.#wtxid) {
      this.#wtxid = this.#hasWitness ? sha256d(this.#canonical().bytes) : this.txid;
    }
    return this.#wtxid;
  }

  /**
   * The txid as displayed (byte-reversed hex), built once: every connected block's
   * transactions are looked up by it in the mempool and the relay's sets.
   */
  get txidHex(): string {
    return this.#txidHex ??= displayHex(this.txid);
  }

  /** The wtxid as displayed (byte-reversed hex), built once. */
  get wtxidHex(): string {
    return this.#wtxidHex ??= this.#hasWitness ? displayHex(this.wtxid) : this.txidHex;
  }

  /** Size of the serialization without witness. */
  get strippedSize(): number {
    const canonical = this.#canonical();
    return canonical.witnessEnd === 0
      ? canonical.bytes.length
      : canonical.bytes.length - 2 - (canonical.witnessEnd - canonical.witnessStart);
  }

  /** Size of the serialization with witness (GetTotalSize). */
  get totalSize(): number {
    return this.#canonical().bytes.length;
  }

  /** Weight: stripped size × 3 + total size (GetTransactionWeight). */
  get weight(): number {
    return this.strippedSize * (WITNESS_SCALE_FACTOR - 1) + this.totalSize;
  }

  /** Virtual size: weight / 4 rounded up (without the sigop adjustment). */
  get virtualSize(): number {
    return Math.ceil(this.weight / WITNESS_SCALE_FACTOR);
  }

  /** Appends the serialization to `writer` (SerializeTransaction). */
  write(writer: ByteWriter, options: TransactionEncodeOptions = {}): void {
    const canonical = this.#canonical();
    if ((options.witness ?? true) || canonical.witnessEnd === 0) {
      writer.writeBytes(canonical.bytes);
    } else {
      for (const part of strippedParts(canonical)) writer.writeBytes(part);
    }
  }

  /** The serialization, with witness unless `{ witness: false }` (a fresh copy). */
  toBytes(options: TransactionEncodeOptions = {}): Uint8Array {
    const canonical = this.#canonical();
    if ((options.witness ?? true) || canonical.witnessEnd === 0) return canonical.bytes.slice();
    return concatBytes(...strippedParts(canonical));
  }

  /**
   * Reads one transaction from `reader` (UnserializeTransaction), rejecting
   * what the reference rejects: "Superfluous witness record" (witness flag
   * with all stacks empty), "Unknown transaction optional data" (other flag
   * bits, or the witness flag when witness is not allowed), non-canonical
   * CompactSizes and truncated data. The marker with flags 0 (`ff 00`) is
   * accepted, as in the reference; hashes always come from the canonical form.
   *
   * The transaction's bytes are copied once; its scripts and witness items are
   * views of that private copy, so it keeps nothing of `reader`'s buffer alive.
   */
  static read(reader: ByteReader, options: TransactionDecodeOptions = {}): Transaction {
    const layout = readLayout(reader, options.allowWitness ?? true);
    const own = reader.view(layout.start, layout.end).slice();
    const tx = materialize(layout, own);
    // The bytes read are canonical unless the marker came without witness
    // data (`ff 00`): every CompactSize was checked to be minimal and the
    // format has no other freedom. Then they are the cached serialization.
    if (!layout.extended || layout.hasWitness) {
      tx.#serialized = {
        bytes: own,
        witnessStart: layout.hasWitness ? layout.witnessStart - layout.start : 0,
        witnessEnd: layout.hasWitness ? layout.witnessEnd - layout.start : 0,
      };
    }
    return tx;
  }
}

/** A hash as displayed (byte-reversed hex), as one flat string (no 32-piece concatenation). */
function displayHex(hash: Uint8Array): string {
  return hash.slice().reverse().toHex();
}

/**
 * A canonical serialization; when there is witness data, `bytes[4..6)` is the
 * marker and flags and `[witnessStart, witnessEnd)` the witness stacks,
 * otherwise both offsets are 0.
 */
interface CanonicalBytes {
  bytes: Uint8Array;
  witnessStart: number;
  witnessEnd: number;
}

function strippedParts(canonical: CanonicalBytes): Uint8Array[] {
  const { bytes, witnessStart, witnessEnd } = canonical;
  if (witnessEnd === 0) return [bytes];
  return [bytes.subarray(0, 4), bytes.subarray(6, witnessStart), bytes.subarray(witnessEnd)];
}

function serializeCanonical(tx: Transaction, writer: ByteWriter): CanonicalBytes {
  const withWitness = tx.hasWitness();
  writer.writeI32LE(tx.version);
  if (withWitness) writer.writeU8(EXTENDED_MARKER).writeU8(FLAG_WITNESS);
  writer.writeCompactSize(tx.inputs.length);
  for (const input of tx.inputs) input.write(writer);
  writer.writeCompactSize(tx.outputs.length);
  for (const output of tx.outputs) output.write(writer);
  const witnessStart = writer.length;
  if (withWitness) {
    for (const input of tx.inputs) {
      writer.writeCompactSize(input.witness.length);
      for (const item of input.witness) writer.writeVarBytes(item);
    }
  }
  const witnessEnd = writer.length;
  writer.writeU32LE(tx.lockTime);
  if (tx.hasSerializedLockHeight()) writer.writeU32LE(tx.lockHeight);
  return {
    bytes: writer.toBytes(),
    witnessStart: withWitness ? witnessStart : 0,
    witnessEnd: withWitness ? witnessEnd : 0,
  };
}

/** Where each field of a transaction lies in the reader's buffer. */
interface Layout {
  start: number;
  end: number;
  /** nVersion, an int32. */
  version: number;
  extended: boolean;
  hasWitness: boolean;
  witnessStart: number;
  witnessEnd: number;
  /** Per input: prevout hash offset, index, script offset, script length, nSequence. */
  inputs: number[][];
  /** Per output: script offset and length; values separately. */
  outputs: number[][];
  values: bigint[];
  /** Per input: [offset, length] of each witness item. */
  witnesses: number[][][];
  /** nLockTime, a uint32. */
  lockTime: number;
  /** lock_height, a uint32 (see TransactionFields). */
  lockHeight: number;
}

function readLayout(reader: ByteReader, allowWitness: boolean): Layout {
  const start = reader.offset;
  const version = reader.readI32LE();
  let flags = 0;
  let extended = false;
  if (reader.peekU8() === EXTENDED_MARKER) {
    reader.readU8();
    flags = reader.readU8();
    extended = true;
  }
  const inputCount = reader.readVectorLength(TxIn.MIN_SIZE);
  const inputs: number[][] = new Array(inputCount);
  for (let i = 0; i < inputCount; i++) {
    const hashAt = reader.skip(32);
    const n = reader.readU32LE();
    const scriptLength = reader.readCompactSize();
    const scriptAt = reader.skip(scriptLength);
    inputs[i] = [hashAt, n, scriptAt, scriptLength, reader.readU32LE()];
  }
  const outputCount = reader.readVectorLength(TxOut.MIN_SIZE);
  const outputs: number[][] = new Array(outputCount);
  const values: bigint[] = new Array(outputCount);
  for (let i = 0; i < outputCount; i++) {
    values[i] = reader.readI64LE();
    const scriptLength = reader.readCompactSize();
    outputs[i] = [reader.skip(scriptLength), scriptLength];
  }
  const witnessStart = reader.offset;
  const witnesses: number[][][] = [];
  let hasWitness = false;
  if ((flags & FLAG_WITNESS) !== 0 && allowWitness) {
    flags ^= FLAG_WITNESS;
    for (let i = 0; i < inputCount; i++) {
      const itemCount = reader.readVectorLength(1);
      const items: number[][] = new Array(itemCount);
      for (let j = 0; j < itemCount; j++) {
        const length = reader.readCompactSize();
        items[j] = [reader.skip(length), length];
      }
      if (itemCount > 0) hasWitness = true;
      witnesses.push(items);
    }
    // Consensus: encoding a witness flag with only empty stacks is illegal.
    if (!hasWitness) throw new DecodeError("Superfluous witness record");
  }
  if (flags !== 0) throw new DecodeError("Unknown transaction optional data");
  const witnessEnd = reader.offset;
  const lockTime = reader.readU32LE();
  let lockHeight = 0;
  const v1Coinbase = version === 1 && inputCount === 1 &&
    inputs[0][1] === NULL_INDEX && isZero(reader.view(inputs[0][0], inputs[0][0] + 32));
  if (!v1Coinbase) lockHeight = reader.readU32LE();
  return {
    start,
    end: reader.offset,
    version,
    extended,
    hasWitness,
    witnessStart,
    witnessEnd,
    inputs,
    outputs,
    values,
    witnesses,
    lockTime,
    lockHeight,
  };
}

function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function materialize(layout: Layout, own: Uint8Array): Transaction {
  const at = (offset: number, length: number) =>
    own.subarray(offset - layout.start, offset - layout.start + length);
  const inputs = layout.inputs.map(([hashAt, n, scriptAt, scriptLength, sequence], i) => {
    const stack = layout.witnesses[i];
    return new TxIn({
      prevout: new OutPoint(at(hashAt, 32), n),
      scriptSig: at(scriptAt, scriptLength),
      sequence,
      witness: stack ? stack.map(([itemAt, length]) => at(itemAt, length)) : undefined,
    });
  });
  const outputs = layout.outputs.map(([scriptAt, length], i) =>
    new TxOut(layout.values[i], at(scriptAt, length))
  );
  return new Transaction({
    version: layout.version,
    inputs,
    outputs,
    lockTime: layout.lockTime,
    lockHeight: layout.lockHeight,
  });
}

function checkInt32(value: number, name: string): number {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`${name} must be an int32`);
  }
  return value;
}

function checkUint32(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${name} must be a uint32`);
  }
  return value;
}

/**
 * Decodes a whole buffer as one transaction; trailing bytes are rejected.
 *
 * @example
 * ```ts
 * import { decodeTransaction, encodeTransaction } from "./transaction.ts";
 * import { hexToBytes } from "../encoding/hex.ts";
 * const raw = hexToBytes("02000000" + "0000" + "00000000" + "00000000");
 * console.assert(encodeTransaction(decodeTransaction(raw)).length === raw.length);
 * ```
 */
export function decodeTransaction(
  bytes: Uint8Array,
  options: TransactionDecodeOptions = {},
): Transaction {
  const reader = new ByteReader(bytes);
  const tx = Transaction.read(reader, options);
  reader.assertFinished();
  return tx;
}

/** Serializes a transaction (with witness unless `{ witness: false }`). */
export function encodeTransaction(
  tx: Transaction,
  options: TransactionEncodeOptions = {},
): Uint8Array {
  return tx.toBytes(options);
}
