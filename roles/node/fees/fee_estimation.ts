/**
 * The node's fee estimator at work: fee_estimates.dat read at start-up (unless stale) and
 * written every hour and at shutdown, and the estimator fed from the mempool's notifications.
 *
 * @module
 */
import { basename, join } from "node:path";
import { type Logger, NULL_LOGGER } from "../../../cli/logger.ts";
import type { Mempool, MempoolEntry } from "../mempool/mod.ts";
import { BlockPolicyEstimator } from "./block_policy_estimator.ts";
import { FEE_ESTIMATES_FILE_NAME, FeeEstimatesFileError } from "./fee_estimates_file.ts";

/** fee_estimates.dat older than this is not read (`MAX_FILE_AGE`, 60 hours). */
export const MAX_FEE_ESTIMATES_FILE_AGE_HOURS = 60;
/** How often the estimates are written (`FEE_FLUSH_INTERVAL`, one hour). */
export const FEE_FLUSH_INTERVAL_MS = 60 * 60 * 1000;
/** A tip older than this (seconds) means the node is behind (`MAX_FEE_ESTIMATION_TIP_AGE`). */
export const MAX_FEE_ESTIMATION_TIP_AGE = 3 * 60 * 60;

/** `<network dir>/fee_estimates.dat`. */
export function feeEstimatesPath(networkDir: string): string {
  return join(networkDir, FEE_ESTIMATES_FILE_NAME);
}

/** Options of {@linkcode FeeEstimation.open}. */
export interface FeeEstimationOptions {
  /** Where the estimates are kept (`feeEstimatesPath`). */
  readonly path: string;
  /** `-acceptstalefeeestimates`: read the file however old it is. */
  readonly acceptStale?: boolean;
  readonly logger?: Logger;
  /** Wall-clock milliseconds, for the file's age (default `Date.now`; not mocktime). */
  readonly wallClockMs?: () => number;
}

/** The estimator with its file. */
export class FeeEstimation {
  readonly estimator: BlockPolicyEstimator;
  readonly path: string;
  readonly #logger: Logger;

  private constructor(estimator: BlockPolicyEstimator, path: string, logger: Logger) {
    this.estimator = estimator;
    this.path = path;
    this.#logger = logger;
  }

  /**
   * A new estimator, with the file's data when it exists, is recent enough and reads back
   * (each case logged as freicoind logs it; none stops start-up).
   */
  static open(options: FeeEstimationOptions): FeeEstimation {
    const logger = options.logger ?? NULL_LOGGER;
    const estimation = new FeeEstimation(
      new BlockPolicyEstimator({ logger }),
      options.path,
      logger,
    );
    estimation.#read(options.acceptStale ?? false, (options.wallClockMs ?? Date.now)());
    return estimation;
  }

  #read(acceptStale: boolean, nowMs: number): void {
    let bytes: Uint8Array;
    let modifiedMs: number;
    try {
      bytes = Deno.readFileSync(this.path);
      modifiedMs = Deno.statSync(this.path).mtime?.getTime() ?? nowMs;
    } catch {
      this.#logger.info(`${this.path} is not found. Continue anyway.`);
      return;
    }
    // Whole hours, truncated, as std::chrono::duration_cast does.
    const ageHours = Math.trunc((nowMs - modifiedMs) / 3_600_000);
    if (ageHours > MAX_FEE_ESTIMATES_FILE_AGE_HOURS && !acceptStale) {
      this.#logger.info(
        `Fee estimation file ${this.path} too old (age=${ageHours} > ${MAX_FEE_ESTIMATES_FILE_AGE_HOURS} hours) and will not be used to avoid serving stale estimates.`,
      );
      return;
    }
    try {
      this.estimator.load(bytes);
    } catch (error) {
      if (!(error instanceof FeeEstimatesFileError)) throw error;
      this.#logger.info(
        `CBlockPolicyEstimator::Read(): unable to read policy estimator data (non-fatal): ${error.message}`,
      );
      this.#logger.info(`Failed to read fee estimates from ${this.path}. Continue anyway.`);
    }
  }

  /** Writes the estimates (`FlushFeeEstimates`); a failure is logged, never thrown. */
  flushFeeEstimates(): void {
    const temporary = `${this.path}.new`;
    try {
      // Written aside and renamed, so a crash never leaves half a file.
      Deno.writeFileSync(temporary, this.estimator.encode());
      Deno.renameSync(temporary, this.path);
      this.#logger.info(`Flushed fee estimates to ${basename(this.path)}.`);
    } catch {
      this.#logger.info(`Failed to write fee estimates to ${this.path}. Continue anyway.`);
    }
  }

  /** At shutdown: the transactions still waiting count as unconfirmed, then the file (`Flush`). */
  flush(): void {
    const start = performance.now();
    const count = this.estimator.flushUnconfirmed();
    this.#logger.debug(
      "estimatefee",
      () =>
        `Recorded ${count} unconfirmed txs from mempool in ${
          ((performance.now() - start) / 1000).toFixed(3)
        }s`,
    );
    this.flushFeeEstimates();
  }

  /**
   * Feeds the estimator from `mempool`: new entries (with `isCurrent` telling whether the
   * chain is synced, `IsCurrentForFeeEstimation`), removals, and the entries each block
   * confirmed. Returns the unsubscribe function.
   */
  attach(mempool: Mempool, isCurrent: () => boolean): () => void {
    const estimator = this.estimator;
    return mempool.subscribe({
      added: (entry, info) =>
        estimator.processTransaction({
          txid: entry.txidHex,
          fee: entry.fee,
          vsize: entry.vsize,
          height: entry.entryHeight,
          mempoolLimitBypassed: info.bypassedLimits,
          submittedInPackage: info.inPackage,
          chainstateIsCurrent: isCurrent(),
          hasNoMempoolParents: entry.parents.size === 0,
        }),
      removed: (tx, reason) => {
        // Confirmed entries are reported with their block (`removedForBlock`).
        if (reason !== "block") estimator.removeTx(tx.txidHex);
      },
      removedForBlock: (entries, height) =>
        estimator.processBlock(entries.map(confirmedInfo), height),
    });
  }
}

function confirmedInfo(entry: MempoolEntry) {
  return { txid: entry.txidHex, fee: entry.fee, vsize: entry.vsize, height: entry.entryHeight };
}
