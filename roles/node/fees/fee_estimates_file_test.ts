import assert from "node:assert/strict";
import { ByteWriter } from "../../../kernel/encoding/mod.ts";
import { BlockPolicyEstimator } from "./block_policy_estimator.ts";
import {
  CLIENT_VERSION,
  decodeFeeEstimates,
  encodeFeeEstimates,
  type FeeEstimatesData,
  FeeEstimatesFileError,
} from "./fee_estimates_file.ts";
import type { SavedTxConfirmStats } from "./tx_confirm_stats.ts";
import { feedMarket } from "./_test_support.ts";

function stats(overrides: Partial<SavedTxConfirmStats> = {}): SavedTxConfirmStats {
  return {
    decay: 0.5,
    scale: 2,
    feeRateAvg: [1, 2],
    txCountAvg: [3, 4],
    confAvg: [[5, 6], [7, 8]],
    failAvg: [[9, 10], [11, 12]],
    ...overrides,
  };
}

function data(overrides: Partial<FeeEstimatesData> = {}): FeeEstimatesData {
  return {
    versionRequired: 149900,
    versionThatWrote: CLIENT_VERSION,
    bestSeenHeight: 20,
    historicalFirst: 10,
    historicalBest: 20,
    buckets: [1000, 1e99],
    medium: stats(),
    short: stats({ scale: 1 }),
    long: stats({ scale: 24 }),
    ...overrides,
  };
}

Deno.test("writes freicoind's layout: versions, heights, buckets, then three horizons", () => {
  const bytes = encodeFeeEstimates(data());
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(view.getInt32(0, true), 149900);
  assert.equal(view.getInt32(4, true), 270101);
  assert.equal(view.getUint32(8, true), 20);
  assert.equal(view.getUint32(12, true), 10);
  assert.equal(view.getUint32(16, true), 20);
  assert.equal(bytes[20], 2, "bucket count");
  assert.equal(view.getFloat64(21, true), 1000);
  assert.equal(view.getFloat64(29, true), 1e99);
  assert.equal(view.getFloat64(37, true), 0.5, "medium decay");
  assert.equal(view.getUint32(45, true), 2, "medium scale");
  // Per horizon: 8 + 4 + 2 × (1 + 16) + 2 × (1 + 2 × (1 + 16)).
  assert.equal(bytes.length, 37 + 3 * (12 + 34 + 70));
});

Deno.test("round-trips the estimator's own file byte for byte", () => {
  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 30, startHeight: 50 });
  const bytes = estimator.encode();
  const decoded = decodeFeeEstimates(bytes);
  assert.equal(decoded.kind, "current");
  if (decoded.kind !== "current") return;
  assert.equal(decoded.data.buckets.length, 190);
  assert.equal(decoded.data.medium.confAvg.length, 24);
  assert.equal(decoded.data.short.confAvg.length, 12);
  assert.equal(decoded.data.long.confAvg.length, 42);
  assert.deepEqual(encodeFeeEstimates(decoded.data), bytes);
});

Deno.test("ignores the data of pre-0.15 files", () => {
  const bytes = new ByteWriter().writeI32LE(140000).writeI32LE(140000).writeU32LE(5)
    .writeBytes(new Uint8Array([1, 2, 3])).toBytes();
  assert.deepEqual(decodeFeeEstimates(bytes), { kind: "incompatible", versionRequired: 140000 });
});

