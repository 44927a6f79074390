/**
 * Signing shared by node and wallet: transaction input signing with a signing provider
 * (src/script/sign.cpp) and Bitcoin-style message signatures with compact-signature recovery.
 *
 * @module
 */
export * from "./message_signing.ts";
export * from "./sign_transaction.ts";
