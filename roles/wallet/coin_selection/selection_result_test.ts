import assert from "node:assert/strict";
import { coin } from "./_test_pool.ts";
import { OutputGroup } from "./output_group.ts";
import { SelectionResult } from "./selection_result.ts";

function groupOf(...coins: ReturnType<typeof coin>[]): OutputGroup {
  const group = new OutputGroup();
  for (const c of coins) group.insert(c);
  return group;
}

Deno.test("waste counts the excess without change and the cost of change with it", () => {
  const c = coin(100_000n, { feeRate: 2_000n, longTermFeeRate: 1_000n }); // fee 136, later 68
  const result = new SelectionResult(90_000n, "srd");
  result.addGroup(groupOf(c));
  result.computeWaste(20_000n, 500n, 100n); // change 99 864 - 90 000 - 100 ≥ 20 000? no
  assert.equal(result.change(20_000n, 100n), 0n);
  assert.equal(result.waste, 68n + (100_000n - 136n - 90_000n));
  result.computeWaste(1_000n, 500n, 100n);
  assert.equal(result.change(1_000n, 100n), 100_000n - 136n - 90_000n - 100n);
  assert.equal(result.waste, 68n + 500n);
});

Deno.test("a selection refuses a coin twice and coins valued at another height", () => {
  const c = coin(1_000n);
  const result = new SelectionResult(1n, "manual");
  result.addCoins([c], false);
  assert.throws(() => result.addCoins([c], false), /selected twice/);
  assert.throws(() => result.addCoins([coin(5n, { atHeight: 7 })], false), /reference heights/);
  assert.throws(() => groupOf(coin(1n, { atHeight: 1 }), coin(1n, { atHeight: 2 })));
});

Deno.test("less waste wins, and more inputs on a tie", () => {
  const a = new SelectionResult(1n, "bnb");
  a.addGroup(groupOf(coin(10n)));
  a.computeWaste(0n, 0n, 0n);
  const b = new SelectionResult(1n, "knapsack");
  b.addGroup(groupOf(coin(5n)));
  b.addGroup(groupOf(coin(5n)));
  b.computeWaste(0n, 0n, 0n);
  assert.equal(a.waste, b.waste);
  assert.ok(b.isBetterThan(a));
  assert.ok(!a.isBetterThan(b));
});

Deno.test("subtracting the fee from outputs counts coins at full value", () => {
  const group = new OutputGroup(true);
  group.insert(coin(1_000n, { feeRate: 10_000n }));
  assert.equal(group.selectionAmount, 1_000n);
  const result = new SelectionResult(900n, "knapsack");
  result.addGroup(group);
  assert.equal(result.change(50n, 0n), 100n);
});
