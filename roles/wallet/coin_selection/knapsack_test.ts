import assert from "node:assert/strict";
import { knapsackSolver } from "./knapsack.ts";
import { pool, total } from "./_test_pool.ts";
import { seededRandom } from "./random.ts";
import { SelectionFailure, SelectionResult } from "./selection_result.ts";

const MAX_WEIGHT = 400_000;

Deno.test("knapsack takes a single coin equal to the target", () => {
  const result = knapsackSolver(pool([7n, 10n, 3n]), 10n, 5n, seededRandom(1), MAX_WEIGHT);
  assert.ok(result instanceof SelectionResult);
  assert.equal(total(result.coins), 10n);
  assert.equal(result.coins.length, 1);
});

Deno.test("knapsack takes every small coin when together they are the target", () => {
  const result = knapsackSolver(pool([2n, 3n, 5n, 100n]), 10n, 50n, seededRandom(2), MAX_WEIGHT);
  assert.ok(result instanceof SelectionResult);
  assert.equal(total(result.coins), 10n);
});

Deno.test("knapsack falls back to the smallest larger coin", () => {
  const result = knapsackSolver(pool([1n, 2n, 500n, 300n]), 100n, 10n, seededRandom(3), MAX_WEIGHT);
  assert.ok(result instanceof SelectionResult);
  assert.deepEqual(result.coins.map((c) => c.value), [300n]);
});

Deno.test("knapsack approximates a subset leaving the change target", () => {
  const values = [10n, 20n, 30n, 40n, 50n].map((v) => v * 1_000n);
  const result = knapsackSolver(pool(values), 65_000n, 5_000n, seededRandom(4), MAX_WEIGHT);
  assert.ok(result instanceof SelectionResult);
  const sum = total(result.coins);
  assert.ok(sum === 65_000n || sum >= 70_000n, `sum ${sum}`);
});

Deno.test("knapsack fails when all coins together are not enough", () => {
  const result = knapsackSolver(pool([1n, 2n]), 10n, 1n, seededRandom(5), MAX_WEIGHT);
  assert.ok(result instanceof SelectionFailure);
});
