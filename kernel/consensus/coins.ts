/**
 * Unspent outputs (`Coin`, src/coins.h) and the coins-view interface consensus code reads and
 * writes. Storage lives in the node; an in-memory view and a discardable overlay are here for
 * block connection, tests and tools.
 */

import { timeAdjustValue } from "../amount/demurrage.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import type { Transaction } from "../primitives/transaction.ts";
import type { TxOut } from "../primitives/tx_out.ts";
import { MAX_SCRIPT_SIZE } from "../script/script.ts";

/** An unspent transaction output with its metadata. */
export interface Coin {
  /** The output (reference value and scriptPubKey). */
  readonly output: TxOut;
  /** Height of the block that created it. */
  readonly height: number;
  /** Whether the creating transaction was a coinbase. */
  readonly isCoinBase: boolean;
  /** lock_height of the creating transaction: the reference height for demurrage. */
  readonly refheight: number;
}

/** Options for present-value computation. */
export interface PresentValueOptions {
  /** Regtest `-bitcoinmode`: no demurrage. */
  readonly bitcoinMode?: boolean;
}

/**
 * Value of a coin at `height` (`Coin::GetPresentValue`): the reference value decayed from the
 * coin's refheight.
 *
 * @example
 * ```ts
 * import { coinPresentValue } from "./coins.ts";
 * import { TxOut } from "../primitives/tx_out.ts";
 * const coin = { output: new TxOut(5_000_000_000n, new Uint8Array()), height: 1, isCoinBase: true, refheight: 1 };
 * console.assert(coinPresentValue(coin, 145) === 4_999_313_401n);
 * ```
 */
export function coinPresentValue(
  coin: Coin,
  height: number,
  options: PresentValueOptions = {},
): bigint {
  return timeAdjustValue(coin.output.value, height - coin.refheight, {
    disableTimeAdjust: options.bitcoinMode ?? false,
  });
}

/** `CScript::IsUnspendable`: starts with OP_RETURN or is longer than MAX_SCRIPT_SIZE. */
export function isUnspendableScript(script: Uint8Array): boolean {
  return (script.length > 0 && script[0] === 0x6a) || script.length > MAX_SCRIPT_SIZE;
}

/**
 * A compact map key for an outpoint: the 32 txid bytes packed two per UTF-16 code unit, then
 * the index in decimal. Unique per outpoint; not meant for display or ordering.
 */
export function outpointKey(outpoint: OutPoint): string {
  const h = outpoint.hash;
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
  ) + outpoint.n;
}

/** The coins a consensus check reads and changes. */
export interface CoinsView {
  /** The unspent coin at `outpoint`, or undefined. */
  getCoin(outpoint: OutPoint): Coin | undefined;
  /** Removes and returns the coin at `outpoint`; undefined when it is absent. */
  spendCoin(outpoint: OutPoint): Coin | undefined;
  /**
   * Adds a coin (`AddCoin`). Coins with unspendable scripts are never stored. Replacing an
   * existing coin is allowed only when `possibleOverwrite`.
   */
  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void;
}

/**
 * `AddCoins`: adds every output of `tx` at `height`. Coinbase outputs may overwrite (the
 * reference allows it for the pre-BIP30 duplicates; Freicoin never produces any).
 */
export function addCoins(view: CoinsView, tx: Transaction, height: number): void {
  const isCoinBase = tx.isCoinBase();
  const txid = tx.txid;
  for (let n = 0; n < tx.outputs.length; n++) {
    view.addCoin(new OutPoint(txid, n), {
      output: tx.outputs[n],
      height,
      isCoinBase,
      refheight: tx.lockHeight,
    }, isCoinBase);
  }
}

/** Entry of {@link MemoryCoinsView.entries}. */
export interface CoinEntry {
  readonly outpoint: OutPoint;
  readonly coin: Coin;
}

