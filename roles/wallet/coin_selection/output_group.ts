/**
 * The units coin selection works with (`COutput`, `OutputGroup`, `CoinEligibilityFilter` in
 * `src/wallet/coinselection.h`). On Freicoin every amount here is already demurrage-adjusted
 * to the spend's reference height (its lock_height), so coins created at different heights
 * compare fairly; the group remembers that height and refuses a coin valued at another one.
 *
 * @module
 */

/** One spendable coin as selection sees it. */
export interface SelectionCoin {
  /** Identity of the coin ("txid:n"); a selection never holds the same key twice. */
  readonly key: string;
  /** Height `value` is adjusted to (the spend's lock_height). */
  readonly atHeight: number;
  /** Present value at `atHeight`, in kria. */
  readonly value: bigint;
  /** Virtual size of the signed input, or -1 when unknown (then it costs nothing). */
  readonly inputBytes: number;
  /** Fee to spend it now, at the transaction's fee rate. */
  readonly fee: bigint;
  /** Fee to spend it later, at the long-term (consolidation) fee rate. */
  readonly longTermFee: bigint;
  readonly depth: number;
  /** Whether the wallet created the transaction that made this coin (`CachedTxIsFromMe`). */
  readonly fromMe: boolean;
}

/** `CFeeRate::GetFee`: rate (kria per 1000 vbytes) × size, rounded up; never 0 for a positive rate. */
export function feeAtRate(ratePerKvB: bigint, vsize: number): bigint {
  const size = BigInt(vsize);
  const fee = (ratePerKvB * size + 999n) / 1000n;
  return fee === 0n && size !== 0n && ratePerKvB > 0n ? 1n : fee;
}

/** Describes a coin for selection, with its fees at the current and long-term rates. */
export function selectionCoin(
  coin: {
    key: string;
    atHeight: number;
    value: bigint;
    inputBytes: number;
    depth: number;
    fromMe: boolean;
  },
  rates: { feeRate: bigint; longTermFeeRate: bigint },
): SelectionCoin {
  const known = coin.inputBytes >= 0;
  return {
    ...coin,
    fee: known ? feeAtRate(rates.feeRate, coin.inputBytes) : 0n,
    longTermFee: known ? feeAtRate(rates.longTermFeeRate, coin.inputBytes) : 0n,
  };
}

/** Value left after paying for the coin's own input. */
export function effectiveValue(coin: SelectionCoin): bigint {
  return coin.value - coin.fee;
}

/** Which groups one selection pass may use (`CoinEligibilityFilter`). */
export interface EligibilityFilter {
  /** Confirmations needed for coins from our own transactions. */
  readonly confMine: number;
  /** Confirmations needed for coins others sent us. */
  readonly confTheirs: number;
  readonly maxAncestors: number;
  readonly maxDescendants: number;
  /** Whether an incomplete group of a reused address may be spent. */
  readonly includePartialGroups: boolean;
}

/** A filter, with max descendants defaulting to max ancestors as the reference's constructor. */
export function eligibilityFilter(
  confMine: number,
  confTheirs: number,
  maxAncestors: number,
  maxDescendants = maxAncestors,
  includePartialGroups = false,
): EligibilityFilter {
  return { confMine, confTheirs, maxAncestors, maxDescendants, includePartialGroups };
}

/** Weight units per virtual byte. */
export const WITNESS_SCALE_FACTOR = 4;

/**
 * Coins spent together (`OutputGroup`): one coin, or with avoid-partial-spends every coin of
 * one address. Selection algorithms pick whole groups.
 */
export class OutputGroup {
  readonly coins: SelectionCoin[] = [];
  fromMe = true;
  /** Sum of the coins' present values. */
  value = 0n;
  atHeight = 0;
  depth = 999;
  ancestors = 0;
  descendants = 0;
  effectiveValue = 0n;
  fee = 0n;
  longTermFee = 0n;
  weight = 0;
  /** With the fee taken from the outputs, coins count at their full value. */
  readonly subtractFeeOutputs: boolean;

  constructor(subtractFeeOutputs = false) {
    this.subtractFeeOutputs = subtractFeeOutputs;
  }

  /**
   * Adds a coin. `ancestors` adds up (the spend will have them all); `descendants` is the
   * largest seen, as the reference counts it.
   */
  insert(coin: SelectionCoin, ancestors = 0, descendants = 0): void {
    // Coins valued at different heights in one group would lose money: a bug, not bad input.
    if (this.coins.length > 0 && coin.atHeight !== this.atHeight) {
      throw new Error("coin valued at a different reference height than its group");
    }
    if (this.coins.length === 0) this.atHeight = coin.atHeight;
    this.coins.push(coin);
    this.fee += coin.fee;
    this.longTermFee += coin.longTermFee;
    this.effectiveValue += effectiveValue(coin);
    this.fromMe &&= coin.fromMe;
    this.value += coin.value;
    this.depth = Math.min(this.depth, coin.depth);
    this.ancestors += ancestors;
    this.descendants = Math.max(this.descendants, descendants);
    if (coin.inputBytes > 0) this.weight += coin.inputBytes * WITNESS_SCALE_FACTOR;
  }

  /** `EligibleForSpending`. */
  eligibleFor(filter: EligibilityFilter): boolean {
    return this.depth >= (this.fromMe ? filter.confMine : filter.confTheirs) &&
      this.ancestors <= filter.maxAncestors &&
      this.descendants <= filter.maxDescendants;
  }

  /** What the group contributes toward the target (`GetSelectionAmount`). */
  get selectionAmount(): bigint {
    return this.subtractFeeOutputs ? this.value : this.effectiveValue;
  }

  /** Waste of spending the group now rather than later. */
  get excessFee(): bigint {
    return this.fee - this.longTermFee;
  }
}
