import { ByteReader } from "../encoding/byte_reader.ts";
import { ByteWriter } from "../encoding/byte_writer.ts";
import { DecodeError } from "../encoding/decode_error.ts";
import { hashToHex } from "../encoding/hex.ts";
import { sha256d, sha256dConcat } from "../hash/sha256.ts";
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
  inputs: readonly TxIn[];
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

/** Hashes and sizes a decoder can supply from the raw bytes it read. */
interface KnownDigests {
  txid?: Uint8Array;
  wtxid?: Uint8Array;
  strippedSize?: number;
  totalSize?: number;
}

/**
 * A Freicoin transaction (CTransaction): immutable, with txid, wtxid and
 * sizes computed once and cached. Build a changed copy with
 * `new Transaction({ ...tx, lockHeight: 7 })`.
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
  readonly version: number;
  readonly inputs: readonly TxIn[];
  readonly outputs: readonly TxOut[];
  readonly lockTime: number;
  readonly lockHeight: number;

  #hasWitness: boolean;
  #txid?: Uint8Array;
  #wtxid?: Uint8Array;
  #strippedSize?: number;
  #totalSize?: number;

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

  /** Internal: attach hashes a decoder derived from canonical raw bytes. */
  static #withDigests(fields: TransactionFields, known: KnownDigests): Transaction {
    const tx = new Transaction(fields);
    tx.#txid = known.txid;
    tx.#wtxid = known.wtxid;
    tx.#strippedSize = known.strippedSize;
    tx.#totalSize = known.totalSize;
    return tx;
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

  /** SHA256d of the serialization without witness, internal byte order. */
  get txid(): Uint8Array {
    if (!this.#txid) {
      const stripped = this.toBytes({ witness: false });
      this.#strippedSize = stripped.length;
      this.#txid = sha256d(stripped);
    }
    return this.#txid;
  }

  /** SHA256d of the serialization with witness; equals txid without witness. */
  get wtxid(): Uint8Array {
    if (!this.#wtxid) {
      if (!this.#hasWitness) {
        this.#wtxid = this.txid;
      } else {
        const full = this.toBytes({ witness: true });
        this.#totalSize = full.length;
        this.#wtxid = sha256d(full);
      }
    }
    return this.#wtxid;
  }

  /** The txid as displayed (byte-reversed hex). */
  get txidHex(): string {
    return hashToHex(this.txid);
  }

  /** The wtxid as displayed (byte-reversed hex). */
  get wtxidHex(): string {
    return hashToHex(this.wtxid);
  }

  /** Size of the serialization without witness. */
  get strippedSize(): number {
    if (this.#strippedSize === undefined) {
      this.#strippedSize = this.toBytes({ witness: false }).length;
    }
    return this.#strippedSize;
  }

  /** Size of the serialization with witness (GetTotalSize). */
  get totalSize(): number {
    if (this.#totalSize === undefined) {
      this.#totalSize = this.#hasWitness ? this.toBytes().length : this.strippedSize;
    }
    return this.#totalSize;
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
    const withWitness = (options.witness ?? true) && this.#hasWitness;
    writer.writeI32LE(this.version);
    if (withWitness) writer.writeU8(EXTENDED_MARKER).writeU8(FLAG_WITNESS);
    writer.writeCompactSize(this.inputs.length);
    for (const input of this.inputs) input.write(writer);
    writer.writeCompactSize(this.outputs.length);
    for (const output of this.outputs) output.write(writer);
    if (withWitness) {
      for (const input of this.inputs) {
        writer.writeCompactSize(input.witness.length);
        for (const item of input.witness) writer.writeVarBytes(item);
      }
    }
    writer.writeU32LE(this.lockTime);
    if (this.hasSerializedLockHeight()) writer.writeU32LE(this.lockHeight);
  }

  /** The serialization, with witness unless `{ witness: false }`. */
  toBytes(options: TransactionEncodeOptions = {}): Uint8Array {
    const writer = new ByteWriter(this.#totalSize ?? 256);
    this.write(writer, options);
    return writer.toBytes();
  }

  /**
   * Reads one transaction from `reader` (UnserializeTransaction), rejecting
   * what the reference rejects: "Superfluous witness record" (witness flag
   * with all stacks empty), "Unknown transaction optional data" (other flag
   * bits, or the witness flag when witness is not allowed), non-canonical
   * CompactSizes and truncated data. The marker with flags 0 (`ff 00`) is
   * accepted, as in the reference; hashes always come from the canonical form.
   */
  static read(reader: ByteReader, options: TransactionDecodeOptions = {}): Transaction {
    const allowWitness = options.allowWitness ?? true;
    const start = reader.offset;
    const version = reader.readI32LE();
    let flags = 0;
    let extended = false;
    if (reader.peekU8() === EXTENDED_MARKER) {
      reader.readU8();
      flags = reader.readU8();
      extended = true;
    }
    const inputs = readInputs(reader);
    const outputCount = reader.readVectorLength(TxOut.MIN_SIZE);
    const outputs: TxOut[] = new Array(outputCount);
    for (let i = 0; i < outputCount; i++) outputs[i] = TxOut.read(reader);
    const witnessStart = reader.offset;
    let hasWitness = false;
    if ((flags & FLAG_WITNESS) !== 0 && allowWitness) {
      flags ^= FLAG_WITNESS;
      for (let i = 0; i < inputs.length; i++) {
        const witness = readWitnessStack(reader);
        if (witness.length > 0) {
          hasWitness = true;
          inputs[i] = new TxIn({ ...inputs[i], witness });
        }
      }
      // Consensus: encoding a witness flag with only empty stacks is illegal.
      if (!hasWitness) throw new DecodeError("Superfluous witness record");
    }
    if (flags !== 0) throw new DecodeError("Unknown transaction optional data");
    const witnessEnd = reader.offset;
    const lockTime = reader.readU32LE();
    const fields = { version, inputs, outputs, lockTime, lockHeight: 0 };
    if (!(version === 1 && inputs.length === 1 && inputs[0].prevout.isNull())) {
      fields.lockHeight = reader.readU32LE();
    }
    const end = reader.offset;
    return Transaction.#withDigests(
      fields,
      digestsFromRaw(reader, { start, witnessStart, witnessEnd, end, extended, hasWitness }),
    );
  }
}

