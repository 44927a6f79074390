/**
 * The outcome of coin selection (`SelectionResult` in `src/wallet/coinselection.cpp`): the
 * chosen coins, the target they were chosen for, and the waste metric used to pick among
 * algorithms.
 *
 * @module
 */
import { effectiveValue, type OutputGroup, type SelectionCoin } from "./output_group.ts";
import { type SelectionRandom, shuffleInPlace } from "./random.ts";

/** The algorithms, named as freicoind logs them (`GetAlgorithmName`). */
export type SelectionAlgorithm = "bnb" | "knapsack" | "srd" | "cg" | "manual";

/** A failed selection: `message` is empty for plain "Insufficient funds". */
export class SelectionFailure {
  readonly message: string;
  constructor(message = "") {
    this.message = message;
  }
}

/** freicoind's text when every selection would be too heavy for a standard transaction. */
export const MAX_WEIGHT_EXCEEDED = "The inputs size exceeds the maximum weight. " +
  "Please try sending a smaller amount or manually consolidating your wallet's UTXOs";

/** Either a result or why there is none. */
export type SelectionOutcome = SelectionResult | SelectionFailure;

/** Coins chosen by one algorithm for one target. */
export class SelectionResult {
  readonly #coins = new Map<string, SelectionCoin>();
  #atHeight = 0;
  #target: bigint;
  #algorithm: SelectionAlgorithm;
  #useEffective = false;
  #waste: bigint | null = null;
  #weight = 0;
  /** Whether the algorithm searched its whole space (CoinGrinder may stop at its try limit). */
  algorithmCompleted = true;
  /** How many selections the algorithm looked at. */
  selectionsEvaluated = 0;

  constructor(target: bigint, algorithm: SelectionAlgorithm) {
    this.#target = target;
    this.#algorithm = algorithm;
  }

  get target(): bigint {
    return this.#target;
  }
  get algorithm(): SelectionAlgorithm {
    return this.#algorithm;
  }
  get weight(): number {
    return this.#weight;
  }
  /** The chosen coins (insertion order). */
  get coins(): SelectionCoin[] {
    return [...this.#coins.values()];
  }
  /** Whether coins count net of their input fees (false when the fee comes from the outputs). */
  get usesEffectiveValue(): boolean {
    return this.#useEffective;
  }

  #insert(coins: readonly SelectionCoin[]): void {
    for (const coin of coins) {
      if (this.#coins.size === 0 && this.#atHeight === 0) this.#atHeight = coin.atHeight;
      if (coin.atHeight !== this.#atHeight) {
        throw new Error("coins valued at different reference heights in one selection");
      }
      // "Shared UTXOs among selection results" is a bug in the caller, never user input.
      if (this.#coins.has(coin.key)) throw new Error(`coin ${coin.key} selected twice`);
      this.#coins.set(coin.key, coin);
    }
  }

  /** Adds every coin of a group (`AddInput`). */
  addGroup(group: OutputGroup): void {
    this.#insert(group.coins);
    this.#useEffective = !group.subtractFeeOutputs;
    this.#weight += group.weight;
  }

  /** Adds preselected coins (`AddInputs`). */
  addCoins(coins: readonly SelectionCoin[], subtractFeeOutputs: boolean): void {
    this.#insert(coins);
    this.#useEffective = !subtractFeeOutputs;
    for (const coin of coins) this.#weight += Math.max(coin.inputBytes, 0) * 4;
  }

  /** Takes in another result's coins and target (`Merge`). */
  merge(other: SelectionResult): void {
    this.#insert(other.coins);
    this.#target += other.#target;
    this.#useEffective ||= other.#useEffective;
    if (this.#algorithm === "manual") this.#algorithm = other.#algorithm;
    this.#weight += other.#weight;
  }

  /** Drops every coin (`Clear`). */
  clear(): void {
    this.#coins.clear();
    this.#waste = null;
    this.#weight = 0;
  }

  /** Sum of the coins' present values. */
  get selectedValue(): bigint {
    let sum = 0n;
    for (const coin of this.#coins.values()) sum += coin.value;
    return sum;
  }

  /** Sum of the coins' values net of their input fees. */
  get selectedEffectiveValue(): bigint {
    let sum = 0n;
    for (const coin of this.#coins.values()) sum += effectiveValue(coin);
    return sum;
  }

  /**
   * The change this selection leaves (`GetChange`), or 0 when it would be below
   * `minViableChange` (then it goes to the fee).
   */
  change(minViableChange: bigint, changeFee: bigint): bigint {
    const change = this.#useEffective
      ? this.selectedEffectiveValue - this.#target - changeFee
      : this.selectedValue - this.#target;
    return change < minViableChange ? 0n : change;
  }

  /** Sets the waste for a transaction with or without change (`ComputeAndSetWaste`). */
  computeWaste(minViableChange: bigint, changeCost: bigint, changeFee: bigint): void {
    if (this.#coins.size === 0) throw new Error("waste of an empty selection");
    let waste = 0n;
    for (const coin of this.#coins.values()) waste += coin.fee - coin.longTermFee;
    if (this.change(minViableChange, changeFee) > 0n) {
      waste += changeCost;
    } else {
      // Without change, whatever exceeds the target is given to the miner.
      const selected = this.#useEffective ? this.selectedEffectiveValue : this.selectedValue;
      waste += selected - this.#target;
    }
    this.#waste = waste;
  }

  /** The waste metric; computed first by {@link computeWaste}. */
  get waste(): bigint {
    if (this.#waste === null) throw new Error("waste read before it was computed");
    return this.#waste;
  }

  /** Ordering used to pick the best result: less waste, then more inputs (`operator<`). */
  isBetterThan(other: SelectionResult): boolean {
    return this.waste < other.waste ||
      (this.waste === other.waste && this.#coins.size > other.#coins.size);
  }

  /** The coins in random order, as they go into the transaction. */
  shuffledCoins(random: SelectionRandom): SelectionCoin[] {
    return shuffleInPlace(this.coins, random);
  }
}
