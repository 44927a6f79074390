/**
 * Checks that depend on the previous headers but not on the UTXO set:
 * `ContextualCheckBlockHeader` and `ContextualCheckBlock` (src/validation.cpp).
 */

import { WITNESS_SCALE_FACTOR } from "../primitives/transaction.ts";
import {
  checkNextWorkRequiredAux,
  getFilteredTimeAux,
  getNextWorkRequiredAux,
  headerFilteredTime,
} from "../chain/aux_pow.ts";
import { type ChainEntry, medianTimePast } from "../chain/chain_entry.ts";
import type { ConsensusParams } from "../chain/consensus_params.ts";
import { getNextWorkRequired } from "../chain/pow.ts";
import {
  isBuriedActiveAfter,
  isDeploymentActiveAfter,
  type VersionBitsCache,
} from "../chain/versionbits.ts";
import type { Block } from "../primitives/block.ts";
import type { BlockHeader } from "../primitives/block_header.ts";
import { excessHeaderSize } from "./check_block.ts";
import {
  MAX_BLOCK_WEIGHT,
  MAX_FUTURE_BLOCK_TIME,
  SIZE_EXPANSION_MAX_BLOCK_WEIGHT,
} from "./consensus_constants.ts";
import { isFinalTx } from "./is_final_tx.ts";
import {
  activeRulesForEntry,
  RULES_NONE,
  RULES_PROTOCOL_CLEANUP,
  RULES_SIZE_EXPANSION,
} from "./rule_set.ts";
import { blockInvalid, type BlockValidationResult, VALID } from "./validation_result.ts";
import { checkWitnessMalleation } from "./witness_malleation.ts";