interface RawLayout {
  start: number;
  witnessStart: number;
  witnessEnd: number;
  end: number;
  extended: boolean;
  hasWitness: boolean;
}

// The bytes just read are the canonical serialization unless the marker was
// present without witness data (`ff 00`): every CompactSize was checked to be
// minimal, and there is no other freedom in the format. So the hashes can be
// taken from the raw bytes instead of re-serializing.
function digestsFromRaw(reader: ByteReader, raw: RawLayout): KnownDigests {
  if (!raw.extended) {
    const bytes = reader.view(raw.start, raw.end);
    const txid = sha256d(bytes);
    return { txid, wtxid: txid, strippedSize: bytes.length, totalSize: bytes.length };
  }
  if (!raw.hasWitness) return {};
  const full = reader.view(raw.start, raw.end);
  const parts = [
    reader.view(raw.start, raw.start + 4),
    reader.view(raw.start + 6, raw.witnessStart),
    reader.view(raw.witnessEnd, raw.end),
  ];
  return {
    txid: sha256dConcat(parts),
    wtxid: sha256d(full),
    strippedSize: parts[0].length + parts[1].length + parts[2].length,
    totalSize: full.length,
  };
}

function readInputs(reader: ByteReader): TxIn[] {
  const count = reader.readVectorLength(TxIn.MIN_SIZE);
  const inputs: TxIn[] = new Array(count);
  for (let i = 0; i < count; i++) inputs[i] = TxIn.read(reader);
  return inputs;
}

function readWitnessStack(reader: ByteReader): Uint8Array[] {
  const count = reader.readVectorLength(1);
  const stack: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) stack[i] = reader.readVarBytes();
  return stack;
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
