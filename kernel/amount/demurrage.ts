import { MAX_MONEY } from "./amount.ts";
import { FORWARD_LADDER, LADDER_SIZE, REVERSE_LADDER } from "./_demurrage_ladders.ts";
import { timeAdjustMagnitudeForward } from "./_demurrage_number.ts";

// Demurrage arithmetic of src/consensus/amount.cpp, reproduced operation by
// operation: the ladders, the order of the partial products, the truncations
// and the 64-bit wrap-around all change results by a kria here and there, and
// the results are consensus.

const MASK64 = 0xffffffffffffffffn;
const MASK32 = 0xffffffffn;
const MAX_DISTANCE = 1 << LADDER_SIZE;
const INT64_MIN = -(1n << 63n);
const INT64_LIMIT = 1n << 63n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The reference's 64-bit multiply-accumulate with explicit carry counting:
 * `term` adds with wrap-around and counts carries, `shift32` moves the carries
 * into the top half as it shifts the sum down 32 bits.
 */
class Accumulator {
  sum = 0n;
  overflow = 0n;

  set(value: bigint): void {
    this.sum = value & MASK64;
    this.overflow = 0n;
  }

  term(value: bigint): void {
    const next = (this.sum + (value & MASK64)) & MASK64;
    if (next < this.sum) this.overflow += 1n;
    this.sum = next;
  }

  shift32(): void {
    this.sum = (((this.overflow << 32n) & MASK64) + (this.sum >> 32n)) & MASK64;
    this.overflow = 0n;
  }
}

function magnitude(value: bigint): bigint {
  // std::abs on int64, then viewed as uint64 (abs(INT64_MIN) stays 2^63).
  return (value < 0n ? -value : value) & MASK64;
}

function signOf(value: bigint): bigint {
  return value > 0n ? 1n : value < 0n ? -1n : 0n;
}

function checkInt64(value: bigint): void {
  if (value < INT64_MIN || value >= INT64_LIMIT) throw new RangeError("amount is not an int64");
}

function checkDistance(distance: number): void {
  if (!Number.isInteger(distance) || distance < 0) {
    throw new RangeError("demurrage distance must be a non-negative integer");
  }
}

/**
 * Decays `value` over `distance` blocks by (1 - 2^-20) per block
 * (TimeAdjustValueForward), bit-exact with the reference's integer ladder.
 * Negative values decay in magnitude. Distances of 2^26 or more give 0.
 *
 * @example
 * ```ts
 * import { timeAdjustValueForward } from "./demurrage.ts";
 * console.assert(timeAdjustValueForward(100_000_000n, 1) === 99_999_904n);
 * ```
 */
export function timeAdjustValueForward(value: bigint, distance: number): bigint {
  checkInt64(value);
  checkDistance(distance);
  if (distance === 0) return value;
  if (distance >= MAX_DISTANCE) return 0n;
  // Every amount within MAX_MONEY (2^53 - 1) takes the exact Number path,
  // which allocates one BigInt (the result) instead of dozens.
  if (value >= -MAX_SAFE && value <= MAX_SAFE) {
    const number = Number(value);
    const decayed = timeAdjustMagnitudeForward(Math.abs(number), distance);
    if (decayed >= 0) return BigInt(number < 0 ? -decayed : decayed);
  }
  return timeAdjustValueForwardBigInt(value, distance);
}

/**
 * {@link timeAdjustValueForward} computed entirely in BigInt words, operation
 * by operation as the reference does: the specification the faster Number
 * path is tested against, and the path for values beyond 2^53.
 */
export function timeAdjustValueForwardBigInt(value: bigint, distance: number): bigint {
  checkInt64(value);
  checkDistance(distance);
  if (distance === 0) return value;
  if (distance >= MAX_DISTANCE) return 0n;
  const sign = signOf(value);
  const v = magnitude(value);

  const acc = new Accumulator();
  let w0 = 0n; // high 32 fractional bits
  let w1 = 0n; // low 32 fractional bits
  let first = true;
  for (let bit = 0, d = distance; d !== 0; d >>>= 1, bit++) {
    if ((d & 1) === 0) continue;
    const [k0, k1] = FORWARD_LADDER[bit];
    if (first) {
      first = false;
      w0 = k0;
      w1 = k1;
      continue;
    }
    // Three partial products; k1*w1 is never computed (truncated away).
    acc.set(k1 * w0);
    acc.term(k0 * w1);
    acc.shift32();
    acc.term(k0 * w0);
    const low = acc.sum & MASK32;
    acc.shift32();
    w0 = acc.sum & MASK32;
    w1 = low;
  }

  const v0 = v >> 32n;
  const v1 = v & MASK32;
  acc.set(((w1 * v1) & MASK64) >> 32n);
  acc.term(w1 * v0);
  acc.term(w0 * v1);
  acc.shift32();
  acc.term(w0 * v0);
  return BigInt.asIntN(64, sign * BigInt.asIntN(64, acc.sum));
}

