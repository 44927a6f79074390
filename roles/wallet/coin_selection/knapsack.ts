/**
 * The knapsack solver (`KnapsackSolver`), freicoind's oldest algorithm: an exact match if one
 * group has it; otherwise a stochastic subset-sum approximation over the groups smaller than
 * target + change, compared with the smallest single group above that. Unlike the others it
 * may spend groups of non-positive effective value (its "mixed" pool).
 *
 * @module
 */
import type { OutputGroup } from "./output_group.ts";
import { type SelectionRandom, shuffleInPlace } from "./random.ts";
import {
  MAX_WEIGHT_EXCEEDED,
  SelectionFailure,
  type SelectionOutcome,
  SelectionResult,
} from "./selection_result.ts";

/** Random passes of the subset-sum approximation. */
const APPROXIMATION_ITERATIONS = 1000;

function descendingByValue(a: OutputGroup, b: OutputGroup): number {
  const x = a.selectionAmount, y = b.selectionAmount;
  if (x === y) return a.excessFee < b.excessFee ? -1 : a.excessFee > b.excessFee ? 1 : 0;
  return x > y ? -1 : 1;
}

/**
 * `ApproximateBestSubset`: random inclusion passes, each completed by a deterministic second
 * pass, remembering the smallest total ≥ target. Starts from "all groups".
 */
function approximateBestSubset(
  random: SelectionRandom,
  groups: readonly OutputGroup[],
  totalLower: bigint,
  target: bigint,
): { included: boolean[]; best: bigint } {
  // Amounts are money (below 2^53 kria, as are their sums), so doubles add them exactly and
  // far faster than bigints in this loop of up to 2 × 1000 × groups steps.
  const amounts = Float64Array.from(groups, (group) => Number(group.selectionAmount));
  const goal = Number(target);
  let bestIncluded: Uint8Array = new Uint8Array(groups.length).fill(1);
  let best = Number(totalLower);
  const included = new Uint8Array(groups.length);
  for (let rep = 0; rep < APPROXIMATION_ITERATIONS && best !== goal; rep++) {
    included.fill(0);
    let total = 0;
    let reachedTarget = false;
    for (let pass = 0; pass < 2 && !reachedTarget; pass++) {
      let coins = 0; // 32 coin flips at a time
      for (let i = 0; i < amounts.length; i++) {
        if (pass === 0 && (i & 31) === 0) coins = random.randomInt(0x1_0000_0000);
        if (pass === 0 ? ((coins >>> (i & 31)) & 1) === 1 : included[i] === 0) {
          total += amounts[i];
          included[i] = 1;
          if (total >= goal) {
            reachedTarget = true;
            if (total < best) {
              best = total;
              bestIncluded = included.slice();
            }
            total -= amounts[i];
            included[i] = 0;
          }
        }
      }
    }
  }
  return { included: Array.from(bestIncluded, (flag) => flag === 1), best: BigInt(best) };
}

/** Selects groups of `groups` (shuffled in place) for `target`, aiming for `changeTarget` change. */
export function knapsackSolver(
  groups: OutputGroup[],
  target: bigint,
  changeTarget: bigint,
  random: SelectionRandom,
  maxWeight: number,
): SelectionOutcome {
  const result = new SelectionResult(target, "knapsack");
  let lowestLarger: OutputGroup | null = null;
  const applicable: OutputGroup[] = [];
  let totalLower = 0n;
  shuffleInPlace(groups, random);
  for (const group of groups) {
    if (group.selectionAmount === target) {
      result.addGroup(group);
      return result;
    } else if (group.selectionAmount < target + changeTarget) {
      applicable.push(group);
      totalLower += group.selectionAmount;
    } else if (!lowestLarger || group.selectionAmount < lowestLarger.selectionAmount) {
      lowestLarger = group;
    }
  }

  if (totalLower === target) {
    for (const group of applicable) result.addGroup(group);
    return result;
  }
  if (totalLower < target) {
    if (!lowestLarger) return new SelectionFailure();
    result.addGroup(lowestLarger);
    return result;
  }

  applicable.sort(descendingByValue);
  let { included, best } = approximateBestSubset(random, applicable, totalLower, target);
  if (best !== target && totalLower >= target + changeTarget) {
    ({ included, best } = approximateBestSubset(
      random,
      applicable,
      totalLower,
      target + changeTarget,
    ));
  }

  // The single larger group wins when the subset misses change or is no closer.
  if (
    lowestLarger &&
    ((best !== target && best < target + changeTarget) ||
      lowestLarger.selectionAmount <= best)
  ) {
    result.addGroup(lowestLarger);
    return result;
  }
  applicable.forEach((group, i) => {
    if (included[i]) result.addGroup(group);
  });
  if (result.weight > maxWeight) {
    if (!lowestLarger) return new SelectionFailure(MAX_WEIGHT_EXCEEDED);
    result.clear();
    result.addGroup(lowestLarger);
  }
  return result;
}
