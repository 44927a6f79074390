/**
 * Grouping coins for selection (`GroupOutputs`): one group per coin, or with
 * avoid-partial-spends one group per address and output type (at most 100 coins each), sorted
 * into the pools each eligibility filter allows: "positive" groups (effective value above 0,
 * for branch and bound, CoinGrinder and single random draw) and "mixed" ones (for knapsack).
 *
 * @module
 */
import { type EligibilityFilter, OutputGroup, type SelectionCoin } from "./output_group.ts";

/** Coins of one address beyond this many start a new group (`OUTPUT_GROUP_MAX_ENTRIES`). */
export const OUTPUT_GROUP_MAX_ENTRIES = 100;

/** A wallet coin offered to selection. */
export interface CandidateCoin {
  readonly coin: SelectionCoin;
  /** The output type of its script ("legacy", "bech32", or "unknown"). */
  readonly outputType: string;
  /** Its scriptPubKey as hex, for grouping by address. */
  readonly script: string;
  /** Unconfirmed ancestors in the mempool, itself included (0 when confirmed). */
  readonly ancestors: number;
  /** Mempool descendants seen from its oldest ancestor (0 when confirmed). */
  readonly descendants: number;
}

/** The groups selection may try: both pools. */
export interface Groups {
  readonly positive: OutputGroup[];
  readonly mixed: OutputGroup[];
}

/** Groups by output type, and all of them together (`OutputGroupTypeMap`). */
export class OutputGroupTypeMap {
  readonly byType = new Map<string, Groups>();
  readonly all: Groups = { positive: [], mixed: [] };

  /** Adds a group to its type's pools and to the mixed-type pools. */
  push(group: OutputGroup, type: string, insertPositive: boolean, insertMixed: boolean): void {
    if (group.coins.length === 0) return;
    let groups = this.byType.get(type);
    if (!groups) this.byType.set(type, groups = { positive: [], mixed: [] });
    if (insertPositive && group.selectionAmount > 0n) {
      groups.positive.push(group);
      this.all.positive.push(group);
    }
    if (insertMixed) {
      groups.mixed.push(group);
      this.all.mixed.push(group);
    }
  }

  /** How many output types have groups. */
  get typesCount(): number {
    return this.byType.size;
  }
}

/** Groups per filter (same order as the filters given) and the groups no filter took. */
export interface GroupedOutputs {
  readonly byFilter: OutputGroupTypeMap[];
  readonly discarded: OutputGroup[];
}

/** Sorts candidate coins into groups for each filter. */
export function groupOutputs(
  coins: readonly CandidateCoin[],
  options: { avoidPartialSpends: boolean; subtractFeeOutputs: boolean },
  filters: readonly EligibilityFilter[],
): GroupedOutputs {
  const byFilter = filters.map(() => new OutputGroupTypeMap());
  const discarded: OutputGroup[] = [];
  if (!options.avoidPartialSpends) {
    for (const candidate of coins) {
      const group = new OutputGroup(options.subtractFeeOutputs);
      group.insert(candidate.coin, candidate.ancestors, candidate.descendants);
      let accepted = false;
      filters.forEach((filter, i) => {
        if (!group.eligibleFor(filter)) return;
        byFilter[i].push(group, candidate.outputType, true, true);
        accepted = true;
      });
      if (!accepted) discarded.push(group);
    }
    return { byFilter, discarded };
  }

  // Coins to one address (and type) go together, in groups of at most 100.
  type GroupMap = Map<string, { type: string; groups: OutputGroup[] }>;
  const insert = (candidate: CandidateCoin, map: GroupMap): void => {
    const key = `${candidate.script}/${candidate.outputType}`;
    let entry = map.get(key);
    if (!entry) map.set(key, entry = { type: candidate.outputType, groups: [] });
    let group = entry.groups[entry.groups.length - 1];
    if (!group || group.coins.length >= OUTPUT_GROUP_MAX_ENTRIES) {
      group = new OutputGroup(options.subtractFeeOutputs);
      entry.groups.push(group);
    }
    group.insert(candidate.coin, candidate.ancestors, candidate.descendants);
  };
  const allGroups: GroupMap = new Map();
  const positiveGroups: GroupMap = new Map();
  for (const candidate of coins) {
    if (candidate.coin.value - candidate.coin.fee > 0n) insert(candidate, positiveGroups);
    insert(candidate, allGroups);
  }
  const pushGroups = (map: GroupMap, positiveOnly: boolean): void => {
    for (const { type, groups } of sortedByKey(map)) {
      // Last group first: it is the partial one.
      for (let g = groups.length - 1; g >= 0; g--) {
        const group = groups[g];
        let accepted = false;
        filters.forEach((filter, i) => {
          if (!group.eligibleFor(filter)) return;
          const partial = g === groups.length - 1 && groups.length > 1;
          if (partial && !filter.includePartialGroups) return;
          byFilter[i].push(group, type, positiveOnly, !positiveOnly);
          accepted = true;
        });
        if (!accepted) discarded.push(group);
      }
    }
  };
  pushGroups(allGroups, false);
  pushGroups(positiveGroups, true);
  return { byFilter, discarded };
}

function sortedByKey<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
