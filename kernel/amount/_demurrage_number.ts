import { FORWARD_LADDER, LADDER_SIZE } from "./_demurrage_ladders.ts";

// Allocation-free twin of the BigInt TimeAdjustValueForward in demurrage.ts.
// Every 64-bit quantity of the reference's ladder arithmetic is held as two
// uint32 Numbers (hi, lo) and every 32×32-bit product is formed from 16-bit
// halves, so no intermediate ever reaches 2^53 and each step is exact. The
// BigInt version stays the specification; the test compares the two.

const TWO_16 = 0x10000;
const TWO_32 = 0x100000000;
const MAX_DISTANCE = 2 ** LADDER_SIZE;

/** The forward ladder as Numbers: [hi32, lo32] of entry i at 2i, 2i+1. */
const LADDER: Float64Array = Float64Array.from(
  FORWARD_LADDER.flatMap(([k0, k1]) => [Number(k0), Number(k1)]),
);

// Scratch registers (module-level so the hot path allocates nothing).
let productHi = 0;
let productLo = 0;
let sumHi = 0;
let sumLo = 0;
let overflow = 0;

/** productHi:productLo = a * b, exact, for uint32 a and b. */
function multiply32(a: number, b: number): void {
  // Bit operators act on the low 32 bits, which is all a and b have.
  const aHigh = a >>> 16;
  const aLow = a & 0xffff;
  const bHigh = b >>> 16;
  const bLow = b & 0xffff;
  const cross = aHigh * bLow + aLow * bHigh; // < 2^33
  const crossLow = cross & 0xffff;
  const low = aLow * bLow + crossLow * TWO_16; // < 2^33
  const lowCarry = low >= TWO_32 ? 1 : 0;
  productLo = low - lowCarry * TWO_32;
  productHi = aHigh * bHigh + (cross - crossLow) / TWO_16 + lowCarry; // < 2^32: a*b < 2^64
}

/** The accumulator's `set`: sum = hi:lo, no carries counted. */
function setSum(hi: number, lo: number): void {
  sumHi = hi;
  sumLo = lo;
  overflow = 0;
}

/** The accumulator's `term`: sum += hi:lo modulo 2^64, counting the carry out. */
function addTerm(hi: number, lo: number): void {
  let low = sumLo + lo;
  let carry = 0;
  if (low >= TWO_32) {
    low -= TWO_32;
    carry = 1;
  }
  let high = sumHi + hi + carry;
  if (high >= TWO_32) {
    high -= TWO_32;
    overflow++;
  }
  sumHi = high;
  sumLo = low;
}

/** Adds the product a * b as a term. */
function addProduct(a: number, b: number): void {
  multiply32(a, b);
  addTerm(productHi, productLo);
}

/** The accumulator's `shift32`: carries move into the top word as the sum drops 32 bits. */
function shift32(): void {
  sumLo = sumHi;
  sumHi = overflow; // at most a few carries, far below 2^32
  overflow = 0;
}

/**
 * TimeAdjustValueForward for a magnitude that is a safe integer and a distance
 * in 1..2^26-1, in exact Number arithmetic. Returns the decayed magnitude, or
 * -1 if the result would not be a safe integer (never for magnitudes within
 * MAX_MONEY, since the factor is below one; the caller then uses BigInts).
 */
export function timeAdjustMagnitudeForward(magnitude: number, distance: number): number {
  if (distance <= 0 || distance >= MAX_DISTANCE) return -1;
  if (distance < CACHED_DISTANCES) {
    if (Number.isNaN(factorCache[2 * distance])) {
      computeFactor(distance);
      factorCache[2 * distance] = factorHi;
      factorCache[2 * distance + 1] = factorLo;
    }
    return applyFactor(magnitude, factorCache[2 * distance], factorCache[2 * distance + 1]);
  }
  computeFactor(distance);
  return applyFactor(magnitude, factorHi, factorLo);
}

/**
 * Block connection sees mostly short distances (spend height minus coin
 * height), so their factors are kept: 2 × 4,096 doubles, filled on first use.
 */
const CACHED_DISTANCES = 4096;
const factorCache: Float64Array = new Float64Array(2 * CACHED_DISTANCES).fill(NaN);
let factorHi = 0;
let factorLo = 0;

/** factorHi:factorLo = the ladder product for `distance`, truncated as the reference does. */
function computeFactor(distance: number): void {
  let w0 = 0;
  let w1 = 0;
  let first = true;
  for (let bit = 0, d = distance; d !== 0; d >>>= 1, bit++) {
    if ((d & 1) === 0) continue;
    const k0 = LADDER[2 * bit];
    const k1 = LADDER[2 * bit + 1];
    if (first) {
      first = false;
      w0 = k0;
      w1 = k1;
      continue;
    }
    // Three partial products; k1*w1 is truncated away, as in the reference.
    multiply32(k1, w0);
    setSum(productHi, productLo);
    addProduct(k0, w1);
    shift32();
    addProduct(k0, w0);
    const low = sumLo;
    shift32();
    w0 = sumLo;
    w1 = low;
  }
  factorHi = w0;
  factorLo = w1;
}

/** The final multiplication of the magnitude by the 0.64 factor w0:w1. */
function applyFactor(magnitude: number, w0: number, w1: number): number {
  const v0 = Math.floor(magnitude / TWO_32);
  const v1 = magnitude - v0 * TWO_32;
  multiply32(w1, v1);
  setSum(0, productHi);
  addProduct(w1, v0);
  addProduct(w0, v1);
  shift32();
  addProduct(w0, v0);
  // The reference reinterprets the 64-bit sum as int64; a sum of 2^53 or more
  // (including any "negative" one) is left to the BigInt path.
  if (sumHi >= 2 ** 21) return -1;
  return sumHi * TWO_32 + sumLo;
}
