import { bytesEqual } from "../encoding/bytes.ts";
import { sha256d } from "../hash/sha256.ts";
import type { Block } from "../primitives/block.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { computeFastMerkleRoot } from "./fast_merkle.ts";
import { maskedCoinbase } from "./merkle_root.ts";

/** The 4 bytes that end a witness commitment ("4b4a4948"). */
export const WITNESS_COMMITMENT_MAGIC: Uint8Array = new Uint8Array([0x4b, 0x4a, 0x49, 0x48]);

// The commitment sits at the very end of the block-final transaction's
// stripped serialization: path(1) root(32) magic(4), then 8 more bytes that
// the reference assumes are nLockTime and lock_height.
const TRAILER = 8;
const COMMITMENT_SIZE = 1 + 32 + WITNESS_COMMITMENT_MAGIC.length;

/** A witness commitment read from a block. */
export interface WitnessCommitment {
  /** The path byte; its highest set bit gives the branch depth. */
  path: number;
  /** The committed root, internal byte order. */
  root: Uint8Array;
}

function commitmentOffset(stripped: Uint8Array): number | null {
  if (stripped.length < COMMITMENT_SIZE + TRAILER) return null;
  const magicAt = stripped.length - TRAILER - WITNESS_COMMITMENT_MAGIC.length;
  const magic = stripped.subarray(magicAt, magicAt + WITNESS_COMMITMENT_MAGIC.length);
  if (!bytesEqual(magic, WITNESS_COMMITMENT_MAGIC)) return null;
  return magicAt - 32 - 1;
}

/**
 * Reads the witness commitment from the end of the last transaction's
 * stripped serialization (GetWitnessCommitment), or null when absent.
 *
 * @example
 * ```ts
 * import { getWitnessCommitment } from "./witness_commitment.ts";
 * import { Block, BlockHeader } from "../primitives/mod.ts";
 * const header = new BlockHeader({
 *   version: 1, hashPrevBlock: new Uint8Array(32), hashMerkleRoot: new Uint8Array(32),
 *   time: 0, bits: 0, nonce: 0,
 * });
 * console.assert(getWitnessCommitment(new Block(header, [])) === null);
 * ```
 */
export function getWitnessCommitment(block: Block): WitnessCommitment | null {
  const last = block.transactions.at(-1);
  if (!last) return null;
  const stripped = last.toBytes({ witness: false });
  const at = commitmentOffset(stripped);
  if (at === null) return null;
  return { path: stripped[at], root: stripped.slice(at + 1, at + 33) };
}

/**
 * The leaf for the block-final transaction: SHA256d of its stripped
 * serialization with the 33 commitment bytes (path and root) zeroed, if a
 * commitment is present.
 */
export function blockFinalWitnessLeaf(tx: Transaction): Uint8Array {
  const stripped = tx.toBytes({ witness: false });
  const at = commitmentOffset(stripped);
  if (at !== null) stripped.fill(0, at, at + 33);
  return sha256d(stripped);
}

/**
 * The witness Merkle root (BlockWitnessMerkleRoot), a fast Merkle tree with
 * leaves: the coinbase's txid with input 0's scriptSig emptied and nSequence
 * 0; the wtxids of the other transactions; and for the last transaction the
 * hash of its stripped form with the commitment zeroed (for a one-transaction
 * block this last rule replaces the coinbase leaf).
 */
export function blockWitnessMerkleRoot(block: Block): Uint8Array {
  const txs = block.transactions;
  if (txs.length === 0) return computeFastMerkleRoot([]);
  const leaves = txs.map((tx) => tx.wtxid);
  leaves[0] = maskedCoinbase(txs[0]).txid;
  leaves[txs.length - 1] = blockFinalWitnessLeaf(txs[txs.length - 1]);
  return computeFastMerkleRoot(leaves);
}
