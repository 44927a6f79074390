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
      block = decodeBlock(record.bytes.slice());
    } catch {
      continue;
    }
    const prevHex = hashToHex(block.header.hashPrevBlock);
    if (!bytesEqual(block.hash, options.genesisHash) && !options.isKnown(prevHex)) {
      const list = waiting.get(prevHex) ?? [];
      list.push({ block, record });
      waiting.set(prevHex, list);
      continue;
    }
    const queue = [{ block, record }];
    while (queue.length > 0) {
      const item = queue.shift()!;
      if (options.accept(item.block, item.record)) count++;
      const children = waiting.get(item.block.hashHex);
      if (children) {
        waiting.delete(item.block.hashHex);
        queue.push(...children);
      }
    }
  }
  return count;
}