/**
 * A whole UTXO set in memory: a Map keyed by {@link outpointKey}.
 *
 * @example
 * ```ts
 * import { MemoryCoinsView } from "./coins.ts";
 * import { OutPoint } from "../primitives/outpoint.ts";
 * import { TxOut } from "../primitives/tx_out.ts";
 * const view = new MemoryCoinsView();
 * const at = new OutPoint(new Uint8Array(32).fill(1), 0);
 * view.addCoin(at, { output: new TxOut(1n, new Uint8Array([0x51])), height: 1, isCoinBase: false, refheight: 1 }, false);
 * console.assert(view.spendCoin(at)?.output.value === 1n && view.size === 0);
 * ```
 */
export class MemoryCoinsView implements CoinsView {
  readonly #coins = new Map<string, CoinEntry>();

  /** Number of unspent coins. */
  get size(): number {
    return this.#coins.size;
  }

  /** {@inheritDoc CoinsView.getCoin} */
  getCoin(outpoint: OutPoint): Coin | undefined {
    return this.#coins.get(outpointKey(outpoint))?.coin;
  }

  /** {@inheritDoc CoinsView.spendCoin} */
  spendCoin(outpoint: OutPoint): Coin | undefined {
    const key = outpointKey(outpoint);
    const entry = this.#coins.get(key);
    if (entry) this.#coins.delete(key);
    return entry?.coin;
  }

  /** {@inheritDoc CoinsView.addCoin} */
  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void {
    if (isUnspendableScript(coin.output.scriptPubKey)) return;
    const key = outpointKey(outpoint);
    if (!possibleOverwrite && this.#coins.has(key)) {
      throw new Error("Attempted to overwrite an unspent coin (when possible_overwrite is false)");
    }
    this.#coins.set(key, { outpoint, coin });
  }

  /** All unspent coins, in insertion order. */
  entries(): IterableIterator<CoinEntry> {
    return this.#coins.values();
  }
}

/**
 * A discardable layer over another view (the role of a scratch `CCoinsViewCache`): reads fall
 * through, writes stay here until {@link CoinsViewOverlay.flush}. Connect a block into an
 * overlay and drop it if the block is invalid.
 */
export class CoinsViewOverlay implements CoinsView {
  readonly #base: CoinsView;
  /** Added or replaced coins; `null` marks a coin spent in this layer. */
  readonly #changes = new Map<string, { outpoint: OutPoint; coin: Coin | null }>();

  /** Creates an empty layer over `base`. */
  constructor(base: CoinsView) {
    this.#base = base;
  }

  /** {@inheritDoc CoinsView.getCoin} */
  getCoin(outpoint: OutPoint): Coin | undefined {
    const change = this.#changes.get(outpointKey(outpoint));
    if (change) return change.coin ?? undefined;
    return this.#base.getCoin(outpoint);
  }

  /** {@inheritDoc CoinsView.spendCoin} */
  spendCoin(outpoint: OutPoint): Coin | undefined {
    const coin = this.getCoin(outpoint);
    if (coin) this.#changes.set(outpointKey(outpoint), { outpoint, coin: null });
    return coin;
  }

  /** {@inheritDoc CoinsView.addCoin} */
  addCoin(outpoint: OutPoint, coin: Coin, possibleOverwrite: boolean): void {
    if (isUnspendableScript(coin.output.scriptPubKey)) return;
    if (!possibleOverwrite && this.getCoin(outpoint)) {
      throw new Error("Attempted to overwrite an unspent coin (when possible_overwrite is false)");
    }
    this.#changes.set(outpointKey(outpoint), { outpoint, coin });
  }

  /** Applies this layer's changes to the base view and empties the layer. */
  flush(): void {
    for (const { outpoint, coin } of this.#changes.values()) {
      if (coin === null) {
        this.#base.spendCoin(outpoint);
      } else {
        this.#base.spendCoin(outpoint);
        this.#base.addCoin(outpoint, coin, true);
      }
    }
    this.#changes.clear();
  }
}
