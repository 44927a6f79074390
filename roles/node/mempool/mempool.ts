/**
 * The transaction memory pool (`CTxMemPool`, src/txmempool.cpp): entries indexed by txid and
 * wtxid, the spent-outpoint map, parent/child links, ancestor and descendant limits, removal
 * for blocks, conflicts, expiry and size limits, fee deltas, and the rolling minimum fee.
 *
 * Ancestor and descendant aggregates are computed on demand by walking the links, which is
 * simple and exact; it costs O(package) per query, fine for regtest-sized pools.
 *
 * @module
 */
import { type Logger, NULL_LOGGER } from "../../../cli/logger.ts";
import { formatMoney, timeAdjustValue } from "../../../kernel/amount/mod.ts";
import { outpointKey } from "../../../kernel/consensus/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { OutPoint, type Transaction } from "../../../kernel/primitives/mod.ts";
import { FeeRate } from "./fee_rate.ts";
import type { MempoolEntry } from "./mempool_entry.ts";
import {
  DEFAULT_ANCESTOR_LIMIT,
  DEFAULT_ANCESTOR_SIZE_LIMIT_KVB,
  DEFAULT_DESCENDANT_LIMIT,
  DEFAULT_DESCENDANT_SIZE_LIMIT_KVB,
  DEFAULT_INCREMENTAL_RELAY_FEE,
  DEFAULT_MIN_RELAY_TX_FEE,
  DEFAULT_PERMIT_BAREMULTISIG,
  DUST_RELAY_TX_FEE,
} from "./policy.ts";

/** Package limits (`CTxMemPool::Limits`). */
export interface MempoolLimits {
  readonly ancestorCount: number;
  readonly ancestorSizeVbytes: number;
  readonly descendantCount: number;
  readonly descendantSizeVbytes: number;
}

/** `DEFAULT_MAX_MEMPOOL_SIZE_MB`. */
export const DEFAULT_MAX_MEMPOOL_SIZE_MB = 300;
/** `DEFAULT_MEMPOOL_EXPIRY_HOURS`. */
export const DEFAULT_MEMPOOL_EXPIRY_HOURS = 336;
/** `DEFAULT_MEMPOOL_FULL_RBF` (Freicoin: on). */
export const DEFAULT_MEMPOOL_FULL_RBF = true;
/** `ROLLING_FEE_HALFLIFE`: 12 hours. */
export const ROLLING_FEE_HALFLIFE = 60 * 60 * 12;

/** The mempool's options (`kernel::MemPoolOptions`), with freicoind's defaults. */
export interface MempoolOptions {
  /** `-maxmempool` in bytes. Default 300 MB. */
  readonly maxSizeBytes: number;
  /** `-mempoolexpiry` in seconds. Default 336 hours. */
  readonly expirySeconds: number;
  /** `-incrementalrelayfee`. Default 1000 kria/kvB. */
  readonly incrementalRelayFeeRate: FeeRate;
  /** `-minrelaytxfee`. Default 1000 kria/kvB. */
  readonly minRelayFeeRate: FeeRate;
  /** `-dustrelayfee`. Default 3000 kria/kvB. */
  readonly dustRelayFeeRate: FeeRate;
  /** `-datacarriersize` when `-datacarrier=1`; null (the default) refuses data outputs. */
  readonly maxDatacarrierBytes: number | null;
  /** `-permitbaremultisig`. Default true. */
  readonly permitBareMultisig: boolean;
  /** `!-acceptnonstdtxn`: default true on every chain (regtest included). */
  readonly requireStandard: boolean;
  /** `-mempoolfullrbf`. Default true. */
  readonly fullRbf: boolean;
  /** `-bytespersigop`. Default 20. */
  readonly bytesPerSigop: number;
  /** `-limitancestorcount` etc. */
  readonly limits: MempoolLimits;
  /** `-persistmempool`. Default true. */
  readonly persist: boolean;
  /** `-persistmempoolv1`: write mempool.dat without the XOR key. Default false. */
  readonly persistV1: boolean;
}

