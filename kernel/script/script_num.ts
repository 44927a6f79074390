/**
 * Script numbers (`CScriptNum`): little-endian sign-magnitude byte vectors,
 * at most 4 bytes by default (5 for CLTV/CSV, 2 for MERKLEBRANCHVERIFY's
 * count, 3 for the MULTISIG_HINT). Values are JS numbers: operands are at most
 * 5 bytes, so every intermediate result stays far inside 2^53.
 */

/** Thrown for an over-long or non-minimal number; the interpreter maps it to UNKNOWN_ERROR. */
export class ScriptNumError extends Error {
  override name = "ScriptNumError";
}

/** Decodes a script number, enforcing the size limit and (optionally) minimal encoding. *
 * @example
 * ```ts
 * import { decodeScriptNum } from "./script_num.ts";
 * console.assert(decodeScriptNum(Uint8Array.of(0x81), true) === -1);
 * ```
 */
export function decodeScriptNum(
  bytes: Uint8Array,
  requireMinimal: boolean,
  maxSize = 4,
): number {
  const len = bytes.length;
  if (len > maxSize) throw new ScriptNumError("script number overflow");
  if (requireMinimal && len > 0) {
    // The most significant byte may only be 0x00/0x80 when the next byte needs its top bit.
    if ((bytes[len - 1] & 0x7f) === 0) {
      if (len <= 1 || (bytes[len - 2] & 0x80) === 0) {
        throw new ScriptNumError("non-minimally encoded script number");
      }
    }
  }
  if (len === 0) return 0;
  let result = 0;
  for (let i = 0; i < len; i++) result += bytes[i] * 2 ** (8 * i);
  if (bytes[len - 1] & 0x80) {
    return -(result - 0x80 * 2 ** (8 * (len - 1)));
  }
  return result;
}

/** Minimal encoding of an integer (`CScriptNum::serialize`). */
export function encodeScriptNum(value: number): Uint8Array {
  if (value === 0) return new Uint8Array(0);
  const negative = value < 0;
  let abs = Math.abs(value);
  const out: number[] = [];
  while (abs > 0) {
    out.push(abs % 256);
    abs = Math.floor(abs / 256);
  }
  if (out[out.length - 1] & 0x80) out.push(negative ? 0x80 : 0);
  else if (negative) out[out.length - 1] |= 0x80;
  return Uint8Array.from(out);
}

/** `CScriptNum::getint`: the value clamped to the int32 range. */
export function clampToInt32(value: number): number {
  if (value > 0x7fffffff) return 0x7fffffff;
  if (value < -0x80000000) return -0x80000000;
  return value;
}

/** `CastToBool`: any non-zero byte, except a lone sign bit in the last byte (negative zero). */
export function castToBool(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) {
      return !(i === bytes.length - 1 && bytes[i] === 0x80);
    }
  }
  return false;
}
