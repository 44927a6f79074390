/**
 * Context-free block checks: `CheckBlockHeader`, `CheckMerkleRoot` and `CheckBlock`
 * (src/validation.cpp).
 */

import { WITNESS_SCALE_FACTOR } from "../primitives/transaction.ts";
import { checkAuxiliaryProofOfWork, getAuxiliaryHash } from "../chain/aux_pow.ts";
import type { ConsensusParams } from "../chain/consensus_params.ts";
import { checkProofOfWork } from "../chain/pow.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { hashToHex } from "../encoding/hex.ts";
import { blockMerkleRoot, maskedCoinbase } from "../merkle/merkle_root.ts";
import { computeMerkleBranch, computeMerkleRootFromBranch } from "../merkle/merkle_root.ts";
import type { Block } from "../primitives/block.ts";
import type { BlockHeader } from "../primitives/block_header.ts";
import { checkTransaction } from "./check_transaction.ts";
import {
  MAX_AUX_POW_BRANCH_LENGTH,
  MAX_AUX_POW_COMMIT_BRANCH_LENGTH,
  MAX_BLOCK_SIGOPS_COST,
  MAX_BLOCK_WEIGHT,
  SIZE_EXPANSION_MAX_BLOCK_WEIGHT,
} from "./consensus_constants.ts";
import {
  activeRulesForBlock,
  isProtocolCleanupActiveAtTime,
  RULES_PROTOCOL_CLEANUP,
  RULES_SIZE_EXPANSION,
} from "./rule_set.ts";
import { legacySigOpCount } from "./sigop_cost.ts";
import { blockInvalid, type BlockValidationResult, VALID } from "./validation_result.ts";

/** Options of {@link checkBlockHeader} and {@link checkBlock}. */
export interface CheckBlockOptions {
  /** Check proof of work (`fCheckPOW`). Default true. */
  readonly checkPow?: boolean;
  /** Check the Merkle root (`fCheckMerkleRoot`). Default true. */
  readonly checkMerkleRoot?: boolean;
  /**
   * Signet block-solution check (`CheckSignetBlockSolution`). Signet is unsupported here, so
   * on a signet chain without this hook every block fails with "bad-signet-blksig".
   */
  readonly checkSignetSolution?: (block: Block) => boolean;
}

/**
 * `CheckBlockHeader`: bounds of the aux-pow data, the auxiliary proof of work, and native
 * proof of work (skipped once the header time passes the protocol-cleanup time − 3 h).
 *
 * @example
 * ```ts
 * import { checkBlockHeader } from "./check_block.ts";
 * import { selectParams } from "../chain/chain_params.ts";
 * import { decodeBlock } from "../primitives/block.ts";
 * const params = selectParams("regtest");
 * const genesis = decodeBlock(params.genesis.bytes);
 * console.assert(checkBlockHeader(genesis.header, params.consensus).ok);
 * ```
 */
export function checkBlockHeader(
  header: BlockHeader,
  params: ConsensusParams,
  options: CheckBlockOptions = {},
): BlockValidationResult {
  const checkPow = options.checkPow ?? true;
  const aux = header.auxPow;
  if (aux) {
    if (aux.midstateBuffer.length >= 64) {
      return blockInvalid(
        "invalid-header",
        "auxpow-midstate-buffer",
        "auxiliary proof-of-work midstate buffer is too large",
      );
    }
    if (aux.midstateBuffer.length !== (aux.midstateLength >>> 0) % 64) {
      return blockInvalid(
        "invalid-header",
        "auxpow-midstate-length",
        "auxiliary proof-of-work midstate buffer doesn't match anticipated length",
      );
    }
    if (aux.auxBranch.length > MAX_AUX_POW_BRANCH_LENGTH) {
      return blockInvalid(
        "invalid-header",
        "auxpow-merkle-branch",
        "auxiliary proof-of-work Merkle branch is too long",
      );
    }
    if (aux.commitBranch.length > MAX_AUX_POW_COMMIT_BRANCH_LENGTH) {
      return blockInvalid(
        "invalid-header",
        "auxpow-commit-branch",
        "auxiliary proof-of-work Merkle map path is too long",
      );
    }
    let bits = 0;
    for (const entry of aux.commitBranch) bits += 1 + entry.skip;
    if (bits >= 256) {
      return blockInvalid(
        "invalid-header",
        "auxpow-commit-branch-bits",
        "auxiliary proof-of-work Merkle map path is greater than 256 bits",
      );
    }
  }
  // Rule: auxiliary proof of work. Reason: aux-pow-invalid.
  if (checkPow && !checkAuxiliaryProofOfWork(header, params)) {
    return blockInvalid("invalid-header", "aux-pow-invalid", "auxiliary proof of work failed");
  }
  // Rule: native proof of work until the protocol cleanup time. Reason: high-hash.
  if (
    checkPow && !isProtocolCleanupActiveAtTime(params, header.time) &&
    !checkProofOfWork(header.hash, header.bits, params)
  ) {
    return blockInvalid("invalid-header", "high-hash", "proof of work failed");
  }
  return VALID;
}

/**
 * `CheckMerkleRoot`: the header's Merkle root matches the transactions, no CVE-2012-2459
 * duplication, and for merge-mined blocks the aux-pow commitment is canonical, committed in
 * the coinbase scriptSig's last 32 bytes, and commits to the template Merkle root.
 */
