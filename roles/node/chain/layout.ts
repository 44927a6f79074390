/**
 * Every table of the node's two chain databases, with their schema versions.
 *
 * - `blocks/index/block_index.sqlite`: the block tree (`block_index`), blk/rev file
 *   bookkeeping (`block_files`) and flags (`meta`: reindexing, schema version).
 * - `chainstate/chainstate.sqlite`: the UTXO set (`coins`, keyed by txid ‖ big-endian output
 *   index so that key order is freicoind's LevelDB order) and `meta`: best block, head-blocks
 *   marker of an unfinished flush, block-final entry, schema version.
 *
 * Both use WAL journaling with `synchronous=FULL`: a commit is on stable storage before the
 * next step starts, so the write order (block files, then index, then coins) also holds
 * across a power failure, and `kill -9` can never leave a half-written transaction.
 */

/** Schema version of the block index database. */
export const BLOCK_INDEX_SCHEMA_VERSION = 1;
/** Schema version of the chainstate database. */
export const CHAINSTATE_SCHEMA_VERSION = 1;

/** File name of the block index database inside `blocks/index/`. */
export const BLOCK_INDEX_FILE = "block_index.sqlite";
/** File name of the chainstate database inside `chainstate/`. */
export const CHAINSTATE_FILE = "chainstate.sqlite";

/** Pragmas applied to both databases on open. */
export const DATABASE_PRAGMAS = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA temp_store = MEMORY;
`;

/** Block index tables. */
export const BLOCK_INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS block_index (
  hash BLOB PRIMARY KEY,
  height INTEGER NOT NULL,
  header BLOB NOT NULL,
  status INTEGER NOT NULL,
  tx_count INTEGER NOT NULL,
  data_file INTEGER,
  data_pos INTEGER,
  undo_file INTEGER,
  undo_pos INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS block_files (
  file INTEGER PRIMARY KEY,
  blocks INTEGER NOT NULL,
  size INTEGER NOT NULL,
  undo_size INTEGER NOT NULL,
  height_first INTEGER NOT NULL,
  height_last INTEGER NOT NULL,
  time_first INTEGER NOT NULL,
  time_last INTEGER NOT NULL
);
`;

/** Chainstate tables. */
export const CHAINSTATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS coins (outpoint BLOB PRIMARY KEY, coin BLOB NOT NULL) WITHOUT ROWID;
`;

/** Keys of the `meta` tables. */
export const MetaKey = {
  SCHEMA_VERSION: "schema_version",
  /** Block index: set while -reindex is rebuilding the index (`DB_REINDEX_FLAG`). */
  REINDEXING: "reindexing",
  /** Chainstate: hash of the block the coins reflect (`DB_BEST_BLOCK`). */
  BEST_BLOCK: "best_block",
  /** Chainstate: new tip ‖ old tip while a flush is in progress (`DB_HEAD_BLOCKS`). */
  HEAD_BLOCKS: "head_blocks",
  /** Chainstate: block-final entry at the best block (`DB_LAST_TX`). */
  FINAL_TX: "final_tx",
  /** Chainstate: block-final entry at the new tip of an unfinished flush. */
  HEAD_FINAL_TX: "head_final_tx",
} as const;