/** The defaults of {@link MempoolOptions}. */
export const DEFAULT_MEMPOOL_OPTIONS: MempoolOptions = Object.freeze({
  maxSizeBytes: DEFAULT_MAX_MEMPOOL_SIZE_MB * 1_000_000,
  expirySeconds: DEFAULT_MEMPOOL_EXPIRY_HOURS * 3600,
  incrementalRelayFeeRate: new FeeRate(DEFAULT_INCREMENTAL_RELAY_FEE),
  minRelayFeeRate: new FeeRate(DEFAULT_MIN_RELAY_TX_FEE),
  dustRelayFeeRate: new FeeRate(DUST_RELAY_TX_FEE),
  maxDatacarrierBytes: null,
  permitBareMultisig: DEFAULT_PERMIT_BAREMULTISIG,
  requireStandard: true,
  fullRbf: DEFAULT_MEMPOOL_FULL_RBF,
  bytesPerSigop: 20,
  limits: Object.freeze({
    ancestorCount: DEFAULT_ANCESTOR_LIMIT,
    ancestorSizeVbytes: DEFAULT_ANCESTOR_SIZE_LIMIT_KVB * 1000,
    descendantCount: DEFAULT_DESCENDANT_LIMIT,
    descendantSizeVbytes: DEFAULT_DESCENDANT_SIZE_LIMIT_KVB * 1000,
  }),
  persist: true,
  persistV1: false,
});

/** Why a transaction left the mempool (`MemPoolRemovalReason`). */
export type RemovalReason = "expiry" | "sizelimit" | "reorg" | "block" | "conflict" | "replaced";

/** How an entry was accepted (the flags of `NewMempoolTransactionInfo`). */
export interface MempoolAddInfo {
  /** Accepted without the fee limits (a transaction re-added from a disconnected block). */
  readonly bypassedLimits: boolean;
  /** Accepted as part of a package. */
  readonly inPackage: boolean;
}

/** Listener of mempool changes (ZMQ, wallet notifications, fee estimation). */
export interface MempoolListener {
  added?(entry: MempoolEntry, info: MempoolAddInfo): void;
  removed?(tx: Transaction, reason: RemovalReason): void;
  /**
   * After a block at `height` was connected: the entries it confirmed, in block order
   * (`MempoolTransactionsRemovedForBlock`). Their `removed` calls ("block") came first.
   */
  removedForBlock?(entries: readonly MempoolEntry[], height: number): void;
  /** A pool transaction to announce to peers again (the initial-broadcast retry). */
  reannounce?(entry: MempoolEntry): void;
}

/** Aggregates of an entry and its in-mempool ancestors or descendants (itself included). */
export interface PackageStats {
  readonly count: number;
  readonly vsize: number;
  readonly modifiedFees: bigint;
  readonly sigOpCost: number;
}

/** A package-limit failure's message (as `util::Error` carries it). */
export type AncestorsResult =
  | { readonly ok: true; readonly ancestors: Set<MempoolEntry> }
  | { readonly ok: false; readonly error: string };

/**
 * The mempool. Mutations are synchronous; callers serialize them with the chain (the node's
 * validation lock), so no `await` ever interleaves two changes.
 *
 * @example
 * ```ts
 * import { Mempool } from "./mempool.ts";
 * const pool = new Mempool({ fullRbf: false });
 * console.assert(pool.size === 0 && pool.options.maxDatacarrierBytes === null);
 * ```
 */
export class Mempool {
  readonly options: MempoolOptions;
  readonly #byTxid = new Map<string, MempoolEntry>();
  readonly #byWtxid = new Map<string, MempoolEntry>();
  /** Outpoint key → the entry spending it (`mapNextTx`). */
  readonly #spenders = new Map<string, MempoolEntry>();
  /** Txid hex → fee delta, kept for transactions not (yet) in the pool too. */
  readonly #deltas = new Map<string, bigint>();
  readonly #listeners = new Set<MempoolListener>();
  /** Txids (display hex) submitted locally and not yet requested by any peer. */
  readonly #unbroadcast = new Set<string>();
  #sequence = 1;
  #totalTxSize = 0;
  #totalFee = 0n;
  #usage = 0;
  #rollingMinimumFeeRate = 0;
  #lastRollingFeeUpdate = 0;
  #blockSinceLastRollingFeeBump = false;
  /** Whether mempool.dat has been loaded (getmempoolinfo's `loaded`). */
  loaded = false;
  /** Updates since start (`GetTransactionsUpdated`), for getblocktemplate long polls. */
  transactionsUpdated = 0;

