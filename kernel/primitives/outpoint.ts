import type { ByteReader } from "../encoding/byte_reader.ts";
import type { ByteWriter } from "../encoding/byte_writer.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { hashToHex } from "../encoding/hex.ts";

/** The output index of a null outpoint (COutPoint::NULL_INDEX). */
export const NULL_INDEX = 0xffffffff;

const ZERO_HASH = new Uint8Array(32);

/**
 * A reference to a transaction output: the txid (internal byte order) and the
 * output index (COutPoint). Serialized as 32 bytes + uint32 LE.
 *
 * @example
 * ```ts
 * import { OutPoint } from "./outpoint.ts";
 * console.assert(OutPoint.null().isNull());
 * ```
 */
export class OutPoint {
  /** Serialized size in bytes. */
  static readonly SIZE = 36;

  /** Txid of the transaction holding the output, internal byte order. */
  readonly hash: Uint8Array;
  /** Output index. */
  readonly n: number;

  /** Creates an outpoint; `hash` must be 32 bytes and `n` a uint32. */
  constructor(hash: Uint8Array, n: number) {
    if (hash.length !== 32) throw new RangeError("an outpoint hash is 32 bytes");
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError("bad outpoint index");
    this.hash = hash;
    this.n = n;
    Object.freeze(this);
  }

  /** The null outpoint a coinbase input spends (zero hash, index 0xffffffff). */
  static null(): OutPoint {
    return new OutPoint(new Uint8Array(32), NULL_INDEX);
  }

  /** True for the coinbase outpoint (COutPoint::IsNull). */
  isNull(): boolean {
    return this.n === NULL_INDEX && bytesEqual(this.hash, ZERO_HASH);
  }

  /** The txid as displayed (byte-reversed hex). */
  get txid(): string {
    return hashToHex(this.hash);
  }

  /** True when both refer to the same output. */
  equals(other: OutPoint): boolean {
    return this.n === other.n && bytesEqual(this.hash, other.hash);
  }

  /** "txid:n", handy as a map key. */
  toString(): string {
    return `${this.txid}:${this.n}`;
  }

  /** Appends the 36-byte serialization. */
  write(writer: ByteWriter): void {
    writer.writeBytes(this.hash).writeU32LE(this.n);
  }

  /** Reads a 36-byte serialization. */
  static read(reader: ByteReader): OutPoint {
    const hash = reader.readHash();
    return new OutPoint(hash, reader.readU32LE());
  }
}
