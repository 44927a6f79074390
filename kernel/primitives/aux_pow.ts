import type { ByteReader } from "../encoding/byte_reader.ts";
import type { ByteWriter } from "../encoding/byte_writer.ts";

/** One level of the merge-mining commitment's Merkle-map branch. */
export interface CommitBranchEntry {
  /** Number of key bits skipped at this level (a uint8). */
  readonly skip: number;
  /** The sibling hash. */
  readonly hash: Uint8Array;
}

/** The fields of an {@link AuxProofOfWork} (primitives/block.h, same order). */
export interface AuxProofOfWorkFields {
  /** nVersion of the committed block template (m_commit_version). */
  commitVersion: number;
  /** Transaction root of the template, coinbase masked (m_commit_hash_merkle_root). */
  commitHashMerkleRoot: Uint8Array;
  /** Stores the difficulty filter prediction, not a time (m_commit_time). */
  commitTime: number;
  /** Target of the auxiliary proof-of-work (m_commit_bits). */
  commitBits: number;
  /** Low byte: the bias; upper bits: filter state (m_commit_nonce). */
  commitNonce: number;
  /** Block-withholding secret, low 64 bits. */
  secretLo: bigint;
  /** Block-withholding secret, high 64 bits. */
  secretHi: bigint;
  /** Merkle-map branch from our commitment to the parent commitment root. */
  commitBranch: readonly CommitBranchEntry[];
  /** SHA-256 state of the parent block-final transaction before the commitment. */
  midstateHash: Uint8Array;
  /** Bytes hashed since the last complete 64-byte block (midstateLength % 64 of them). */
  midstateBuffer: Uint8Array;
  /** Bytes hashed into the midstate so far (uint32). */
  midstateLength: number;
  /** nLockTime of the parent block-final transaction. */
  auxLockTime: number;
  /** Stable Merkle branch of the parent block-final transaction. */
  auxBranch: readonly Uint8Array[];
  /** Transactions in the parent block; one more than the block-final index. */
  auxNumTxns: number;
  /** nVersion of the parent header. */
  auxVersion: number;
  /** hashPrevBlock of the parent header. */
  auxHashPrevBlock: Uint8Array;
  /** nBits of the parent header. */
  auxBits: number;
  /** nNonce of the parent header. */
  auxNonce: number;
}

/**
 * The merge-mining (auxiliary proof-of-work) extension of a block header
 * (AuxProofOfWork). This is only the data and its codec; checking it is
 * proof-of-work code. A null aux pow (m_aux_num_txns == 0) is represented by
 * the header having no `auxPow` at all.
 */
export class AuxProofOfWork implements AuxProofOfWorkFields {
  /** nVersion of the committed block template (m_commit_version). */
  readonly commitVersion: number;
  /** Transaction root of the template, coinbase masked (m_commit_hash_merkle_root). */
  readonly commitHashMerkleRoot: Uint8Array;
  /** Stores the difficulty filter prediction, not a time (m_commit_time). */
  readonly commitTime: number;
  /** Target of the auxiliary proof-of-work (m_commit_bits). */
  readonly commitBits: number;
  /** Low byte: the bias; upper bits: filter state (m_commit_nonce). */
  readonly commitNonce: number;
  /** Block-withholding secret, low 64 bits. */
  readonly secretLo: bigint;
  /** Block-withholding secret, high 64 bits. */
  readonly secretHi: bigint;
  /** Merkle-map branch from our commitment to the parent commitment root. */
  readonly commitBranch: readonly CommitBranchEntry[];
  /** SHA-256 state of the parent block-final transaction before the commitment. */
  readonly midstateHash: Uint8Array;
  /** Bytes hashed since the last complete 64-byte block (midstateLength % 64 of them). */
  readonly midstateBuffer: Uint8Array;
  /** Bytes hashed into the midstate so far (uint32). */
  readonly midstateLength: number;
  /** nLockTime of the parent block-final transaction. */
  readonly auxLockTime: number;
  /** Stable Merkle branch of the parent block-final transaction. */
  readonly auxBranch: readonly Uint8Array[];
  /** Transactions in the parent block; one more than the block-final index. */
  readonly auxNumTxns: number;
  /** nVersion of the parent header. */
  readonly auxVersion: number;
  /** hashPrevBlock of the parent header. */
  readonly auxHashPrevBlock: Uint8Array;
  /** nBits of the parent header. */
  readonly auxBits: number;
  /** nNonce of the parent header. */
  readonly auxNonce: number;