  /** Where the pool logs (category "mempool" for debug lines, as freicoind's BCLog::MEMPOOL). */
  readonly logger: Logger;

  /** An empty pool with `options` over the defaults. */
  /** Entries whose in-pool children are linked when the current re-adding ends. */
  #pendingAdoptions: MempoolEntry[] | undefined;

  constructor(options: Partial<MempoolOptions> = {}, logger: Logger = NULL_LOGGER) {
    this.options = { ...DEFAULT_MEMPOOL_OPTIONS, ...options };
    this.logger = logger;
  }

  /** Subscribes to additions and removals; returns an unsubscribe function. */
  subscribe(listener: MempoolListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Number of transactions. */
  get size(): number {
    return this.#byTxid.size;
  }

  /** Σ virtual sizes (`GetTotalTxSize`). */
  get totalTxSize(): number {
    return this.#totalTxSize;
  }

  /** Σ base fees (`GetTotalFee`). */
  get totalFee(): bigint {
    return this.#totalFee;
  }

  /** Estimated memory use in bytes (`DynamicMemoryUsage`). */
  get usage(): number {
    return this.#usage;
  }

  /** The mempool sequence (`GetSequence`): bumped by every addition and removal. */
  get sequence(): number {
    return this.#sequence;
  }

  /** Every entry, in insertion order. */
  entries(): IterableIterator<MempoolEntry> {
    return this.#byTxid.values();
  }

  /**
   * Every entry in freicoind's listing order (`GetSortedDepthAndScore`): fewer in-mempool
   * ancestors first, then higher fee rate (fees time-adjusted to a common height), then by
   * txid.
   */
  sortedEntries(): MempoolEntry[] {
    const depth = new Map<MempoolEntry, number>();
    for (const entry of this.#byTxid.values()) depth.set(entry, this.ancestorsOf(entry).size);
    return [...this.#byTxid.values()].sort((a, b) => {
      const da = depth.get(a)!;
      const db = depth.get(b)!;
      if (da !== db) return da - db;
      return compareByScore(a, b);
    });
  }

  /** The entry with this txid (display hex), if any. */
  get(txidHex: string): MempoolEntry | undefined {
    return this.#byTxid.get(txidHex);
  }

  /** The entry with this wtxid (display hex), if any. */
  getByWtxid(wtxidHex: string): MempoolEntry | undefined {
    return this.#byWtxid.get(wtxidHex);
  }

  /** Whether a transaction with this txid (display hex) is in the pool. */
  has(txidHex: string): boolean {
    return this.#byTxid.has(txidHex);
  }

  /** The entry whose transaction has txid `hash` (internal byte order). */
  getByHash(hash: Uint8Array): MempoolEntry | undefined {
    return this.#byTxid.get(bytesToHex(hash.slice().reverse()));
  }

  /** The in-mempool transaction spending `outpoint` (`GetConflictTx`). */
  spenderOf(outpoint: OutPoint): MempoolEntry | undefined {
    return this.#spenders.get(outpointKey(outpoint));
  }

  /** The fee delta for a txid (`ApplyDelta`), 0 when none. */
  deltaOf(txidHex: string): bigint {
    return this.#deltas.get(txidHex) ?? 0n;
  }

  /** `AddUnbroadcastTx`: a locally submitted transaction still waiting for a peer to fetch it. */
  addUnbroadcastTx(txidHex: string): void {
    if (this.#byTxid.has(txidHex)) this.#unbroadcast.add(txidHex);
  }

  /** `RemoveUnbroadcastTx`: a peer fetched it (or it left the pool). */
  removeUnbroadcastTx(txidHex: string): void {
    if (this.#unbroadcast.delete(txidHex)) {
      this.logger.debug("mempool", `Removed ${txidHex} from set of unbroadcast txns`);
    }
  }

  /** Asks the `reannounce` listeners (transaction relay) to announce a pool transaction again. */
  reannounce(txidHex: string): void {
    const entry = this.#byTxid.get(txidHex);
    if (!entry) return;
    for (const listener of this.#listeners) listener.reannounce?.(entry);
  }

  /** Whether a transaction is waiting for its initial broadcast (`IsUnbroadcastTx`). */
  isUnbroadcast(txidHex: string): boolean {
    return this.#unbroadcast.has(txidHex);
  }

  /** The unbroadcast txids (`GetUnbroadcastTxs`). */
  unbroadcastTxids(): ReadonlySet<string> {
    return this.#unbroadcast;
  }

  /** All recorded deltas (getprioritisedtransactions). */
  deltas(): ReadonlyMap<string, bigint> {
    return this.#deltas;
  }

  /**
   * `PrioritiseTransaction`: adds `delta` to the transaction's modified fee, whether or not it
   * is in the pool yet. A delta that returns to 0 is forgotten.
   */
  prioritiseTransaction(txidHex: string, delta: bigint): void {
    const total = (this.#deltas.get(txidHex) ?? 0n) + delta;
    const entry = this.#byTxid.get(txidHex);
    if (entry) {
      entry.feeDelta = total;
      this.transactionsUpdated++;
    }
    const where = entry ? "" : "not ";
    if (total === 0n) {
      this.#deltas.delete(txidHex);
      this.logger.info(`PrioritiseTransaction: ${txidHex} (${where}in mempool) delta cleared`);
    } else {
      this.#deltas.set(txidHex, total);
      this.logger.info(
        `PrioritiseTransaction: ${txidHex} (${where}in mempool) fee += ${
          formatMoney(delta)
        }, new delta=${formatMoney(total)}`,
      );
    }
  }

  /** `AddTransactionsUpdated`: the chain's tip changed (counted in getblocktemplate's longpollid). */
  addTransactionsUpdated(n: number): void {
    this.transactionsUpdated += n;
  }

  /** `ClearPrioritisation`. */
  clearPrioritisation(txidHex: string): void {
    this.#deltas.delete(txidHex);
  }

  /** The in-mempool parents of a transaction not necessarily in the pool. */
  parentsOf(tx: Transaction): Set<MempoolEntry> {
    const parents = new Set<MempoolEntry>();
    for (const input of tx.inputs) {
      const parent = this.getByHash(input.prevout.hash);
      if (parent) parents.add(parent);
    }
    return parents;
  }

  /** Every in-mempool ancestor of `entry` (excluding itself). */
  ancestorsOf(entry: MempoolEntry): Set<MempoolEntry> {
    return walk(entry.parents, (e) => e.parents);
  }

  /** Every in-mempool descendant of `entry` (excluding itself). */
  descendantsOf(entry: MempoolEntry): Set<MempoolEntry> {
    return walk(entry.children, (e) => e.children);
  }

  /** Aggregates over `entry` and its ancestors. */
  ancestorStats(entry: MempoolEntry): PackageStats {
    return stats(entry, this.ancestorsOf(entry));
  }

  /** Aggregates over `entry` and its descendants. */
  descendantStats(entry: MempoolEntry): PackageStats {
    return stats(entry, this.descendantsOf(entry));
  }

  /**
   * `CalculateMemPoolAncestors` for a transaction about to enter, with the limits checked in
   * the reference's order and with its messages.
   */
  calculateAncestors(tx: Transaction, vsize: number, limits: MempoolLimits): AncestorsResult {
    const staged = new Set<MempoolEntry>();
    for (const input of tx.inputs) {
      const parent = this.getByHash(input.prevout.hash);
      if (!parent) continue;
      staged.add(parent);
      if (staged.size + 1 > limits.ancestorCount) {
        return {
          ok: false,
          error: `too many unconfirmed parents [limit: ${limits.ancestorCount}]`,
        };
      }
    }
    return this.#checkAncestorLimits(vsize, 1, staged, limits);
  }

  /**
   * `CheckPackageLimits`: the package as a whole (count and size first), then its in-pool
   * ancestors counted as if every member were one transaction. Null when within limits.
   */
  checkPackageLimits(txs: readonly Transaction[], totalVsize: number): string | null {
    const limits = this.options.limits;
    const count = txs.length;
    if (count > limits.ancestorCount) {
      return `package count ${count} exceeds ancestor count limit [limit: ${limits.ancestorCount}]`;
    } else if (count > limits.descendantCount) {
      return `package count ${count} exceeds descendant count limit [limit: ${limits.descendantCount}]`;
    } else if (totalVsize > limits.ancestorSizeVbytes) {
      return `package size ${totalVsize} exceeds ancestor size limit [limit: ${limits.ancestorSizeVbytes}]`;
    } else if (totalVsize > limits.descendantSizeVbytes) {
      return `package size ${totalVsize} exceeds descendant size limit [limit: ${limits.descendantSizeVbytes}]`;
    }
    const staged = new Set<MempoolEntry>();
    for (const tx of txs) {
      for (const input of tx.inputs) {
        const parent = this.getByHash(input.prevout.hash);
        if (!parent) continue;
        staged.add(parent);
        if (staged.size + count > limits.ancestorCount) {
          return `too many unconfirmed parents [limit: ${limits.ancestorCount}]`;
        }
      }
    }
    const result = this.#checkAncestorLimits(totalVsize, count, staged, limits);
    return result.ok ? null : `possibly ${result.error}`;
  }

  #checkAncestorLimits(
    entrySize: number,
    entryCount: number,
    staged: Set<MempoolEntry>,
    limits: MempoolLimits,
  ): AncestorsResult {
    let totalSizeWithAncestors = entrySize;
    const ancestors = new Set<MempoolEntry>();
    while (staged.size > 0) {
      const stage: MempoolEntry = staged.values().next().value!;
      ancestors.add(stage);
      staged.delete(stage);
      totalSizeWithAncestors += stage.vsize;
      const descendants = this.descendantStats(stage);
      if (descendants.vsize + entrySize > limits.descendantSizeVbytes) {
        return {
          ok: false,
          error:
            `exceeds descendant size limit for tx ${stage.txidHex} [limit: ${limits.descendantSizeVbytes}]`,
        };
      } else if (descendants.count + entryCount > limits.descendantCount) {
        return {
          ok: false,
          error: `too many descendants for tx ${stage.txidHex} [limit: ${limits.descendantCount}]`,
        };
      } else if (totalSizeWithAncestors > limits.ancestorSizeVbytes) {
        return {
          ok: false,
          error: `exceeds ancestor size limit [limit: ${limits.ancestorSizeVbytes}]`,
        };
      }
      for (const parent of stage.parents) {
        if (!ancestors.has(parent)) staged.add(parent);
        if (staged.size + ancestors.size + entryCount > limits.ancestorCount) {
          return {
            ok: false,
            error: `too many unconfirmed ancestors [limit: ${limits.ancestorCount}]`,
          };
        }
      }
    }
    return { ok: true, ancestors };
  }

  /** Adds an entry whose checks passed (`addUnchecked`); `info` says how it was accepted. */
  addUnchecked(
    entry: MempoolEntry,
    info: MempoolAddInfo = { bypassedLimits: false, inPackage: false },
  ): void {
    const txidHex = entry.txidHex;
    entry.feeDelta = this.#deltas.get(txidHex) ?? 0n;
    this.#byTxid.set(txidHex, entry);
    this.#byWtxid.set(entry.tx.wtxidHex, entry);
    for (const input of entry.tx.inputs) {
      this.#spenders.set(outpointKey(input.prevout), entry);
      const parent = this.getByHash(input.prevout.hash);
      if (parent) {
        entry.parents.add(parent);
        parent.children.add(entry);
      }
    }
    // A transaction returning from a disconnected block may already have children in the
    // pool (`UpdateTransactionsFromBlock`).
    if (this.#pendingAdoptions) this.#pendingAdoptions.push(entry);
    else this.#adoptChildren(entry);
    this.#totalTxSize += entry.vsize;
    this.#totalFee += entry.fee;
    this.#usage += entry.memoryUsage;
    this.#sequence++;
    this.transactionsUpdated++;
    for (const listener of this.#listeners) listener.added?.(entry, info);
  }

  /**
   * Runs `readd` (the re-adding of a disconnected block's transactions) with the linking of
   * re-added entries to their children already in the pool postponed until it returns, as
   * freicoind's `UpdateTransactionsFromBlock` runs after the whole block: while the block's
   * transactions come back, the ancestor and descendant limits count only what was re-added.
   */
  withDeferredAdoption(readd: () => void): void {
    if (this.#pendingAdoptions) {
      readd();
      return;
    }
    const pending: MempoolEntry[] = [];
    this.#pendingAdoptions = pending;
    try {
      readd();
    } finally {
      this.#pendingAdoptions = undefined;
      for (const entry of pending) {
        if (this.#byTxid.get(entry.txidHex) === entry) this.#adoptChildren(entry);
      }
    }
  }

  #adoptChildren(entry: MempoolEntry): void {
    for (let n = 0; n < entry.tx.outputs.length; n++) {
      const child = this.#spenders.get(outpointKey(new OutPoint(entry.tx.txid, n)));
      if (child && child !== entry) {
        child.parents.add(entry);
        entry.children.add(child);
      }
    }
  }

  /** `RemoveStaged`: removes exactly these entries. */
  removeStaged(entries: Iterable<MempoolEntry>, reason: RemovalReason): void {
    for (const entry of entries) this.#removeUnchecked(entry, reason);
  }

  #removeUnchecked(entry: MempoolEntry, reason: RemovalReason): void {
    const txidHex = entry.txidHex;
    if (this.#byTxid.get(txidHex) !== entry) return;
    this.#byTxid.delete(txidHex);
    this.#byWtxid.delete(entry.tx.wtxidHex);
    for (const input of entry.tx.inputs) {
      const key = outpointKey(input.prevout);
      if (this.#spenders.get(key) === entry) this.#spenders.delete(key);
    }
    for (const parent of entry.parents) parent.children.delete(entry);
    for (const child of entry.children) child.parents.delete(entry);
    this.#totalTxSize -= entry.vsize;
    this.#totalFee -= entry.fee;
    this.#usage -= entry.memoryUsage;
    if (this.#unbroadcast.delete(txidHex)) {
      this.logger.debug(
        "mempool",
        `Removed ${txidHex} from set of unbroadcast txns before confirmation that txn was sent out`,
      );
    }
    this.#sequence++;
    this.transactionsUpdated++;
    for (const listener of this.#listeners) listener.removed?.(entry.tx, reason);
  }

  /** `removeRecursive`: a transaction and everything in the pool spending it. */
  removeRecursive(tx: Transaction, reason: RemovalReason): void {
    const stage = new Set<MempoolEntry>();
    const entry = this.get(tx.txidHex);
    if (entry) {
      stage.add(entry);
    } else {
      // Not in the pool: remove the children spending its outputs.
      for (let n = 0; n < tx.outputs.length; n++) {
        const spender = this.#spenders.get(outpointKey(new OutPoint(tx.txid, n)));
        if (spender) stage.add(spender);
      }
    }
    const all = new Set<MempoolEntry>();
    for (const e of stage) {
      all.add(e);
      for (const d of this.descendantsOf(e)) all.add(d);
    }
    this.removeStaged(all, reason);
  }

  /** `removeConflicts`: every pool transaction spending an input of `tx` (and descendants). */
  removeConflicts(tx: Transaction): void {
    for (const input of tx.inputs) {
      const spender = this.spenderOf(input.prevout);
      if (spender && spender.txidHex !== tx.txidHex) {
        this.removeRecursive(spender.tx, "conflict");
        this.clearPrioritisation(spender.txidHex);
      }
    }
  }

  /**
   * `removeForBlock`: a block's transactions and their conflicts leave the pool. With the
   * block's `height`, `removedForBlock` listeners (the fee estimator) then learn which entries
   * it confirmed.
   */
  removeForBlock(transactions: readonly Transaction[], now: number, height?: number): void {
    const confirmed: MempoolEntry[] = [];
    // With an empty pool and no fee deltas (initial sync) no transaction of the block can be
    // in the pool, conflict with it or have a delta to clear.
    const anythingToRemove = this.#byTxid.size > 0 || this.#deltas.size > 0;
    for (let i = 0; anythingToRemove && i < transactions.length; i++) {
      const tx = transactions[i];
      const entry = this.get(tx.txidHex);
      if (entry) {
        confirmed.push(entry);
        this.#removeUnchecked(entry, "block");
      }
      this.removeConflicts(tx);
      this.clearPrioritisation(tx.txidHex);
    }
    if (height !== undefined) {
      for (const listener of this.#listeners) listener.removedForBlock?.(confirmed, height);
    }
    this.#lastRollingFeeUpdate = now;
    this.#blockSinceLastRollingFeeBump = true;
  }

  /**
   * `removeForReorg`: drops entries `isInvalid` reports (no longer final, sequence-locked or
   * spending an immature coinbase) with their descendants.
   */
  removeForReorg(isInvalid: (entry: MempoolEntry) => boolean): void {
    const all = new Set<MempoolEntry>();
    for (const entry of this.#byTxid.values()) {
      if (!isInvalid(entry)) continue;
      all.add(entry);
      for (const d of this.descendantsOf(entry)) all.add(d);
    }
    this.removeStaged(all, "reorg");
  }

  /** `Expire`: entries older than `cutoff` seconds, with their descendants; the count removed. */
  expire(cutoff: number): number {
    const all = new Set<MempoolEntry>();
    for (const entry of this.#byTxid.values()) {
      if (entry.time >= cutoff) continue;
      all.add(entry);
      for (const d of this.descendantsOf(entry)) all.add(d);
    }
    this.removeStaged(all, "expiry");
    return all.size;
  }

  /**
   * `TrimToSize`: evicts the lowest descendant-score packages until usage ≤ `limit`, raising
   * the rolling minimum fee. Returns the outpoints no longer spent by anything in the pool.
   */
  trimToSize(limit: number): OutPoint[] {
    const noSpendsRemaining: OutPoint[] = [];
    let removedCount = 0;
    let maxRemoved = new FeeRate(0n);
    while (this.#byTxid.size > 0 && this.#usage > limit) {
      const worst = this.#worstByDescendantScore();
      const descendants = this.descendantStats(worst);
      const removed = new FeeRate(
        FeeRate.fromFee(descendants.modifiedFees, descendants.vsize).perKvB +
          this.options.incrementalRelayFeeRate.perKvB,
      );
      this.#trackPackageRemoved(removed);
      if (removed.perKvB > maxRemoved.perKvB) maxRemoved = removed;
      const stage = new Set([worst, ...this.descendantsOf(worst)]);
      removedCount += stage.size;
      const txs = [...stage].map((e) => e.tx);
      this.removeStaged(stage, "sizelimit");
      for (const tx of txs) {
        for (const input of tx.inputs) {
          if (this.getByHash(input.prevout.hash)) continue;
          noSpendsRemaining.push(input.prevout);
        }
      }
    }
    if (maxRemoved.perKvB > 0n) {
      this.logger.debug(
        "mempool",
        () => `Removed ${removedCount} txn, rolling minimum fee bumped to ${maxRemoved}`,
      );
    }
    return noSpendsRemaining;
  }

  #worstByDescendantScore(): MempoolEntry {
    let worst: MempoolEntry | undefined;
    let worstScore: { fee: bigint; size: number } | undefined;
    for (const entry of this.#byTxid.values()) {
      const score = descendantScore(this, entry);
      if (!worst || !worstScore || compareDescendantScore(score, entry, worstScore, worst) < 0) {
        worst = entry;
        worstScore = score;
      }
    }
    return worst!;
  }

  #trackPackageRemoved(rate: FeeRate): void {
    if (Number(rate.perKvB) > this.#rollingMinimumFeeRate) {
      this.#rollingMinimumFeeRate = Number(rate.perKvB);
      this.#blockSinceLastRollingFeeBump = false;
    }
  }

  /** `GetMinFee`: the rolling minimum fee rate, decaying after blocks; `now` in seconds. */
  getMinFee(now: number, sizeLimit: number = this.options.maxSizeBytes): FeeRate {
    if (!this.#blockSinceLastRollingFeeBump || this.#rollingMinimumFeeRate === 0) {
      return new FeeRate(BigInt(Math.round(this.#rollingMinimumFeeRate)));
    }
    if (now > this.#lastRollingFeeUpdate + 10) {
      let halflife = ROLLING_FEE_HALFLIFE;
      if (this.#usage < sizeLimit / 4) halflife /= 4;
      else if (this.#usage < sizeLimit / 2) halflife /= 2;
      this.#rollingMinimumFeeRate = this.#rollingMinimumFeeRate /
        Math.pow(2, (now - this.#lastRollingFeeUpdate) / halflife);
      this.#lastRollingFeeUpdate = now;
      if (
        this.#rollingMinimumFeeRate < Number(this.options.incrementalRelayFeeRate.perKvB) / 2
      ) {
        this.#rollingMinimumFeeRate = 0;
        return new FeeRate(0n);
      }
    }
    const rolling = BigInt(Math.round(this.#rollingMinimumFeeRate));
    const incremental = this.options.incrementalRelayFeeRate.perKvB;
    return new FeeRate(rolling > incremental ? rolling : incremental);
  }

  /** Empties the pool (keeps deltas). */
  clear(): void {
    this.removeStaged([...this.#byTxid.values()], "conflict");
  }
}

function walk(
  start: Iterable<MempoolEntry>,
  next: (entry: MempoolEntry) => Iterable<MempoolEntry>,
): Set<MempoolEntry> {
  const seen = new Set<MempoolEntry>();
  const stack = [...start];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (seen.has(entry)) continue;
    seen.add(entry);
    for (const other of next(entry)) if (!seen.has(other)) stack.push(other);
  }
  return seen;
}

function stats(entry: MempoolEntry, others: Set<MempoolEntry>): PackageStats {
  let vsize = entry.vsize;
  let modifiedFees = entry.modifiedFee;
  let sigOpCost = entry.sigOpCost;
  for (const other of others) {
    vsize += other.vsize;
    modifiedFees += other.modifiedFee;
    sigOpCost += other.sigOpCost;
  }
  return { count: others.size + 1, vsize, modifiedFees, sigOpCost };
}

/** The fee/size a descendant-score sort uses: the better of the entry alone or with descendants. */
function descendantScore(pool: Mempool, entry: MempoolEntry): { fee: bigint; size: number } {
  const d = pool.descendantStats(entry);
  const f1 = Number(entry.modifiedFee) * d.vsize;
  const f2 = Number(d.modifiedFees) * entry.vsize;
  return f2 > f1
    ? { fee: d.modifiedFees, size: d.vsize }
    : { fee: entry.modifiedFee, size: entry.vsize };
}

/**
 * `CompareTxMemPoolEntryByDescendantScore` (< 0 when `a` sorts first, i.e. is evicted first):
 * fees are time-adjusted to the higher of the two reference heights before comparing.
 */
function compareDescendantScore(
  aScore: { fee: bigint; size: number },
  a: MempoolEntry,
  bScore: { fee: bigint; size: number },
  b: MempoolEntry,
): number {
  const [aFee, bFee] = adjustToCommonHeight(
    aScore.fee,
    a.referenceHeight,
    bScore.fee,
    b.referenceHeight,
  );
  const f1 = Number(aFee) * bScore.size;
  const f2 = aScore.size * Number(bFee);
  if (f1 === f2) return a.time >= b.time ? -1 : 1;
  return f1 < f2 ? -1 : 1;
}

/** Time-adjusts the fee with the lower reference height up to the other's height. */
export function adjustToCommonHeight(
  aFee: bigint,
  aHeight: number,
  bFee: bigint,
  bHeight: number,
): [bigint, bigint] {
  if (aHeight < bHeight) return [timeAdjustValue(aFee, bHeight - aHeight), bFee];
  return [aFee, timeAdjustValue(bFee, aHeight - bHeight)];
}

/**
 * `CompareTxMemPoolEntryByScore` (< 0 when `a` sorts first): higher base-fee rate first, with
 * fees time-adjusted to the higher reference height; ties put the larger txid first.
 */
export function compareByScore(a: MempoolEntry, b: MempoolEntry): number {
  const [aFee, bFee] = adjustToCommonHeight(a.fee, a.referenceHeight, b.fee, b.referenceHeight);
  const f1 = Number(aFee) * b.vsize;
  const f2 = Number(bFee) * a.vsize;
  if (f1 === f2) {
    const ha = a.tx.txid;
    const hb = b.tx.txid;
    for (let i = 0; i < 32; i++) if (ha[i] !== hb[i]) return hb[i] - ha[i];
    return 0;
  }
  return f1 > f2 ? -1 : 1;
}
