import type { ByteReader } from "../encoding/byte_reader.ts";
import type { ByteWriter } from "../encoding/byte_writer.ts";
import { OutPoint } from "./outpoint.ts";

/** nSequence value that disables nLockTime and relative locks (CTxIn::SEQUENCE_FINAL). */
export const SEQUENCE_FINAL = 0xffffffff;
/** Largest nSequence that still enables nLockTime (CTxIn::MAX_SEQUENCE_NONFINAL). */
export const MAX_SEQUENCE_NONFINAL = 0xfffffffe;
/** BIP68: when set, nSequence is not a relative lock time. */
export const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
/** BIP68: when set, the relative lock is in units of 512 seconds, else blocks. */
export const SEQUENCE_LOCKTIME_TYPE_FLAG = 0x00400000;
/** BIP68: mask extracting the relative lock value. */
export const SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
/** BIP68: time-based relative locks are shifted by this many bits (512 s). */
export const SEQUENCE_LOCKTIME_GRANULARITY = 9;

/** The fields of a {@link TxIn}; all but `prevout` have defaults. */
export interface TxInFields {
  /** The outpoint spent. */
  prevout: OutPoint;
  /** Default: empty. */
  scriptSig?: Uint8Array;
  /** Default: {@link SEQUENCE_FINAL}. */
  sequence?: number;
  /** The witness stack (CTxIn::scriptWitness). Default: empty. */
  witness?: readonly Uint8Array[];
}

const EMPTY = new Uint8Array(0);
const NO_WITNESS: readonly Uint8Array[] = Object.freeze([]);

/**
 * A transaction input (CTxIn): the spent outpoint, scriptSig, nSequence and
 * the witness stack. Immutable.
 *
 * @example
 * ```ts
 * import { OutPoint } from "./outpoint.ts";
 * import { SEQUENCE_FINAL, TxIn } from "./tx_in.ts";
 * const input = new TxIn({ prevout: OutPoint.null() });
 * console.assert(input.sequence === SEQUENCE_FINAL);
 * ```
 */
export class TxIn {
  /** Smallest serialization without witness: outpoint, empty script, nSequence. */
  static readonly MIN_SIZE = 41;

  /** The outpoint spent. */
  readonly prevout: OutPoint;
  /** The unlocking script. */
  readonly scriptSig: Uint8Array;
  /** nSequence, a uint32. */
  readonly sequence: number;
  /** The witness stack (CTxIn::scriptWitness); empty when none. */
  readonly witness: readonly Uint8Array[];

  /** Creates an input. */
  constructor(fields: TxInFields) {
    this.prevout = fields.prevout;
    this.scriptSig = fields.scriptSig ?? EMPTY;
    this.sequence = fields.sequence ?? SEQUENCE_FINAL;
    if (!Number.isInteger(this.sequence) || this.sequence < 0 || this.sequence > 0xffffffff) {
      throw new RangeError("nSequence must be a uint32");
    }
    this.witness = fields.witness && fields.witness.length > 0
      ? Object.freeze([...fields.witness])
      : NO_WITNESS;
    Object.freeze(this);
  }

  /** True when the witness stack is not empty (CScriptWitness::IsNull negated). */
  hasWitness(): boolean {
    return this.witness.length > 0;
  }

  /** Appends outpoint, scriptSig and nSequence (the witness goes elsewhere). */
  write(writer: ByteWriter): void {
    this.prevout.write(writer);
    writer.writeVarBytes(this.scriptSig).writeU32LE(this.sequence);
  }

  /** Reads outpoint, scriptSig and nSequence; the witness is attached later. */
  static read(reader: ByteReader): TxIn {
    const prevout = OutPoint.read(reader);
    const scriptSig = reader.readVarBytes();
    return new TxIn({ prevout, scriptSig, sequence: reader.readU32LE() });
  }
}
