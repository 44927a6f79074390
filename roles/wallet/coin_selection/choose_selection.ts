/**
 * Running the algorithms and keeping the best (`ChooseSelectionResult`, `AttemptSelection`):
 * branch and bound (unless the fee comes from the outputs), knapsack, CoinGrinder (only at
 * fee rates of at least 3× the long-term rate) and single random draw each propose a
 * selection; the one with the least waste wins, the one spending more inputs on a tie.
 * Each output type is tried on its own first; mixing types is the last resort.
 *
 * @module
 */
import { selectCoinsBnB } from "./branch_and_bound.ts";
import { coinGrinder } from "./coin_grinder.ts";
import { type CoinSelectionParams, MAX_STANDARD_TX_WEIGHT } from "./coin_selection_params.ts";
import type { Groups, OutputGroupTypeMap } from "./group_outputs.ts";
import { knapsackSolver } from "./knapsack.ts";
import { WITNESS_SCALE_FACTOR } from "./output_group.ts";
import { SelectionFailure, type SelectionOutcome, SelectionResult } from "./selection_result.ts";
import { selectCoinsSrd } from "./single_random_draw.ts";

/** The least wasteful of the algorithms' results over one set of groups. */
export function chooseSelectionResult(
  target: bigint,
  groups: Groups,
  params: CoinSelectionParams,
): SelectionOutcome {
  const results: SelectionResult[] = [];
  const errors: SelectionFailure[] = [];
  const collect = (outcome: SelectionOutcome): void => {
    if (outcome instanceof SelectionResult) results.push(outcome);
    else if (outcome.message !== "") errors.push(outcome);
  };
  let maxInputsWeight = MAX_STANDARD_TX_WEIGHT - params.txNoInputsSize * WITNESS_SCALE_FACTOR;
  // A changeless selection and a fee taken from the outputs do not mix well: no BnB then.
  if (!params.subtractFeeOutputs) {
    collect(selectCoinsBnB(groups.positive, target, params.costOfChange, maxInputsWeight));
  }
  // The others may make change, so its weight is kept free.
  maxInputsWeight -= params.changeOutputSize * WITNESS_SCALE_FACTOR;
  // Knapsack keeps its old habit of spending dust: it gets the mixed pool.
  collect(
    knapsackSolver(groups.mixed, target, params.minChangeTarget, params.random, maxInputsWeight),
  );
  if (params.effectiveFeeRate > 3n * params.longTermFeeRate) {
    const grinder = coinGrinder(groups.positive, target, params.minChangeTarget, maxInputsWeight);
    if (grinder instanceof SelectionResult) {
      grinder.computeWaste(params.minViableChange, params.costOfChange, params.changeFee);
    }
    collect(grinder);
  }
  collect(
    selectCoinsSrd(groups.positive, target, params.changeFee, params.random, maxInputsWeight),
  );
  if (results.length === 0) return errors[0] ?? new SelectionFailure();
  let best: SelectionResult | null = null;
  for (const result of results) {
    result.computeWaste(params.minViableChange, params.costOfChange, params.changeFee);
    if (best === null || result.isBetterThan(best)) best = result;
  }
  return best!;
}

/**
 * Selection for one eligibility filter: each output type alone, the least wasteful result
 * among them; only if none works and mixing is allowed, all types together.
 */
export function attemptSelection(
  target: bigint,
  groups: OutputGroupTypeMap,
  params: CoinSelectionParams,
  allowMixedOutputTypes: boolean,
): SelectionOutcome {
  let best: SelectionResult | null = null;
  for (const typeGroups of groups.byType.values()) {
    const outcome = chooseSelectionResult(target, typeGroups, params);
    // A specific error means something is really wrong: report it at once.
    if (outcome instanceof SelectionFailure) {
      if (outcome.message !== "") return outcome;
      continue;
    }
    if (best === null || outcome.isBetterThan(best)) best = outcome;
  }
  if (best !== null) return best;
  if (allowMixedOutputTypes && groups.typesCount > 1) {
    return chooseSelectionResult(target, groups.all, params);
  }
  return new SelectionFailure();
}
