import assert from "node:assert/strict";
import { coin, total } from "./_test_pool.ts";
import type { CoinSelectionParams } from "./coin_selection_params.ts";
import type { CandidateCoin } from "./group_outputs.ts";
import { seededRandom } from "./random.ts";
import {
  type AutomaticSelectionOptions,
  LONG_CHAIN_ERROR,
  PRESELECTED_SHORTFALL,
  selectCoins,
} from "./select_coins.ts";
import { SelectionFailure, SelectionResult } from "./selection_result.ts";

const OPTIONS: AutomaticSelectionOptions = {
  spendZeroConfChange: true,
  rejectLongChains: true,
  maxAncestors: 25,
  maxDescendants: 25,
};

function params(overrides: Partial<CoinSelectionParams> = {}): CoinSelectionParams {
  return {
    random: seededRandom(11),
    changeOutputSize: 31,
    changeSpendSize: 68,
    minChangeTarget: 50_000n,
    minViableChange: 1_000n,
    changeFee: 31n,
    costOfChange: 31n + 680n,
    effectiveFeeRate: 1_000n,
    longTermFeeRate: 10_000n,
    discardFeeRate: 10_000n,
    txNoInputsSize: 50,
    subtractFeeOutputs: false,
    avoidPartialSpends: false,
    includeUnsafeInputs: false,
    ...overrides,
  };
}

function candidate(
  value: bigint,
  extra: { depth?: number; fromMe?: boolean; script?: string; ancestors?: number; type?: string } =
    {},
): CandidateCoin {
  return {
    coin: coin(value, {
      feeRate: 1_000n,
      longTermFeeRate: 10_000n,
      depth: extra.depth,
      fromMe: extra.fromMe,
    }),
    outputType: extra.type ?? "bech32",
    script: extra.script ?? `script${value}`,
    ancestors: extra.ancestors ?? 0,
    descendants: extra.ancestors ?? 0,
  };
}

Deno.test("preselected coins alone pay when they cover the target", () => {
  const pre = [coin(1_000_000n, { feeRate: 1_000n })];
  const result = selectCoins([candidate(5_000_000n)], pre, 500_000n, true, params(), OPTIONS);
  assert.ok(result instanceof SelectionResult);
  assert.equal(result.algorithm, "manual");
  assert.deepEqual(result.coins, pre);
});

Deno.test("preselected coins that fall short without other inputs give freicoind's error", () => {
  const pre = [coin(1_000n)];
  const result = selectCoins([candidate(5_000_000n)], pre, 500_000n, false, params(), OPTIONS);
  assert.ok(result instanceof SelectionFailure);
  assert.equal(result.message, PRESELECTED_SHORTFALL);
});

Deno.test("automatic selection adds to preselected coins and counts both", () => {
  const pre = [coin(100_000n, { feeRate: 1_000n, longTermFeeRate: 10_000n })];
  const available = [candidate(200_000n), candidate(700_000n), candidate(3_000_000n)];
  const result = selectCoins(available, pre, 650_000n, true, params(), OPTIONS);
  assert.ok(result instanceof SelectionResult);
  assert.ok(result.coins.includes(pre[0]));
  assert.equal(result.target, 650_000n);
  assert.ok(result.selectedEffectiveValue >= 650_000n);
});

Deno.test("confirmed coins from others are preferred with six confirmations", () => {
  const available = [
    candidate(1_000_000n, { depth: 1, fromMe: false }),
    candidate(1_000_001n, { depth: 6, fromMe: false }),
  ];
  const result = selectCoins(available, [], 900_000n, true, params(), OPTIONS);
  assert.ok(result instanceof SelectionResult);
  assert.deepEqual(result.coins.map((c) => c.value), [1_000_001n]);
});

Deno.test("unconfirmed coins from others are never spent unless unsafe inputs are allowed", () => {
  const available = [candidate(1_000_000n, { depth: 0, fromMe: false, ancestors: 1 })];
  assert.ok(
    selectCoins(available, [], 500_000n, true, params(), OPTIONS) instanceof SelectionFailure,
  );
  const unsafe = selectCoins(
    available,
    [],
    500_000n,
    true,
    params({ includeUnsafeInputs: true }),
    OPTIONS,
  );
  assert.ok(unsafe instanceof SelectionResult);
});

Deno.test("a too-long unconfirmed chain gives the mempool-chain error", () => {
  const available = [candidate(1_000_000n, { depth: 0, fromMe: true, ancestors: 30 })];
  const result = selectCoins(available, [], 500_000n, true, params(), OPTIONS);
  assert.ok(result instanceof SelectionFailure);
  assert.equal(result.message, LONG_CHAIN_ERROR);
});

Deno.test("avoid-partial-spends spends every coin of an address together", () => {
  const available = [
    candidate(400_000n, { script: "aa" }),
    candidate(400_000n, { script: "aa" }),
    candidate(2_000_000n, { script: "bb" }),
  ];
  const result = selectCoins(
    available,
    [],
    600_000n,
    true,
    params({ avoidPartialSpends: true }),
    OPTIONS,
  );
  assert.ok(result instanceof SelectionResult);
  const values = result.coins.map((c) => c.value).sort();
  assert.ok(values.length === 2 ? total(result.coins) === 800_000n : values[0] === 2_000_000n);
});

Deno.test("one output type is used alone before types are mixed", () => {
  const available = [
    candidate(300_000n, { type: "legacy" }),
    candidate(300_000n, { type: "bech32" }),
    candidate(2_000_000n, { type: "bech32" }),
  ];
  const result = selectCoins(available, [], 500_000n, true, params(), OPTIONS);
  assert.ok(result instanceof SelectionResult);
  const mixed = selectCoins(available.slice(0, 2), [], 500_000n, true, params(), OPTIONS);
  assert.ok(mixed instanceof SelectionResult);
  assert.equal(mixed.coins.length, 2);
});
