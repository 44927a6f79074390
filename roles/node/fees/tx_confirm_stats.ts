/**
 * Confirmation statistics over one time horizon (`TxConfirmStats`, src/policy/fees.cpp): for
 * each fee-rate bucket, decaying averages of how many transactions confirmed within each
 * number of periods, how many left the pool unconfirmed, and the counts still waiting.
 *
 * @module
 */
import type { FeeBuckets } from "./fee_buckets.ts";
import { formatG } from "./_format_g.ts";

/** Counts over a range of buckets, as `estimaterawfee` reports them (`EstimatorBucket`). */
export interface EstimatorBucket {
  /** Lower bound of the range (the previous bucket's bound), -1 when unset. */
  start: number;
  /** Upper bound of the range, -1 when unset. */
  end: number;
  withinTarget: number;
  totalConfirmed: number;
  inMempool: number;
  leftMempool: number;
}

/** The detail of one estimate (`EstimationResult`). */
export interface EstimationResult {
  pass: EstimatorBucket;
  fail: EstimatorBucket;
  decay: number;
  scale: number;
}

/** An unset bucket (`EstimatorBucket()`). */
export function emptyBucket(): EstimatorBucket {
  return { start: -1, end: -1, withinTarget: 0, totalConfirmed: 0, inMempool: 0, leftMempool: 0 };
}

/** An empty result (`EstimationResult()`). */
export function emptyEstimationResult(): EstimationResult {
  return { pass: emptyBucket(), fail: emptyBucket(), decay: 0, scale: 0 };
}

/** The persisted part of the statistics (what fee_estimates.dat holds per horizon). */
export interface SavedTxConfirmStats {
  readonly decay: number;
  readonly scale: number;
  /** Decaying sum of fee rates per bucket (`m_feerate_avg`). */
  readonly feeRateAvg: readonly number[];
  /** Decaying count of confirmed transactions per bucket (`txCtAvg`). */
  readonly txCountAvg: readonly number[];
  /** `confAvg[period][bucket]`: confirmed within period+1 periods. */
  readonly confAvg: readonly (readonly number[])[];
  /** `failAvg[period][bucket]`: left the pool after period+1 periods unconfirmed. */
  readonly failAvg: readonly (readonly number[])[];
}

/** Receives the estimator's debug lines (category estimatefee); the text is built lazily. */
export type EstimatorDebugLog = (message: () => string) => void;

/** The statistics of one horizon. Heights are block heights (unsigned, as in the reference). */
export class TxConfirmStats {
  readonly decay: number;
  /** Blocks per period: confirmation counts are tracked with this resolution. */
  readonly scale: number;
  readonly #buckets: FeeBuckets;
  readonly #debug: EstimatorDebugLog;
  readonly #txCountAvg: Float64Array;
  readonly #feeRateAvg: Float64Array;
  readonly #confAvg: Float64Array[];
  readonly #failAvg: Float64Array[];
  /** `unconfTxs[height % maxConfirms][bucket]`: waiting transactions by entry height. */
  readonly #unconfTxs: Int32Array[];
  /** Waiting transactions older than the circular buffer, per bucket. */
  readonly #oldUnconfTxs: Int32Array;
  /**
   * False while every average is still zero, so that decaying them would change nothing: a
   * node syncing with an empty pool then skips the per-block decay of some 20,000 numbers.
   */
  #anyAverage = false;

  /** Empty statistics tracking `maxPeriods` periods of `scale` blocks. */
  constructor(
    buckets: FeeBuckets,
    options: { maxPeriods: number; decay: number; scale: number; debug?: EstimatorDebugLog },
  ) {
    if (options.scale <= 0) throw new RangeError("scale must be non-zero");
    const n = buckets.size;
    this.#buckets = buckets;
    this.#debug = options.debug ?? (() => {});
    this.decay = options.decay;
    this.scale = options.scale;
    this.#txCountAvg = new Float64Array(n);
    this.#feeRateAvg = new Float64Array(n);
    this.#confAvg = Array.from({ length: options.maxPeriods }, () => new Float64Array(n));
    this.#failAvg = Array.from({ length: options.maxPeriods }, () => new Float64Array(n));
    this.#unconfTxs = Array.from({ length: this.maxConfirms }, () => new Int32Array(n));
    this.#oldUnconfTxs = new Int32Array(n);
  }