/** Options of {@link contextualCheckBlockHeader}. */
export interface ContextualHeaderOptions {
  /** The node's adjusted current time, seconds (for "time-too-new"). */
  readonly now: number;
  /**
   * Height of the last checkpoint present in the block index, when checkpoints are enabled;
   * headers below it are refused ("bad-fork-prior-to-checkpoint").
   */
  readonly lastCheckpointHeight?: number;
  /** Version-bits state cache, reused across calls. */
  readonly versionBitsCache?: VersionBitsCache;
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/**
 * `ContextualCheckBlockHeader`: difficulty (native and auxiliary), checkpoints, timestamps
 * against median time past and the clock, minimum versions (BIP34/BIP66, until the cleanup),
 * and merge mining before/after the auxpow deployment.
 *
 * @example
 * ```ts
 * import { contextualCheckBlockHeader } from "./contextual_check.ts";
 * import { selectParams } from "../chain/chain_params.ts";
 * import { BlockHeader } from "../primitives/block_header.ts";
 * const params = selectParams("regtest");
 * const prev = { height: 0, hash: params.genesis.hash, version: 1, time: 1356123600, bits: 0x207fffff, prev: undefined };
 * const header = new BlockHeader({ version: 1, hashPrevBlock: prev.hash, hashMerkleRoot: new Uint8Array(32), time: 1356123601, bits: 0x207fffff, nonce: 0 });
 * const result = contextualCheckBlockHeader(header, prev, params.consensus, { now: 1356123601 });
 * console.assert(!result.ok && result.reason === "bad-version(0x00000001)");
 * ```
 */
export function contextualCheckBlockHeader(
  header: BlockHeader,
  prev: ChainEntry,
  params: ConsensusParams,
  options: ContextualHeaderOptions,
): BlockValidationResult {
  const height = prev.height + 1;
  const rules = activeRulesForEntry(params, prev);
  // Rule: nBits is what the difficulty adjustment requires (until the cleanup). Reason: bad-diffbits.
  if (!(rules & RULES_PROTOCOL_CLEANUP) && header.bits !== getNextWorkRequired(prev, params)) {
    return blockInvalid("invalid-header", "bad-diffbits", "incorrect proof of work");
  }
  if (header.auxPow) {
    const auxBitsOk = rules & RULES_SIZE_EXPANSION
      ? checkNextWorkRequiredAux(prev, header, params)
      : header.auxPow.commitBits === getNextWorkRequiredAux(prev, header.bits, params);
    if (!auxBitsOk) {
      return blockInvalid(
        "invalid-header",
        "bad-aux-diffbits",
        "incorrect auxiliary proof of work target",
      );
    }
    if (
      !(rules & RULES_SIZE_EXPANSION) &&
      headerFilteredTime(header) !== getFilteredTimeAux(prev, params)
    ) {
      return blockInvalid(
        "invalid-header",
        "bad-aux-filter-time",
        "incorrect filtered time commitment",
      );
    }
  }
  if (options.lastCheckpointHeight !== undefined && height < options.lastCheckpointHeight) {
    return blockInvalid("checkpoint", "bad-fork-prior-to-checkpoint");
  }
  // Rule: time after the median of the last 11 blocks. Reason: time-too-old.
  if (header.time <= medianTimePast(prev)) {
    return blockInvalid("invalid-header", "time-too-old", "block's timestamp is too early");
  }
  // Rule: at most two hours in the future. Reason: time-too-new.
  if (header.time > options.now + MAX_FUTURE_BLOCK_TIME) {
    return blockInvalid("time-future", "time-too-new", "block timestamp too far in the future");
  }
  // Rule: version >= 2 after BIP34 and >= 3 after BIP66, until the cleanup. Reason: bad-version(0x%08x).
  if (
    !(rules & RULES_PROTOCOL_CLEANUP) &&
    ((header.version < 2 && isBuriedActiveAfter(prev, params, "bip34")) ||
      (header.version < 3 && isBuriedActiveAfter(prev, params, "dersig")))
  ) {
    return blockInvalid(
      "invalid-header",
      `bad-version(0x${hex32(header.version)})`,
      `rejected nVersion=0x${hex32(header.version)} block`,
    );
  }
  const auxActive = isDeploymentActiveAfter(prev, params, "auxpow", options.versionBitsCache);
  if (!auxActive && header.auxPow) {
    return blockInvalid(
      "invalid-header",
      "merge-mined-pre",
      "rejected merge-mined block before activation",
    );
  }
  if (auxActive && !header.auxPow) {
    return blockInvalid(
      "invalid-header",
      "native-mined-post",
      "rejected non-merge-mined block after activation",
    );
  }
  return VALID;
}

/** `CScript() << height`: OP_0, OP_1..OP_16, or a minimal little-endian number push. */
export function heightScriptPrefix(height: number): Uint8Array {
  if (height === 0) return new Uint8Array([0x00]);
  if (height >= 1 && height <= 16) return new Uint8Array([0x50 + height]);
  const bytes: number[] = [];
  let value = Math.abs(height);
  while (value > 0) {
    bytes.push(value & 0xff);
    value = Math.floor(value / 256);
  }
  if (bytes[bytes.length - 1] & 0x80) bytes.push(height < 0 ? 0x80 : 0x00);
  else if (height < 0) bytes[bytes.length - 1] |= 0x80;
  return new Uint8Array([bytes.length, ...bytes]);
}

/** `GetBlockWeight`: stripped × 3 + total, minus the aux-pow header bytes × 4. */
export function blockWeight(block: Block): number {
  return block.weight - excessHeaderSize(block.header) * WITNESS_SCALE_FACTOR;
}

/**
 * `ContextualCheckBlock`: finality of every transaction (lock_height ≤ height, then nLockTime
 * against the BIP113 cutoff; the coinbase only until the cleanup), the BIP34 height push,
 * the witness commitment (when segwit is active) and the block weight.
 */
export function contextualCheckBlock(
  block: Block,
  prev: ChainEntry | undefined,
  params: ConsensusParams,
): BlockValidationResult {
  const height = prev ? prev.height + 1 : 0;
  const rules = prev ? activeRulesForEntry(params, prev) : RULES_NONE;
  const useMedianTimePast = isBuriedActiveAfter(prev, params, "locktime");
  const cutoff = useMedianTimePast && prev ? medianTimePast(prev) : block.header.time;
  const txs = block.transactions;
  // Rule: the coinbase is final (until the cleanup). Reason: bad-txns-nonfinal.
  if (!(rules & RULES_PROTOCOL_CLEANUP) && txs.length > 0 && !isFinalTx(txs[0], height, cutoff)) {
    return blockInvalid("consensus", "bad-txns-nonfinal", "non-final coinbase");
  }
  // Rule: every other transaction is final (lock_height ≤ height first). Reason: bad-txns-nonfinal.
  for (let i = 1; i < txs.length; i++) {
    if (!isFinalTx(txs[i], height, cutoff)) {
      return blockInvalid("consensus", "bad-txns-nonfinal", "non-final transaction");
    }
  }
  // Rule: the coinbase scriptSig starts with the height (BIP34, until the cleanup). Reason: bad-cb-height.
  if (!(rules & RULES_PROTOCOL_CLEANUP) && isBuriedActiveAfter(prev, params, "bip34")) {
    const expected = heightScriptPrefix(height);
    const scriptSig = txs[0]?.inputs[0]?.scriptSig ?? new Uint8Array(0);
    let matches = scriptSig.length >= expected.length;
    for (let i = 0; matches && i < expected.length; i++) matches = scriptSig[i] === expected[i];
    if (!matches) {
      return blockInvalid("consensus", "bad-cb-height", "block height mismatch in coinbase");
    }
  }
  const witness = checkWitnessMalleation(block, isBuriedActiveAfter(prev, params, "segwit"));
  if (!witness.ok) return witness;
  // Rule: block weight limit. Reason: bad-blk-weight.
  const maxWeight = rules & RULES_SIZE_EXPANSION
    ? SIZE_EXPANSION_MAX_BLOCK_WEIGHT
    : MAX_BLOCK_WEIGHT;
  if (blockWeight(block) > maxWeight) {
    return blockInvalid(
      "consensus",
      "bad-blk-weight",
      "ContextualCheckBlock : weight limit failed",
    );
  }
  return VALID;
}
