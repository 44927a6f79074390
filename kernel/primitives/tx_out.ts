import type { ByteReader } from "../encoding/byte_reader.ts";
import type { ByteWriter } from "../encoding/byte_writer.ts";

/**
 * A transaction output (CTxOut): the reference value in kria (the value at the
 * creating transaction's lock_height; demurrage applies from there) and the
 * scriptPubKey. Immutable.
 *
 * @example
 * ```ts
 * import { TxOut } from "./tx_out.ts";
 * const output = new TxOut(5_000_000_000n, new Uint8Array([0x51]));
 * console.assert(output.value === 5_000_000_000n);
 * ```
 */
export class TxOut {
  /** Smallest serialization: 8-byte value and an empty script. */
  static readonly MIN_SIZE = 9;

  /** Reference value in kria (CTxOut::GetReferenceValue); an int64. */
  readonly value: bigint;
  /** The locking script. */
  readonly scriptPubKey: Uint8Array;

  /** Creates an output; `value` must fit an int64. */
  constructor(value: bigint, scriptPubKey: Uint8Array) {
    if (value < -0x8000000000000000n || value > 0x7fffffffffffffffn) {
      throw new RangeError("an output value is an int64");
    }
    this.value = value;
    this.scriptPubKey = scriptPubKey;
    Object.freeze(this);
  }

  /** True for the "null" output with value -1 (CTxOut::IsNull). */
  isNull(): boolean {
    return this.value === -1n;
  }

  /** Appends the serialization (int64 value, script). */
  write(writer: ByteWriter): void {
    writer.writeI64LE(this.value).writeVarBytes(this.scriptPubKey);
  }

  /** Reads one output. */
  static read(reader: ByteReader): TxOut {
    const value = reader.readI64LE();
    return new TxOut(value, reader.readVarBytes());
  }
}
