import { COIN } from "./amount.ts";

/**
 * Formats kria as an FRC decimal with exactly 8 decimals, sign-aware, as the
 * RPC layer prints amounts (ValueFromAmount).
 *
 * @example
 * ```ts
 * import { formatAmount } from "./format_amount.ts";
 * console.assert(formatAmount(5_000_000_000n) === "50.00000000");
 * console.assert(formatAmount(-1n) === "-0.00000001");
 * ```
 */
export function formatAmount(value: bigint): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const whole = magnitude / COIN;
  const fraction = (magnitude % COIN).toString().padStart(8, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}