  /** Statistics restored from a file; the waiting counts start empty. */
  static fromSaved(
    buckets: FeeBuckets,
    saved: SavedTxConfirmStats,
    debug?: EstimatorDebugLog,
  ): TxConfirmStats {
    const stats = new TxConfirmStats(buckets, {
      maxPeriods: saved.confAvg.length,
      decay: saved.decay,
      scale: saved.scale,
      debug,
    });
    stats.#txCountAvg.set(saved.txCountAvg);
    stats.#feeRateAvg.set(saved.feeRateAvg);
    saved.confAvg.forEach((row, i) => stats.#confAvg[i].set(row));
    saved.failAvg.forEach((row, i) => stats.#failAvg[i].set(row));
    stats.#anyAverage = true;
    return stats;
  }

  /** The longest confirmation target tracked, in blocks (`GetMaxConfirms`). */
  get maxConfirms(): number {
    return this.scale * this.#confAvg.length;
  }

  /** The persisted statistics. */
  saved(): SavedTxConfirmStats {
    return {
      decay: this.decay,
      scale: this.scale,
      feeRateAvg: [...this.#feeRateAvg],
      txCountAvg: [...this.#txCountAvg],
      confAvg: this.#confAvg.map((row) => [...row]),
      failAvg: this.#failAvg.map((row) => [...row]),
    };
  }

  /** Rolls the circular buffer: the slot of `height` becomes "old" (`ClearCurrent`). */
  clearCurrent(height: number): void {
    const slot = this.#unconfTxs[height % this.#unconfTxs.length];
    for (let j = 0; j < this.#buckets.size; j++) {
      this.#oldUnconfTxs[j] += slot[j];
      slot[j] = 0;
    }
  }

  /** Records a confirmation after `blocksToConfirm` blocks (1-based) at `feeRate` (`Record`). */
  record(blocksToConfirm: number, feeRate: number): void {
    if (blocksToConfirm < 1) return;
    const periodsToConfirm = Math.floor((blocksToConfirm + this.scale - 1) / this.scale);
    const bucket = this.#buckets.indexOf(feeRate);
    for (let i = periodsToConfirm; i <= this.#confAvg.length; i++) this.#confAvg[i - 1][bucket]++;
    this.#txCountAvg[bucket]++;
    this.#feeRateAvg[bucket] += feeRate;
    this.#anyAverage = true;
  }

  /** Decays every average by one block (`UpdateMovingAverages`). */
  updateMovingAverages(): void {
    if (!this.#anyAverage) return;
    for (let i = 0; i < this.#confAvg.length; i++) {
      const conf = this.#confAvg[i];
      const fail = this.#failAvg[i];
      for (let j = 0; j < conf.length; j++) {
        conf[j] *= this.decay;
        fail[j] *= this.decay;
      }
    }
    for (let j = 0; j < this.#buckets.size; j++) {
      this.#feeRateAvg[j] *= this.decay;
      this.#txCountAvg[j] *= this.decay;
    }
  }

  /** Counts a transaction entering the pool at `height`; its bucket index (`NewTx`). */
  newTx(height: number, feeRate: number): number {
    const bucket = this.#buckets.indexOf(feeRate);
    this.#unconfTxs[height % this.#unconfTxs.length][bucket]++;
    return bucket;
  }

  /**
   * A tracked transaction left the pool (`removeTx`): it stops counting as waiting and, unless
   * it confirmed, counts as a failure for every full period it waited.
   */
  removeTx(entryHeight: number, bestSeenHeight: number, bucket: number, inBlock: boolean): void {
    // The best seen height is not yet the new block's when a block confirms it.
    let blocksAgo = bestSeenHeight - entryHeight;
    if (bestSeenHeight === 0) blocksAgo = 0;
    if (blocksAgo < 0) {
      this.#debug(() => "Blockpolicy error, blocks ago is negative for mempool tx");
      return;
    }
    if (blocksAgo >= this.#unconfTxs.length) {
      if (this.#oldUnconfTxs[bucket] > 0) {
        this.#oldUnconfTxs[bucket]--;
      } else {
        this.#debug(() =>
          `Blockpolicy error, mempool tx removed from >25 blocks,bucketIndex=${bucket} already`
        );
      }
    } else {
      const slotIndex = entryHeight % this.#unconfTxs.length;
      const slot = this.#unconfTxs[slotIndex];
      if (slot[bucket] > 0) {
        slot[bucket]--;
      } else {
        this.#debug(() =>
          `Blockpolicy error, mempool tx removed from blockIndex=${slotIndex},bucketIndex=${bucket} already`
        );
      }
    }
    if (!inBlock && blocksAgo >= this.scale) {
      const periodsAgo = Math.floor(blocksAgo / this.scale);
      for (let i = 0; i < periodsAgo && i < this.#failAvg.length; i++) this.#failAvg[i][bucket]++;
      this.#anyAverage = true;
    }
  }

  /**
   * The fee rate needed to confirm within `confTarget` blocks with probability
   * `successBreakPoint` (`EstimateMedianVal`): buckets are grouped from the highest rate down
   * into ranges holding `sufficientTxVal` transactions per block, and the answer is the
   * average rate of the median bucket of the last range that still met the success rate.
   * Returns -1 when no range qualified, with the pass/fail detail in `result`.
   */
  estimateMedianVal(
    confTarget: number,
    sufficientTxVal: number,
    successBreakPoint: number,
    blockHeight: number,
    result?: EstimationResult,
  ): number {
    const buckets = this.#buckets.bounds;
    let nConf = 0; // confirmed within the target
    let totalNum = 0; // confirmed at any point
    let extraNum = 0; // still waiting for at least the target
    let failNum = 0; // left the pool unconfirmed after the target
    const periodTarget = Math.floor((confTarget + this.scale - 1) / this.scale);
    const maxBucketIndex = buckets.length - 1;
    let curNearBucket = maxBucketIndex;
    let bestNearBucket = maxBucketIndex;
    let curFarBucket = maxBucketIndex;
    let bestFarBucket = maxBucketIndex;
    let partialNum = 0;
    let foundAnswer = false;
    const bins = this.#unconfTxs.length;
    let newBucketRange = true;
    let passing = true;
    let passBucket = emptyBucket();
    let failBucket = emptyBucket();
    const maxConfirms = this.maxConfirms;

    for (let bucket = maxBucketIndex; bucket >= 0; --bucket) {
      if (newBucketRange) {
        curNearBucket = bucket;
        newBucketRange = false;
      }
      curFarBucket = bucket;
      nConf += this.#confAvg[periodTarget - 1][bucket];
      partialNum += this.#txCountAvg[bucket];
      totalNum += this.#txCountAvg[bucket];
      failNum += this.#failAvg[periodTarget - 1][bucket];
      for (let confct = confTarget; confct < maxConfirms; confct++) {
        // Unsigned arithmetic in the reference: below the target the height wraps at 2^32.
        extraNum += this.#unconfTxs[((blockHeight - confct) >>> 0) % bins][bucket];
      }
      extraNum += this.#oldUnconfTxs[bucket];
      // Test a range only once it holds enough confirmed data points, so that every target
      // looks at the same amount of data with the same bucket breaks.
      if (partialNum < sufficientTxVal / (1 - this.decay)) continue;
      partialNum = 0;
      const curPct = nConf / (totalNum + failNum + extraNum);
      if (curPct < successBreakPoint) {
        if (passing) {
          // The first failing range is the one reported.
          failBucket = this.#rangeBucket(curNearBucket, curFarBucket, {
            nConf,
            totalNum,
            extraNum,
            failNum,
          });
          passing = false;
        }
        continue;
      }
      failBucket = emptyBucket();
      foundAnswer = true;
      passing = true;
      passBucket = {
        start: passBucket.start,
        end: passBucket.end,
        withinTarget: nConf,
        totalConfirmed: totalNum,
        inMempool: extraNum,
        leftMempool: failNum,
      };
      nConf = 0;
      totalNum = 0;
      failNum = 0;
      extraNum = 0;
      bestNearBucket = curNearBucket;
      bestFarBucket = curFarBucket;
      newBucketRange = true;
    }

    let median = -1;
    let txSum = 0;
    const minBucket = Math.min(bestNearBucket, bestFarBucket);
    const maxBucket = Math.max(bestNearBucket, bestFarBucket);
    for (let j = minBucket; j <= maxBucket; j++) txSum += this.#txCountAvg[j];
    if (foundAnswer && txSum !== 0) {
      // The average rate of the bucket holding the median transaction of the range: a
      // compromise, as single transactions are not kept.
      txSum = txSum / 2;
      for (let j = minBucket; j <= maxBucket; j++) {
        if (this.#txCountAvg[j] < txSum) {
          txSum -= this.#txCountAvg[j];
        } else {
          median = this.#feeRateAvg[j] / this.#txCountAvg[j];
          break;
        }
      }
      passBucket.start = minBucket ? buckets[minBucket - 1] : 0;
      passBucket.end = buckets[maxBucket];
    }

    // Passing until the last buckets ran out of data: those are reported as failed.
    if (passing && !newBucketRange) {
      failBucket = this.#rangeBucket(curNearBucket, curFarBucket, {
        nConf,
        totalNum,
        extraNum,
        failNum,
      });
    }

    this.#debug(() =>
      feeEstimateLine(confTarget, successBreakPoint, this.decay, median, passBucket, failBucket)
    );
    if (result) {
      result.pass = passBucket;
      result.fail = failBucket;
      result.decay = this.decay;
      result.scale = this.scale;
    }
    return median;
  }

