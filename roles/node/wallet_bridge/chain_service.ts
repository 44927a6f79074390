/**
 * The node's `Chain` for wallets: tip and block lookups over the chainstate, coins from the
 * UTXO set and the mempool, broadcasting through the mempool, and chain notifications through
 * the {@linkcode ChainNotificationHub}. In `freicoind` the wallet calls it directly; in
 * `freicoin-node` a wallet process calls it over IPC.
 *
 * @module
 */
import { writeStderr } from "../../../cli/console.ts";
import type { Logger } from "../../../cli/logger.ts";
import { hashToHex } from "../../../kernel/encoding/mod.ts";
import { decodeTransaction, OutPoint, type Transaction } from "../../../kernel/primitives/mod.ts";
import { release, retain } from "../../../ipc/rpc/interface.ts";
import type {
  BroadcastResult,
  ChainBlockInfo,
  ChainCoin,
  ChainLimitsResult,
  ChainNotifications,
  FeeEstimate,
  Handler,
  NodeChain,
  PackageLimits,
  RbfState,
  TxAncestry,
  WalletNotifyEvent,
} from "../../../schemas/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import { MEMPOOL_HEIGHT } from "../mempool/accept.ts";
import type { Mempool } from "../mempool/mempool.ts";
import { DEFAULT_MEMPOOL_OPTIONS } from "../mempool/mempool.ts";
import type { MempoolEntry } from "../mempool/mempool_entry.ts";
import {
  DEFAULT_INCREMENTAL_RELAY_FEE,
  DEFAULT_MIN_RELAY_TX_FEE,
  DUST_RELAY_TX_FEE,
  signalsOptInRbf,
} from "../mempool/policy.ts";
import type { ChainNotificationHub } from "./chain_notification_hub.ts";
import type { StartupWalletList } from "./startup_wallet_store.ts";
import { runNotifyCommand, walletNotifyCommand } from "./wallet_notify.ts";

/** What broadcasting needs from the node's mempool (accept-to-memory-pool and relay). */
export interface MempoolAccess {
  readonly mempool: Mempool;
  /**
   * Accepts `tx` into the mempool and relays it (`BroadcastTransaction`), refusing fee rates
   * above `maxFeeRatePerKvB` (0: no limit).
   */
  broadcast(
    tx: Transaction,
    maxFeeRatePerKvB: bigint,
    relay: boolean,
  ): BroadcastResult | Promise<BroadcastResult>;
  /** The node's smart fee estimate (`Chain::estimateSmartFee`), when it keeps an estimator. */
  estimateSmartFee?(blocks: number, conservative: boolean): FeeEstimate;
}

/** The error text `broadcastTransaction` answers while the node runs without a mempool. */
export const NO_MEMPOOL_ERROR = "The node's mempool is not available";

/** Options for {@linkcode ChainService}. */
export interface ChainServiceOptions {
  readonly chain: ChainState;
  readonly hub: ChainNotificationHub;
  /** Seconds since the epoch, mocktime aware. */
  readonly now: () => number;
  readonly logger: Logger;
  /** The node's mempool, when it has one; read each call (it may appear after start-up). */
  readonly mempool?: () => MempoolAccess | undefined;
  /** Waits for the node's whole validation queue (`syncwithvalidationinterfacequeue`). */
  readonly waitForValidationQueue?: () => Promise<void>;
  /** A name for a subscriber, for logs (the wallet process it belongs to). */
  readonly subscriberName?: string;
  /** settings.json's `wallet` list; without it the list is empty and changes are refused. */
  readonly startupWallets?: StartupWalletList;
  /** The node's `-walletnotify` command template; none: `walletNotify` does nothing. */
  readonly walletNotify?: string;
}

/** Describes a block for wallets. */
export function blockInfoOf(chain: ChainState, entry: BlockIndexEntry): ChainBlockInfo {
  return {
    hash: entry.hash,
    height: entry.height,
    time: entry.header.time,
    medianTimePast: chain.medianTimePast(entry),
  };
}

