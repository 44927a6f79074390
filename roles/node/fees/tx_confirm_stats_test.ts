import assert from "node:assert/strict";
import { FeeBuckets } from "./fee_buckets.ts";
import { TxConfirmStats } from "./tx_confirm_stats.ts";

function fresh(): TxConfirmStats {
  return new TxConfirmStats(FeeBuckets.standard(), { maxPeriods: 4, decay: 0.5, scale: 2 });
}

Deno.test("averages that were never touched stay zero across blocks", () => {
  const stats = fresh();
  const before = stats.saved();
  for (let i = 0; i < 5; i++) stats.updateMovingAverages();
  assert.deepEqual(stats.saved(), before);
});

Deno.test("a recorded confirmation decays by one factor per block from then on", () => {
  const stats = fresh();
  stats.updateMovingAverages();
  stats.record(3, 2000);
  stats.updateMovingAverages();
  stats.updateMovingAverages();
  const saved = stats.saved();
  assert.equal(saved.txCountAvg.reduce((a, b) => a + b), 0.25);
  assert.equal(saved.feeRateAvg.reduce((a, b) => a + b), 500);
  // Confirmed within the second period: counted for periods 2..4.
  assert.deepEqual(saved.confAvg.map((row) => row.reduce((a, b) => a + b)), [0, 0.25, 0.25, 0.25]);
});

Deno.test("a failure counted by removeTx decays too", () => {
  const stats = fresh();
  const bucket = stats.newTx(1, 2000);
  stats.removeTx(1, 7, bucket, false);
  stats.updateMovingAverages();
  const failures = stats.saved().failAvg.map((row) => row.reduce((a, b) => a + b));
  // Six blocks unconfirmed = three full periods of two blocks.
  assert.deepEqual(failures, [0.5, 0.5, 0.5, 0]);
});

Deno.test("restored statistics keep decaying", () => {
  const stats = fresh();
  stats.record(1, 5000);
  const restored = TxConfirmStats.fromSaved(FeeBuckets.standard(), stats.saved());
  restored.updateMovingAverages();
  assert.equal(restored.saved().txCountAvg.reduce((a, b) => a + b), 0.5);
});
