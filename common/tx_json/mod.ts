/**
 * The JSON forms of transactions and scripts (TxToUniv, ScriptToUniv) with Freicoin's fields,
 * shared by the node's and the wallet's RPC methods.
 *
 * @module
 */
export * from "./tx_json.ts";
