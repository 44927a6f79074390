import { bytesEqual } from "../encoding/bytes.ts";
import { sha256dPair } from "../hash/sha256_midstate.ts";
import type { Block } from "../primitives/block.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";

/** A Merkle root and whether the tree was malleable (CVE-2012-2459). */
export interface MerkleRootResult {
  /** The root, internal byte order; 32 zero bytes for an empty list. */
  root: Uint8Array;
  /**
   * True when two identical hashes were paired at some level: a transaction
   * list with duplicated entries could produce the same root, so CheckBlock
   * rejects it as "bad-txns-duplicate".
   */
  mutated: boolean;
}

const hashPair = sha256dPair;

/**
 * Bitcoin's double-SHA-256 Merkle root (ComputeMerkleRoot): an odd node at
 * any level is paired with itself.
 *
 * @example
 * ```ts
 * import { computeMerkleRoot } from "./merkle_root.ts";
 * const leaf = new Uint8Array(32);
 * console.assert(computeMerkleRoot([leaf]).root === leaf);
 * ```
 */
export function computeMerkleRoot(hashes: readonly Uint8Array[]): MerkleRootResult {
  if (hashes.length === 0) return { root: new Uint8Array(32), mutated: false };
  let level = [...hashes];
  let mutated = false;
  while (level.length > 1) {
    for (let i = 0; i + 1 < level.length; i += 2) {
      if (bytesEqual(level[i], level[i + 1])) mutated = true;
    }
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(hashPair(level[i], level[i + 1] ?? level[i]));
    }
    level = next;
  }
  return { root: level[0], mutated };
}

/**
 * The sibling hashes from leaf `position` up to the root of the
 * double-SHA-256 tree (ComputeMerkleBranch), duplicates included.
 */
export function computeMerkleBranch(
  hashes: readonly Uint8Array[],
  position: number,
): Uint8Array[] {
  const branch: Uint8Array[] = [];
  let level = [...hashes];
  let index = position;
  while (level.length > 1) {
    const sibling = index ^ 1;
    branch.push(level[sibling < level.length ? sibling : index]);
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(hashPair(level[i], level[i + 1] ?? level[i]));
    }
    level = next;
    index >>>= 1;
  }
  return branch;
}

/**
 * Recomputes a double-SHA-256 root from a leaf, its branch and its position
 * (ComputeMerkleRootFromBranch).
 */
export function computeMerkleRootFromBranch(
  leaf: Uint8Array,
  branch: readonly Uint8Array[],
  position: number,
): Uint8Array {
  let hash = leaf;
  let index = position;
  for (const sibling of branch) {
    hash = (index & 1) !== 0 ? hashPair(sibling, hash) : hashPair(hash, sibling);
    index >>>= 1;
  }
  return hash;
}

/**
 * The transaction Merkle root of a block over txids (BlockMerkleRoot), with
 * the mutation flag for "bad-txns-duplicate".
 */
export function blockMerkleRoot(block: Block): MerkleRootResult {
  return computeMerkleRoot(block.transactions.map((tx) => tx.txid));
}

/**
 * The transaction root with the coinbase's scriptSig emptied and nSequence
 * set to 0 (BlockTemplateMerkleRoot), committed to by merge mining as
 * `commit_hash_merkle_root`.
 */
export function blockTemplateMerkleRoot(block: Block): MerkleRootResult {
  const leaves = block.transactions.map((tx) => tx.txid);
  if (leaves.length > 0) leaves[0] = maskedCoinbase(block.transactions[0]).txid;
  return computeMerkleRoot(leaves);
}

/**
 * The coinbase with the miner-adjustable fields of input 0 blanked
 * (scriptSig empty, nSequence 0), as both the template root and the witness
 * root hash it.
 */
export function maskedCoinbase(coinbase: Transaction): Transaction {
  if (coinbase.inputs.length === 0) return coinbase;
  const inputs = [...coinbase.inputs];
  inputs[0] = new TxIn({ ...inputs[0], scriptSig: new Uint8Array(0), sequence: 0 });
  return new Transaction({ ...coinbase, inputs });
}
