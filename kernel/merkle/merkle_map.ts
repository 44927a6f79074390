import { fastHash256 } from "../hash/fast_hash.ts";

// Merkle hash maps (consensus/merkle.cpp): a fast-Merkle radix tree keyed by
// 256-bit keys, used to place the merge-mining commitment of this chain
// beside other chains' commitments. Bit b of a key is bit b % 8 of byte
// 31 - b / 8, as in the reference.

function getBit(key: Uint8Array, bit: number): boolean {
  return (key[31 - (bit >> 3)] & (1 << (bit & 7))) !== 0;
}

function setBit(out: Uint8Array, bit: number): void {
  out[31 - (bit >> 3)] |= 1 << (bit & 7);
}

/** The skipped key bits [begin, end), reversed, with a terminating 1 bit (calc_bits). */
function skippedBits(key: Uint8Array, begin: number, end: number): Uint8Array {
  const out = new Uint8Array(32);
  for (let index = begin; index < end; index++) {
    if (getBit(key, 255 - index)) setBit(out, end - index - 1);
  }
  setBit(out, end - begin);
  return out;
}

/** The key bits not consumed by the branch (calc_remainder). */
function keyRemainder(key: Uint8Array, used: number): Uint8Array {
  if (used === 0) return key;
  const out = new Uint8Array(32);
  for (let index = 0; index < 256 - used; index++) {
    if (getBit(key, index)) setBit(out, index);
  }
  return out;
}

/** One level of a Merkle-map branch: key bits skipped, and the sibling hash. */
export interface MerkleMapBranchEntry {
  readonly skip: number;
  readonly hash: Uint8Array;
}

/** A Merkle-map root recomputed from a branch. */
export interface MerkleMapRootResult {
  /** The root; 32 zero bytes when invalid. */
  root: Uint8Array;
  /** True when the branch consumes 256 key bits or more. */
  invalid: boolean;
}

/**
 * Recomputes the root of a Merkle hash map from the value stored under `key`
 * and its branch (ComputeMerkleMapRootFromBranch).
 *
 * @example
 * ```ts
 * import { computeMerkleMapRootFromBranch } from "./merkle_map.ts";
 * const key = new Uint8Array(32).fill(1);
 * const { invalid } = computeMerkleMapRootFromBranch(new Uint8Array(32), [], key);
 * console.assert(!invalid);
 * ```
 */
export function computeMerkleMapRootFromBranch(
  value: Uint8Array,
  branch: readonly MerkleMapBranchEntry[],
  key: Uint8Array,
): MerkleMapRootResult {
  if (key.length !== 32 || value.length !== 32) {
    throw new RangeError("keys and values are 32 bytes");
  }
  let total = 0;
  for (const entry of branch) total += 1 + entry.skip;
  if (total >= 256) return { root: new Uint8Array(32), invalid: true };
  let hash = fastHash256(keyRemainder(key, total), value);
  for (const entry of branch) {
    total--;
    const begin = total - entry.skip;
    const end = total;
    hash = getBit(key, end) ? fastHash256(entry.hash, hash) : fastHash256(hash, entry.hash);
    hash = fastHash256(skippedBits(key, begin, end), hash);
  }
  return { root: hash, invalid: false };
}
