import { bytesEqual } from "../encoding/bytes.ts";
import { computeFastMerkleRootFromBranch } from "../merkle/fast_merkle.ts";
import { blockWitnessMerkleRoot, getWitnessCommitment } from "../merkle/witness_commitment.ts";
import type { Block } from "../primitives/block.ts";
import { blockInvalid, type BlockValidationResult, VALID } from "./validation_result.ts";

/**
 * `CheckWitnessMalleation`. When a commitment is expected and present at the end of the last
 * (block-final) transaction, the coinbase witness must be one item of 32·depth bytes holding
 * the branch from the witness root up to the committed root; otherwise no transaction may
 * carry witness data ("unexpected-witness").
 *
 * @example
 * ```ts
 * import { checkWitnessMalleation } from "./witness_malleation.ts";
 * import { selectParams } from "../chain/chain_params.ts";
 * import { decodeBlock } from "../primitives/block.ts";
 * const genesis = decodeBlock(selectParams("regtest").genesis.bytes);
 * console.assert(checkWitnessMalleation(genesis, true).ok);
 * ```
 */
export function checkWitnessMalleation(
  block: Block,
  expectWitnessCommitment: boolean,
): BlockValidationResult {
  if (expectWitnessCommitment) {
    const commitment = getWitnessCommitment(block);
    if (commitment) {
      const coinbaseInput = block.transactions[0]?.inputs[0];
      const stack = coinbaseInput ? coinbaseInput.witness : [];
      // Rule: coinbase witness is one item, a multiple of 32 bytes. Reason: bad-witness-nonce-size.
      if (stack.length !== 1 || stack[0].length % 32 !== 0) {
        return blockInvalid(
          "mutated",
          "bad-witness-nonce-size",
          "CheckWitnessMalleation : invalid witness reserved value size",
        );
      }
      const witnessRoot = blockWitnessMerkleRoot(block);
      // Rule: the path byte is not zero. Reason: bad-witness-path.
      if (commitment.path === 0) {
        return blockInvalid(
          "mutated",
          "bad-witness-path",
          "CheckWitnessMalleation : witness commitment path is not present",
        );
      }
      let depth = 0;
      for (let bit = 0; bit < 8; bit++) if (commitment.path & (1 << bit)) depth = bit;
      // Rule: the coinbase witness holds exactly `depth` branch hashes. Reason: bad-witness-branch-size.
      if (stack[0].length !== 32 * depth) {
        return blockInvalid(
          "mutated",
          "bad-witness-branch-size",
          "CheckWitnessMalleation : invalid witness branch size",
        );
      }
      const branch: Uint8Array[] = [];
      for (let i = 0; i < depth; i++) branch.push(stack[0].subarray(32 * i, 32 * i + 32));
      const root = computeFastMerkleRootFromBranch(
        witnessRoot,
        branch,
        commitment.path ^ (1 << depth),
      );
      // Rule: the branch leads to the committed root. Reason: bad-witness-merkle-match.
      if (root === null || !bytesEqual(root, commitment.root)) {
        return blockInvalid(
          "mutated",
          "bad-witness-merkle-match",
          "CheckWitnessMalleation : witness merkle commitment mismatch",
        );
      }
      return VALID;
    }
  }
  // Rule: no witness data without a commitment. Reason: unexpected-witness.
  for (const tx of block.transactions) {
    if (tx.hasWitness()) {
      return blockInvalid(
        "mutated",
        "unexpected-witness",
        "CheckWitnessMalleation : unexpected witness data found",
      );
    }
  }
  return VALID;
}
