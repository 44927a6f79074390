/**
 * Branch and bound (`SelectCoinsBnB`): a depth-first search for a set of groups whose value
 * lands in [target, target + cost of change], so that no change output is needed; among those
 * found it keeps the least wasteful. The tree is explored inclusion-first over groups sorted
 * by descending value, pruned by a lookahead of the value still available, and limited to
 * 100 000 steps.
 *
 * @module
 */
import type { OutputGroup } from "./output_group.ts";
import {
  MAX_WEIGHT_EXCEEDED,
  SelectionFailure,
  type SelectionOutcome,
  SelectionResult,
} from "./selection_result.ts";

/** Steps the search may take (`TOTAL_TRIES`). */
export const BNB_TOTAL_TRIES = 100_000;

/** Descending selection amount; on a tie the group wasting less comes first. */
function descendingByValue(a: OutputGroup, b: OutputGroup): number {
  const x = a.selectionAmount, y = b.selectionAmount;
  if (x === y) return a.excessFee < b.excessFee ? -1 : a.excessFee > b.excessFee ? 1 : 0;
  return x > y ? -1 : 1;
}

/**
 * Finds a changeless selection. `pool` holds groups with positive selection amounts; it is
 * sorted in place.
 */
export function selectCoinsBnB(
  pool: OutputGroup[],
  target: bigint,
  costOfChange: bigint,
  maxWeight: number,
): SelectionOutcome {
  let available = 0n;
  for (const group of pool) {
    if (group.selectionAmount <= 0n) throw new Error("branch and bound given a non-positive group");
    available += group.selectionAmount;
  }
  if (available < target || pool.length === 0) return new SelectionFailure();
  pool.sort(descendingByValue);

  let value = 0n;
  let waste = 0n;
  let weight = 0;
  const selection: number[] = [];
  let best: number[] = [];
  let bestWaste = 9_007_199_254_740_991n; // MAX_MONEY
  // When fees are above the long-term rate, every extra input adds waste: prune on it.
  const feeRateIsHigh = pool[0].fee > pool[0].longTermFee;
  let weightExceeded = false;

  for (let tries = 0, index = 0; tries < BNB_TOTAL_TRIES; ++tries, ++index) {
    let backtrack = false;
    if (
      value + available < target || // the rest cannot reach the target
      value > target + costOfChange || // overshot the window
      (waste > bestWaste && feeRateIsHigh)
    ) {
      backtrack = true;
    } else if (weight > maxWeight) {
      weightExceeded = true;
      backtrack = true;
    } else if (value >= target) {
      // In the window: the excess counts as waste too.
      const total = waste + (value - target);
      if (total <= bestWaste) {
        best = [...selection];
        bestWaste = total;
      }
      backtrack = true;
    }

    if (backtrack) {
      if (selection.length === 0) break; // whole tree searched
      // Give back the lookahead of the groups skipped after the last included one.
      for (--index; index > selection[selection.length - 1]; --index) {
        available += pool[index].selectionAmount;
      }
      const group = pool[index];
      value -= group.selectionAmount;
      waste -= group.excessFee;
      weight -= group.weight;
      selection.pop();
    } else {
      const group = pool[index];
      available -= group.selectionAmount;
      const previous = index > 0 ? pool[index - 1] : undefined;
      // Skip an inclusion equivalent to one already explored: same value and fee as an
      // omitted predecessor.
      if (
        selection.length === 0 ||
        index - 1 === selection[selection.length - 1] ||
        previous === undefined ||
        group.selectionAmount !== previous.selectionAmount ||
        group.fee !== previous.fee
      ) {
        selection.push(index);
        value += group.selectionAmount;
        waste += group.excessFee;
        weight += group.weight;
      }
    }
  }

  if (best.length === 0) {
    return new SelectionFailure(weightExceeded ? MAX_WEIGHT_EXCEEDED : "");
  }
  const result = new SelectionResult(target, "bnb");
  for (const i of best) result.addGroup(pool[i]);
  result.computeWaste(costOfChange, costOfChange, 0n);
  return result;
}
