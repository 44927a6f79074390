import assert from "node:assert/strict";
import { FeeFilterRounder } from "./fee_filter_rounder.ts";

const MAX_MONEY = 2_100_000_000_000_000n;

Deno.test("MAX_MONEY rounds to the top bucket, 9170997 kria/kvB", () => {
  assert.equal(new FeeFilterRounder(1000n, () => 0).round(MAX_MONEY), 9170997n);
  assert.equal(new FeeFilterRounder(1000n, () => 0.9).round(MAX_MONEY), 9170997n);
});

Deno.test("rounds to the bucket at or above the fee one time in three, else the one below", () => {
  // Buckets near 1000: 500 * 1.1^7 = 974.35..., 500 * 1.1^8 = 1071.79...
  assert.equal(new FeeFilterRounder(1000n, () => 0).round(1000n), 1071n);
  assert.equal(new FeeFilterRounder(1000n, () => 0.5).round(1000n), 974n);
  assert.equal(new FeeFilterRounder(1000n, () => 0.5).round(0n), 0n);
});
