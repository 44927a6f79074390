/**
 * Transactions, blocks and their wire codecs, with Freicoin's lock_height,
 * 0xff witness marker and aux-pow header extension.
 *
 * @module
 */
export * from "./aux_pow.ts";
export * from "./block.ts";
export * from "./block_header.ts";
export * from "./block_locator.ts";
export * from "./outpoint.ts";
export * from "./transaction.ts";
export * from "./tx_in.ts";
export * from "./tx_out.ts";
