// Bounded randomized check of every algorithm and of selectCoins: a selection always covers
// what it claims and never holds a coin twice.
import assert from "node:assert/strict";
import { selectCoinsBnB } from "./branch_and_bound.ts";
import { coinGrinder } from "./coin_grinder.ts";
import type { CoinSelectionParams } from "./coin_selection_params.ts";
import { knapsackSolver } from "./knapsack.ts";
import { OutputGroup, selectionCoin } from "./output_group.ts";
import { seededRandom, type SelectionRandom } from "./random.ts";
import { selectCoins } from "./select_coins.ts";
import { SelectionResult } from "./selection_result.ts";
import { CHANGE_LOWER, selectCoinsSrd } from "./single_random_draw.ts";
import type { CandidateCoin } from "./group_outputs.ts";

const ROUNDS = 300;

function randomValue(random: SelectionRandom): bigint {
  // Spread over several magnitudes: dust to tens of FRC.
  const magnitude = random.randomInt(8);
  return BigInt(1 + random.randomInt(1_000)) * 10n ** BigInt(magnitude + 1);
}

function randomCandidates(random: SelectionRandom, round: number): CandidateCoin[] {
  const count = 1 + random.randomInt(40);
  const feeRate = BigInt(random.randomInt(50_000));
  return Array.from({ length: count }, (_, i) => ({
    coin: selectionCoin({
      key: `r${round}c${i}:${random.randomInt(3)}`,
      atHeight: 500,
      value: randomValue(random),
      inputBytes: 41 + random.randomInt(120),
      depth: random.randomInt(8),
      fromMe: random.randomBool(),
    }, { feeRate, longTermFeeRate: 10_000n }),
    outputType: random.randomBool() ? "bech32" : "legacy",
    script: `s${random.randomInt(5)}`,
    ancestors: 0,
    descendants: 0,
  }));
}

function assertValid(result: SelectionResult, covers: bigint, useEffective: boolean): void {
  const keys = result.coins.map((c) => c.key);
  assert.equal(new Set(keys).size, keys.length, "a coin used twice");
  const sum = useEffective ? result.selectedEffectiveValue : result.selectedValue;
  assert.ok(sum >= covers, `selected ${sum} < ${covers}`);
}

function groupsOf(candidates: CandidateCoin[], positiveOnly: boolean): OutputGroup[] {
  const groups: OutputGroup[] = [];
  for (const { coin } of candidates) {
    const group = new OutputGroup();
    group.insert(coin);
    if (!positiveOnly || group.selectionAmount > 0n) groups.push(group);
  }
  return groups;
}

Deno.test("every algorithm's selection covers its target and never repeats a coin", () => {
  const random = seededRandom(20261124);
  for (let round = 0; round < ROUNDS; round++) {
    const candidates = randomCandidates(random, round);
    const positive = groupsOf(candidates, true);
    const available = positive.reduce((s, g) => s + g.selectionAmount, 0n);
    if (available <= 0n) continue;
    const target = 1n +
      BigInt(random.randomInt(Number(available > 2n ** 40n ? 2n ** 40n : available)));
    const change = BigInt(random.randomInt(100_000));

    const bnb = selectCoinsBnB([...positive], target, change, 400_000);
    if (bnb instanceof SelectionResult) {
      assertValid(bnb, target, true);
      assert.ok(bnb.selectedEffectiveValue <= target + change, "branch and bound overshot");
    }
    const grinder = coinGrinder([...positive], target, change, 400_000);
    if (grinder instanceof SelectionResult) assertValid(grinder, target + change, true);
    const srd = selectCoinsSrd(positive, target, change, random, 400_000);
    if (srd instanceof SelectionResult) assertValid(srd, target + CHANGE_LOWER + change, true);
    const knapsack = knapsackSolver(groupsOf(candidates, false), target, change, random, 400_000);
    if (knapsack instanceof SelectionResult) assertValid(knapsack, target, true);
  }
});

Deno.test("selectCoins results cover the target with and without fees from the outputs", () => {
  const random = seededRandom(7);
  for (let round = 0; round < ROUNDS / 3; round++) {
    const candidates = randomCandidates(random, round);
    const subtractFeeOutputs = random.randomBool();
    const params: CoinSelectionParams = {
      random,
      changeOutputSize: 31,
      changeSpendSize: 68,
      minChangeTarget: 50_000n + BigInt(random.randomInt(100_000)),
      minViableChange: 700n,
      changeFee: 31n,
      costOfChange: 711n,
      effectiveFeeRate: 1_000n * BigInt(1 + random.randomInt(40)),
      longTermFeeRate: 10_000n,
      discardFeeRate: 10_000n,
      txNoInputsSize: 60,
      subtractFeeOutputs,
      avoidPartialSpends: random.randomBool(),
      includeUnsafeInputs: random.randomBool(),
    };
    const split = random.randomInt(candidates.length);
    const preselected = candidates.slice(0, Math.min(split, 3)).map((c) => c.coin);
    const rest = candidates.slice(Math.min(split, 3));
    const target = randomValue(random);
    const result = selectCoins(rest, preselected, target, random.randomInt(4) !== 0, params, {
      spendZeroConfChange: true,
      rejectLongChains: true,
      maxAncestors: 25,
      maxDescendants: 25,
    });
    if (!(result instanceof SelectionResult)) continue;
    assertValid(result, target, !subtractFeeOutputs);
    for (const coin of preselected) {
      assert.ok(result.coins.includes(coin), "preselected coin dropped");
    }
  }
});
