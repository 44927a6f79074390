/**
 * Script: opcodes, parsing and printing, the interpreter with Freicoin's
 * rules, signature hashes, signature checking (secp256k1 injected), sigop
 * counting and standard output templates.
 *
 * @module
 */
export * from "./asm.ts";
export * from "./flags.ts";
export * from "./interpreter.ts";
export * from "./merkle_proof.ts";
export * from "./opcodes.ts";
export * from "./script.ts";
export * from "./script_error.ts";
export * from "./script_num.ts";
export * from "./sighash.ts";
export * from "./signature_checker.ts";
export * from "./signature_encoding.ts";
export * from "./sigops.ts";
export * from "./verify_script.ts";
export * from "./solver.ts";
