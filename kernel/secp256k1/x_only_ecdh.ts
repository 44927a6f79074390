/**
 * Field and x-only point helpers for protocols built on secp256k1 outside signing
 * (BIP324's ElligatorSwift key exchange in `kernel/crypto`).
 *
 * @module
 */
import { invert, isOnCurve, modP, multiply, P, sqrtModP, toAffine } from "./_curve.ts";

/** The field prime p. */
export const FIELD_PRIME: bigint = P;

/** `a mod p` in [0, p). */
export function fieldReduce(a: bigint): bigint {
  return modP(a);
}

/** `1/a mod p` (a ≠ 0 mod p). */
export function fieldInvert(a: bigint): bigint {
  return invert(a, P);
}

/** A square root of `a` mod p, or `null` when `a` is not a square. */
export function fieldSqrt(a: bigint): bigint | null {
  return sqrtModP(a);
}

/** Whether `x` is the x coordinate of a curve point (x³ + 7 is a square). */
export function isValidX(x: bigint): boolean {
  return sqrtModP(modP(x * x * x + 7n)) !== null;
}

/**
 * The x coordinate of `scalar · (x, y)` for either point with x coordinate `x` (both give the
 * same x), or `null` when `x` is not on the curve or the product is infinity.
 */
export function multiplyXOnly(x: bigint, scalar: bigint): bigint | null {
  const y = sqrtModP(modP(x * x * x + 7n));
  if (y === null || !isOnCurve(modP(x), y)) return null;
  const product = toAffine(multiply({ x: modP(x), y }, scalar));
  return product === null ? null : product.x;
}
