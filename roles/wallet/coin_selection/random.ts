/**
 * The randomness coin selection draws on (knapsack passes, single random draw, the change
 * target), passed in so tests can use a fixed sequence.
 *
 * @module
 */

/** A source of uniform random integers (`FastRandomContext`). */
export interface SelectionRandom {
  /** A uniform integer in [0, below); 0 when `below` ≤ 1. */
  randomInt(below: number): number;
  /** A fair coin flip. */
  randomBool(): boolean;
}

/** Randomness from the platform's CSPRNG, as a wallet uses it. */
export const cryptoRandom: SelectionRandom = {
  randomInt(below: number): number {
    if (below <= 1) return 0;
    // Rejection sampling keeps the draw uniform for any bound below 2^32.
    const limit = Math.floor(0x1_0000_0000 / below) * below;
    const word = new Uint32Array(1);
    do crypto.getRandomValues(word); while (word[0] >= limit);
    return word[0] % below;
  },
  randomBool(): boolean {
    return (crypto.getRandomValues(new Uint8Array(1))[0] & 1) === 1;
  },
};

/**
 * A deterministic generator (xorshift32) for tests and benchmarks.
 *
 * @example
 * ```ts
 * import { seededRandom } from "./random.ts";
 * const a = seededRandom(7), b = seededRandom(7);
 * if (a.randomInt(100) !== b.randomInt(100)) throw new Error("not repeatable");
 * ```
 */
export function seededRandom(seed: number): SelectionRandom {
  let state = (seed >>> 0) || 0x9e3779b9;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return {
    randomInt: (below) => below <= 1 ? 0 : next() % below,
    randomBool: () => (next() & 1) === 1,
  };
}

/** Fisher-Yates shuffle in place (`Shuffle`). */
export function shuffleInPlace<T>(items: T[], random: SelectionRandom): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
