/**
 * Amounts in JSON: exact fixed-point text in, exact 8-decimal text out, never a binary float.
 *
 * @module
 */
import { JsonNumber, type JsonValue } from "./json.ts";
import { RPC_ERROR, RpcError } from "./errors.ts";

/** Kria per FRC. */
export const COIN = 100_000_000n;

/** The largest amount freicoind accepts in a JSON amount (2^53 - 1 kria). */
export const MAX_MONEY = 9_007_199_254_740_991n;

const UPPER_BOUND = 999_999_999_999_999_999n;

/**
 * Writes an amount in kria as freicoind does: sign, whole coins, a point and exactly 8 decimals.
 *
 * @example
 * ```ts
 * import { amountToJson } from "./amount.ts";
 * amountToJson(-5n).text; // "-0.00000005"
 * ```
 */
export function amountToJson(kria: bigint): JsonNumber {
  const negative = kria < 0n;
  const abs = negative ? -kria : kria;
  const whole = abs / COIN;
  const fraction = (abs % COIN).toString().padStart(8, "0");
  return new JsonNumber(`${negative ? "-" : ""}${whole}.${fraction}`);
}

/**
 * Parses decimal text like `1.5`, `-0.1` or `1e-8` into an integer scaled by 10^decimals, with
 * freicoind's `ParseFixedPoint` limits (no more precision than `decimals`, below 10^18).
 * Returns undefined when the text is malformed or out of range.
 */
export function parseFixedPoint(text: string, decimals: number): bigint | undefined {
  const match = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([-+]?)([0-9]+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = "", expSign, expDigits] = match;
  if (expDigits !== undefined && expDigits.length > 18) return undefined;
  const digits = (whole + fraction).replace(/^0+/, "");
  let exponent = decimals;
  if (expDigits !== undefined) exponent += (expSign === "-" ? -1 : 1) * Number(expDigits);
  // Trailing zeros of the mantissa move into the exponent, as in the reference parser; a zero
  // mantissa absorbs all of its fraction digits that way.
  const significant = digits.replace(/0+$/, "");
  if (significant !== "") exponent += digits.length - significant.length - fraction.length;
  if (significant.length > 18) return undefined;
  if (exponent < 0 || exponent >= 18) return undefined;
  let mantissa = significant === "" ? 0n : BigInt(significant);
  mantissa *= 10n ** BigInt(exponent);
  if (mantissa > UPPER_BOUND) return undefined;
  return sign === "-" ? -mantissa : mantissa;
}

/**
 * Reads an amount from a JSON number or string (freicoind's `AmountFromValue`), throwing
 * freicoind's -3 errors: "Amount is not a number or string", "Invalid amount",
 * "Amount out of range".
 *
 * @example
 * ```ts
 * import { amountFromJson } from "./amount.ts";
 * import { JsonNumber } from "./json.ts";
 * amountFromJson(new JsonNumber("0.1")); // 10000000n
 * ```
 */
export function amountFromJson(value: JsonValue | undefined, decimals = 8): bigint {
  let text: string;
  if (typeof value === "string") text = value;
  else if (value instanceof JsonNumber) text = value.text;
  else if (typeof value === "bigint") text = value.toString();
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else throw new RpcError(RPC_ERROR.TYPE_ERROR, "Amount is not a number or string");
  const amount = parseFixedPoint(text, decimals);
  if (amount === undefined) throw new RpcError(RPC_ERROR.TYPE_ERROR, "Invalid amount");
  if (amount < 0n || amount > MAX_MONEY) {
    throw new RpcError(RPC_ERROR.TYPE_ERROR, "Amount out of range");
  }
  return amount;
}
