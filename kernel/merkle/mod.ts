/**
 * Merkle trees: the transaction root (double SHA-256, with the
 * CVE-2012-2459 mutation flag), the fast Merkle tree, and the witness root
 * and commitment of the block-final transaction. (Merge-mining's stable
 * branches and Merkle maps live with the aux-pow checks in `kernel/chain`.)
 *
 * @module
 */
export * from "./fast_merkle.ts";
export * from "./merkle_root.ts";
export * from "./witness_commitment.ts";