export function checkMerkleRoot(block: Block, params: ConsensusParams): BlockValidationResult {
  const { root, mutated } = blockMerkleRoot(block);
  if (!bytesEqual(block.header.hashMerkleRoot, root)) {
    return blockInvalid("mutated", "bad-txnmrklroot", "hashMerkleRoot mismatch");
  }
  if (mutated) return blockInvalid("mutated", "bad-txns-duplicate", "duplicate transaction");
  const aux = block.header.auxPow;
  if (aux) {
    const hashes = getAuxiliaryHash(block.header, params);
    if (!hashes || hashes.mutated) {
      return blockInvalid(
        "mutated",
        "bad-auxpow-mutated",
        "auxiliary proof-of-work header is non-canonical (mutated)",
      );
    }
    const coinbase = block.transactions[0];
    const scriptSig = coinbase?.inputs[0]?.scriptSig;
    if (
      !scriptSig || scriptSig.length < 32 ||
      !bytesEqual(hashes.hash2, scriptSig.subarray(scriptSig.length - 32))
    ) {
      return blockInvalid(
        "consensus",
        "bad-auxpow-commit",
        "incorrect commitment to auxiliary proof-of-work in coinbase string",
      );
    }
    const txids = block.transactions.map((tx) => tx.txid);
    const branch = computeMerkleBranch(txids, 0);
    const templateRoot = computeMerkleRootFromBranch(maskedCoinbase(coinbase).txid, branch, 0);
    if (!bytesEqual(templateRoot, aux.commitHashMerkleRoot)) {
      return blockInvalid(
        "consensus",
        "bad-commit-txnmrklroot",
        "block template hashMerkleRoot mismatch",
      );
    }
  }
  return VALID;
}

/** Bytes the aux-pow extension adds to the 80-byte header (excluded from size limits). */
export function excessHeaderSize(header: BlockHeader): number {
  return header.toBytes().length - 80;
}

/**
 * `CheckBlock`: header, Merkle root, size limits, exactly one coinbase first, every
 * transaction passes `CheckTransaction`, legacy sigop limit (until the cleanup).
 *
 * @example
 * ```ts
 * import { checkBlock } from "./check_block.ts";
 * import { selectParams } from "../chain/chain_params.ts";
 * import { decodeBlock } from "../primitives/block.ts";
 * const params = selectParams("regtest");
 * console.assert(checkBlock(decodeBlock(params.genesis.bytes), params.consensus).ok);
 * ```
 */
export function checkBlock(
  block: Block,
  params: ConsensusParams,
  options: CheckBlockOptions = {},
): BlockValidationResult {
  const checkPow = options.checkPow ?? true;
  const header = checkBlockHeader(block.header, params, options);
  if (!header.ok) return header;
  if (params.signetBlocks && checkPow) {
    // The genesis block needs no solution (CheckSignetBlockSolution returns true for it).
    const solved = bytesEqual(block.hash, params.hashGenesisBlock) ||
      (options.checkSignetSolution ? options.checkSignetSolution(block) : false);
    if (!solved) {
      return blockInvalid(
        "consensus",
        "bad-signet-blksig",
        "signet block signature validation failure",
      );
    }
  }
  if (options.checkMerkleRoot ?? true) {
    const merkle = checkMerkleRoot(block, params);
    if (!merkle.ok) return merkle;
  }
  const rules = activeRulesForBlock(params, block);
  const maxWeight = rules & RULES_SIZE_EXPANSION
    ? SIZE_EXPANSION_MAX_BLOCK_WEIGHT
    : MAX_BLOCK_WEIGHT;
  const txs = block.transactions;
  // Rule: size limits on the stripped block (aux-pow header bytes excluded). Reason: bad-blk-length.
  if (
    txs.length === 0 || txs.length * WITNESS_SCALE_FACTOR > maxWeight ||
    (block.strippedSize - excessHeaderSize(block.header)) * WITNESS_SCALE_FACTOR > maxWeight
  ) {
    return blockInvalid("consensus", "bad-blk-length", "size limits failed");
  }
  // Rule: the first transaction and only it is a coinbase.
  if (!txs[0].isCoinBase()) {
    return blockInvalid("consensus", "bad-cb-missing", "first tx is not coinbase");
  }
  for (let i = 1; i < txs.length; i++) {
    if (txs[i].isCoinBase()) {
      return blockInvalid("consensus", "bad-cb-multiple", "more than one coinbase");
    }
  }
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i];
    const result = checkTransaction(tx, rules);
    if (!result.ok) {
      return blockInvalid(
        "consensus",
        result.reason,
        `Transaction check failed (tx hash ${hashToHex(tx.txid)}) ${result.debugMessage}`,
      );
    }
  }
  // Rule: legacy sigops × 4 within MAX_BLOCK_SIGOPS_COST until the cleanup. Reason: bad-blk-sigops.
  let sigOps = 0;
  for (let i = 0; i < txs.length; i++) sigOps += legacySigOpCount(txs[i]);
  if (!(rules & RULES_PROTOCOL_CLEANUP) && sigOps * WITNESS_SCALE_FACTOR > MAX_BLOCK_SIGOPS_COST) {
    return blockInvalid("consensus", "bad-blk-sigops", "out-of-bounds SigOpCount");
  }
  return VALID;
}
