/**
 * Partially Signed Transactions (Freicoin's PSBT, src/pst.{h,cpp}): the model, the hex/binary
 * codec and the BIP174 roles as pure functions.
 *
 * @module
 */
export * from "./pst.ts";
export * from "./pst_codec.ts";
export * from "./pst_roles.ts";
export * from "./analyze_pst.ts";
export * from "./fill_pst.ts";
