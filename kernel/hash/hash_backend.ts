import { compressBlock } from "./_sha256_block.ts";
import { compressRipemd160Block } from "./_ripemd160_block.ts";

/**
 * What computes the compression functions behind kernel/hash's SHA-256 and
 * RIPEMD-160: the TypeScript code of this folder ({@link createPureHashBackend})
 * or libcrypto through `Deno.dlopen` (`native_backend.ts`, loaded by start-up
 * code only). Padding, lengths and digest encoding stay in kernel/hash, so
 * both backends give the same digests by construction; the tests run against
 * each.
 */
export interface HashBackend {
  /** Short backend name for logs and test names: "native" or "pure". */
  readonly backend: string;
  /**
   * The SHA-256 chaining value that {@link sha256Blocks} updates: 8 words
   * (signed 32-bit views of the FIPS 180-4 words H0..H7).
   */
  readonly sha256State: Int32Array;
  /**
   * Runs the SHA-256 compression function over `data[0..length)` into
   * {@link sha256State}; `length` is a positive multiple of 64. No padding.
   */
  sha256Blocks(data: Uint8Array, length: number): void;
  /** The RIPEMD-160 chaining value (5 words) that {@link ripemd160Blocks} updates. */
  readonly ripemd160State: Int32Array;
  /** RIPEMD-160 compression over `data[0..length)`, `length` a positive multiple of 64. */
  ripemd160Blocks(data: Uint8Array, length: number): void;
  /**
   * Longest message kernel/hash hashes through this backend; longer ones go to
   * `node:crypto` in one call. The pure backend's blocks cost more than
   * node:crypto's beyond about 1.5 KiB; the native one is never slower.
   */
  readonly sha256DirectLimit: number;
  /** The same limit for RIPEMD-160. */
  readonly ripemd160DirectLimit: number;
}

/**
 * The TypeScript backend: unrolled SHA-256 and RIPEMD-160 compression
 * functions. Needs no permission; the default until start-up code installs
 * another with {@link useHashBackend}.
 *
 * @example
 * ```ts
 * import { createPureHashBackend } from "./hash_backend.ts";
 * console.assert(createPureHashBackend().backend === "pure");
 * ```
 */
export function createPureHashBackend(): HashBackend {
  const sha256State = new Int32Array(8);
  const ripemd160State = new Int32Array(5);
  return {
    backend: "pure",
    sha256State,
    sha256Blocks(data: Uint8Array, length: number): void {
      for (let at = 0; at < length; at += 64) compressBlock(sha256State, data, at);
    },
    ripemd160State,
    ripemd160Blocks(data: Uint8Array, length: number): void {
      for (let at = 0; at < length; at += 64) compressRipemd160Block(ripemd160State, data, at);
    },
    // Measured under load on these machines: node:crypto ≈ 6 µs per call + 0.15 µs per block,
    // TypeScript 0.2–0.4 µs per block, so the crossover is near 1.5 KiB; 1 KiB stays on the
    // safe side. RIPEMD-160 is only ever asked for short inputs by the protocol.
    sha256DirectLimit: 1024,
    ripemd160DirectLimit: 256,
  };
}

// The one piece of process-wide configuration in the kernel: which code computes the
// compression functions. Both backends produce identical digests, so consensus results
// never depend on it; only speed does.
let active: HashBackend = createPureHashBackend();

/**
 * Makes `backend` compute every SHA-256 and RIPEMD-160 of kernel/hash from
 * now on (in this thread: each worker chooses its own) and returns the one
 * it replaces. Called once by start-up code, like the choice of the
 * secp256k1 backend; tests use it to run the same cases on both backends.
 *
 * @example
 * ```ts
 * import { createPureHashBackend, useHashBackend } from "./hash_backend.ts";
 * const previous = useHashBackend(createPureHashBackend());
 * useHashBackend(previous);
 * ```
 */
export function useHashBackend(backend: HashBackend): HashBackend {
  const previous = active;
  active = backend;
  return previous;
}

/**
 * The backend in use (see {@link useHashBackend}).
 *
 * @example
 * ```ts
 * import { hashBackend } from "./hash_backend.ts";
 * console.assert(["pure", "native"].includes(hashBackend().backend));
 * ```
 */
export function hashBackend(): HashBackend {
  return active;
}
