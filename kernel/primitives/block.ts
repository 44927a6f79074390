import { ByteReader } from "../encoding/byte_reader.ts";
import { ByteWriter } from "../encoding/byte_writer.ts";
import { BlockHeader } from "./block_header.ts";
import { Transaction, type TransactionEncodeOptions, WITNESS_SCALE_FACTOR } from "./transaction.ts";

/** Smallest possible serialized transaction (version, two empty vectors, nLockTime). */
const MIN_TX_SIZE = 10;

/**
 * A block (CBlock): a header and its transactions. Immutable.
 * Wire form: header (80 bytes or extended), CompactSize count, transactions
 * with witness.
 */
export class Block {
  /** The block header. */
  readonly header: BlockHeader;
  /** The transactions, coinbase first. */
  readonly transactions: readonly Transaction[];

  /** Creates a block; the transaction list is copied and frozen. */
  constructor(header: BlockHeader, transactions: readonly Transaction[]) {
    this.header = header;
    this.transactions = Object.freeze([...transactions]);
    Object.freeze(this);
  }

  /** The block hash (the header's), internal byte order. */
  get hash(): Uint8Array {
    return this.header.hash;
  }

  /** The block hash as displayed. */
  get hashHex(): string {
    return this.header.hashHex;
  }

  /** Appends the serialization (with witness unless `{ witness: false }`). */
  write(writer: ByteWriter, options: TransactionEncodeOptions = {}): void {
    this.header.write(writer);
    writer.writeCompactSize(this.transactions.length);
    for (const tx of this.transactions) tx.write(writer, options);
  }

  /** The serialization (with witness unless `{ witness: false }`). */
  toBytes(options: TransactionEncodeOptions = {}): Uint8Array {
    const writer = new ByteWriter(4096);
    this.write(writer, options);
    return writer.toBytes();
  }

  /** Serialized size with header and witness data (what the wire carries). */
  get totalSize(): number {
    let size = this.header.toBytes().length + compactSizeBytes(this.transactions.length);
    for (const tx of this.transactions) size += tx.totalSize;
    return size;
  }

  /** Serialized size without witness data. */
  get strippedSize(): number {
    let size = this.header.toBytes().length + compactSizeBytes(this.transactions.length);
    for (const tx of this.transactions) size += tx.strippedSize;
    return size;
  }

  /**
   * Weight: stripped size × 3 + total size (GetBlockWeight, before any
   * Freicoin adjustment for aux-pow header bytes, which consensus code makes).
   */
  get weight(): number {
    return this.strippedSize * (WITNESS_SCALE_FACTOR - 1) + this.totalSize;
  }

  /** Reads a block (header, then the transactions with witness). */
  static read(reader: ByteReader): Block {
    const header = BlockHeader.read(reader);
    const count = reader.readVectorLength(MIN_TX_SIZE);
    const transactions: Transaction[] = new Array(count);
    for (let i = 0; i < count; i++) transactions[i] = Transaction.read(reader);
    return new Block(header, transactions);
  }
}

function compactSizeBytes(n: number): number {
  return n < 253 ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** Decodes a whole buffer as one block; trailing bytes are rejected. */
export function decodeBlock(bytes: Uint8Array): Block {
  const reader = new ByteReader(bytes);
  const block = Block.read(reader);
  reader.assertFinished();
  return block;
}

/** Serializes a block (with witness unless `{ witness: false }`). */
export function encodeBlock(block: Block, options: TransactionEncodeOptions = {}): Uint8Array {
  return block.toBytes(options);
}