  #rangeBucket(
    near: number,
    far: number,
    counts: { nConf: number; totalNum: number; extraNum: number; failNum: number },
  ): EstimatorBucket {
    const buckets = this.#buckets.bounds;
    const low = Math.min(near, far);
    const high = Math.max(near, far);
    return {
      start: low ? buckets[low - 1] : 0,
      end: buckets[high],
      withinTarget: counts.nConf,
      totalConfirmed: counts.totalNum,
      inMempool: counts.extraNum,
      leftMempool: counts.failNum,
    };
  }
}

/** The reference's `FeeEst:` debug line. */
function feeEstimateLine(
  confTarget: number,
  threshold: number,
  decay: number,
  median: number,
  pass: EstimatorBucket,
  fail: EstimatorBucket,
): string {
  const percent = (b: EstimatorBucket) => {
    const total = b.totalConfirmed + b.inMempool + b.leftMempool;
    // A float in the reference.
    return total ? Math.fround(100 * b.withinTarget / total) : 0;
  };
  const detail = (b: EstimatorBucket) =>
    `(${formatG(b.start)} - ${formatG(b.end)}) ${percent(b).toFixed(2)}% ${
      b.withinTarget.toFixed(1)
    }/(${b.totalConfirmed.toFixed(1)} ${b.inMempool} mem ${b.leftMempool.toFixed(1)} out)`;
  return `FeeEst: ${confTarget} > ${(100 * threshold).toFixed(0)}% decay ${
    decay.toFixed(5)
  }: feerate: ${formatG(median)} from ${detail(pass)} Fail: ${detail(fail)}`;
}