/** Parses a 36-byte outpoint (txid ‖ uint32 LE index). */
function parseOutpoint(bytes: Uint8Array): OutPoint {
  if (bytes.length !== 36) throw new RangeError(`an outpoint is 36 bytes (got ${bytes.length})`);
  const n = new DataView(bytes.buffer, bytes.byteOffset + 32, 4).getUint32(0, true);
  return new OutPoint(bytes.slice(0, 32), n);
}

/**
 * `CalculateDescendantMaximum`: the largest descendant count (itself included) among the
 * ancestors of `entry` that have no parent in the mempool.
 */
function descendantMaximum(
  entry: MempoolEntry,
  countWithDescendants: (entry: MempoolEntry) => number,
): number {
  const todo = [entry];
  const seen = new Set<MempoolEntry>();
  let maximum = 0;
  while (todo.length > 0) {
    const candidate = todo.pop()!;
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    if (candidate.parents.size === 0) {
      maximum = Math.max(maximum, countWithDescendants(candidate));
    } else {
      todo.push(...candidate.parents);
    }
  }
  return maximum;
}

/** The node's Chain. One instance per wallet connection (subscriptions are named after it). */
export class ChainService implements NodeChain {
  readonly #options: ChainServiceOptions;

  /** Creates the service. */
  constructor(options: ChainServiceOptions) {
    this.#options = options;
  }

