/**
 * `FeeFilterRounder` (src/policy/fees.cpp): the fee filter a node announces is quantized to
 * buckets spaced by 10% from half the minimum relay fee up to 10^7 kria/kvB, and rounded down a
 * bucket two times out of three, so the exact mempool minimum fee does not fingerprint the node.
 * During initial block download the filter is MAX_MONEY, which rounds to the top bucket
 * (9,170,997 kria/kvB with the default 1,000 kria/kvB minimum).
 *
 * @module
 */

/** Highest bucket boundary (`MAX_FILTER_FEERATE`). */
const MAX_FILTER_FEERATE = 1e7;
/** Ratio between bucket boundaries (`FEE_FILTER_SPACING`). */
const FEE_FILTER_SPACING = 1.1;

/** Rounds fee filters to freicoind's buckets. */
export class FeeFilterRounder {
  readonly #buckets: number[];
  readonly #random: () => number;

  /**
   * Buckets for a minimum relay fee of `minRelayFeeRate` kria/kvB (freicoind builds them from
   * `DEFAULT_MIN_RELAY_TX_FEE`, 1,000); `random` in [0, 1) picks the rounding.
   */
  constructor(minRelayFeeRate = 1000n, random: () => number = Math.random) {
    const lowest = Math.max(1, Number(minRelayFeeRate / 2n));
    this.#buckets = [0];
    for (let boundary = lowest; boundary <= MAX_FILTER_FEERATE; boundary *= FEE_FILTER_SPACING) {
      this.#buckets.push(boundary);
    }
    this.#random = random;
  }

  /**
   * `round`: the first bucket at or above `fee`, or (two times in three, and always above the
   * top) the bucket below it.
   */
  round(fee: bigint): bigint {
    const value = Number(fee);
    let index = this.#buckets.findIndex((boundary) => boundary >= value);
    if (index < 0) index = this.#buckets.length - 1;
    else if (index > 0 && Math.floor(this.#random() * 3) !== 0) index--;
    return BigInt(Math.trunc(this.#buckets[index]));
  }
}
