/**
 * Hash functions of the protocol: SHA-256, double SHA-256, RIPEMD-160,
 * HASH160, BIP340 tagged hashes, and the midstate SHA-256 behind the fast
 * Merkle tree. The compression functions come from a {@link HashBackend}:
 * TypeScript by default, libcrypto when start-up code installs
 * `native_backend.ts`'s.
 *
 * @module
 */
export * from "./fast_hash.ts";
export * from "./hash_backend.ts";
export * from "./ripemd160.ts";
export * from "./sha256.ts";
export * from "./sha256_midstate.ts";
export * from "./tagged_hash.ts";
