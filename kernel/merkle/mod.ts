/**
 * Merkle trees: the transaction root (double SHA-256, with the
 * CVE-2012-2459 mutation flag) and its stable branches, the fast Merkle tree,
 * Merkle hash maps, the witness root and commitment of the block-final
 * transaction, and the merge-mining (aux pow) hashes built on them.
 *
 * @module
 */
export * from "./auxiliary_hash.ts";
export * from "./fast_merkle.ts";
export * from "./merkle_map.ts";
export * from "./merkle_root.ts";
export * from "./stable_merkle.ts";
export * from "./witness_commitment.ts";
