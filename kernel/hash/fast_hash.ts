import { hexToBytes } from "../encoding/hex.ts";
import { sha256Compress, stateFromBytes, stateToBytes } from "./sha256_midstate.ts";

/**
 * The fixed initial state of the fast Merkle hash: the SHA-256 state after
 * compressing SHA256("") || SHA256("") (merkle.cpp `_MidstateIV`).
 */
export const FAST_MERKLE_IV: Uint8Array = hexToBytes(
  "1e4e0f955a4bc81c08c8af1c94f34b9d0af2f450dc24a3bcef98318faf5e2506",
);

const IV_STATE = stateFromBytes(FAST_MERKLE_IV);

/**
 * The fast Merkle node hash (`MerkleHash_Sha256Midstate`): one SHA-256
 * compression of `left || right` from {@link FAST_MERKLE_IV}, no padding,
 * returned as the 8 state words big-endian.
 *
 * @example
 * ```ts
 * import { fastHash256 } from "./fast_hash.ts";
 * const node = fastHash256(new Uint8Array(32), new Uint8Array(32));
 * console.assert(node.length === 32);
 * ```
 */
export function fastHash256(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== 32 || right.length !== 32) {
    throw new RangeError("fastHash256 takes two 32-byte hashes");
  }
  const block = new Uint8Array(64);
  block.set(left, 0);
  block.set(right, 32);
  const state = new Uint32Array(IV_STATE);
  sha256Compress(state, block);
  return stateToBytes(state);
}
