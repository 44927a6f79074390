import assert from "node:assert/strict";
import { coinGrinder } from "./coin_grinder.ts";
import { coin, total } from "./_test_pool.ts";
import { OutputGroup } from "./output_group.ts";
import { MAX_WEIGHT_EXCEEDED, SelectionFailure, SelectionResult } from "./selection_result.ts";

function weighted(value: bigint, inputBytes: number): OutputGroup {
  const group = new OutputGroup();
  group.insert(coin(value, { inputBytes }));
  return group;
}

Deno.test("CoinGrinder picks the lightest set covering target and change", () => {
  // The example in freicoind's comment: A=[10/2] B=[7/1] C=[5/1] D=[4/2], target 11.
  const [a, b, c, d] = [weighted(10n, 2), weighted(7n, 1), weighted(5n, 1), weighted(4n, 2)];
  const result = coinGrinder([a, b, c, d], 11n, 0n, 400_000);
  assert.ok(result instanceof SelectionResult);
  assert.deepEqual(
    new Set(result.coins.map((x) => x.key)),
    new Set([...b.coins, ...c.coins].map((x) => x.key)),
  );
  assert.equal(result.weight, 8);
  assert.equal(result.algorithmCompleted, true);
});

Deno.test("CoinGrinder prefers less value tied up at equal weight", () => {
  const groups = [weighted(20n, 10), weighted(12n, 10), weighted(3n, 30)];
  const result = coinGrinder(groups, 10n, 1n, 400_000);
  assert.ok(result instanceof SelectionResult);
  assert.equal(total(result.coins), 12n);
});

Deno.test("CoinGrinder fails on insufficient funds and on the weight limit", () => {
  assert.ok(coinGrinder([weighted(5n, 1)], 10n, 0n, 400_000) instanceof SelectionFailure);
  assert.ok(coinGrinder([], 0n, 0n, 400_000) instanceof SelectionFailure);
  const heavy = coinGrinder([weighted(6n, 100), weighted(6n, 100)], 10n, 0n, 500);
  assert.ok(heavy instanceof SelectionFailure);
  assert.equal(heavy.message, MAX_WEIGHT_EXCEEDED);
});

Deno.test("CoinGrinder skips clones and still finds the answer", () => {
  const groups = Array.from({ length: 30 }, () => weighted(1_000n, 68));
  groups.push(weighted(30_000n, 300));
  const result = coinGrinder(groups, 29_000n, 500n, 400_000);
  assert.ok(result instanceof SelectionResult);
  assert.equal(result.coins.length, 1);
  assert.equal(total(result.coins), 30_000n);
});
