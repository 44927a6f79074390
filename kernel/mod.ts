/**
 * The consensus kernel: pure functions and data types, no I/O.
 *
 * @module
 */
export * from "./encoding/mod.ts";
export * from "./hash/mod.ts";
export * from "./primitives/mod.ts";
export * from "./amount/mod.ts";
export * from "./merkle/mod.ts";
export * from "./script/mod.ts";
export * from "./secp256k1/mod.ts";
export * from "./chain/mod.ts";
export * from "./consensus/mod.ts";
export * from "./address/mod.ts";
export * from "./keys/mod.ts";
export * from "./descriptor/mod.ts";
export * from "./blockfilter/mod.ts";
