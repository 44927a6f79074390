import assert from "node:assert/strict";
import { FeeBuckets, INF_FEERATE } from "./fee_buckets.ts";

Deno.test("standard buckets run from 1000 to 10^7 by 5%, then infinity", () => {
  const buckets = FeeBuckets.standard();
  assert.equal(buckets.size, 190);
  assert.equal(buckets.bounds[0], 1000);
  assert.equal(buckets.bounds[1], 1050);
  assert.ok(buckets.bounds[188] <= 1e7 && buckets.bounds[188] * 1.05 > 1e7);
  assert.equal(buckets.bounds[189], INF_FEERATE);
});

Deno.test("a fee rate falls in the bucket with the smallest bound at or above it", async (t) => {
  const buckets = FeeBuckets.standard();
  const cases: [number, number][] = [[0, 0], [1000, 0], [1000.5, 1], [1050, 1], [1051, 2], [
    2e7,
    189,
  ], [1e100, 189]];
  for (const [rate, index] of cases) {
    await t.step(`${rate} → ${index}`, () => assert.equal(buckets.indexOf(rate), index));
  }
});

Deno.test("unsorted or repeated bounds from a file map as a sorted map would", () => {
  const buckets = new FeeBuckets([5000, 1000, 5000, 1e99]);
  // 5000 keeps its last index (2); lookups go by value order.
  assert.equal(buckets.indexOf(500), 1);
  assert.equal(buckets.indexOf(3000), 2);
  assert.equal(buckets.indexOf(6000), 3);
});
