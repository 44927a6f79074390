import assert from "node:assert/strict";
import { pool, total } from "./_test_pool.ts";
import { seededRandom } from "./random.ts";
import { MAX_WEIGHT_EXCEEDED, SelectionFailure, SelectionResult } from "./selection_result.ts";
import { CHANGE_LOWER, selectCoinsSrd } from "./single_random_draw.ts";

Deno.test("single random draw covers the target plus the minimum change", () => {
  const groups = pool(Array.from({ length: 20 }, (_, i) => BigInt(i + 1) * 10_000n));
  const result = selectCoinsSrd(groups, 300_000n, 100n, seededRandom(9), 400_000);
  assert.ok(result instanceof SelectionResult);
  assert.ok(total(result.coins) >= 300_000n + CHANGE_LOWER + 100n);
});

Deno.test("single random draw drops the smallest coins to stay under the weight limit", () => {
  const groups = pool([...Array.from({ length: 10 }, () => 1_000n), 1_000_000n]);
  const result = selectCoinsSrd(groups, 500_000n, 0n, seededRandom(3), 68 * 4 * 2);
  assert.ok(result instanceof SelectionResult);
  assert.ok(result.coins.some((c) => c.value === 1_000_000n));
  assert.ok(result.weight <= 68 * 4 * 2);
});

Deno.test("single random draw reports shortfall and the weight limit", () => {
  assert.equal(
    (selectCoinsSrd(pool([1_000n]), 10n, 0n, seededRandom(1), 400_000) as SelectionFailure).message,
    "",
  );
  const heavy = selectCoinsSrd(pool([40_000n, 40_000n]), 10_000n, 0n, seededRandom(1), 68 * 4);
  assert.ok(heavy instanceof SelectionFailure);
  assert.equal(heavy.message, MAX_WEIGHT_EXCEEDED);
});
