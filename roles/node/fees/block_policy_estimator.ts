/**
 * The fee estimator (`CBlockPolicyEstimator`, src/policy/fees.cpp): it watches transactions
 * enter the mempool and leave it in blocks, keeps decaying confirmation statistics per fee-rate
 * bucket over a short, a medium and a long horizon, and answers which fee rate confirmed
 * within a number of blocks often enough.
 *
 * Fee rates are the transaction's base fee — its fee at its own reference height
 * (lock_height), as the mempool entry holds it — over its virtual size. freicoind does not
 * time-adjust these fees for demurrage either: every tracked transaction is recent, so the
 * adjustment between reference heights a few blocks apart is far below a bucket's 5% width.
 *
 * @module
 */
import { type Logger, NULL_LOGGER } from "../../../cli/logger.ts";
import { FeeBuckets } from "./fee_buckets.ts";
import {
  CLIENT_VERSION,
  decodeFeeEstimates,
  encodeFeeEstimates,
  FEE_ESTIMATES_VERSION_REQUIRED,
} from "./fee_estimates_file.ts";
import {
  emptyEstimationResult,
  type EstimationResult,
  type EstimatorDebugLog,
  TxConfirmStats,
} from "./tx_confirm_stats.ts";

/** The three horizons, as `estimaterawfee` names them. */
export type FeeEstimateHorizon = "short" | "medium" | "long";
/** Every horizon in `estimaterawfee`'s order (`ALL_FEE_ESTIMATE_HORIZONS`). */
export const ALL_FEE_ESTIMATE_HORIZONS: readonly FeeEstimateHorizon[] = ["short", "medium", "long"];

/** Why an estimate has its value (`FeeReason`), as the wallet reports it. */
export type FeeReason =
  | "none"
  | "half-estimate"
  | "full-estimate"
  | "double-estimate"
  | "conservative";

/** Horizon shapes: periods tracked, blocks per period, decay per block. */
const SHORT = { maxPeriods: 12, scale: 1, decay: 0.962 } as const;
const MEDIUM = { maxPeriods: 24, scale: 2, decay: 0.9952 } as const;
const LONG = { maxPeriods: 42, scale: 24, decay: 0.99931 } as const;
/** Saved data older than this many blocks no longer counts (`OLDEST_ESTIMATE_HISTORY`). */
const OLDEST_ESTIMATE_HISTORY = 6 * 1008;
/** Success thresholds at half, full and double the target. */
const HALF_SUCCESS_PCT = 0.6;
const SUCCESS_PCT = 0.85;
const DOUBLE_SUCCESS_PCT = 0.95;
/** Transactions per block a bucket range needs to count (`SUFFICIENT_FEETXS`). */
const SUFFICIENT_FEETXS = 0.1;
/** The same for the short horizon, which sees fewer blocks (`SUFFICIENT_TXS_SHORT`). */
const SUFFICIENT_TXS_SHORT = 0.5;

/** A transaction that entered the mempool (`NewMempoolTransactionInfo`). */
export interface NewTransactionInfo {
  /** Display txid. */
  readonly txid: string;
  /** Base fee, kria. */
  readonly fee: bigint;
  /** Virtual size. */
  readonly vsize: number;
  /** Chain height when it entered. */
  readonly height: number;
  /** Re-added after a reorganisation, bypassing the fee limits. */
  readonly mempoolLimitBypassed: boolean;
  /** Submitted as part of a package. */
  readonly submittedInPackage: boolean;
  /** Whether the chain was synced when it entered (`IsCurrentForFeeEstimation`). */
  readonly chainstateIsCurrent: boolean;
  /** Whether it spends no other mempool transaction. */
  readonly hasNoMempoolParents: boolean;
}

/** A mempool transaction a block confirmed (`RemovedMempoolTransactionInfo`). */
export interface ConfirmedTransactionInfo {
  readonly txid: string;
  readonly fee: bigint;
  readonly vsize: number;
  /** Chain height when it entered the mempool. */
  readonly height: number;
}

