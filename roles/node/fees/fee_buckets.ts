/**
 * The fee-rate buckets of the fee estimator (`buckets` and `bucketMap` in src/policy/fees.cpp):
 * upper bounds spaced by 5% from 1000 kria/kvB to 10^7, then one bucket for everything above.
 *
 * @module
 */

/** The lowest bucket bound, kria per kvB (`MIN_BUCKET_FEERATE`). */
export const MIN_BUCKET_FEERATE = 1000;
/** The highest finite bucket bound (`MAX_BUCKET_FEERATE`). */
export const MAX_BUCKET_FEERATE = 1e7;
/** The ratio between neighbouring bounds (`FEE_SPACING`). */
export const FEE_SPACING = 1.05;
/** The bound of the last bucket, standing for "any higher rate" (`INF_FEERATE`). */
export const INF_FEERATE = 1e99;

/**
 * Bucket upper bounds (inclusive) and the lookup from a fee rate to its bucket.
 *
 * @example
 * ```ts
 * import { FeeBuckets } from "./fee_buckets.ts";
 * const buckets = FeeBuckets.standard();
 * console.assert(buckets.indexOf(1000) === 0 && buckets.indexOf(1001) === 1);
 * ```
 */
export class FeeBuckets {
  /** Upper bounds by bucket index, as stored in fee_estimates.dat. */
  readonly bounds: readonly number[];
  /** Distinct bounds in ascending order with the bucket index each maps to (`bucketMap`). */
  readonly #sortedBounds: number[];
  readonly #sortedIndexes: number[];

  /** Buckets with these upper bounds (a file's bounds are taken as they are). */
  constructor(bounds: readonly number[]) {
    this.bounds = Object.freeze([...bounds]);
    // Like a std::map filled in index order: a repeated bound keeps its last index.
    const map = new Map<number, number>();
    bounds.forEach((bound, index) => map.set(bound, index));
    const keys = [...map.keys()].sort((a, b) => a - b);
    this.#sortedBounds = keys;
    this.#sortedIndexes = keys.map((key) => map.get(key)!);
  }

  /** freicoind's buckets: 1000 × 1.05^n up to 10^7, then {@link INF_FEERATE}. */
  static standard(): FeeBuckets {
    const bounds: number[] = [];
    // Repeated multiplication, exactly as the reference computes the bounds, so that files
    // written by either implementation carry bit-identical values.
    for (let bound = MIN_BUCKET_FEERATE; bound <= MAX_BUCKET_FEERATE; bound *= FEE_SPACING) {
      bounds.push(bound);
    }
    bounds.push(INF_FEERATE);
    return new FeeBuckets(bounds);
  }

  /** Number of buckets. */
  get size(): number {
    return this.bounds.length;
  }

  /**
   * The bucket of a fee rate: the one with the smallest bound ≥ `feeRate`
   * (`bucketMap.lower_bound`); a rate above every bound falls in the highest.
   */
  indexOf(feeRate: number): number {
    const keys = this.#sortedBounds;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (keys[mid] < feeRate) low = mid + 1;
      else high = mid;
    }
    return this.#sortedIndexes[Math.min(low, keys.length - 1)];
  }
}
