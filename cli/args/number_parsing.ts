/**
 * freicoind's lenient number and boolean reading of option values (`atoi` semantics).
 *
 * @module
 */

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * Reads the leading integer of `text` as C's `atoi` would, saturating at the int64 limits:
 * surrounding whitespace and one leading `+` are allowed, anything unparsable is 0.
 *
 * @example
 * ```ts
 * import { atoi64 } from "./number_parsing.ts";
 * atoi64(" 12abc"); // 12n
 * atoi64("abc"); // 0n
 * ```
 */
export function atoi64(text: string): bigint {
  let s = text.trim();
  if (s.startsWith("+")) {
    if (s.startsWith("+-")) return 0n;
    s = s.slice(1);
  }
  const match = /^-?[0-9]+/.exec(s);
  if (!match) return 0n;
  const value = BigInt(match[0]);
  if (value > INT64_MAX) return INT64_MAX;
  if (value < INT64_MIN) return INT64_MIN;
  return value;
}

/** freicoind's `InterpretBool`: an empty value is true, otherwise the leading integer is non-zero. */
export function interpretBool(text: string): boolean {
  if (text === "") return true;
  return atoi64(text) !== 0n;
}
