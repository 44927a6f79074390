/**
 * `CMerkleBlock` and `CPartialMerkleTree` (src/merkleblock.cpp): a block header with the subset
 * of its transaction tree that proves some txids, as gettxoutproof writes it and
 * verifytxoutproof reads it. Serialization: header, uint32 transaction count, CompactSize-
 * prefixed hashes, CompactSize-prefixed flag bytes (bits least significant first).
 *
 * @module
 */
import { ByteReader, bytesEqual, ByteWriter } from "../../../kernel/encoding/mod.ts";
import { sha256dConcat } from "../../../kernel/hash/mod.ts";
import { BlockHeader } from "../../../kernel/primitives/mod.ts";

/** The largest transaction count a proof may claim (size-expansion weight / 240). */
const MAX_PROOF_TRANSACTIONS = Math.floor(0x7f000000 / (4 * 60));

function treeWidth(count: number, height: number): number {
  return Math.floor((count + (1 << height) - 1) / 2 ** height);
}

function treeHeight(count: number): number {
  let height = 0;
  while (treeWidth(count, height) > 1) height++;
  return height;
}

function parentHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256dConcat([left, right]);
}

/** A partial Merkle tree: the flags of a depth-first walk and the hashes it keeps. */
export interface PartialMerkleTree {
  readonly transactionCount: number;
  readonly hashes: readonly Uint8Array[];
  readonly bits: readonly boolean[];
}

/** `CPartialMerkleTree(vTxid, vMatch)`. */
export function buildPartialMerkleTree(
  txids: readonly Uint8Array[],
  matches: readonly boolean[],
): PartialMerkleTree {
  const count = txids.length;
  const hashes: Uint8Array[] = [];
  const bits: boolean[] = [];
  const calcHash = (height: number, pos: number): Uint8Array => {
    if (height === 0) return txids[pos];
    const left = calcHash(height - 1, pos * 2);
    const right = pos * 2 + 1 < treeWidth(count, height - 1)
      ? calcHash(height - 1, pos * 2 + 1)
      : left;
    return parentHash(left, right);
  };
  const build = (height: number, pos: number): void => {
    let parentOfMatch = false;
    const end = Math.min((pos + 1) * 2 ** height, count);
    for (let p = pos * 2 ** height; p < end; p++) parentOfMatch ||= matches[p];
    bits.push(parentOfMatch);
    if (height === 0 || !parentOfMatch) {
      hashes.push(calcHash(height, pos));
    } else {
      build(height - 1, pos * 2);
      if (pos * 2 + 1 < treeWidth(count, height - 1)) build(height - 1, pos * 2 + 1);
    }
  };
  build(treeHeight(count), 0);
  return { transactionCount: count, hashes, bits };
}

/**
 * `ExtractMatches`: the Merkle root the tree commits to and the matched txids with their
 * positions, or null when the tree is malformed.
 */
export function extractMatches(
  tree: PartialMerkleTree,
): { root: Uint8Array; matches: Uint8Array[]; indexes: number[] } | null {
  const count = tree.transactionCount;
  if (count === 0 || count > MAX_PROOF_TRANSACTIONS) return null;
  if (tree.hashes.length > count || tree.bits.length < tree.hashes.length) return null;
  let bitsUsed = 0;
  let hashesUsed = 0;
  let bad = false;
  const matches: Uint8Array[] = [];
  const indexes: number[] = [];
  const extract = (height: number, pos: number): Uint8Array => {
    if (bitsUsed >= tree.bits.length) {
      bad = true;
      return new Uint8Array(32);
    }
    const parentOfMatch = tree.bits[bitsUsed++];
    if (height === 0 || !parentOfMatch) {
      if (hashesUsed >= tree.hashes.length) {
        bad = true;
        return new Uint8Array(32);
      }
      const hash = tree.hashes[hashesUsed++];
      if (height === 0 && parentOfMatch) {
        matches.push(hash);
        indexes.push(pos);
      }
      return hash;
    }
    const left = extract(height - 1, pos * 2);
    let right = left;
    if (pos * 2 + 1 < treeWidth(count, height - 1)) {
      right = extract(height - 1, pos * 2 + 1);
      // Identical siblings would allow CVE-2012-2459-style duplicates.
      if (bytesEqual(right, left)) bad = true;
    }
    return parentHash(left, right);
  };
  const root = extract(treeHeight(count), 0);
  if (bad) return null;
  if (Math.ceil(bitsUsed / 8) !== Math.ceil(tree.bits.length / 8)) return null;
  if (hashesUsed !== tree.hashes.length) return null;
  return { root, matches, indexes };
}

/** A header with a partial Merkle tree (`CMerkleBlock`). */
export interface MerkleBlock {
  readonly header: BlockHeader;
  readonly tree: PartialMerkleTree;
}

/** Serializes a merkle block. */
export function encodeMerkleBlock(block: MerkleBlock): Uint8Array {
  const writer = new ByteWriter(256);
  block.header.write(writer);
  writer.writeU32LE(block.tree.transactionCount);
  writer.writeCompactSize(block.tree.hashes.length);
  for (const hash of block.tree.hashes) writer.writeBytes(hash);
  const bytes = new Uint8Array(Math.ceil(block.tree.bits.length / 8));
  block.tree.bits.forEach((bit, i) => {
    if (bit) bytes[i >> 3] |= 1 << (i & 7);
  });
  writer.writeCompactSize(bytes.length);
  writer.writeBytes(bytes);
  return writer.toBytes();
}

/** Reads a merkle block; throws a DecodeError on truncated or oversized data. */
export function decodeMerkleBlock(data: Uint8Array): MerkleBlock {
  const reader = new ByteReader(data);
  const header = BlockHeader.read(reader);
  const transactionCount = reader.readU32LE();
  const hashCount = reader.readVectorLength(32);
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < hashCount; i++) hashes.push(reader.readBytes(32));
  const byteCount = reader.readVectorLength(1);
  const flagBytes = reader.readBytes(byteCount);
  const bits: boolean[] = [];
  for (let i = 0; i < byteCount * 8; i++) bits.push((flagBytes[i >> 3] & (1 << (i & 7))) !== 0);
  return { header, tree: { transactionCount, hashes, bits } };
}
