import { moneyRange } from "./amount.ts";

/** The largest mantissa ParseFixedPoint handles, 10^18 - 1 (UPPER_BOUND). */
const UPPER_BOUND = 999_999_999_999_999_999n;

/**
 * A JSON value that is not a valid amount. The message is freicoind's:
 * "Amount is not a number or string", "Invalid amount" or
 * "Amount out of range" (all RPC_TYPE_ERROR, -3, at the RPC layer).
 */
export class AmountError extends Error {
  /** Creates the error with one of the messages above. */
  constructor(message: string) {
    super(message);
    this.name = "AmountError";
  }
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/**
 * Parses a decimal string (optionally with an exponent) into an integer scaled
 * by 10^decimals, with the reference's exact grammar and limits
 * (ParseFixedPoint): no leading '+', no leading zeros, at most `decimals`
 * significant fractional digits, |result| < 10^18. Returns null when invalid.
 *
 * @example
 * ```ts
 * import { parseFixedPoint } from "./parse_amount.ts";
 * console.assert(parseFixedPoint("1.5e-3", 8) === 150_000n);
 * console.assert(parseFixedPoint("0.000000001", 8) === null);
 * ```
 */
export function parseFixedPoint(text: string, decimals: number): bigint | null {
  let mantissa = 0n;
  let exponent = 0n;
  let mantissaTrailingZeros = 0;
  let pointOffset = 0;
  let negative = false;
  let exponentNegative = false;
  let at = 0;
  const end = text.length;

  // Trailing zeros are held back so that "1.00000000000" does not overflow.
  const pushDigit = (ch: string): boolean => {
    if (ch === "0") {
      mantissaTrailingZeros++;
      return true;
    }
    for (let i = 0; i <= mantissaTrailingZeros; i++) {
      if (mantissa > UPPER_BOUND / 10n) return false;
      mantissa *= 10n;
    }
    mantissa += BigInt(ch.charCodeAt(0) - 48);
    mantissaTrailingZeros = 0;
    return true;
  };

  if (text[at] === "-") {
    negative = true;
    at++;
  }
  if (at >= end) return null;
  if (text[at] === "0") {
    at++;
  } else if (text[at] >= "1" && text[at] <= "9") {
    for (; isDigit(text[at]); at++) if (!pushDigit(text[at])) return null;
  } else {
    return null;
  }
  if (text[at] === ".") {
    at++;
    if (!isDigit(text[at])) return null;
    for (; isDigit(text[at]); at++, pointOffset++) if (!pushDigit(text[at])) return null;
  }
  if (text[at] === "e" || text[at] === "E") {
    at++;
    if (text[at] === "+") {
      at++;
    } else if (text[at] === "-") {
      exponentNegative = true;
      at++;
    }
    if (!isDigit(text[at])) return null;
    for (; isDigit(text[at]); at++) {
      if (exponent > UPPER_BOUND / 10n) return null;
      exponent = exponent * 10n + BigInt(text.charCodeAt(at) - 48);
    }
  }
  if (at !== end) return null;

  if (exponentNegative) exponent = -exponent;
  exponent = exponent - BigInt(pointOffset) + BigInt(mantissaTrailingZeros) + BigInt(decimals);
  if (negative) mantissa = -mantissa;
  if (exponent < 0n || exponent >= 18n) return null;
  for (let i = 0n; i < exponent; i++) {
    if (mantissa > UPPER_BOUND / 10n || mantissa < -(UPPER_BOUND / 10n)) return null;
    mantissa *= 10n;
  }
  if (mantissa > UPPER_BOUND || mantissa < -UPPER_BOUND) return null;
  return mantissa;
}

/** Options of {@link parseAmount}. */
export interface ParseAmountOptions {
  /** Decimal places of the unit; 8 for FRC (the default), 3 for fee rates in sat/vB. */
  decimals?: number;
}

/**
 * Converts a JSON-RPC amount (a number or a string in FRC) to kria, with
 * freicoind's AmountFromValue rules. Throws {@link AmountError}.
 *
 * A JSON number reaches this function already parsed by JavaScript, so its
 * text is JavaScript's shortest round-trip form (`1e-8`, not `0.00000001`);
 * both forms parse to the same kria. Pass the number's source text as a
 * string when the exact text matters.
 *
 * @example
 * ```ts
 * import { parseAmount } from "./parse_amount.ts";
 * console.assert(parseAmount(0.1) === 10_000_000n);
 * console.assert(parseAmount("21") === 2_100_000_000n);
 * ```
 */
export function parseAmount(value: unknown, options: ParseAmountOptions = {}): bigint {
  let text: string;
  if (typeof value === "string") {
    text = value;
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new AmountError("Invalid amount");
    text = String(value);
  } else if (typeof value === "bigint") {
    text = value.toString();
  } else {
    throw new AmountError("Amount is not a number or string");
  }
  const amount = parseFixedPoint(text, options.decimals ?? 8);
  if (amount === null) throw new AmountError("Invalid amount");
  if (!moneyRange(amount)) throw new AmountError("Amount out of range");
  return amount;
}
