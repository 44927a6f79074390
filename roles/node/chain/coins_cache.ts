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

/** A map key for an outpoint: the 32 hash bytes as char codes, then the index. */
export function cacheKey(outpoint: OutPoint): string {
  const h = outpoint.hash;
  let key = "";
  for (let i = 0; i < 32; i += 4) {
    key += String.fromCharCode(h[i], h[i + 1], h[i + 2], h[i + 3]);
  }
  return key + outpoint.n;
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
    const key = cacheKey(outpoint);
    const entry = this.#entries.get(key);
    if (entry) return entry.coin ?? undefined;
    const coin = this.#db.getCoin(outpoint);
    if (!coin) return undefined;
    this.#entries.set(key, { outpoint, coin, dirty: false, fresh: false });
    this.#usage += coinBytes(coin);
    return coin;
  }

  /** {@inheritDoc CoinsView.spendCoin} */
  spendCoin(outpoint: OutPoint): Coin | undefined {
    const coin = this.getCoin(outpoint);
    if (!coin) return undefined;
    const key = cacheKey(outpoint);
    const entry = this.#entries.get(key)!;
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
    const key = cacheKey(outpoint);
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
    const change = this.#changes.get(cacheKey(outpoint));
    if (change) return change.coin ?? undefined;
    return this.#base.getCoin(outpoint);
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
    const coin = this.#base.getCoin(outpoint);
    if (!coin) return undefined;
    this.#changes.set(key, { outpoint, coin: null, spendsBase: true, possibleOverwrite: false });
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
      coin,
      spendsBase: change?.spendsBase ?? false,
      possibleOverwrite,
    });
  }

  /** Applies the changes to the cache. */
  apply(): void {
    for (const change of this.#changes.values()) {
      if (change.spendsBase) this.#base.spendCoin(change.outpoint);
      if (change.coin) {
        this.#base.addCoin(change.outpoint, change.coin, change.possibleOverwrite);
      }
    }
    this.#changes.clear();
  }
}
