/**
 * Single random draw (`SelectCoinsSRD`): groups are taken in random order until their value
 * covers the target plus a minimal change output; when the weight limit is passed, the
 * least valuable groups taken so far are dropped again.
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

/** The smallest change single random draw aims to leave (`CHANGE_LOWER`), in kria. */
export const CHANGE_LOWER = 50_000n;
/** The largest randomized change target (`CHANGE_UPPER`), in kria. */
export const CHANGE_UPPER = 1_000_000n;

/** Draws groups of `pool` at random until target + CHANGE_LOWER + change fee is covered. */
export function selectCoinsSrd(
  pool: readonly OutputGroup[],
  target: bigint,
  changeFee: bigint,
  random: SelectionRandom,
  maxWeight: number,
): SelectionOutcome {
  const result = new SelectionResult(target, "srd");
  // Aim for at least a small change output so that a bare hit does not make dust change.
  const goal = target + CHANGE_LOWER + changeFee;
  const order = shuffleInPlace([...pool.keys()], random);
  // Kept sorted by ascending value, so the least valuable group is dropped first.
  const taken: OutputGroup[] = [];
  let value = 0n;
  let weight = 0;
  let weightExceeded = false;
  for (const i of order) {
    const group = pool[i];
    if (group.selectionAmount <= 0n) {
      throw new Error("single random draw given a non-positive group");
    }
    insertSorted(taken, group);
    value += group.selectionAmount;
    weight += group.weight;
    if (weight > maxWeight) {
      weightExceeded = true;
      do {
        const dropped = taken.shift()!;
        value -= dropped.selectionAmount;
        weight -= dropped.weight;
      } while (taken.length > 0 && weight > maxWeight);
    }
    if (value >= goal) {
      for (const chosen of taken) result.addGroup(chosen);
      return result;
    }
  }
  return new SelectionFailure(weightExceeded ? MAX_WEIGHT_EXCEEDED : "");
}

function insertSorted(list: OutputGroup[], group: OutputGroup): void {
  let low = 0, high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid].selectionAmount <= group.selectionAmount) low = mid + 1;
    else high = mid;
  }
  list.splice(low, 0, group);
}
