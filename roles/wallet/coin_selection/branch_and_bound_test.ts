import assert from "node:assert/strict";
import { pool, total } from "./_test_pool.ts";
import { selectCoinsBnB } from "./branch_and_bound.ts";
import { MAX_WEIGHT_EXCEEDED, SelectionFailure, SelectionResult } from "./selection_result.ts";

const MAX_WEIGHT = 400_000;

Deno.test("branch and bound finds an exact match without change", () => {
  const result = selectCoinsBnB(
    pool([1n, 2n, 3n, 4n].map((v) => v * 100_000n)),
    500_000n,
    0n,
    MAX_WEIGHT,
  );
  assert.ok(result instanceof SelectionResult);
  assert.equal(total(result.coins), 500_000n);
  assert.equal(result.algorithm, "bnb");
});

Deno.test("branch and bound accepts a sum inside the cost-of-change window", () => {
  const result = selectCoinsBnB(pool([400_000n, 150_020n]), 550_000n, 50n, MAX_WEIGHT);
  assert.ok(result instanceof SelectionResult);
  assert.equal(total(result.coins), 550_020n);
  assert.equal(result.waste, 20n); // the excess, no fees at rate 0
});

Deno.test("branch and bound fails when nothing lands in the window", () => {
  const result = selectCoinsBnB(pool([400_000n, 300_000n]), 550_000n, 1_000n, MAX_WEIGHT);
  assert.ok(result instanceof SelectionFailure);
  assert.equal(result.message, "");
});

Deno.test("branch and bound fails when the pool is too small", () => {
  assert.ok(selectCoinsBnB(pool([1_000n]), 2_000n, 10n, MAX_WEIGHT) instanceof SelectionFailure);
  assert.ok(selectCoinsBnB([], 1n, 10n, MAX_WEIGHT) instanceof SelectionFailure);
});

Deno.test("branch and bound keeps the least wasteful exact match at high fee rates", () => {
  // Two coins of 3 make the target as well as one coin of 6; at a fee rate above the
  // long-term one every extra input is waste, so the single coin wins.
  const groups = pool([3_000_000n, 3_000_000n, 6_000_000n], {
    feeRate: 10_000n,
    longTermFeeRate: 1_000n,
  });
  const target = groups[2].selectionAmount;
  const result = selectCoinsBnB(groups, target, 0n, MAX_WEIGHT);
  assert.ok(result instanceof SelectionResult);
  assert.equal(result.coins.length, 1);
});

Deno.test("branch and bound reports the weight limit", () => {
  const groups = pool(Array.from({ length: 10 }, () => 1_000n));
  const result = selectCoinsBnB(groups, 10_000n, 0n, 68 * 4 * 5);
  assert.ok(result instanceof SelectionFailure);
  assert.equal(result.message, MAX_WEIGHT_EXCEEDED);
});
