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

/** Random words drawn from the CSPRNG in batches: knapsack flips millions of coins. */
class BufferedCryptoRandom implements SelectionRandom {
  readonly #words = new Uint32Array(1024);
  #next = this.#words.length;
  #bits = 0;
  #bitsLeft = 0;

  #word(): number {
    if (this.#next === this.#words.length) {
      crypto.getRandomValues(this.#words);
      this.#next = 0;
    }
    return this.#words[this.#next++];
  }

  randomInt(below: number): number {
    if (below <= 1) return 0;
    // Rejection sampling keeps the draw uniform for any bound below 2^32.
    const limit = Math.floor(0x1_0000_0000 / below) * below;
    let word = this.#word();
    while (word >= limit) word = this.#word();
    return word % below;
  }

  randomBool(): boolean {
    if (this.#bitsLeft === 0) {
      this.#bits = this.#word();
      this.#bitsLeft = 32;
    }
    const bit = this.#bits & 1;
    this.#bits >>>= 1;
    this.#bitsLeft--;
    return bit === 1;
  }
}

/** Randomness from the platform's CSPRNG, as a wallet uses it. */
export const cryptoRandom: SelectionRandom = new BufferedCryptoRandom();

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
