/**
 * `size_on_disk` of getblockchaininfo (`BlockManager::CalculateCurrentUsage`): the bytes of
 * stored blocks and undo records in the blk/rev files, record headers included.
 *
 * @module
 */
import { BlockStatus } from "../chain/block_index_entry.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import { encodeBlockUndo } from "../chain/undo_codec.ts";

/** Magic and length before every block or undo record. */
const RECORD_HEADER_BYTES = 8;
/** The checksum after every undo record. */
const UNDO_CHECKSUM_BYTES = 32;

/** Per-entry sizes, computed once: stored data never changes size. */
const recordSizes = new WeakMap<BlockIndexEntry, { block: number; undo: number }>();

function sizesOf(chain: ChainState, entry: BlockIndexEntry): { block: number; undo: number } {
  let sizes = recordSizes.get(entry);
  const haveData = (entry.status & BlockStatus.HAVE_DATA) !== 0;
  const haveUndo = (entry.status & BlockStatus.HAVE_UNDO) !== 0;
  // Reuse the figures unless data or undo arrived since they were taken.
  if (sizes && (sizes.block > 0 || !haveData) && (sizes.undo > 0 || !haveUndo)) return sizes;
  let block = sizes?.block ?? 0;
  if (block === 0 && haveData) {
    const bytes = chain.readBlockBytes(entry);
    block = bytes ? bytes.length + RECORD_HEADER_BYTES : 0;
  }
  let undo = 0;
  if (haveUndo) {
    const data = chain.readUndo(entry);
    if (data) undo = encodeBlockUndo(data).length + RECORD_HEADER_BYTES + UNDO_CHECKSUM_BYTES;
  }
  sizes = { block, undo };
  recordSizes.set(entry, sizes);
  return sizes;
}

/**
 * The bytes the block and undo files hold. Uses the chainstate's own figure when it keeps one
 * (`blockFilesSize()`); otherwise sums the records of every stored block.
 */
export function sizeOnDisk(chain: ChainState): number {
  const own = (chain as unknown as { blockFilesSize?: () => number }).blockFilesSize;
  if (typeof own === "function") return own.call(chain);
  let total = 0;
  for (const entry of chain.blockIndex.values()) {
    const sizes = sizesOf(chain, entry);
    total += sizes.block + sizes.undo;
  }
  return total;
}
