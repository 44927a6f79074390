/**
 * Code the node and the wallet both need that is not consensus: the transaction JSON writer,
 * signing (transactions and messages) and Partially Signed Transactions.
 *
 * @module
 */
export * from "./tx_json/mod.ts";
export * from "./signing/mod.ts";
export * from "./pst/mod.ts";
