/**
 * `-blockfilterindex=basic` (src/index/blockfilterindex.cpp): each block's BIP158 basic filter
 * and filter header, by block hash, in SQLite under `<network dir>/indexes/blockfilter/basic/`.
 * Filters of blocks that left the active chain stay (their hashes differ), as in freicoind.
 *
 * @module
 */
import { join } from "node:path";
import type { StatementSync } from "node:sqlite";
import { BlockFilter } from "../../../kernel/blockfilter/mod.ts";
import type { Block } from "../../../kernel/primitives/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import { ChainIndex, type ChainIndexOptions } from "./chain_index.ts";

/** Where the index lives inside the network directory. */
export const BLOCK_FILTER_INDEX_DIR = join("indexes", "blockfilter", "basic");

/** A stored filter and its header. */
export interface StoredBlockFilter {
  readonly filter: Uint8Array;
  readonly header: Uint8Array;
}

/** The basic block filter index. */
export class BlockFilterIndex extends ChainIndex {
  readonly #insert: StatementSync;
  readonly #select: StatementSync;

  private constructor(options: ChainIndexOptions) {
    super(
      options,
      { dir: BLOCK_FILTER_INDEX_DIR, file: "filters.sqlite" },
      "CREATE TABLE IF NOT EXISTS filters (block BLOB PRIMARY KEY, filter BLOB NOT NULL, header BLOB NOT NULL) WITHOUT ROWID;",
      "basic block filter index",
    );
    this.#insert = this.db.prepare(
      "INSERT OR REPLACE INTO filters (block, filter, header) VALUES (?, ?, ?)",
    );
    this.#select = this.db.prepare("SELECT filter, header FROM filters WHERE block = ?");
  }

  /** Opens (or creates) the index and starts catching up in the background. */
  static open(options: ChainIndexOptions): BlockFilterIndex {
    const index = new BlockFilterIndex(options);
    index.start();
    return index;
  }

  /** The filter and header of a block (internal-order hash), when indexed. */
  lookup(blockHash: Uint8Array): StoredBlockFilter | undefined {
    if (this.closed) return undefined;
    const row = this.#select.get(blockHash) as
      | { filter: Uint8Array; header: Uint8Array }
      | undefined;
    return row ? { filter: row.filter, header: row.header } : undefined;
  }

  protected writeBlock(block: Block, entry: BlockIndexEntry): void {
    const spent: Uint8Array[] = [];
    if (entry.height > 0) {
      const undo = this.chain.readUndo(entry);
      for (const coins of undo?.txUndo ?? []) {
        for (const coin of coins) spent.push(coin.output.scriptPubKey);
      }
    }
    const filter = BlockFilter.basic(block, spent);
    const previous = entry.prev ? this.lookup(entry.prev.hash)?.header : undefined;
    const header = filter.computeHeader(previous ?? new Uint8Array(32));
    this.#insert.run(entry.hash, filter.encoded, header);
  }
}
