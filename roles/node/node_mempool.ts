/**
 * The node's mempool and miner, wired to the chainstate: options from the arguments, block
 * notifications, mempool.dat at start-up and shutdown, and their RPC methods.
 *
 * @module
 */
import type { Args } from "../../cli/args/args.ts";
import type { Logger } from "../../cli/logger.ts";
import { StartupError } from "../../cli/startup.ts";
import type { ChainParams } from "../../kernel/chain/mod.ts";
import { type Coin, MEMPOOL_HEIGHT } from "../../kernel/consensus/mod.ts";
import type { OutPoint, Transaction } from "../../kernel/primitives/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import type { RpcMethod } from "../../rpc/mod.ts";
import type { ChainState, ChainSubscription } from "./chain/mod.ts";
import {
  FEE_FLUSH_INTERVAL_MS,
  type FeeCalculation,
  feeEstimatesPath,
  FeeEstimation,
  feeRpcMethods,
  MAX_FEE_ESTIMATION_TIP_AGE,
} from "./fees/mod.ts";
import { dumpTxOutSetMethod } from "./rpc/dump_txoutset.ts";
import {
  dumpMempoolAtShutdown,
  loadMempoolAtStartup,
  Mempool,
  MempoolOptionsError,
  mempoolOptionsFromArgs,
  mempoolPath,
  mempoolRpcMethods,
  type MiningChainView,
  mockSchedulerMethod,
  scheduleInitialBroadcastRetries,
  Scheduler,
} from "./mempool/mod.ts";
import {
  attachMempoolToChain,
  blockAssemblerOptionsFromArgs,
  chainStateView,
  miningRpcMethods,
} from "./mining/mod.ts";

/**
 * The fee estimator's start-up check: stale `fee_estimates.dat` figures may only be accepted
 * on regtest (ignored with `-blocksonly`, where the node keeps no estimator).
 * @throws {StartupError} "acceptstalefeeestimates is not supported on <chain> chain."
 */
export function checkFeeEstimationOptions(args: Args, chain: ChainParams["chain"]): void {
  if (args.getBool("-blocksonly", false)) return;
  if (args.getBool("-acceptstalefeeestimates", false) && chain !== "regtest") {
    throw new StartupError(`acceptstalefeeestimates is not supported on ${chain} chain.`);
  }
}

/** What the mempool service needs from the node. */
export interface MempoolServiceOptions {
  args: Args;
  params: ChainParams;
  chain: ChainState;
  secp256k1: Secp256k1;
  networkDir: string;
  now: () => number;
  /** Whether a shutdown was requested (long mining loops stop early). */
  interrupted: () => boolean;
  /** Where the mempool's log lines go (debug.log). */
  logger?: Logger;
}

/** A smart fee estimate: the rate (null when there is none) and the target it is for. */
export interface SmartFeeEstimate {
  readonly feeRatePerKvB: bigint | null;
  readonly blocks: number;
  /** Which of the estimator's tests gave the value (`FeeCalculation::reason`). */
  readonly reason?: FeeCalculation["reason"];
}

/** The running mempool with its chain view, subscription and fee estimator. */
export class MempoolService {
  readonly mempool: Mempool;
  readonly view: MiningChainView;
  /** The node's scheduled tasks (initial-broadcast retries); `mockscheduler` drives it. */
  readonly scheduler: Scheduler;
  /** The fee estimator with its file; none with `-blocksonly`, as in freicoind. */
  readonly feeEstimation: FeeEstimation | undefined;
  readonly #subscription: ChainSubscription;
  readonly #detachEstimator: (() => void) | undefined;
  readonly #options: MempoolServiceOptions;

