/**
 * Fee rates in kria per 1000 virtual bytes (`CFeeRate`, src/policy/feerate.cpp).
 *
 * @module
 */
import { COIN } from "../../../kernel/amount/mod.ts";

/**
 * A fee rate in kria per kvB. Division truncates toward zero as C++ integer division does;
 * {@link FeeRate.getFee} rounds up, and never answers 0 for a non-zero size and rate.
 *
 * @example
 * ```ts
 * import { FeeRate } from "./fee_rate.ts";
 * const rate = FeeRate.fromFee(1000n, 250);
 * console.assert(rate.perKvB === 4000n && rate.getFee(100) === 400n);
 * ```
 */
export class FeeRate {
  /** Kria per 1000 virtual bytes. */
  readonly perKvB: bigint;

  /** A rate of `perKvB` kria per kvB. */
  constructor(perKvB: bigint) {
    this.perKvB = perKvB;
  }

  /** The rate of paying `fee` for `size` vbytes (0 when size is 0). */
  static fromFee(fee: bigint, size: number): FeeRate {
    if (size <= 0) return new FeeRate(0n);
    return new FeeRate((fee * 1000n) / BigInt(size));
  }

  /** The fee for `size` vbytes, rounded up (`CFeeRate::GetFee`). */
  getFee(size: number): bigint {
    const numerator = this.perKvB * BigInt(size);
    let fee = numerator / 1000n;
    if (numerator % 1000n !== 0n && numerator > 0n) fee += 1n;
    if (fee === 0n && size !== 0) {
      if (this.perKvB > 0n) fee = 1n;
      if (this.perKvB < 0n) fee = -1n;
    }
    return fee;
  }

  /** `CFeeRate::ToString()` in FRC/kvB, e.g. "0.00001000 FRC/kvB". */
  toString(): string {
    const sign = this.perKvB < 0n ? "-" : "";
    const abs = this.perKvB < 0n ? -this.perKvB : this.perKvB;
    return `${sign}${abs / COIN}.${(abs % COIN).toString().padStart(8, "0")} FRC/kvB`;
  }

  /** `CFeeRate::ToString(SAT_VB)`, e.g. "1.000 sat/vB" (the atom is still called "sat"). */
  toSatPerVbString(): string {
    const value = this.perKvB;
    const whole = value / 1000n;
    const frac = value % 1000n;
    const fracAbs = frac < 0n ? -frac : frac;
    return `${whole}.${fracAbs.toString().padStart(3, "0")} sat/vB`;
  }

  /** Orders rates (-1, 0, 1). */
  compare(other: FeeRate): number {
    return this.perKvB < other.perKvB ? -1 : this.perKvB > other.perKvB ? 1 : 0;
  }
}

/** `GetVirtualTransactionSize`: max(weight, sigops × bytesPerSigop), in vbytes rounded up. */
export function virtualSize(weight: number, sigOpCost: number, bytesPerSigop: number): number {
  return Math.floor((Math.max(weight, sigOpCost * bytesPerSigop) + 3) / 4);
}
