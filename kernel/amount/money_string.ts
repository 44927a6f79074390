import { COIN, moneyRange } from "./amount.ts";
import { formatAmount } from "./format_amount.ts";

/**
 * Formats kria the way log lines and reject messages do (FormatMoney): like
 * {@link formatAmount} but with trailing zeros trimmed down to two decimals.
 *
 * @example
 * ```ts
 * import { formatMoney } from "./money_string.ts";
 * console.assert(formatMoney(150_000_000n) === "1.50");
 * console.assert(formatMoney(-1n) === "-0.00000001");
 * ```
 */
export function formatMoney(value: bigint): string {
  const text = formatAmount(value);
  // Keep at least two decimals: trim while the character two back is a digit.
  let end = text.length;
  while (text[end - 1] === "0" && text[end - 3] !== ".") end--;
  return text.slice(0, end);
}

// TrimString's default set: space, \f, \n, \r, \t, \v.
const TRIM = /^[ \f\n\r\t\v]+|[ \f\n\r\t\v]+$/g;

/**
 * Parses an FRC amount given on the command line or in the config file
 * (ParseMoney): optional surrounding whitespace, digits, an optional point
 * and at most 8 decimals; no sign, no exponent, at most 10 whole digits,
 * within MAX_MONEY. Returns null when invalid.
 *
 * @example
 * ```ts
 * import { parseMoney } from "./money_string.ts";
 * console.assert(parseMoney(" 0.0001 ") === 10_000n);
 * console.assert(parseMoney("1e-4") === null);
 * ```
 */
export function parseMoney(text: string): bigint | null {
  if (text.includes("\0")) return null;
  const trimmed = text.replace(TRIM, "");
  if (trimmed === "") return null;
  const match = /^([0-9]*)(?:\.([0-9]{0,8}))?$/.exec(trimmed);
  if (!match) return null;
  const whole = match[1];
  if (whole.length > 10) return null; // the reference's guard against overflow
  const fraction = (match[2] ?? "").padEnd(8, "0");
  const value = BigInt(whole === "" ? "0" : whole) * COIN + BigInt(fraction);
  return moneyRange(value) ? value : null;
}
