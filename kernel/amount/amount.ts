/** Kria per FRC (COIN). Amounts are `bigint` kria everywhere in the kernel. */
export const COIN = 100_000_000n;

/**
 * The largest valid single value or running sum, 2^53 - 1 kria (MAX_MONEY).
 * A sanity bound, not the money supply (which exceeds it in Freicoin).
 */
export const MAX_MONEY = 9_007_199_254_740_991n;

/**
 * True when `value` is in [0, MAX_MONEY] (MoneyRange).
 *
 * @example
 * ```ts
 * import { MAX_MONEY, moneyRange } from "./amount.ts";
 * console.assert(moneyRange(MAX_MONEY) && !moneyRange(-1n));
 * ```
 */
export function moneyRange(value: bigint): boolean {
  return value >= 0n && value <= MAX_MONEY;
}