  private constructor(options: MempoolServiceOptions, mempool: Mempool, view: MiningChainView) {
    this.#options = options;
    this.mempool = mempool;
    this.view = view;
    this.#subscription = attachMempoolToChain(mempool, options.chain, view, options.now);
    this.scheduler = new Scheduler(
      () => performance.now(),
      (error) => options.logger?.error(`Scheduled task failed: ${error}`),
    );
    // A node that ignores relayed transactions keeps no estimator: its data would never move.
    if (!options.args.getBool("-blocksonly", false)) {
      this.feeEstimation = FeeEstimation.open({
        path: feeEstimatesPath(options.networkDir),
        acceptStale: options.args.getBool("-acceptstalefeeestimates", false),
        logger: options.logger,
      });
      this.#detachEstimator = this.feeEstimation.attach(
        mempool,
        () => this.#isCurrentForFeeEstimation(),
      );
    }
  }

  /**
   * `IsCurrentForFeeEstimation`: out of initial block download, a tip less than three hours
   * old, and no more than one block behind the best header.
   */
  #isCurrentForFeeEstimation(): boolean {
    const { chain, now } = this.#options;
    const time = now();
    const tip = chain.tip;
    if (!tip || chain.isInitialBlockDownload(time)) return false;
    if (tip.time < time - MAX_FEE_ESTIMATION_TIP_AGE) return false;
    return tip.height >= (chain.bestHeader?.height ?? tip.height) - 1;
  }

  /** Writes fee_estimates.dat every hour (`FEE_FLUSH_INTERVAL`), as freicoind's scheduler does. */
  #scheduleFeeEstimatesFlush(): void {
    const estimation = this.feeEstimation;
    if (!estimation) return;
    const next = () =>
      this.scheduler.scheduleFromNow(() => {
        estimation.flushFeeEstimates();
        next();
      }, FEE_FLUSH_INTERVAL_MS);
    next();
  }

  /** The estimator's smart fee estimate (`Chain::estimateSmartFee`), for wallets. */
  estimateSmartFee(blocks: number, conservative: boolean): SmartFeeEstimate {
    const estimator = this.feeEstimation?.estimator;
    if (!estimator) return { feeRatePerKvB: null, blocks: 0 };
    const { feeRatePerKvB, calc } = estimator.estimateSmartFee(blocks, conservative);
    return {
      feeRatePerKvB: feeRatePerKvB === 0n ? null : feeRatePerKvB,
      blocks: calc.returnedTarget,
      reason: feeRatePerKvB === 0n ? "none" : calc.reason,
    };
  }

  /**
   * Creates the mempool from the arguments and loads mempool.dat (with -persistmempool).
   * @throws {StartupError} freicoind's texts for bad mempool options
   */
  static async start(options: MempoolServiceOptions): Promise<MempoolService> {
    const { args, params } = options;
    let mempool: Mempool;
    try {
      // Validated here so that a bad -blockmintxfee fails start-up, as in freicoind.
      blockAssemblerOptionsFromArgs(args, params.mineBlocksOnDemand);
      mempool = new Mempool(
        mempoolOptionsFromArgs(args, params.isTestChain, params.chain),
        options.logger,
      );
    } catch (error) {
      if (error instanceof MempoolOptionsError) throw new StartupError(error.message);
      throw error;
    }
    const view = chainStateView(options.chain, options.secp256k1, options.now);
    const service = new MempoolService(options, mempool, view);
    await loadMempoolAtStartup(mempool, view, options.networkDir, options.now());
    scheduleInitialBroadcastRetries(service.scheduler, mempool);
    service.#scheduleFeeEstimatesFlush();
    service.scheduler.start();
    return service;
  }

  /** The mempool, mining and transaction-relay RPC methods. */
  rpcMethods(): RpcMethod<unknown>[] {
    const { args, networkDir, now, secp256k1, interrupted } = this.#options;
    return [
      ...mempoolRpcMethods({
        chain: this.view,
        mempool: this.mempool,
        now,
        mempoolPath: mempoolPath(networkDir),
        isInitialBlockDownload: () => this.view.isInitialBlockDownload(),
      }),
      // Here because this service knows the network directory (relative snapshot paths).
      dumpTxOutSetMethod(this.#options.chain, networkDir),
      ...feeRpcMethods({
        estimator: () => this.feeEstimation?.estimator,
        minFeeRates: () => ({
          mempool: this.mempool.getMinFee(now()).perKvB,
          relay: this.mempool.options.minRelayFeeRate.perKvB,
        }),
      }),
      mockSchedulerMethod({
        scheduler: this.scheduler,
        isMockableChain: this.#options.params.isMockableChain,
      }),
      ...miningRpcMethods({
        chain: this.view,
        mempool: this.mempool,
        now,
        secp256k1,
        interrupted,
        assemblerOptions: blockAssemblerOptionsFromArgs(
          args,
          this.#options.params.mineBlocksOnDemand,
        ),
      }),
    ];
  }

  /** A mempool transaction by display txid. */
  transaction(txid: string): Transaction | undefined {
    return this.mempool.get(txid)?.tx;
  }

  /** An output of a mempool transaction, as a coin at the mempool height. */
  coin(outpoint: OutPoint): Coin | undefined {
    const tx = this.mempool.getByHash(outpoint.hash)?.tx;
    const output = tx?.outputs[outpoint.n];
    if (!tx || !output) return undefined;
    return { output, height: MEMPOOL_HEIGHT, isCoinBase: false, refheight: tx.lockHeight };
  }

  /** Whether a mempool transaction spends the outpoint. */
  spends(outpoint: OutPoint): boolean {
    return this.mempool.spenderOf(outpoint) !== undefined;
  }

  /**
   * Writes mempool.dat (with -persistmempool), then fee_estimates.dat (the transactions still
   * waiting recorded as unconfirmed), and stops following the chain.
   */
  async stop(): Promise<void> {
    this.scheduler.stop();
    this.#subscription[Symbol.dispose]();
    await dumpMempoolAtShutdown(this.mempool, this.#options.networkDir);
    if (this.feeEstimation) {
      this.feeEstimation.flush();
      this.#detachEstimator?.();
    }
  }
}
