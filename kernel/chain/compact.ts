/**
 * Compact ("nBits") encoding of 256-bit proof-of-work targets, as arith_uint256's
 * `SetCompact` / `GetCompact` do it, on bigints.
 */

const MASK_256 = (1n << 256n) - 1n;

/** A decoded compact target with the reference's two error flags. */
export interface DecodedCompact {
  /** The target, truncated to 256 bits exactly like arith_uint256 truncates a shift. */
  readonly target: bigint;
  /** The sign bit (0x00800000) was set on a non-zero mantissa. */
  readonly negative: boolean;
  /** The value does not fit in 256 bits. */
  readonly overflow: boolean;
}

/**
 * Decodes a compact target (`arith_uint256::SetCompact`).
 *
 * @example
 * ```ts
 * import { compactToTarget } from "./compact.ts";
 * const { target } = compactToTarget(0x207fffff);
 * console.assert(target === 0x7fffffn << 232n);
 * ```
 */
export function compactToTarget(compact: number): DecodedCompact {
  const bits = compact >>> 0;
  const size = bits >>> 24;
  let word = bits & 0x007fffff;
  let target: bigint;
  if (size <= 3) {
    word >>>= 8 * (3 - size);
    target = BigInt(word);
  } else {
    target = (BigInt(word) << BigInt(8 * (size - 3))) & MASK_256;
  }
  const negative = word !== 0 && (bits & 0x00800000) !== 0;
  const overflow = word !== 0 &&
    (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return { target, negative, overflow };
}

/** Number of significant bits of a non-negative bigint (`arith_uint256::bits`). */
export function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/**
 * Encodes a 256-bit target in compact form (`arith_uint256::GetCompact`).
 *
 * @example
 * ```ts
 * import { targetToCompact } from "./compact.ts";
 * console.assert(targetToCompact(0xffffn << 208n) === 0x1d00ffff);
 * ```
 */
export function targetToCompact(target: bigint, negative = false): number {
  if (target < 0n || target > MASK_256) throw new RangeError("target out of 256-bit range");
  let size = Math.floor((bitLength(target) + 7) / 8);
  let compact: number;
  if (size <= 3) {
    compact = Number(target << BigInt(8 * (3 - size))) & 0xffffffff;
  } else {
    compact = Number((target >> BigInt(8 * (size - 3))) & 0xffffffffn);
  }
  // The 0x00800000 bit is the sign: move a mantissa that would set it one byte down.
  if (compact & 0x00800000) {
    compact >>>= 8;
    size++;
  }
  compact = (compact | (size << 24)) >>> 0;
  if (negative && (compact & 0x007fffff) !== 0) compact = (compact | 0x00800000) >>> 0;
  return compact;
}

/** Interprets a 32-byte hash (internal byte order, as hashed) as a little-endian 256-bit number. */
export function hashToBigInt(hash: Uint8Array): bigint {
  let value = 0n;
  for (let i = hash.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(hash[i]);
  return value;
}

/** Writes a 256-bit number as a 32-byte little-endian hash (`ArithToUint256`). */
export function bigIntToHash(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = value & MASK_256;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Parses a displayed 64-digit hex number (uint256S-style, big-endian text) into a bigint. */
export function uint256FromHex(hex: string): bigint {
  const digits = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{1,64}$/.test(digits)) throw new RangeError("not a 256-bit hex number");
  return BigInt("0x" + digits);
}

/** Formats a 256-bit number as 64 hex digits (uint256::GetHex). */
export function uint256ToHex(value: bigint): string {
  return (value & MASK_256).toString(16).padStart(64, "0");
}
