import { ByteReader } from "../encoding/byte_reader.ts";
import { ByteWriter } from "../encoding/byte_writer.ts";
import { DecodeError } from "../encoding/decode_error.ts";
import { hashToHex } from "../encoding/hex.ts";
import { sha256d } from "../hash/sha256.ts";
import { AuxProofOfWork } from "./aux_pow.ts";

/** nBits bit 23, the compact "sign" bit: set on the wire iff the header is extended. */
export const EXTENDED_HEADER_FLAG = 0x00800000;
/** Size of the native header (the part that is hashed). */
export const HEADER_SIZE = 80;

const EXTENDED_MARKER = 0xff;
const FLAG_AUX_POW = 1;

/** The fields of a {@link BlockHeader}. */
export interface BlockHeaderFields {
  /** nVersion, an int32. */
  version: number;
  /** Hash of the previous block, internal byte order. */
  hashPrevBlock: Uint8Array;
  /** Transaction Merkle root, internal byte order. */
  hashMerkleRoot: Uint8Array;
  /** nTime, a uint32. */
  time: number;
  /** nBits, the compact target, with bit 23 (the extension flag) clear. */
  bits: number;
  /** nNonce, a uint32. */
  nonce: number;
  /** The merge-mining extension, or null for a plain 80-byte header. */
  auxPow?: AuxProofOfWork | null;
}

/**
 * A block header (CBlockHeader). The block hash is SHA256d of the 80-byte
 * native header; the optional aux-pow extension is not hashed. Immutable,
 * hash cached.
 *
 * Wire form: version, prev hash, Merkle root, time, bits (with bit 23 set iff
 * extended), nonce; if extended: 0xff, flags (bit 0 = aux pow), AuxProofOfWork.
 */
export class BlockHeader implements BlockHeaderFields {
  readonly version: number;
  readonly hashPrevBlock: Uint8Array;
  readonly hashMerkleRoot: Uint8Array;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
  readonly auxPow: AuxProofOfWork | null;
  #hash?: Uint8Array;

  /** Creates a header. */
  constructor(fields: BlockHeaderFields) {
    if (fields.hashPrevBlock.length !== 32 || fields.hashMerkleRoot.length !== 32) {
      throw new RangeError("header hashes are 32 bytes");
    }
    this.version = fields.version;
    this.hashPrevBlock = fields.hashPrevBlock;
    this.hashMerkleRoot = fields.hashMerkleRoot;
    this.time = fields.time;
    this.bits = fields.bits;
    this.nonce = fields.nonce;
    this.auxPow = fields.auxPow ?? null;
    Object.freeze(this);
  }

  /** The block hash, internal byte order (CBlockHeader::GetHash). */
  get hash(): Uint8Array {
    if (!this.#hash) this.#hash = sha256d(this.nativeBytes());
    return this.#hash;
  }

  /** The block hash as displayed (byte-reversed hex). */
  get hashHex(): string {
    return hashToHex(this.hash);
  }

  /** True for a null header (nBits == 0, CBlockHeader::IsNull). */
  isNull(): boolean {
    return this.bits === 0;
  }

  /** The 80-byte native header, without the extension: what is hashed. */
  nativeBytes(): Uint8Array {
    const writer = new ByteWriter(HEADER_SIZE);
    writeNative(writer, this, this.bits);
    return writer.toBytes();
  }

  /** Appends the wire serialization (extended when there is aux pow). */
  write(writer: ByteWriter): void {
    if (this.auxPow === null) {
      writeNative(writer, this, this.bits);
      return;
    }
    writeNative(writer, this, (this.bits | EXTENDED_HEADER_FLAG) >>> 0);
    writer.writeU8(EXTENDED_MARKER).writeU8(FLAG_AUX_POW);
    this.auxPow.write(writer);
  }

  /** The wire serialization. */
  toBytes(): Uint8Array {
    const writer = new ByteWriter(HEADER_SIZE);
    this.write(writer);
    return writer.toBytes();
  }

  /**
   * Reads a header (CBlockHeader::Unserialize). Rejects a bad extension
   * marker ("Invalid extended block header dummy value") and unknown flags
   * ("Unknown block header optional data").
   */
  static read(reader: ByteReader): BlockHeader {
    const version = reader.readI32LE();
    const hashPrevBlock = reader.readHash();
    const hashMerkleRoot = reader.readHash();
    const time = reader.readU32LE();
    let bits = reader.readU32LE();
    const nonce = reader.readU32LE();
    let auxPow: AuxProofOfWork | null = null;
    if ((bits & EXTENDED_HEADER_FLAG) !== 0) {
      bits = (bits ^ EXTENDED_HEADER_FLAG) >>> 0;
      if (reader.readU8() !== EXTENDED_MARKER) {
        throw new DecodeError("Invalid extended block header dummy value");
      }
      let flags = reader.readU8();
      if ((flags & FLAG_AUX_POW) !== 0) {
        flags ^= FLAG_AUX_POW;
        auxPow = AuxProofOfWork.read(reader);
        // A wrapped-around count of 0 is the reference's null aux pow.
        if (auxPow.auxNumTxns === 0) auxPow = null;
      }
      if (flags !== 0) throw new DecodeError("Unknown block header optional data");
    }
    return new BlockHeader({ version, hashPrevBlock, hashMerkleRoot, time, bits, nonce, auxPow });
  }
}

function writeNative(writer: ByteWriter, header: BlockHeader, bits: number): void {
  writer.writeI32LE(header.version).writeBytes(header.hashPrevBlock)
    .writeBytes(header.hashMerkleRoot).writeU32LE(header.time).writeU32LE(bits)
    .writeU32LE(header.nonce);
}

/** Decodes a whole buffer as one header; trailing bytes are rejected. */
export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  const reader = new ByteReader(bytes);
  const header = BlockHeader.read(reader);
  reader.assertFinished();
  return header;
}

/** Serializes a header (80 bytes, or extended with aux pow). */
export function encodeBlockHeader(header: BlockHeader): Uint8Array {
  return header.toBytes();
}
