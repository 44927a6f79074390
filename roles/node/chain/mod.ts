/**
 * The node's chainstate and block storage: blk/rev flat files in freicoind's format, the
 * block index and UTXO set in SQLite, the coins cache, and {@link ChainState}, which accepts
 * headers and blocks, activates the most-work chain, and answers chain queries.
 *
 * @module
 */
export * from "./async_lock.ts";
export * from "./block_index_entry.ts";
export {
  type BlockFileInfo,
  BlockStore,
  BlockStoreError,
  type FilePosition,
} from "./block_store.ts";
export { ChainDatabaseError } from "./block_index_db.ts";
export * from "./chain_events.ts";
export * from "./chain_state.ts";
export * from "./chain_state_types.ts";
export { compressAmount, decompressAmount } from "./coin_codec.ts";
export { decodeBlockUndo, encodeBlockUndo } from "./undo_codec.ts";
