/**
 * The flag-day rule sets (`Consensus::RuleSet`) and the inconsistent gates that select them
 * (src/validation.h, src/consensus/params.h): by block contents for CheckBlock, by the parent
 * index for contextual checks and ConnectBlock, by header time for native proof of work.
 */

import type { ChainEntry } from "../chain/chain_entry.ts";
import { medianTimePast } from "../chain/chain_entry.ts";
import type { ConsensusParams } from "../chain/consensus_params.ts";
import type { Block } from "../primitives/block.ts";

/** A set of `RuleSet` bits. */
export type RuleSet = number;
/** No flag-day rules. */
export const RULES_NONE = 0;
/** Protocol cleanup rules. */
export const RULES_PROTOCOL_CLEANUP = 1 << 0;
/** Size expansion rules. */
export const RULES_SIZE_EXPANSION = 1 << 1;

const THREE_HOURS = 3n * 60n * 60n;

/** `IsProtocolCleanupActive(params, now)`: header-time (or clock) gate, with 3 h slack. */
export function isProtocolCleanupActiveAtTime(params: ConsensusParams, time: number): boolean {
  return BigInt(time) > params.protocolCleanupActivationTime - THREE_HOURS;
}

/** `IsSizeExpansionActive(params, now)`: clock gate, with 3 h slack. */
export function isSizeExpansionActiveAtTime(params: ConsensusParams, time: number): boolean {
  return BigInt(time) > params.sizeExpansionActivationTime - THREE_HOURS;
}

/** `GetActiveRules(params, now)`. */
export function activeRulesAtTime(params: ConsensusParams, time: number): RuleSet {
  let rules = RULES_NONE;
  if (isProtocolCleanupActiveAtTime(params, time)) rules |= RULES_PROTOCOL_CLEANUP;
  if (isSizeExpansionActiveAtTime(params, time)) rules |= RULES_SIZE_EXPANSION;
  return rules;
}

/**
 * `GetActiveRules(params, block)` as CheckBlock uses it: only merge-mined blocks can be under
 * the new rules; cleanup by coinbase lock_height, size expansion by coinbase nLockTime.
 */
export function activeRulesForBlock(params: ConsensusParams, block: Block): RuleSet {
  const header = block.header;
  if (!header.auxPow) return RULES_NONE;
  const coinbase = block.transactions[0];
  let rules = RULES_NONE;
  if ((coinbase ? coinbase.lockHeight : 0) >= params.cleanupHeight) rules |= RULES_PROTOCOL_CLEANUP;
  if (BigInt(coinbase ? coinbase.lockTime : 0) >= params.sizeExpansionActivationTime) {
    rules |= RULES_SIZE_EXPANSION;
  }
  return rules;
}

/**
 * `GetActiveRules(params, index)` as ContextualCheck* and ConnectBlock use it on the parent:
 * cleanup by height, size expansion by median time past.
 */
export function activeRulesForEntry(params: ConsensusParams, entry: ChainEntry): RuleSet {
  let rules = RULES_NONE;
  if (entry.height >= params.cleanupHeight) rules |= RULES_PROTOCOL_CLEANUP;
  if (BigInt(medianTimePast(entry)) >= params.sizeExpansionActivationTime) {
    rules |= RULES_SIZE_EXPANSION;
  }
  return rules;
}