Deno.test("rejects damaged files with freicoind's reasons", async (t) => {
  const cases: [string, Uint8Array, string][] = [
    [
      "up-version",
      encodeFeeEstimates(data({ versionRequired: 999999 })),
      "up-version (999999) fee estimate file",
    ],
    [
      "historical range",
      encodeFeeEstimates(data({ historicalFirst: 21 })),
      "Corrupt estimates file. Historical block range for estimates is invalid",
    ],
    [
      "one bucket",
      encodeFeeEstimates(data({
        buckets: [1e99],
        medium: stats({ feeRateAvg: [1] }),
      })),
      "Corrupt estimates file. Must have between 2 and 1000 feerate buckets",
    ],
    [
      "decay",
      encodeFeeEstimates(data({ medium: stats({ decay: 1 }) })),
      "Corrupt estimates file. Decay must be between 0 and 1 (non-inclusive)",
    ],
    [
      "NaN decay",
      encodeFeeEstimates(data({ short: stats({ decay: NaN }) })),
      "Corrupt estimates file. Decay must be between 0 and 1 (non-inclusive)",
    ],
    [
      "scale",
      encodeFeeEstimates(data({ long: stats({ scale: 0 }) })),
      "Corrupt estimates file. Scale must be non-zero",
    ],
    [
      "feerate averages",
      encodeFeeEstimates(data({ medium: stats({ feeRateAvg: [1] }) })),
      "Corrupt estimates file. Mismatch in feerate average bucket count",
    ],
    [
      "tx counts",
      encodeFeeEstimates(data({ medium: stats({ txCountAvg: [1, 2, 3] }) })),
      "Corrupt estimates file. Mismatch in tx count bucket count",
    ],
    [
      "too many confirms",
      encodeFeeEstimates(data({ long: stats({ scale: 600 }) })),
      "Corrupt estimates file.  Must maintain estimates for between 1 and 1008 (one week) confirms",
    ],
    [
      "no periods",
      encodeFeeEstimates(data({ long: stats({ confAvg: [], failAvg: [] }) })),
      "Corrupt estimates file.  Must maintain estimates for between 1 and 1008 (one week) confirms",
    ],
    [
      "conf row",
      encodeFeeEstimates(data({ medium: stats({ confAvg: [[1, 2], [3]] }) })),
      "Corrupt estimates file. Mismatch in feerate conf average bucket count",
    ],
    [
      "fail periods",
      encodeFeeEstimates(data({ medium: stats({ failAvg: [[1, 2]] }) })),
      "Corrupt estimates file. Mismatch in confirms tracked for failures",
    ],
    [
      "fail row",
      encodeFeeEstimates(data({ medium: stats({ failAvg: [[1, 2], [3, 4, 5]] }) })),
      "Corrupt estimates file. Mismatch in one of failure average bucket counts",
    ],
  ];
  for (const [name, bytes, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => decodeFeeEstimates(bytes), { name: "FeeEstimatesFileError", message });
    });
  }
  await t.step("truncated", () => {
    const bytes = encodeFeeEstimates(data());
    assert.throws(
      () => decodeFeeEstimates(bytes.subarray(0, bytes.length - 1)),
      FeeEstimatesFileError,
    );
  });
  await t.step("trailing bytes", () => {
    const bytes = encodeFeeEstimates(data());
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    assert.throws(() => decodeFeeEstimates(longer), FeeEstimatesFileError);
  });
  await t.step("a huge vector count allocates nothing", () => {
    const bytes = new ByteWriter().writeI32LE(149900).writeI32LE(CLIENT_VERSION).writeU32LE(1)
      .writeU32LE(0).writeU32LE(0).writeCompactSize(0x7fffffff).toBytes();
    assert.throws(() => decodeFeeEstimates(bytes), FeeEstimatesFileError);
  });
});

Deno.test("random damage to a file is rejected or decoded, never anything else (bounded fuzz)", () => {
  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 12, startHeight: 10, perLevel: 1 });
  const original = estimator.encode();
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let round = 0; round < 300; round++) {
    const bytes = original.slice(0, Math.floor(random() * (original.length + 1)));
    for (let flips = Math.floor(random() * 4); flips > 0; flips--) {
      if (bytes.length > 0) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    }
    try {
      decodeFeeEstimates(bytes);
    } catch (error) {
      assert.ok(error instanceof FeeEstimatesFileError, String(error));
    }
  }
});