/**
 * Inverse demurrage: grows `value` over `distance` blocks by
 * 1 / (1 - 2^-20) per block (TimeAdjustValueReverse), bit-exact. Results
 * beyond MAX_MONEY (and distances of 2^26 or more) give ±MAX_MONEY; 0 stays 0.
 *
 * @example
 * ```ts
 * import { timeAdjustValueReverse } from "./demurrage.ts";
 * console.assert(timeAdjustValueReverse(100_000_000n, 1) === 100_000_095n);
 * ```
 */
export function timeAdjustValueReverse(value: bigint, distance: number): bigint {
  checkInt64(value);
  checkDistance(distance);
  const sign = signOf(value);
  const v = magnitude(value);
  if (v === 0n) return 0n;
  const overflowResult = sign * MAX_MONEY;
  if (distance >= MAX_DISTANCE) return overflowResult;

  const acc = new Accumulator();
  let w: [bigint, bigint, bigint, bigint] = [0n, 1n, 0n, 0n];
  let first = true;
  for (let bit = 0, d = distance; d !== 0; d >>>= 1, bit++) {
    if ((d & 1) === 0) continue;
    const [k0, k1, k2, k3] = REVERSE_LADDER[bit];
    if (first) {
      first = false;
      w = [k0, k1, k2, k3];
      continue;
    }
    const [w0, w1, w2, w3] = w;
    const last = bit === LADDER_SIZE - 1;
    acc.set(k3 * w2);
    acc.term(k2 * w3);
    acc.shift32();

    acc.term(k3 * w1);
    acc.term(k2 * w2);
    acc.term(k1 * w3);
    const n3 = acc.sum & MASK32;
    acc.shift32();

    if (last) {
      acc.term(k3 * w0);
      acc.term(k0 * w3);
    }
    acc.term(k2 * w1);
    acc.term(k1 * w2);
    const n2 = acc.sum & MASK32;
    acc.shift32();

    if (last) {
      acc.term(k2 * w0);
      acc.term(k0 * w2);
    }
    acc.term(k1 * w1);
    const n1 = acc.sum & MASK32;
    acc.shift32();

    if (last) {
      acc.term(k1 * w0);
      acc.term(k0 * w1);
    }
    const n0 = acc.sum & MASK32;
    w = [n0, n1, n2, n3];
    // Only the top ladder entry can overflow the 64.64 accumulator.
    if (last) {
      acc.shift32();
      if (acc.sum !== 0n || w0 !== 0n) return overflowResult;
    }
  }

  const v0 = v >> 32n;
  const v1 = v & MASK32;
  acc.set(((v1 * w[3]) & MASK64) >> 32n);
  acc.term(v1 * w[2]);
  acc.term(v0 * w[3]);
  acc.shift32();

  acc.term(v1 * w[1]);
  acc.term(v0 * w[2]);
  const r1 = acc.sum & MASK32;
  acc.shift32();

  acc.term(v1 * w[0]);
  acc.term(v0 * w[1]);
  const r0 = acc.sum & MASK32;
  acc.shift32();

  if (acc.sum !== 0n || (v0 !== 0n && w[0] !== 0n)) return overflowResult;
  const result = BigInt.asIntN(64, (r0 << 32n) | r1);
  if (result > MAX_MONEY) return overflowResult;
  return BigInt.asIntN(64, sign * result);
}

/** Options of {@link timeAdjustValue}. */
export interface TimeAdjustOptions {
  /**
   * Return values unchanged, as regtest's `-bitcoinmode` does (the reference's
   * `disable_time_adjust` global). Default: false.
   */
  disableTimeAdjust?: boolean;
}

/**
 * The value of `value` kria, created at some reference height, seen
 * `relativeDepth` blocks later (GetTimeAdjustedValue): forward decay for a
 * non-negative depth, inverse demurrage for a negative one.
 *
 * @example
 * ```ts
 * import { timeAdjustValue } from "./demurrage.ts";
 * console.assert(timeAdjustValue(5_000_000_000n, 144) === 4_999_313_401n);
 * ```
 */
export function timeAdjustValue(
  value: bigint,
  relativeDepth: number,
  options: TimeAdjustOptions = {},
): bigint {
  if (!Number.isInteger(relativeDepth)) throw new RangeError("relative depth must be an integer");
  if (options.disableTimeAdjust) {
    checkInt64(value);
    return value;
  }
  return relativeDepth < 0
    ? timeAdjustValueReverse(value, -relativeDepth)
    : timeAdjustValueForward(value, relativeDepth);
}

/** The reference's name for {@link timeAdjustValue}. */
export const getTimeAdjustedValue: typeof timeAdjustValue = timeAdjustValue;

/** Height at which scrip and freicoin units coincide (display helpers only). */
export const SCRIP_EPOCH = 5_040_000;

/** Converts a freicoin amount at `height` to scrip units (FreicoinToScrip; GUI only). */
export function freicoinToScrip(value: bigint, height: number): bigint {
  return timeAdjustValue(value, SCRIP_EPOCH - height);
}

/** Converts scrip units back to a freicoin amount at `height` (ScripToFreicoin; GUI only). */
export function scripToFreicoin(value: bigint, height: number): bigint {
  return timeAdjustValue(value, height - SCRIP_EPOCH);
}