/** The detail of a smart estimate (`FeeCalculation`). */
export interface FeeCalculation {
  est: EstimationResult;
  reason: FeeReason;
  desiredTarget: number;
  returnedTarget: number;
}

/** Options of {@linkcode BlockPolicyEstimator}. */
export interface BlockPolicyEstimatorOptions {
  /** Where its lines go (debug lines under the estimatefee category). */
  readonly logger?: Logger;
}

interface TrackedTx {
  readonly height: number;
  readonly bucket: number;
}

/**
 * The fee estimator. Rates are in kria per kvB; 0 means "no estimate".
 *
 * @example
 * ```ts
 * import { BlockPolicyEstimator } from "./block_policy_estimator.ts";
 * const estimator = new BlockPolicyEstimator();
 * console.assert(estimator.estimateSmartFee(6, true).feeRatePerKvB === 0n);
 * ```
 */
export class BlockPolicyEstimator {
  readonly #logger: Logger;
  readonly #debug: EstimatorDebugLog;
  #buckets = FeeBuckets.standard();
  #medium: TxConfirmStats;
  #short: TxConfirmStats;
  #long: TxConfirmStats;
  #bestSeenHeight = 0;
  #firstRecordedHeight = 0;
  #historicalFirst = 0;
  #historicalBest = 0;
  #trackedTxs = 0;
  #untrackedTxs = 0;
  readonly #mempoolTxs = new Map<string, TrackedTx>();

  /** An estimator without data. */
  constructor(options: BlockPolicyEstimatorOptions = {}) {
    const logger = options.logger ?? NULL_LOGGER;
    this.#logger = logger;
    this.#debug = (message) => logger.debug("estimatefee", message);
    this.#medium = this.#newStats(MEDIUM);
    this.#short = this.#newStats(SHORT);
    this.#long = this.#newStats(LONG);
  }

  #newStats(shape: { maxPeriods: number; scale: number; decay: number }): TxConfirmStats {
    return new TxConfirmStats(this.#buckets, { ...shape, debug: this.#debug });
  }

  /** The highest block height seen. */
  get bestSeenHeight(): number {
    return this.#bestSeenHeight;
  }

  /** Number of mempool transactions being tracked. */
  get trackedCount(): number {
    return this.#mempoolTxs.size;
  }

