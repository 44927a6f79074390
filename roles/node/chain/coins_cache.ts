/**
 * The in-memory coins cache in front of the database (`CCoinsViewCache`), with the
 * DIRTY/FRESH bookkeeping that lets a coin created and spent between two flushes never touch
 * the disk, and a per-block overlay ({@link BlockCoinsView}) that is applied only when the
 * block connects.
 */

import { type Coin, type CoinsView, isUnspendableScript } from "../../../kernel/consensus/coins.ts";
import type { BlockFinalTxEntry } from "../../../kernel/consensus/connect_block.ts";
import type { OutPoint } from "../../../kernel/primitives/outpoint.ts";
import type { CoinChange, CoinsDatabase } from "./coins_database.ts";

/** Approximate bytes one cached coin costs besides its script (map slot, objects, key). */
const ENTRY_OVERHEAD_BYTES = 220;

interface CacheEntry {
  readonly outpoint: OutPoint;
  /** null: spent in the cache, not yet erased on disk. */
  coin: Coin | null;
  /** Differs from the database. */
  dirty: boolean;
  /** The database has no unspent version of it: spending it just drops the entry. */
  fresh: boolean;
}

/**
 * A map key for an outpoint: the 32 hash bytes as 16 UTF-16 code units, then the index as two.
 * Built by one call, so the key is a flat string (no concatenation to flatten before hashing).
 */
export function cacheKey(outpoint: OutPoint): string {
  const h = outpoint.hash;
  const n = outpoint.n;
  return String.fromCharCode(
    h[0] | (h[1] << 8),
    h[2] | (h[3] << 8),
    h[4] | (h[5] << 8),
    h[6] | (h[7] << 8),
    h[8] | (h[9] << 8),
    h[10] | (h[11] << 8),
    h[12] | (h[13] << 8),
    h[14] | (h[15] << 8),
    h[16] | (h[17] << 8),
    h[18] | (h[19] << 8),
    h[20] | (h[21] << 8),
    h[22] | (h[23] << 8),
    h[24] | (h[25] << 8),
    h[26] | (h[27] << 8),
    h[28] | (h[29] << 8),
    h[30] | (h[31] << 8),
    n & 0xffff,
    n >>> 16,
  );
}

function coinBytes(coin: Coin | null): number {
  return ENTRY_OVERHEAD_BYTES + (coin?.output.scriptPubKey.length ?? 0);
}

/** The coins cache. Single-threaded: used only under the chainstate's writer lock. */
export class CoinsCache implements CoinsView {
  readonly #db: CoinsDatabase;
  readonly #entries = new Map<string, CacheEntry>();
  #usage = 0;
  #bestBlock: Uint8Array | null;
  #finalTx: BlockFinalTxEntry | null;

  /** Creates an empty cache over `db`, at the database's best block. */
  constructor(db: CoinsDatabase) {
    this.#db = db;
    this.#bestBlock = db.bestBlock();
    this.#finalTx = db.finalTx();
  }

  /** Estimated memory use in bytes (`DynamicMemoryUsage`). */
  get memoryUsage(): number {
    return this.#usage;
  }

  /** Number of cached entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** The block the cached view reflects. */
  get bestBlock(): Uint8Array | null {
    return this.#bestBlock;
  }

  /** The block-final entry at the best block. */
  get finalTx(): BlockFinalTxEntry | null {
    return this.#finalTx;
  }

  /** Moves the view to `hash` with block-final entry `finalTx` (`SetBestBlock`, `SetFinalTx`). */
  setBestBlock(hash: Uint8Array, finalTx: BlockFinalTxEntry | null): void {
    this.#bestBlock = hash;
    this.#finalTx = finalTx;
  }

  /** {@inheritDoc CoinsView.getCoin} */
  getCoin(outpoint: OutPoint): Coin | undefined {
    return this.#fetch(outpoint, cacheKey(outpoint))?.coin ?? undefined;
  }

  /** {@link CoinsCache.getCoin} with the outpoint's {@link cacheKey} already made. */
  getCoinWithKey(outpoint: OutPoint, key: string): Coin | undefined {
    return this.#fetch(outpoint, key)?.coin ?? undefined;
  }

