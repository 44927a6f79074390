/**
 * Coin selection as freicoind 27 does it (`src/wallet/coinselection.cpp`, `spend.cpp`):
 * branch and bound, knapsack, single random draw and CoinGrinder each propose a set of coins,
 * and the one with the least waste is used. Every amount is the coin's present value at the
 * spend's reference height (demurrage already applied by the caller).
 *
 * @example
 * ```ts
 * import { OutputGroup, selectCoinsBnB, selectionCoin, SelectionResult } from "./mod.ts";
 * const rates = { feeRate: 1000n, longTermFeeRate: 10_000n };
 * const pool = [5_000n, 3_000n].map((value, i) => {
 *   const group = new OutputGroup();
 *   group.insert(selectionCoin({ key: `c:${i}`, atHeight: 10, value, inputBytes: 68, depth: 6, fromMe: true }, rates));
 *   return group;
 * });
 * const result = selectCoinsBnB(pool, 4_932n, 100n, 400_000);
 * if (!(result instanceof SelectionResult) || result.coins.length !== 1) throw new Error("no exact match");
 * ```
 *
 * @module
 */
export { BNB_TOTAL_TRIES, selectCoinsBnB } from "./branch_and_bound.ts";
export { generateChangeTarget } from "./change_target.ts";
export { attemptSelection, chooseSelectionResult } from "./choose_selection.ts";
export { coinGrinder } from "./coin_grinder.ts";
export { type CoinSelectionParams, MAX_STANDARD_TX_WEIGHT } from "./coin_selection_params.ts";
export {
  type CandidateCoin,
  type GroupedOutputs,
  groupOutputs,
  type Groups,
  OUTPUT_GROUP_MAX_ENTRIES,
  OutputGroupTypeMap,
} from "./group_outputs.ts";
export { knapsackSolver } from "./knapsack.ts";
export {
  effectiveValue,
  type EligibilityFilter,
  eligibilityFilter,
  feeAtRate,
  OutputGroup,
  type SelectionCoin,
  selectionCoin,
  WITNESS_SCALE_FACTOR,
} from "./output_group.ts";
export { cryptoRandom, seededRandom, type SelectionRandom, shuffleInPlace } from "./random.ts";
export {
  automaticCoinSelection,
  type AutomaticSelectionOptions,
  LONG_CHAIN_ERROR,
  PRESELECTED_SHORTFALL,
  selectCoins,
  selectionFilters,
} from "./select_coins.ts";
export {
  MAX_WEIGHT_EXCEEDED,
  type SelectionAlgorithm,
  SelectionFailure,
  type SelectionOutcome,
  SelectionResult,
} from "./selection_result.ts";
export { CHANGE_LOWER, CHANGE_UPPER, selectCoinsSrd } from "./single_random_draw.ts";