  /** Creates the extension from its fields (arrays are copied and frozen). */
  constructor(fields: AuxProofOfWorkFields) {
    this.commitVersion = fields.commitVersion;
    this.commitHashMerkleRoot = fields.commitHashMerkleRoot;
    this.commitTime = fields.commitTime;
    this.commitBits = fields.commitBits;
    this.commitNonce = fields.commitNonce;
    this.secretLo = fields.secretLo;
    this.secretHi = fields.secretHi;
    this.commitBranch = Object.freeze(fields.commitBranch.map((e) => Object.freeze({ ...e })));
    this.midstateHash = fields.midstateHash;
    this.midstateBuffer = fields.midstateBuffer;
    this.midstateLength = fields.midstateLength;
    this.auxLockTime = fields.auxLockTime;
    this.auxBranch = Object.freeze([...fields.auxBranch]);
    this.auxNumTxns = fields.auxNumTxns;
    this.auxVersion = fields.auxVersion;
    this.auxHashPrevBlock = fields.auxHashPrevBlock;
    this.auxBits = fields.auxBits;
    this.auxNonce = fields.auxNonce;
    Object.freeze(this);
  }

  /** Appends the serialization (AuxProofOfWork::Serialize). */
  write(writer: ByteWriter): void {
    writer.writeI32LE(this.commitVersion).writeBytes(this.commitHashMerkleRoot)
      .writeU32LE(this.commitTime).writeU32LE(this.commitBits).writeU32LE(this.commitNonce)
      .writeU64LE(this.secretLo).writeU64LE(this.secretHi);
    writer.writeCompactSize(this.commitBranch.length);
    for (const entry of this.commitBranch) writer.writeU8(entry.skip).writeBytes(entry.hash);
    writer.writeBytes(this.midstateHash).writeVarBytes(this.midstateBuffer)
      .writeVarInt(this.midstateLength).writeU32LE(this.auxLockTime);
    writer.writeCompactSize(this.auxBranch.length);
    for (const hash of this.auxBranch) writer.writeBytes(hash);
    // Stored as the block-final index, a uint32 that wraps like the reference's.
    writer.writeVarInt((this.auxNumTxns - 1) >>> 0);
    writer.writeI32LE(this.auxVersion).writeBytes(this.auxHashPrevBlock)
      .writeU32LE(this.auxBits).writeU32LE(this.auxNonce);
  }

  /** Reads the serialization (AuxProofOfWork::Unserialize). */
  static read(reader: ByteReader): AuxProofOfWork {
    const commitVersion = reader.readI32LE();
    const commitHashMerkleRoot = reader.readHash();
    const commitTime = reader.readU32LE();
    const commitBits = reader.readU32LE();
    const commitNonce = reader.readU32LE();
    const secretLo = reader.readU64LE();
    const secretHi = reader.readU64LE();
    const branchLength = reader.readVectorLength(33);
    const commitBranch: CommitBranchEntry[] = new Array(branchLength);
    for (let i = 0; i < branchLength; i++) {
      const skip = reader.readU8();
      commitBranch[i] = { skip, hash: reader.readHash() };
    }
    const midstateHash = reader.readHash();
    const midstateBuffer = reader.readVarBytes();
    const midstateLength = reader.readVarIntU32();
    const auxLockTime = reader.readU32LE();
    const auxBranchLength = reader.readVectorLength(32);
    const auxBranch: Uint8Array[] = new Array(auxBranchLength);
    for (let i = 0; i < auxBranchLength; i++) auxBranch[i] = reader.readHash();
    const auxNumTxns = (reader.readVarIntU32() + 1) >>> 0;
    return new AuxProofOfWork({
      commitVersion,
      commitHashMerkleRoot,
      commitTime,
      commitBits,
      commitNonce,
      secretLo,
      secretHi,
      commitBranch,
      midstateHash,
      midstateBuffer,
      midstateLength,
      auxLockTime,
      auxBranch,
      auxNumTxns,
      auxVersion: reader.readI32LE(),
      auxHashPrevBlock: reader.readHash(),
      auxBits: reader.readU32LE(),
      auxNonce: reader.readU32LE(),
    });
  }
}
