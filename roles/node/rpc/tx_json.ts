/**
 * The transaction and script JSON writer now lives in `common/tx_json/` (the wallet needs it
 * too); this file keeps the node's imports stable.
 *
 * @module
 */
export * from "../../../common/tx_json/mod.ts";
