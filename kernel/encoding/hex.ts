import { DecodeError } from "./decode_error.ts";

const HEX_DIGITS = "0123456789abcdef";
const BYTE_TO_HEX: string[] = Array.from(
  { length: 256 },
  (_, i) => HEX_DIGITS[i >> 4] + HEX_DIGITS[i & 15],
);

/**
 * Encodes bytes as lowercase hex, first byte first.
 *
 * @example
 * ```ts
 * import { bytesToHex } from "./hex.ts";
 * console.assert(bytesToHex(new Uint8Array([0, 255])) === "00ff");
 * ```
 */
export function bytesToHex(bytes: Uint8Array): string {
  // The built-in is native and returns a flat string (cheaper as a Map key than a concatenation).
  return bytes.toHex();
}

function hexDigitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/**
 * Decodes a hex string strictly: even length, only `0-9a-fA-F`, no prefix or
 * whitespace. Throws {@link DecodeError} otherwise.
 *
 * @example
 * ```ts
 * import { hexToBytes } from "./hex.ts";
 * console.assert(hexToBytes("00Ff")[1] === 255);
 * ```
 */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new DecodeError("hex string has odd length");
  // The built-in accepts exactly pairs of 0-9a-fA-F, as this function promises.
  try {
    return Uint8Array.fromHex(hex);
  } catch {
    throw new DecodeError("hex string has a non-hex character");
  }
}

/** Returns true when `hex` is a non-empty or empty even-length string of hex digits. */
export function isHex(hex: string): boolean {
  if (hex.length % 2 !== 0) return false;
  for (let i = 0; i < hex.length; i++) {
    if (hexDigitValue(hex.charCodeAt(i)) < 0) return false;
  }
  return true;
}

/**
 * Formats a 32-byte hash (txid, block hash) the way Bitcoin and Freicoin
 * display it: the bytes reversed, as hex (uint256::GetHex).
 *
 * @example
 * ```ts
 * import { hashToHex } from "./hex.ts";
 * const hash = new Uint8Array(32);
 * hash[0] = 1;
 * console.assert(hashToHex(hash).endsWith("01"));
 * ```
 */
export function hashToHex(hash: Uint8Array): string {
  let out = "";
  for (let i = hash.length - 1; i >= 0; i--) out += BYTE_TO_HEX[hash[i]];
  return out;
}

/**
 * Parses a displayed (byte-reversed) 64-digit hash into its 32 internal bytes.
 * Strict: exactly 64 hex digits, else {@link DecodeError}.
 *
 * @example
 * ```ts
 * import { hashFromHex, hashToHex } from "./hex.ts";
 * const text = "00".repeat(31) + "01";
 * console.assert(hashToHex(hashFromHex(text)) === text);
 * ```
 */
export function hashFromHex(hex: string): Uint8Array {
  if (hex.length !== 64) throw new DecodeError("hash must be 64 hex digits");
  return hexToBytes(hex).reverse();
}
