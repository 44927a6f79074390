import assert from "node:assert/strict";
import { BlockPolicyEstimator, type NewTransactionInfo } from "./block_policy_estimator.ts";
import { feedMarket, MARKET_RATES } from "./_test_support.ts";

function newTx(overrides: Partial<NewTransactionInfo> = {}): NewTransactionInfo {
  return {
    txid: "aa",
    fee: 5000n,
    vsize: 1000,
    height: 0,
    mempoolLimitBypassed: false,
    submittedInPackage: false,
    chainstateIsCurrent: true,
    hasNoMempoolParents: true,
    ...overrides,
  };
}

Deno.test("a fresh estimator has no estimate and names the clamped target", () => {
  const estimator = new BlockPolicyEstimator();
  const { feeRatePerKvB, calc } = estimator.estimateSmartFee(1, true);
  assert.equal(feeRatePerKvB, 0n);
  assert.equal(calc.desiredTarget, 1);
  // No data yet: the usable span is 0 blocks.
  assert.equal(calc.returnedTarget, 0);
  assert.equal(estimator.estimateSmartFee(1009, true).calc.returnedTarget, 1009);
});

Deno.test("tracks only transactions that say something about the fee market", async (t) => {
  const cases: [string, Partial<NewTransactionInfo>][] = [
    ["re-added after a reorg", { mempoolLimitBypassed: true }],
    ["submitted in a package", { submittedInPackage: true }],
    ["entered while the chain was behind", { chainstateIsCurrent: false }],
    ["spending a mempool transaction", { hasNoMempoolParents: false }],
    ["entered at another height", { height: 5 }],
  ];
  for (const [name, overrides] of cases) {
    await t.step(name, () => {
      const estimator = new BlockPolicyEstimator();
      estimator.processTransaction(newTx(overrides));
      assert.equal(estimator.trackedCount, 0);
    });
  }
  await t.step("a plain transaction at the best seen height", () => {
    const estimator = new BlockPolicyEstimator();
    estimator.processTransaction(newTx());
    estimator.processTransaction(newTx());
    assert.equal(estimator.trackedCount, 1, "a second notice of the same txid is ignored");
    assert.equal(estimator.removeTx("aa"), true);
    assert.equal(estimator.removeTx("aa"), false);
  });
});

Deno.test("ignores blocks at or below the best seen height", () => {
  const estimator = new BlockPolicyEstimator();
  estimator.processBlock([], 10);
  estimator.processTransaction(newTx({ height: 10 }));
  estimator.processBlock([{ txid: "aa", fee: 5000n, vsize: 1000, height: 10 }], 10);
  assert.equal(estimator.bestSeenHeight, 10);
  assert.equal(estimator.trackedCount, 1, "a block at the same height confirms nothing");
});

Deno.test("smart estimates fall as the target grows and stay within the rates paid", () => {
  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 120, startHeight: 100 });
  let previous = Infinity;
  for (let target = 1; target <= 25; target++) {
    const { feeRatePerKvB, calc } = estimator.estimateSmartFee(target, true);
    const rate = Number(feeRatePerKvB);
    assert.ok(rate >= MARKET_RATES[0] && rate <= MARKET_RATES.at(-1)!, `target ${target}: ${rate}`);
    assert.ok(rate <= previous, `target ${target}: ${rate} above ${previous}`);
    assert.equal(calc.returnedTarget, Math.max(target, 2));
    previous = rate;
  }
  // A rate that needs 3 blocks cannot meet 85% within 2, while 10 blocks allow the lowest.
  assert.ok(estimator.estimateSmartFee(2, false).feeRatePerKvB >= 8000n);
  assert.ok(estimator.estimateSmartFee(20, false).feeRatePerKvB <= 2000n);
});

Deno.test("raw estimates report the passing and failing bucket ranges", () => {
  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 120, startHeight: 100 });
  const { feeRatePerKvB, result } = estimator.estimateRawFee(5, 0.95, "short");
  assert.ok(feeRatePerKvB >= 6000n && feeRatePerKvB <= 7000n, `${feeRatePerKvB}`);
  assert.equal(result.decay, 0.962);
  assert.equal(result.scale, 1);
  assert.ok(result.pass.start < Number(feeRatePerKvB) && result.pass.end >= Number(feeRatePerKvB));
  assert.ok(result.fail.end <= result.pass.start, "the failing range lies below the passing one");
  assert.ok(result.pass.withinTarget / result.pass.totalConfirmed >= 0.95);
  assert.equal(estimator.estimateRawFee(13, 0.95, "short").feeRatePerKvB, 0n, "beyond 12 blocks");
  assert.equal(estimator.estimateRawFee(5, 1.5, "medium").feeRatePerKvB, 0n);
});

Deno.test("the usable target grows with the blocks observed", () => {
  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 30, startHeight: 100 });
  // Data from height 101 to 130: half of the 29-block span is usable.
  assert.equal(estimator.estimateSmartFee(25, true).calc.returnedTarget, 14);
});

Deno.test("flushing the unconfirmed transactions counts them as failures", () => {
  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 40, startHeight: 100 });
  const waiting = estimator.trackedCount;
  assert.ok(waiting > 0);
  assert.equal(estimator.flushUnconfirmed(), waiting);
  assert.equal(estimator.trackedCount, 0);
});

Deno.test("encoded data loads back to the same estimates", () => {
  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 60, startHeight: 100 });
  // What waits in the pool is not saved: shutdown records it as failures first.
  estimator.flushUnconfirmed();
  const bytes = estimator.encode();
  const restored = new BlockPolicyEstimator();
  restored.load(bytes);
  assert.equal(restored.bestSeenHeight, estimator.bestSeenHeight);
  for (const target of [2, 5, 10, 20]) {
    assert.deepEqual(
      restored.estimateSmartFee(target, true),
      estimator.estimateSmartFee(target, true),
    );
  }
  assert.deepEqual(restored.encode(), bytes);
});