  /** Starts tracking a transaction that entered the mempool (`processTransaction`). */
  processTransaction(info: NewTransactionInfo): void {
    if (this.#mempoolTxs.has(info.txid)) {
      this.#debug(() => `Blockpolicy error mempool tx ${info.txid} already being tracked`);
      return;
    }
    // Side chains, reorganisations and an estimator behind the tip are ignored; it catches
    // up with the next block.
    if (info.height !== this.#bestSeenHeight) return;
    // Only transactions that entered under normal fee rules, on their own, without mempool
    // parents and while the chain was synced say anything about the fee market.
    const valid = !info.mempoolLimitBypassed && !info.submittedInPackage &&
      info.chainstateIsCurrent && info.hasNoMempoolParents;
    if (!valid) {
      this.#untrackedTxs++;
      return;
    }
    this.#trackedTxs++;
    const feeRate = feeRatePerKvB(info.fee, info.vsize);
    const bucket = this.#medium.newTx(info.height, feeRate);
    this.#short.newTx(info.height, feeRate);
    this.#long.newTx(info.height, feeRate);
    this.#mempoolTxs.set(info.txid, { height: info.height, bucket });
  }

  /** A transaction left the mempool other than in a block (`removeTx`); false if untracked. */
  removeTx(txid: string): boolean {
    return this.#removeTx(txid, false);
  }

  #removeTx(txid: string, inBlock: boolean): boolean {
    const tracked = this.#mempoolTxs.get(txid);
    if (!tracked) return false;
    for (const stats of [this.#medium, this.#short, this.#long]) {
      stats.removeTx(tracked.height, this.#bestSeenHeight, tracked.bucket, inBlock);
    }
    this.#mempoolTxs.delete(txid);
    return true;
  }

  /**
   * A block at `height` confirmed these mempool transactions (`processBlock`): the averages
   * decay one block and each tracked transaction records how long it waited.
   */
  processBlock(confirmed: readonly ConfirmedTransactionInfo[], height: number): void {
    // Side chains and reorganisations are ignored: assumed random, they do not skew the data.
    if (height <= this.#bestSeenHeight) return;
    // Updated together with the buffers so that removals compute ages correctly.
    this.#bestSeenHeight = height;
    for (const stats of [this.#medium, this.#short, this.#long]) {
      stats.clearCurrent(height);
      stats.updateMovingAverages();
    }
    let counted = 0;
    for (const tx of confirmed) if (this.#processBlockTx(height, tx)) counted++;
    if (this.#firstRecordedHeight === 0 && counted > 0) {
      this.#firstRecordedHeight = this.#bestSeenHeight;
      this.#debug(() => `Blockpolicy first recorded height ${this.#firstRecordedHeight}`);
    }
    this.#debug(() =>
      `Blockpolicy estimates updated by ${counted} of ${confirmed.length} block txs, since last block ${this.#trackedTxs} of ${
        this.#trackedTxs + this.#untrackedTxs
      } tracked, mempool map size ${this.#mempoolTxs.size}, max target ${this.#maxUsableEstimate()} from ${
        this.#historicalBlockSpan() > this.#blockSpan() ? "historical" : "current"
      }`
    );
    this.#trackedTxs = 0;
    this.#untrackedTxs = 0;
  }

  #processBlockTx(height: number, tx: ConfirmedTransactionInfo): boolean {
    if (!this.#removeTx(tx.txid, true)) return false;
    // 1-based: included in the very next block counts as 1.
    const blocksToConfirm = height - tx.height;
    if (blocksToConfirm <= 0) {
      this.#debug(() => "Blockpolicy error Transaction had negative blocksToConfirm");
      return false;
    }
    const feeRate = feeRatePerKvB(tx.fee, tx.vsize);
    for (const stats of [this.#medium, this.#short, this.#long]) {
      stats.record(blocksToConfirm, feeRate);
    }
    return true;
  }

  #stats(horizon: FeeEstimateHorizon): TxConfirmStats {
    return horizon === "short" ? this.#short : horizon === "medium" ? this.#medium : this.#long;
  }

  /** The longest target a horizon tracks (`HighestTargetTracked`). */
  highestTargetTracked(horizon: FeeEstimateHorizon): number {
    return this.#stats(horizon).maxConfirms;
  }

  /**
   * The rate that met `threshold` at `confTarget` over one horizon (`estimateRawFee`), with
   * the pass/fail detail; 0 when none did or the target is not tracked.
   */
  estimateRawFee(
    confTarget: number,
    threshold: number,
    horizon: FeeEstimateHorizon,
  ): { feeRatePerKvB: bigint; result: EstimationResult } {
    const result = emptyEstimationResult();
    const stats = this.#stats(horizon);
    const sufficient = horizon === "short" ? SUFFICIENT_TXS_SHORT : SUFFICIENT_FEETXS;
    if (confTarget <= 0 || confTarget > stats.maxConfirms || threshold > 1) {
      return { feeRatePerKvB: 0n, result };
    }
    const median = stats.estimateMedianVal(
      confTarget,
      sufficient,
      threshold,
      this.#bestSeenHeight,
      result,
    );
    return { feeRatePerKvB: median < 0 ? 0n : roundRate(median), result };
  }

  /**
   * The smart estimate (`estimateSmartFee`): the highest of the rates that met 60% at half the
   * target, 85% at the target and 95% at double the target, each from the shortest horizon
   * tracking it; conservative estimates also need 95% at double the target over the longer
   * horizons. The target is raised to 2 and capped by how long data has been collected.
   */
  estimateSmartFee(
    confTarget: number,
    conservative: boolean,
  ): { feeRatePerKvB: bigint; calc: FeeCalculation } {
    const calc: FeeCalculation = {
      est: emptyEstimationResult(),
      reason: "none",
      desiredTarget: confTarget,
      returnedTarget: confTarget,
    };
    const none = { feeRatePerKvB: 0n, calc };
    if (confTarget <= 0 || confTarget > this.#long.maxConfirms) return none;
    // No reasonable estimate exists for the very next block.
    let target = confTarget === 1 ? 2 : confTarget;
    const maxUsable = this.#maxUsableEstimate();
    if (target > maxUsable) target = maxUsable;
    calc.returnedTarget = target;
    if (target <= 1) return none;

    let temp = emptyEstimationResult();
    // Shorter horizons are checked at target/2 and target too, keeping estimates monotonic.
    let median = this.#estimateCombinedFee(Math.floor(target / 2), HALF_SUCCESS_PCT, true, temp);
    calc.est = temp;
    calc.reason = "half-estimate";
    temp = emptyEstimationResult();
    const actual = this.#estimateCombinedFee(target, SUCCESS_PCT, true, temp);
    if (actual > median) {
      median = actual;
      calc.est = temp;
      calc.reason = "full-estimate";
    }
    // Conservative estimates take the maximum over every horizon below, so they skip the
    // shorter-horizon check here.
    temp = emptyEstimationResult();
    const double = this.#estimateCombinedFee(2 * target, DOUBLE_SUCCESS_PCT, !conservative, temp);
    if (double > median) {
      median = double;
      calc.est = temp;
      calc.reason = "double-estimate";
    }
    if (conservative || median === -1) {
      temp = emptyEstimationResult();
      const cons = this.#estimateConservativeFee(2 * target, temp);
      if (cons > median) {
        median = cons;
        calc.est = temp;
        calc.reason = "conservative";
      }
    }
    if (median < 0) return none;
    return { feeRatePerKvB: roundRate(median), calc };
  }

  /** `estimateCombinedFee`: from the shortest horizon tracking the target. */
  #estimateCombinedFee(
    confTarget: number,
    threshold: number,
    checkShorterHorizon: boolean,
    result: EstimationResult,
  ): number {
    let estimate = -1;
    if (confTarget < 1 || confTarget > this.#long.maxConfirms) return estimate;
    if (confTarget <= this.#short.maxConfirms) {
      estimate = this.#short.estimateMedianVal(
        confTarget,
        SUFFICIENT_TXS_SHORT,
        threshold,
        this.#bestSeenHeight,
        result,
      );
    } else if (confTarget <= this.#medium.maxConfirms) {
      estimate = this.#medium.estimateMedianVal(
        confTarget,
        SUFFICIENT_FEETXS,
        threshold,
        this.#bestSeenHeight,
        result,
      );
    } else {
      estimate = this.#long.estimateMedianVal(
        confTarget,
        SUFFICIENT_FEETXS,
        threshold,
        this.#bestSeenHeight,
        result,
      );
    }
    if (checkShorterHorizon) {
      // A lower answer from a more recent horizon at its longest target wins.
      const shorter: [TxConfirmStats, number][] = [
        [this.#medium, SUFFICIENT_FEETXS],
        [this.#short, SUFFICIENT_TXS_SHORT],
      ];
      for (const [stats, sufficient] of shorter) {
        if (confTarget <= stats.maxConfirms) continue;
        const temp = emptyEstimationResult();
        const shortMax = stats.estimateMedianVal(
          stats.maxConfirms,
          sufficient,
          threshold,
          this.#bestSeenHeight,
          temp,
        );
        if (shortMax > 0 && (estimate === -1 || shortMax < estimate)) {
          estimate = shortMax;
          Object.assign(result, temp);
        }
      }
    }
    return estimate;
  }

  /** `estimateConservativeFee`: 95% at `doubleTarget` over the medium and long horizons. */
  #estimateConservativeFee(doubleTarget: number, result: EstimationResult): number {
    let estimate = -1;
    if (doubleTarget <= this.#short.maxConfirms) {
      estimate = this.#medium.estimateMedianVal(
        doubleTarget,
        SUFFICIENT_FEETXS,
        DOUBLE_SUCCESS_PCT,
        this.#bestSeenHeight,
        result,
      );
    }
    if (doubleTarget <= this.#medium.maxConfirms) {
      const temp = emptyEstimationResult();
      const longEstimate = this.#long.estimateMedianVal(
        doubleTarget,
        SUFFICIENT_FEETXS,
        DOUBLE_SUCCESS_PCT,
        this.#bestSeenHeight,
        temp,
      );
      if (longEstimate > estimate) {
        estimate = longEstimate;
        Object.assign(result, temp);
      }
    }
    return estimate;
  }

  /** Blocks recorded since the estimator started collecting (`BlockSpan`). */
  #blockSpan(): number {
    if (this.#firstRecordedHeight === 0) return 0;
    return this.#bestSeenHeight - this.#firstRecordedHeight;
  }

  /** Blocks covered by the data read from disk, while still recent (`HistoricalBlockSpan`). */
  #historicalBlockSpan(): number {
    if (this.#historicalFirst === 0) return 0;
    if (this.#bestSeenHeight - this.#historicalBest > OLDEST_ESTIMATE_HISTORY) return 0;
    return this.#historicalBest - this.#historicalFirst;
  }

  /** Half the span of data (enough failures to judge), capped by the long horizon. */
  #maxUsableEstimate(): number {
    const span = Math.max(this.#blockSpan(), this.#historicalBlockSpan());
    return Math.min(this.#long.maxConfirms, Math.floor(span / 2));
  }

  /**
   * Stops tracking every mempool transaction, counting each as unconfirmed so far
   * (`FlushUnconfirmed`, at shutdown); the number dropped.
   */
  flushUnconfirmed(): number {
    const count = this.#mempoolTxs.size;
    for (const txid of [...this.#mempoolTxs.keys()]) this.#removeTx(txid, false);
    return count;
  }

  /** The state as fee_estimates.dat stores it (`Write`). */
  encode(): Uint8Array {
    const current = this.#blockSpan() > this.#historicalBlockSpan() / 2;
    return encodeFeeEstimates({
      versionRequired: FEE_ESTIMATES_VERSION_REQUIRED,
      versionThatWrote: CLIENT_VERSION,
      bestSeenHeight: this.#bestSeenHeight,
      historicalFirst: current ? this.#firstRecordedHeight : this.#historicalFirst,
      historicalBest: current ? this.#bestSeenHeight : this.#historicalBest,
      buckets: this.#buckets.bounds,
      medium: this.#medium.saved(),
      short: this.#short.saved(),
      long: this.#long.saved(),
    });
  }

  /**
   * Replaces the statistics with a file's (`Read`); nothing changes when it is rejected. An
   * old-format file is accepted and ignored.
   * @throws {FeeEstimatesFileError} the reason the file was rejected
   */
  load(bytes: Uint8Array): void {
    const decoded = decodeFeeEstimates(bytes);
    if (decoded.kind === "incompatible") {
      this.#logger.info(
        `Read: incompatible old fee estimation data (non-fatal). Version: ${decoded.versionRequired}`,
      );
      return;
    }
    const data = decoded.data;
    const buckets = new FeeBuckets(data.buckets);
    this.#buckets = buckets;
    this.#medium = TxConfirmStats.fromSaved(buckets, data.medium, this.#debug);
    this.#short = TxConfirmStats.fromSaved(buckets, data.short, this.#debug);
    this.#long = TxConfirmStats.fromSaved(buckets, data.long, this.#debug);
    for (const stats of [this.#medium, this.#short, this.#long]) {
      this.#debug(() =>
        `Reading estimates: ${buckets.size} buckets counting confirms up to ${stats.maxConfirms} blocks`
      );
    }
    this.#bestSeenHeight = data.bestSeenHeight;
    this.#historicalFirst = data.historicalFirst;
    this.#historicalBest = data.historicalBest;
  }
}

/** `CFeeRate(fee, vsize).GetFeePerK()` as a double (integer division, as in the reference). */
function feeRatePerKvB(fee: bigint, vsize: number): number {
  if (vsize <= 0) return 0;
  return Number((fee * 1000n) / BigInt(vsize));
}

/** `llround`: to the nearest integer, halves away from zero. */
function roundRate(value: number): bigint {
  return BigInt(Math.sign(value) * Math.round(Math.abs(value)));
}
