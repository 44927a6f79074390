import assert from "node:assert/strict";
import { join } from "node:path";
import type { Logger } from "../../../cli/logger.ts";
import { acceptToMemoryPool } from "../mempool/accept.ts";
import { opTrueChain, spendCoins } from "../mempool/_test_support.ts";
import { generateBlocks } from "../mining/generate_blocks.ts";
import { P2WSH_OP_TRUE } from "../mempool/_test_support.ts";
import { FeeEstimation } from "./fee_estimation.ts";
import { feedMarket } from "./_test_support.ts";

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = {
    info: (message) => lines.push(typeof message === "string" ? message : message()),
    warning() {},
    error() {},
    debug() {},
    trace() {},
    willLog: () => false,
  };
  return { logger, lines };
}

Deno.test("a missing file is logged and the estimator starts empty", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = join(dir, "fee_estimates.dat");
    const { logger, lines } = recordingLogger();
    const estimation = FeeEstimation.open({ path, logger });
    assert.deepEqual(lines, [`${path} is not found. Continue anyway.`]);
    assert.equal(estimation.estimator.bestSeenHeight, 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("flushes and reads back; a stale file is read only when asked", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = join(dir, "fee_estimates.dat");
    const { logger, lines } = recordingLogger();
    const first = FeeEstimation.open({ path, logger });
    feedMarket(first.estimator, { blocks: 40, startHeight: 100 });
    lines.length = 0;
    first.flush();
    assert.deepEqual(lines, ["Flushed fee estimates to fee_estimates.dat."]);

    const fresh = FeeEstimation.open({ path });
    assert.equal(fresh.estimator.bestSeenHeight, 140);
    const expected = first.estimator.estimateSmartFee(5, true);
    assert.ok(expected.feeRatePerKvB > 0n);
    assert.deepEqual(fresh.estimator.estimateSmartFee(5, true), expected);

    const old = new Date(Date.now() - 61 * 3600 * 1000);
    Deno.utimeSync(path, old, old);
    const stale = recordingLogger();
    const refused = FeeEstimation.open({ path, logger: stale.logger });
    assert.equal(refused.estimator.bestSeenHeight, 0);
    assert.deepEqual(stale.lines, [
      `Fee estimation file ${path} too old (age=61 > 60 hours) and will not be used to avoid serving stale estimates.`,
    ]);
    const accepted = FeeEstimation.open({ path, acceptStale: true });
    assert.equal(accepted.estimator.bestSeenHeight, 140);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a damaged file is logged and ignored", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = join(dir, "fee_estimates.dat");
    Deno.writeFileSync(path, new Uint8Array([1, 2, 3]));
    const { logger, lines } = recordingLogger();
    const estimation = FeeEstimation.open({ path, logger });
    assert.equal(estimation.estimator.bestSeenHeight, 0);
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      /^CBlockPolicyEstimator::Read\(\): unable to read policy estimator data \(non-fatal\): /,
    );
    assert.equal(lines[1], `Failed to read fee estimates from ${path}. Continue anyway.`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("learns from the mempool: entries, conflicts and the blocks that confirm them", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(110);
  const dir = Deno.makeTempDirSync();
  try {
    const estimation = FeeEstimation.open({ path: join(dir, "fee_estimates.dat") });
    let current = true;
    const detach = estimation.attach(mempool, () => current);
    // The estimator has not seen a block yet: nothing is tracked at height 110.
    const early = spendCoins([coins[0]], { fee: 5000n });
    assert.ok(acceptToMemoryPool(mempool, chain, early.tx, { acceptTime: now() }).ok);
    assert.equal(estimation.estimator.trackedCount, 0);
    await generateBlocks(chain, mempool, P2WSH_OP_TRUE, 1, 1e6, { now });
    assert.equal(estimation.estimator.bestSeenHeight, 111);

    const parent = spendCoins([coins[1]], { fee: 5000n });
    assert.ok(acceptToMemoryPool(mempool, chain, parent.tx, { acceptTime: now() }).ok);
    assert.equal(estimation.estimator.trackedCount, 1);
    const child = spendCoins(parent.coins, { fee: 5000n });
    assert.ok(acceptToMemoryPool(mempool, chain, child.tx, { acceptTime: now() }).ok);
    assert.equal(estimation.estimator.trackedCount, 1, "a child of a mempool tx is not tracked");
    current = false;
    const behind = spendCoins([coins[2]], { fee: 5000n });
    assert.ok(acceptToMemoryPool(mempool, chain, behind.tx, { acceptTime: now() }).ok);
    assert.equal(estimation.estimator.trackedCount, 1, "not tracked while the chain is behind");
    current = true;
    const replaced = spendCoins([coins[3]], { fee: 5000n });
    assert.ok(acceptToMemoryPool(mempool, chain, replaced.tx, { acceptTime: now() }).ok);
    assert.equal(estimation.estimator.trackedCount, 2);
    const replacement = spendCoins([coins[3]], { fee: 50000n, outputs: 2 });
    assert.ok(acceptToMemoryPool(mempool, chain, replacement.tx, { acceptTime: now() }).ok);
    assert.equal(
      estimation.estimator.trackedCount,
      2,
      "the replaced one left, its replacement came",
    );

    await generateBlocks(chain, mempool, P2WSH_OP_TRUE, 1, 1e6, { now });
    assert.equal(mempool.size, 0);
    assert.equal(estimation.estimator.trackedCount, 0, "the block confirmed both");
    assert.equal(estimation.estimator.bestSeenHeight, 112);
    detach();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
