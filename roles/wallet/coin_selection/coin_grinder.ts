/**
 * CoinGrinder (`CoinGrinder` in freicoind 27): a deterministic depth-first search for the
 * lightest input set that funds the target plus a change output. Used only when fees are
 * high (at least three times the long-term rate), where fewer, lighter inputs save most.
 *
 * The search walks the inclusion/omission tree over groups sorted by descending value (lower
 * weight first on ties) with three moves: EXPLORE (add the next group), SHIFT (replace the last
 * group by the one after it) and CUT (drop the last group and shift the one before), pruning
 * any branch that cannot beat the best weight found.
 *
 * @module
 */
import type { OutputGroup } from "./output_group.ts";
import { BNB_TOTAL_TRIES } from "./branch_and_bound.ts";
import {
  MAX_WEIGHT_EXCEEDED,
  SelectionFailure,
  type SelectionOutcome,
  SelectionResult,
} from "./selection_result.ts";

function descendingValueThenWeight(a: OutputGroup, b: OutputGroup): number {
  const x = a.selectionAmount, y = b.selectionAmount;
  if (x === y) return a.weight - b.weight;
  return x > y ? -1 : 1;
}

/** Finds the minimum-weight selection of `pool` (sorted in place) covering target + change. */
export function coinGrinder(
  pool: OutputGroup[],
  target: bigint,
  changeTarget: bigint,
  maxWeight: number,
): SelectionOutcome {
  pool.sort(descendingValueThenWeight);
  const n = pool.length;
  // lookahead[i]: value of the groups after i; minTailWeight[i]: lightest group after i.
  const lookahead: bigint[] = new Array(n);
  const minTailWeight: number[] = new Array(n);
  let totalAvailable = 0n;
  let minWeight = Number.MAX_SAFE_INTEGER;
  for (let i = n - 1; i >= 0; i--) {
    lookahead[i] = totalAvailable;
    minTailWeight[i] = minWeight;
    if (pool[i].selectionAmount <= 0n) throw new Error("CoinGrinder given a non-positive group");
    totalAvailable += pool[i].selectionAmount;
    minWeight = Math.min(minWeight, pool[i].weight);
  }
  const totalTarget = target + changeTarget;
  if (n === 0 || totalAvailable < totalTarget) return new SelectionFailure();

  const selection: number[] = [];
  let best: number[] = [];
  let amount = 0n;
  let bestAmount = 9_007_199_254_740_991n;
  let weight = 0;
  let bestWeight = maxWeight; // a tie is fine: less value tied up wins it
  let weightExceeded = false;
  let next = 0;
  const result = new SelectionResult(target, "cg");

  const deselectLast = (): void => {
    const group = pool[selection.pop()!];
    amount -= group.selectionAmount;
    weight -= group.weight;
  };

  let tries = 0;
  let done = false;
  while (!done) {
    let shift = false, cut = false;
    const added = pool[next];
    amount += added.selectionAmount;
    weight += added.weight;
    selection.push(next);
    ++next;
    ++tries;

    const tail = selection[selection.length - 1];
    if (amount + lookahead[tail] < totalTarget) {
      cut = true; // cannot reach the target even with everything after
    } else if (weight > bestWeight) {
      if (weight > maxWeight) weightExceeded = true;
      // More groups only add weight.
      if (pool[tail].weight <= minTailWeight[tail]) cut = true;
      else shift = true;
    } else if (amount >= totalTarget) {
      shift = true; // a solution; adding more can only be heavier
      if (weight < bestWeight || (weight === bestWeight && amount < bestAmount)) {
        best = [...selection];
        bestWeight = weight;
        bestAmount = amount;
      }
    } else if (best.length > 0) {
      // How many more of the lightest tail groups would the missing amount take at best?
      const tailAmount = pool[tail].selectionAmount;
      const needed = (totalTarget - amount + tailAmount - 1n) / tailAmount;
      if (weight + minTailWeight[tail] * Number(needed) > bestWeight) {
        if (pool[tail].weight <= minTailWeight[tail]) cut = true;
        else shift = true;
      }
    }

    if (tries >= BNB_TOTAL_TRIES) {
      result.algorithmCompleted = false;
      break;
    }
    if (next === n) cut = true; // nothing left to add or skip

    if (cut) {
      deselectLast();
      shift = true;
    }
    while (shift) {
      if (selection.length === 0) {
        done = true;
        result.algorithmCompleted = true;
        break;
      }
      next = selection[selection.length - 1] + 1;
      deselectLast();
      shift = false;
      // A clone of the group just omitted can only give an equal or worse selection.
      while (
        next < n && pool[next - 1].selectionAmount === pool[next].selectionAmount
      ) {
        if (next >= n - 1) {
          shift = true;
          break;
        }
        ++next;
      }
      if (!shift && next >= n) shift = true;
    }
  }
  result.selectionsEvaluated = tries;
  if (best.length === 0) {
    return new SelectionFailure(weightExceeded ? MAX_WEIGHT_EXCEEDED : "");
  }
  for (const i of best) result.addGroup(pool[i]);
  return result;
}