  /** The entry of `outpoint` (map key `key`), loaded from the database when not cached. */
  #fetch(outpoint: OutPoint, key: string): CacheEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry) return entry;
    const coin = this.#db.getCoin(outpoint);
    if (!coin) return undefined;
    const loaded: CacheEntry = { outpoint, coin, dirty: false, fresh: false };
    this.#entries.set(key, loaded);
    this.#usage += coinBytes(coin);
    return loaded;
  }

  /** {@inheritDoc CoinsView.spendCoin} */
  spendCoin(outpoint: OutPoint): Coin | undefined {
    return this.spendCoinWithKey(outpoint, cacheKey(outpoint));
  }

  /** {@link CoinsCache.spendCoin} with the outpoint's {@link cacheKey} already made. */
  spendCoinWithKey(outpoint: OutPoint, key: string): Coin | undefined {
    const entry = this.#fetch(outpoint, key);
    const coin = entry?.coin;
    if (!entry || !coin) return undefined;
    if (entry.fresh) {
      this.#entries.delete(key);
      this.#usage -= coinBytes(coin);
    } else {
      entry.coin = null;
      entry.dirty = true;
    }
    return coin;
  }

  /** {@inheritDoc CoinsView.addCoin} */
  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void {
    if (isUnspendableScript(coin.output.scriptPubKey)) return;
    this.#addSpendable(outpoint, cacheKey(outpoint), coin, possibleOverwrite);
  }

  /**
   * {@link CoinsCache.addCoin} of a coin already known to be spendable, with the outpoint's
   * {@link cacheKey} already made (a block overlay applying its changes).
   */
  addSpendableCoinWithKey(
    outpoint: OutPoint,
    key: string,
    coin: Coin,
    possibleOverwrite: boolean,
  ): void {
    this.#addSpendable(outpoint, key, coin, possibleOverwrite);
  }

  #addSpendable(outpoint: OutPoint, key: string, coin: Coin, possibleOverwrite: boolean): void {
    const existing = this.#entries.get(key);
    let fresh = false;
    if (!possibleOverwrite) {
      if (existing?.coin) {
        throw new Error(
          "Attempted to overwrite an unspent coin (when possible_overwrite is false)",
        );
      }
      // A spent-but-dirty entry still has an unspent version on disk.
      fresh = !existing?.dirty;
    }
    if (existing) this.#usage -= coinBytes(existing.coin);
    this.#entries.set(key, { outpoint, coin, dirty: true, fresh });
    this.#usage += coinBytes(coin);
  }

  /**
   * Writes every dirty entry and the best block to the database and empties the cache
   * (`Flush`). `chunkSize` and `afterChunk` are passed to {@link CoinsDatabase.writeBatch}.
   */
  flush(options: { chunkSize?: number; afterChunk?: (index: number) => void } = {}): number {
    const changes: CoinChange[] = [];
    for (const entry of this.#entries.values()) {
      if (!entry.dirty) continue;
      if (entry.coin === null) {
        if (!entry.fresh) changes.push({ outpoint: entry.outpoint, coin: null });
      } else {
        changes.push({ outpoint: entry.outpoint, coin: entry.coin });
      }
    }
    if (this.#bestBlock) {
      this.#db.writeBatch(changes, {
        bestBlock: this.#bestBlock,
        finalTx: this.#finalTx,
        chunkSize: options.chunkSize,
        afterChunk: options.afterChunk,
      });
    }
    this.#entries.clear();
    this.#usage = 0;
    return changes.length;
  }

  /** Drops every unflushed change (after a failed operation, before reloading). */
  discard(): void {
    this.#entries.clear();
    this.#usage = 0;
    this.#bestBlock = this.#db.bestBlock();
    this.#finalTx = this.#db.finalTx();
  }
}

interface OverlayChange {
  readonly outpoint: OutPoint;
  /** The outpoint's {@link cacheKey}, made once. */
  readonly key: string;
  /** null: spent in this block. */
  coin: Coin | null;
  /** The coin replaced an unspent base coin, which must be spent first on apply. */
  spendsBase: boolean;
  possibleOverwrite: boolean;
}

/**
 * A discardable layer for one block: reads fall through to the cache, changes stay here
 * until {@link BlockCoinsView.apply}. Like the reference, adding a coin without
 * `possibleOverwrite` checks only this layer, so new outputs never cost a database lookup.
 */
export class BlockCoinsView implements CoinsView {
  readonly #base: CoinsCache;
  readonly #changes = new Map<string, OverlayChange>();

  /** Creates an empty layer over `base`. */
  constructor(base: CoinsCache) {
    this.#base = base;
  }

  /** {@inheritDoc CoinsView.getCoin} */
  getCoin(outpoint: OutPoint): Coin | undefined {
    const key = cacheKey(outpoint);
    const change = this.#changes.get(key);
    if (change) return change.coin ?? undefined;
    return this.#base.getCoinWithKey(outpoint, key);
  }

  /** {@inheritDoc CoinsView.spendCoin} */
  spendCoin(outpoint: OutPoint): Coin | undefined {
    const key = cacheKey(outpoint);
    const change = this.#changes.get(key);
    if (change) {
      const coin = change.coin;
      if (!coin) return undefined;
      // Created in this block and spent again: it never reaches the cache.
      if (!change.spendsBase) this.#changes.delete(key);
      else change.coin = null;
      return coin;
    }
    const coin = this.#base.getCoinWithKey(outpoint, key);
    if (!coin) return undefined;
    this.#changes.set(key, {
      outpoint,
      key,
      coin: null,
      spendsBase: true,
      possibleOverwrite: false,
    });
    return coin;
  }

  /** {@inheritDoc CoinsView.addCoin} */
  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void {
    if (isUnspendableScript(coin.output.scriptPubKey)) return;
    const key = cacheKey(outpoint);
    const change = this.#changes.get(key);
    if (!possibleOverwrite && change?.coin) {
      throw new Error("Attempted to overwrite an unspent coin (when possible_overwrite is false)");
    }
    this.#changes.set(key, {
      outpoint,
      key,
      coin,
      spendsBase: change?.spendsBase ?? false,
      possibleOverwrite,
    });
  }

  /** Applies the changes to the cache. */
  apply(): void {
    const base = this.#base;
    for (const change of this.#changes.values()) {
      if (change.spendsBase) base.spendCoinWithKey(change.outpoint, change.key);
      // Unspendable outputs never entered the overlay.
      if (change.coin) {
        base.addSpendableCoinWithKey(
          change.outpoint,
          change.key,
          change.coin,
          change.possibleOverwrite,
        );
      }
    }
    this.#changes.clear();
  }
}
