import { sha256dPair } from "../hash/sha256_midstate.ts";

// "Stable" branches of the double-SHA-256 Merkle tree (consensus/merkle.h):
// the self-paired hashes along the right edge of an unbalanced tree are left
// out of the branch and recreated from a mask, so that a proof stays valid
// when the leaf changes. Merge mining proves the parent chain's block-final
// transaction this way.

/** The path and duplication mask of a stable branch. */
export interface MerklePathAndMask {
  /** Branch directions, one bit per hash in the branch (1 = hash on the left). */
  path: number;
  /** Bit i set: at level i the node is paired with itself, no hash consumed. */
  mask: number;
}

function highestBitCount(value: number): number {
  return value === 0 ? 0 : 32 - Math.clz32(value);
}

/**
 * Path and mask for the leaf at `position` given a stable branch of
 * `branchLength` hashes (ComputeMerklePathAndMask): for each level missing
 * from the branch, the first zero bit below the top set bit of the position
 * is removed from the path and recorded in the mask.
 *
 * @example
 * ```ts
 * import { computeMerklePathAndMask } from "./stable_merkle.ts";
 * // Leaf 2 of 3: its level-0 partner is itself.
 * const { path, mask } = computeMerklePathAndMask(1, 2);
 * console.assert(path === 1 && mask === 1);
 * ```
 */
export function computeMerklePathAndMask(
  branchLength: number,
  position: number,
): MerklePathAndMask {
  let max = highestBitCount(position >>> 0);
  let path = position >>> 0;
  let mask = 0;
  while (max > branchLength) {
    let zeroBit = max - 1;
    while (zeroBit >= 0 && (path & (1 << zeroBit)) !== 0) zeroBit--;
    if (zeroBit < 0) return { path: 0, mask: 0 }; // cannot happen for a real branch
    mask |= 1 << zeroBit;
    const below = path & ((1 << zeroBit) - 1);
    const above = zeroBit + 1 >= 32 ? 0 : path & ~((1 << (zeroBit + 1)) - 1);
    path = ((above >>> 1) | below) >>> 0;
    max--;
  }
  return { path: path >>> 0, mask: mask >>> 0 };
}

/** A root recomputed from a stable branch. */
export interface StableMerkleRootResult {
  root: Uint8Array;
  /** True when path or mask bits were left over (ComputeStableMerkleRootFromBranch's `mutated`). */
  mutated: boolean;
}

const hashPair = sha256dPair;

/**
 * Walks a stable branch up from `leaf` (ComputeStableMerkleRootFromBranch):
 * a set mask bit pairs the node with itself, otherwise the next branch hash
 * is combined on the side the path bit says; trailing mask bits are applied
 * after the last hash.
 */
export function computeStableMerkleRootFromBranch(
  leaf: Uint8Array,
  branch: readonly Uint8Array[],
  path: number,
  mask: number,
): StableMerkleRootResult {
  let hash = leaf;
  let pathBits = path >>> 0;
  let maskBits = mask >>> 0;
  let next = 0;
  while (next < branch.length) {
    if ((maskBits & 1) !== 0) {
      hash = hashPair(hash, hash);
    } else {
      const sibling = branch[next++];
      hash = (pathBits & 1) !== 0 ? hashPair(sibling, hash) : hashPair(hash, sibling);
      pathBits >>>= 1;
    }
    maskBits >>>= 1;
  }
  while ((maskBits & 1) !== 0) {
    hash = hashPair(hash, hash);
    maskBits >>>= 1;
  }
  return { root: hash, mutated: pathBits !== 0 || maskBits !== 0 };
}
