/**
 * Returns true when both byte arrays have the same length and contents.
 *
 * @example
 * ```ts
 * import { bytesEqual } from "./bytes.ts";
 * console.assert(bytesEqual(new Uint8Array([1]), new Uint8Array([1])));
 * ```
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Concatenates byte arrays into a new array.
 *
 * @example
 * ```ts
 * import { concatBytes } from "./bytes.ts";
 * console.assert(concatBytes(new Uint8Array([1]), new Uint8Array([2])).length === 2);
 * ```
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Compares two byte arrays lexicographically (like memcmp, shorter first on a
 * common prefix). Returns a negative number, zero, or a positive number.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
