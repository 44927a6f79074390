import { ByteReader } from "../encoding/byte_reader.ts";
import { ByteWriter } from "../encoding/byte_writer.ts";

/**
 * The version field written in front of a locator (CBlockLocator::DUMMY_VERSION
 * in the 27.1 source). It is ignored on receipt.
 */
export const BLOCK_LOCATOR_DUMMY_VERSION = 70017;

/**
 * A block locator (CBlockLocator): block hashes from the tip back to genesis,
 * densest near the tip. Serialized as int32 version, then the hash vector.
 */
export class BlockLocator {
  /** The hashes, internal byte order, newest first. */
  readonly have: readonly Uint8Array[];

  /** Creates a locator. */
  constructor(have: readonly Uint8Array[]) {
    this.have = Object.freeze([...have]);
    Object.freeze(this);
  }

  /** True when there are no hashes. */
  isNull(): boolean {
    return this.have.length === 0;
  }

  /** Appends the serialization; `version` defaults to the reference's dummy. */
  write(writer: ByteWriter, version: number = BLOCK_LOCATOR_DUMMY_VERSION): void {
    writer.writeI32LE(version).writeCompactSize(this.have.length);
    for (const hash of this.have) writer.writeBytes(hash);
  }

  /** The serialization. */
  toBytes(version: number = BLOCK_LOCATOR_DUMMY_VERSION): Uint8Array {
    const writer = new ByteWriter(4 + 1 + 32 * this.have.length);
    this.write(writer, version);
    return writer.toBytes();
  }

  /** Reads a locator; the version field is read and discarded. */
  static read(reader: ByteReader): BlockLocator {
    reader.readI32LE();
    const count = reader.readVectorLength(32);
    const have: Uint8Array[] = new Array(count);
    for (let i = 0; i < count; i++) have[i] = reader.readHash();
    return new BlockLocator(have);
  }
}

/** Decodes a whole buffer as a locator; trailing bytes are rejected. */
export function decodeBlockLocator(bytes: Uint8Array): BlockLocator {
  const reader = new ByteReader(bytes);
  const locator = BlockLocator.read(reader);
  reader.assertFinished();
  return locator;
}
