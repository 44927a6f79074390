/**
 * Selecting coins for a transaction (`SelectCoins`, `AutomaticCoinSelection` in
 * `src/wallet/spend.cpp`): preselected inputs count first; the rest is chosen automatically,
 * trying ever more permissive eligibility filters (confirmed coins from others with 6
 * confirmations first, then 1, then unconfirmed change with few mempool ancestors, ...) until
 * one selection works.
 *
 * @module
 */
import { attemptSelection } from "./choose_selection.ts";
import type { CoinSelectionParams } from "./coin_selection_params.ts";
import { type CandidateCoin, groupOutputs } from "./group_outputs.ts";
import {
  effectiveValue,
  type EligibilityFilter,
  eligibilityFilter,
  type SelectionCoin,
} from "./output_group.ts";
import { shuffleInPlace } from "./random.ts";
import { SelectionFailure, type SelectionOutcome, SelectionResult } from "./selection_result.ts";
import { OUTPUT_GROUP_MAX_ENTRIES } from "./group_outputs.ts";

/** freicoind's text when only preselected coins may be used and they fall short. */
export const PRESELECTED_SHORTFALL =
  "The preselected coins total amount does not cover the transaction target. " +
  "Please allow other inputs to be automatically selected or include more coins manually";

/** freicoind's text when only too-long unconfirmed chains could pay. */
export const LONG_CHAIN_ERROR = "Unconfirmed UTXOs are available, but spending them creates a " +
  "chain of transactions that will be rejected by the mempool";

/** Wallet and node settings the filters depend on. */
export interface AutomaticSelectionOptions {
  /** -spendzeroconfchange. */
  readonly spendZeroConfChange: boolean;
  /** -walletrejectlongchains. */
  readonly rejectLongChains: boolean;
  /** The mempool's -limitancestorcount. */
  readonly maxAncestors: number;
  /** The mempool's -limitdescendantcount. */
  readonly maxDescendants: number;
}

interface OrderedFilter {
  readonly filter: EligibilityFilter;
  readonly allowMixedOutputTypes: boolean;
}

/** The eligibility filters in the order freicoind tries them. */
export function selectionFilters(
  params: CoinSelectionParams,
  options: AutomaticSelectionOptions,
): OrderedFilter[] {
  const ancestors = Math.max(1, options.maxAncestors);
  const descendants = Math.max(1, options.maxDescendants);
  const filters: OrderedFilter[] = [
    // Confirmed only: six confirmations on coins from others, confirmed change.
    { filter: eligibilityFilter(1, 6, 0), allowMixedOutputTypes: false },
    { filter: eligibilityFilter(1, 1, 0), allowMixedOutputTypes: true },
  ];
  if (options.spendZeroConfChange) {
    const add = (filter: EligibilityFilter): void => {
      filters.push({ filter, allowMixedOutputTypes: true });
    };
    add(eligibilityFilter(0, 1, 2));
    add(
      eligibilityFilter(
        0,
        1,
        Math.min(4, Math.floor(ancestors / 3)),
        Math.min(4, Math.floor(descendants / 3)),
      ),
    );
    add(eligibilityFilter(0, 1, Math.floor(ancestors / 2), Math.floor(descendants / 2)));
    add(eligibilityFilter(0, 1, ancestors - 1, descendants - 1, true));
    if (params.includeUnsafeInputs) {
      add(eligibilityFilter(0, 0, ancestors - 1, descendants - 1, true));
    }
    if (!options.rejectLongChains) {
      add(eligibilityFilter(0, 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true));
    }
  }
  return filters;
}

/** Chooses wallet coins worth `target` (`AutomaticCoinSelection`). */
export function automaticCoinSelection(
  coins: CandidateCoin[],
  target: bigint,
  params: CoinSelectionParams,
  options: AutomaticSelectionOptions,
): SelectionOutcome {
  // Many coins to one address would otherwise group in a predictable order.
  if (params.avoidPartialSpends && coins.length > OUTPUT_GROUP_MAX_ENTRIES) {
    coins = shuffleInPlace([...coins], params.random);
  }
  const filters = selectionFilters(params, options);
  const grouped = groupOutputs(coins, params, filters.map((f) => f.filter));

  let totalDiscarded = 0n;
  let unconfirmedLongChain = 0n;
  const ancestors = Math.max(1, options.maxAncestors);
  const descendants = Math.max(1, options.maxDescendants);
  for (const group of grouped.discarded) {
    totalDiscarded += group.selectionAmount;
    if (group.ancestors >= ancestors || group.descendants >= descendants) {
      unconfirmedLongChain += group.selectionAmount;
    }
  }
  let totalAmount = 0n;
  for (const candidate of coins) totalAmount += candidate.coin.value;
  if (totalAmount - totalDiscarded < target) {
    // freicoind compares the long-chain total against the target plus one here (its
    // shortfall test leaves a boolean in the amount it adds); reproduced as it behaves.
    if (1n + unconfirmedLongChain > target) return new SelectionFailure(LONG_CHAIN_ERROR);
    return new SelectionFailure();
  }

  const detailed: SelectionFailure[] = [];
  const tried = new Set<string>();
  for (const [i, { allowMixedOutputTypes }] of filters.entries()) {
    // Each filter admits at least what the one before it did, so the same count and value
    // means the same groups: running the algorithms on them again cannot do better.
    const groups = grouped.byFilter[i];
    const signature =
      `${allowMixedOutputTypes}/${groups.all.mixed.length}/${groups.all.positive.length}/${
        groups.all.mixed.reduce((sum, g) => sum + g.value, 0n)
      }`;
    if (tried.has(signature)) continue;
    tried.add(signature);
    const outcome = attemptSelection(target, groups, params, allowMixedOutputTypes);
    if (outcome instanceof SelectionResult) return outcome;
    if (outcome.message !== "") detailed.push(outcome);
  }
  return detailed[0] ?? new SelectionFailure();
}

/**
 * Coins for a transaction needing `target` (`SelectCoins`): the preselected coins, plus
 * automatically chosen ones when those fall short and `allowOtherInputs`.
 */
export function selectCoins(
  available: CandidateCoin[],
  preselected: readonly SelectionCoin[],
  target: bigint,
  allowOtherInputs: boolean,
  params: CoinSelectionParams,
  options: AutomaticSelectionOptions,
): SelectionOutcome {
  let presetAmount = 0n;
  for (const coin of preselected) {
    presetAmount += params.subtractFeeOutputs ? coin.value : effectiveValue(coin);
  }
  const selectionTarget = target - presetAmount;
  if (!allowOtherInputs && selectionTarget > 0n) {
    return new SelectionFailure(PRESELECTED_SHORTFALL);
  }
  if (selectionTarget <= 0n) {
    const result = new SelectionResult(target, "manual");
    result.addCoins(preselected, params.subtractFeeOutputs);
    result.computeWaste(params.minViableChange, params.costOfChange, params.changeFee);
    return result;
  }
  let availableTotal = 0n;
  for (const { coin } of available) {
    availableTotal += params.subtractFeeOutputs ? coin.value : effectiveValue(coin);
  }
  if (selectionTarget > availableTotal) return new SelectionFailure();

  const outcome = automaticCoinSelection(available, selectionTarget, params, options);
  if (outcome instanceof SelectionFailure || preselected.length === 0) return outcome;
  const manual = new SelectionResult(presetAmount, "manual");
  manual.addCoins(preselected, params.subtractFeeOutputs);
  outcome.merge(manual);
  outcome.computeWaste(params.minViableChange, params.costOfChange, params.changeFee);
  return outcome;
}
