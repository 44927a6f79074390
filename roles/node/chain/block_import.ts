/**
 * Importing blocks from framed files (`LoadExternalBlockFile`, used by -reindex and
 * -loadblock): decode each record, hand blocks to the chainstate parents first, and hold a
 * block whose parent has not been seen yet until the parent arrives.
 */

import { bytesEqual } from "../../../kernel/encoding/bytes.ts";
import { hashToHex } from "../../../kernel/encoding/hex.ts";
import { type Block, decodeBlock } from "../../../kernel/primitives/block.ts";
import type { FilePosition } from "./block_store.ts";

/** One framed record of a block file. */
export interface BlockRecord {
  readonly bytes: Uint8Array;
  /** Where it lies in our own block files (-reindex), or undefined for an external file. */
  readonly position?: FilePosition;
}

/** Options of {@link importBlocks}. */
export interface ImportBlocksOptions {
  /** The network's genesis hash, internal byte order (it has no parent to wait for). */
  readonly genesisHash: Uint8Array;
  /** Whether the block tree knows the header with this display hash. */
  isKnown(hashHex: string): boolean;
  /** Stores one block; true when it was accepted as new. */
  accept(block: Block, record: BlockRecord): boolean;
  /**
   * Receives freicoind's `-debug=reindex` lines ("LoadExternalBlockFile: Out of order block
   * …", "… Processing out of order child …"), built only when called.
   */
  debug?(message: () => string): void;
}

/**
 * Feeds every decodable record to `options.accept`, parents before children. Undecodable
 * records are skipped; blocks whose parent never appears are dropped. Returns how many were
 * accepted.
 */
export function importBlocks(records: Iterable<BlockRecord>, options: ImportBlocksOptions): number {
  const waiting = new Map<string, { block: Block; record: BlockRecord }[]>();
  let count = 0;
  for (const record of records) {
    let block: Block;
    try {
      // Decoding copies what the block keeps, so the file buffer is not held by it.
      block = decodeBlock(record.bytes);
    } catch {
      continue;
    }
    const prevHex = hashToHex(block.header.hashPrevBlock);
    if (!bytesEqual(block.hash, options.genesisHash) && !options.isKnown(prevHex)) {
      options.debug?.(() =>
        `LoadExternalBlockFile: Out of order block ${block.hashHex}, parent ${prevHex} not known`
      );
      const list = waiting.get(prevHex) ?? [];
      list.push({ block, record });
      waiting.set(prevHex, list);
      continue;
    }
    if (options.accept(block, record)) count++;
    // Children that arrived before this block, then theirs (`blocks_with_unknown_parent`).
    const queue = [block.hashHex];
    while (queue.length > 0) {
      const head = queue.shift()!;
      const children = waiting.get(head);
      if (!children) continue;
      waiting.delete(head);
      for (const child of children) {
        options.debug?.(() =>
          `LoadExternalBlockFile: Processing out of order child ${child.block.hashHex} of ${head}`
        );
        if (options.accept(child.block, child.record)) count++;
        queue.push(child.block.hashHex);
      }
    }
  }
  return count;
}
