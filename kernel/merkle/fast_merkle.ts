import { fastHash256 } from "../hash/fast_hash.ts";
import { sha256d } from "../hash/sha256.ts";

// The fast Merkle tree (consensus/merkle.h): nodes are fastHash256, odd
// nodes are never duplicated. Its shape: the root's left subtree holds the
// largest power of two of leaves that is smaller than the leaf count, and the
// rest of the leaves form the right subtree, recursively.

function leftSize(count: number): number {
  let size = 1;
  while (size * 2 < count) size *= 2;
  return size;
}

function subtreeRoot(leaves: readonly Uint8Array[], start: number, end: number): Uint8Array {
  if (end - start === 1) return leaves[start];
  const middle = start + leftSize(end - start);
  return fastHash256(subtreeRoot(leaves, start, middle), subtreeRoot(leaves, middle, end));
}

/**
 * Root of the fast Merkle tree over `leaves` (ComputeFastMerkleRoot).
 * Empty list: SHA256d of nothing. One leaf: the leaf itself.
 *
 * @example
 * ```ts
 * import { computeFastMerkleRoot } from "./fast_merkle.ts";
 * const leaf = new Uint8Array(32).fill(7);
 * console.assert(computeFastMerkleRoot([leaf]) === leaf);
 * ```
 */
export function computeFastMerkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256d(new Uint8Array(0));
  return subtreeRoot(leaves, 0, leaves.length);
}

/** A fast Merkle branch: sibling hashes from the leaf upward, and the path bits. */
export interface FastMerkleBranch {
  /** Sibling hashes from the leaf upward. */
  branch: Uint8Array[];
  /**
   * Bit i set means the leaf's ancestor at level i is a right child. This is
   * not the leaf position: levels without a sibling are absent.
   */
  path: number;
}

/**
 * The proof for leaf `position` of a fast Merkle tree
 * (ComputeFastMerkleBranch); verify it with
 * {@link computeFastMerkleRootFromBranch}.
 */
export function computeFastMerkleBranch(
  leaves: readonly Uint8Array[],
  position: number,
): FastMerkleBranch {
  if (!Number.isInteger(position) || position < 0 || position >= leaves.length) {
    throw new RangeError("leaf position out of range");
  }
  const topDown: { sibling: Uint8Array; right: boolean }[] = [];
  let start = 0;
  let end = leaves.length;
  while (end - start > 1) {
    const middle = start + leftSize(end - start);
    if (position < middle) {
      topDown.push({ sibling: subtreeRoot(leaves, middle, end), right: false });
      end = middle;
    } else {
      topDown.push({ sibling: subtreeRoot(leaves, start, middle), right: true });
      start = middle;
    }
  }
  const branch: Uint8Array[] = [];
  let path = 0;
  for (let level = 0; level < topDown.length; level++) {
    const step = topDown[topDown.length - 1 - level];
    branch.push(step.sibling);
    if (step.right) path |= 1 << level;
  }
  return { branch, path: path >>> 0 };
}

/**
 * Walks a fast Merkle branch from `leaf` (ComputeFastMerkleRootFromBranch):
 * for each hash, path bit 1 puts it on the left. Returns null when bits are
 * left over in `path` (the reference's `invalid`).
 *
 * @example
 * ```ts
 * import { computeFastMerkleRootFromBranch } from "./fast_merkle.ts";
 * const leaf = new Uint8Array(32);
 * console.assert(computeFastMerkleRootFromBranch(leaf, [], 0) === leaf);
 * console.assert(computeFastMerkleRootFromBranch(leaf, [], 1) === null);
 * ```
 */
export function computeFastMerkleRootFromBranch(
  leaf: Uint8Array,
  /** Sibling hashes from the leaf upward. */
  branch: readonly Uint8Array[],
  path: number,
): Uint8Array | null {
  let hash = leaf;
  let bits = path >>> 0;
  for (const sibling of branch) {
    hash = (bits & 1) !== 0 ? fastHash256(sibling, hash) : fastHash256(hash, sibling);
    bits >>>= 1;
  }
  return bits === 0 ? hash : null;
}