  get #chain(): ChainState {
    return this.#options.chain;
  }

  /** The active tip. */
  getTip(): Promise<ChainBlockInfo> {
    const tip = this.#chain.tip;
    if (tip === undefined) return Promise.reject(new Error("the chainstate has no tip"));
    return Promise.resolve(blockInfoOf(this.#chain, tip));
  }

  /** The active chain's block at `height`. */
  getBlockInfo(height: number): Promise<ChainBlockInfo | null> {
    const entry = height >= 0 ? this.#chain.getBlockEntry(height) : undefined;
    return Promise.resolve(entry ? blockInfoOf(this.#chain, entry) : null);
  }

  /** A stored block by hash. */
  getBlock(hash: Uint8Array): Promise<{ block: Uint8Array; info: ChainBlockInfo } | null> {
    const entry = hash.length === 32 ? this.#chain.lookupBlockIndex(hash) : undefined;
    if (entry === undefined) return Promise.resolve(null);
    const block = this.#chain.readBlockBytes(entry);
    return Promise.resolve(block ? { block, info: blockInfoOf(this.#chain, entry) } : null);
  }

  /** Whether the block is on the active chain. */
  isInActiveChain(hash: Uint8Array): Promise<boolean> {
    const entry = hash.length === 32 ? this.#chain.lookupBlockIndex(hash) : undefined;
    return Promise.resolve(entry !== undefined && this.#chain.contains(entry));
  }

  /**
   * The earliest active block at or above `minHeight` whose own or earlier blocks' time
   * reaches `minTime` (`FindEarliestAtLeast`, searching on the running maximum time).
   */
  findFirstBlockWithTimeAndHeight(
    minTime: number,
    minHeight: number,
  ): Promise<ChainBlockInfo | null> {
    const top = this.#chain.height;
    let low = Math.max(0, minHeight);
    let high = top + 1;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (this.#chain.getBlockEntry(middle)!.timeMax < minTime) low = middle + 1;
      else high = middle;
    }
    const entry = low <= top ? this.#chain.getBlockEntry(low) : undefined;
    return Promise.resolve(entry ? blockInfoOf(this.#chain, entry) : null);
  }

  /** Coins from the mempool first (unconfirmed outputs), then the UTXO set. */
  findCoins(outpoints: readonly Uint8Array[]): Promise<(ChainCoin | null)[]> {
    const mempool = this.#options.mempool?.()?.mempool;
    return Promise.resolve(outpoints.map((bytes) => {
      const outpoint = parseOutpoint(bytes);
      const unconfirmed = mempool?.get(hashToHex(outpoint.hash))?.tx;
      if (unconfirmed !== undefined) {
        const output = unconfirmed.outputs[outpoint.n];
        return output === undefined ? null : {
          value: output.value,
          scriptPubKey: output.scriptPubKey,
          height: MEMPOOL_HEIGHT,
          refheight: unconfirmed.lockHeight,
          isCoinBase: false,
        };
      }
      const coin = this.#chain.getCoin(outpoint);
      return coin === undefined ? null : {
        value: coin.output.value,
        scriptPubKey: coin.output.scriptPubKey,
        height: coin.height,
        refheight: coin.refheight,
        isCoinBase: coin.isCoinBase,
      };
    }));
  }

  /** Whether the mempool holds `txid` (internal byte order). */
  isInMempool(txid: Uint8Array): Promise<boolean> {
    const mempool = this.#options.mempool?.()?.mempool;
    return Promise.resolve(
      mempool !== undefined && txid.length === 32 && mempool.has(hashToHex(txid)),
    );
  }

  /** Submits to the mempool; without one, answers freicoind's -1 style error. */
  async broadcastTransaction(
    tx: Uint8Array,
    maxFeeRatePerKvB: bigint,
    relay: boolean,
  ): Promise<BroadcastResult> {
    const access = this.#options.mempool?.();
    if (access === undefined) return { ok: false, error: NO_MEMPOOL_ERROR, code: -1 };
    let decoded: Transaction;
    try {
      decoded = decodeTransaction(tx);
    } catch {
      return { ok: false, error: "TX decode failed", code: -22 };
    }
    return await access.broadcast(decoded, maxFeeRatePerKvB, relay);
  }

  /** The node's fee estimator's answer; none without an estimator (wallets fall back). */
  estimateSmartFee(blocks: number, conservative: boolean): Promise<FeeEstimate> {
    const estimate = this.#options.mempool?.()?.estimateSmartFee?.(blocks, conservative);
    if (estimate === undefined) {
      return Promise.resolve({ feeRatePerKvB: null, blocks: 0, reason: "none" });
    }
    return Promise.resolve({ ...estimate, reason: estimate.reason ?? "none" });
  }

  /** The mempool's relay fee settings, or freicoind's defaults without a mempool. */
  relayFees(): Promise<{ minRelay: bigint; dust: bigint; incremental: bigint }> {
    const options = this.#options.mempool?.()?.mempool.options;
    return Promise.resolve({
      minRelay: options?.minRelayFeeRate.perKvB ?? DEFAULT_MIN_RELAY_TX_FEE,
      dust: options?.dustRelayFeeRate.perKvB ?? DUST_RELAY_TX_FEE,
      incremental: options?.incrementalRelayFeeRate.perKvB ?? DEFAULT_INCREMENTAL_RELAY_FEE,
    });
  }

  /** Whether the node is in initial block download. */
  isInitialBlockDownload(): Promise<boolean> {
    return Promise.resolve(this.#chain.isInitialBlockDownload(this.#options.now()));
  }

  /** The node's time in seconds (mocktime aware). */
  now(): Promise<number> {
    return Promise.resolve(this.#options.now());
  }

  /** Subscribes a wallet; a proxy is kept (retained) until the subscription ends. */
  handleNotifications(notifications: ChainNotifications): Promise<Handler> {
    const name = this.#options.subscriberName ?? "a wallet";
    return Promise.resolve(this.#options.hub.subscribe(retain(notifications), name));
  }

  /** Waits for the node's validation queue, which includes every wallet's notifications. */
  async waitForNotifications(): Promise<void> {
    await (this.#options.waitForValidationQueue?.() ?? this.#options.hub.waitForAll());
  }

  /** The wallets settings.json names for start-up. */
  getStartupWallets(): Promise<string[]> {
    return Promise.resolve(this.#options.startupWallets?.read() ?? []);
  }

  /** Replaces settings.json's start-up wallets. */
  setStartupWallets(names: readonly string[]): Promise<void> {
    const list = this.#options.startupWallets;
    if (list === undefined) return Promise.reject(new Error("this node keeps no settings file"));
    try {
      list.write(names);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Hands every mempool transaction to `notifications`, in freicoind's listing order (fewer
   * ancestors first, so parents come before children). The list is taken at the call; a
   * transaction that left the mempool before its turn is skipped.
   */
  async requestMempoolTransactions(notifications: ChainNotifications): Promise<void> {
    try {
      const mempool = this.#options.mempool?.()?.mempool;
      if (mempool === undefined) return;
      for (const entry of mempool.sortedEntries()) {
        if (!mempool.has(entry.txidHex)) continue;
        await notifications.transactionAddedToMempool(entry.tx.toBytes());
      }
    } finally {
      release(notifications);
    }
  }

  /** `IsRBFOptIn` for each txid (the wallet checks a transaction's own signal itself). */
  rbfStates(txids: readonly Uint8Array[]): Promise<RbfState[]> {
    const mempool = this.#options.mempool?.()?.mempool;
    return Promise.resolve(txids.map((txid): RbfState => {
      const entry = mempool?.getByHash(txid);
      if (entry === undefined) return "unknown";
      if (signalsOptInRbf(entry.tx)) return "replaceable";
      for (const ancestor of mempool!.ancestorsOf(entry)) {
        if (signalsOptInRbf(ancestor.tx)) return "replaceable";
      }
      return "final";
    }));
  }

  /** `GetTransactionAncestry` for each txid; zeros outside the mempool. */
  getTransactionAncestry(txids: readonly Uint8Array[]): Promise<TxAncestry[]> {
    const mempool = this.#options.mempool?.()?.mempool;
    return Promise.resolve(txids.map((txid): TxAncestry => {
      const entry = mempool?.getByHash(txid);
      if (entry === undefined) {
        return { ancestors: 0, descendants: 0, ancestorSize: 0, ancestorFees: 0n };
      }
      const stats = mempool!.ancestorStats(entry);
      return {
        ancestors: stats.count,
        descendants: descendantMaximum(entry, (e) => mempool!.descendantsOf(e).size + 1),
        ancestorSize: stats.vsize,
        ancestorFees: stats.modifiedFees,
      };
    }));
  }

  /** The mempool's count limits, or freicoind's defaults without a mempool. */
  getPackageLimits(): Promise<PackageLimits> {
    const limits = (this.#options.mempool?.()?.mempool.options ?? DEFAULT_MEMPOOL_OPTIONS).limits;
    return Promise.resolve({
      ancestorCount: limits.ancestorCount,
      descendantCount: limits.descendantCount,
    });
  }

  /** `CheckPackageLimits` for one transaction; always ok without a mempool. */
  checkChainLimits(tx: Uint8Array): Promise<ChainLimitsResult> {
    const mempool = this.#options.mempool?.()?.mempool;
    if (mempool === undefined) return Promise.resolve({ ok: true });
    let decoded: Transaction;
    try {
      decoded = decodeTransaction(tx);
    } catch {
      return Promise.resolve({ ok: false, error: "TX decode failed" });
    }
    const error = mempool.checkPackageLimits([decoded], decoded.virtualSize);
    return Promise.resolve(error === null ? { ok: true } : { ok: false, error });
  }

  /** The mempool's rolling minimum fee rate (`CTxMemPool::GetMinFee`); 0 without a mempool. */
  mempoolMinFee(): Promise<bigint> {
    const mempool = this.#options.mempool?.()?.mempool;
    if (mempool === undefined) return Promise.resolve(0n);
    return Promise.resolve(mempool.getMinFee(Math.floor(this.#options.now())).perKvB);
  }

  /** Runs the node's own -walletnotify command for a wallet's changed transaction. */
  walletNotify(event: WalletNotifyEvent): Promise<void> {
    const template = this.#options.walletNotify;
    if (template === undefined || template === "") return Promise.resolve();
    runNotifyCommand(walletNotifyCommand(template, event), this.#options.logger);
    return Promise.resolve();
  }

  /** Appends a wallet's line to debug.log. */
  logLine(line: string): Promise<void> {
    const text = line.endsWith("\n") ? line.slice(0, -1) : line;
    // A wallet's start-up warning goes to stderr as well, as freicoind's InitWarning does.
    if (text.startsWith("Warning: ")) writeStderr(`${text}\n`);
    this.#options.logger.info(text);
    return Promise.resolve();
  }
}
