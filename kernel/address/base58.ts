import { sha256d } from "../hash/mod.ts";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const DIGIT_OF: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** The characters the reference's `IsSpace` skips around a Base58 string. */
function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/**
 * Encodes bytes as Base58 (Bitcoin alphabet); each leading zero byte becomes a `1`.
 *
 * @example
 * ```ts
 * import { encodeBase58 } from "./base58.ts";
 * encodeBase58(new Uint8Array([0, 0, 0x28, 0x7f, 0xb4, 0xcd])); // "11233QC4"
 * ```
 */
export function encodeBase58(input: Uint8Array): string {
  let zeroes = 0;
  while (zeroes < input.length && input[zeroes] === 0) zeroes++;
  // Little-endian base-58 digits of the remaining big-endian number.
  const digits: number[] = [];
  for (let i = zeroes; i < input.length; i++) {
    let carry = input[i];
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] * 256;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = "1".repeat(zeroes);
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]];
  return out;
}

/**
 * Decodes a Base58 string the way freicoind does: leading and trailing whitespace is skipped,
 * anything else outside the alphabet (or an embedded NUL) fails, and decoding stops as soon as the
 * result would exceed `maxLength` bytes. Returns `null` on failure.
 *
 * @example
 * ```ts
 * import { decodeBase58 } from "./base58.ts";
 * decodeBase58(" 11233QC4 ", 10); // Uint8Array [0, 0, 0x28, 0x7f, 0xb4, 0xcd]
 * ```
 */
export function decodeBase58(str: string, maxLength: number): Uint8Array | null {
  let pos = 0;
  while (pos < str.length && isSpace(str.charCodeAt(pos))) pos++;
  let zeroes = 0;
  while (pos < str.length && str[pos] === "1") {
    zeroes++;
    if (zeroes > maxLength) return null;
    pos++;
  }
  // Little-endian base-256 bytes of the number after the leading ones.
  const bytes: number[] = [];
  for (; pos < str.length && !isSpace(str.charCodeAt(pos)); pos++) {
    const code = str.charCodeAt(pos);
    let carry = code < 128 ? DIGIT_OF[code] : -1;
    if (carry === -1) return null;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
    if (bytes.length + zeroes > maxLength) return null;
  }
  while (pos < str.length && isSpace(str.charCodeAt(pos))) pos++;
  if (pos !== str.length) return null;
  const out = new Uint8Array(zeroes + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[zeroes + i] = bytes[bytes.length - 1 - i];
  return out;
}

/**
 * Encodes bytes as Base58Check: the payload followed by the first four bytes of its SHA256d.
 *
 * @example
 * ```ts
 * import { encodeBase58Check } from "./base58.ts";
 * encodeBase58Check(new Uint8Array(21)); // "1111111111111111111114oLvT2"
 * ```
 */
export function encodeBase58Check(payload: Uint8Array): string {
  const withChecksum = new Uint8Array(payload.length + 4);
  withChecksum.set(payload);
  withChecksum.set(sha256d(payload).subarray(0, 4), payload.length);
  return encodeBase58(withChecksum);
}

/**
 * Decodes a Base58Check string whose payload (without checksum) is at most `maxLength` bytes.
 * Returns the payload, or `null` if the string is not Base58, too long, or the checksum is wrong.
 *
 * @example
 * ```ts
 * import { decodeBase58Check } from "./base58.ts";
 * decodeBase58Check("1111111111111111111114oLvT2", 21)?.length; // 21
 * ```
 */
export function decodeBase58Check(str: string, maxLength: number): Uint8Array | null {
  const raw = decodeBase58(str, maxLength + 4);
  if (raw === null || raw.length < 4) return null;
  const payload = raw.subarray(0, raw.length - 4);
  const checksum = sha256d(payload);
  for (let i = 0; i < 4; i++) {
    if (checksum[i] !== raw[payload.length + i]) return null;
  }
  return payload.slice();
}
