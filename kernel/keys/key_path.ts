/** The bit that marks a hardened BIP32 child index. */
export const HARDENED = 0x80000000;

/**
 * Parses a BIP32 key path the way freicoind's `ParseHDKeypath` does: an optional leading `m`,
 * then `/`-separated decimal indices, each optionally hardened with a trailing `'` (not `h`).
 * Returns `null` for anything else.
 *
 * @example
 * ```ts
 * import { parseHDKeypath } from "./key_path.ts";
 * parseHDKeypath("m/0'/1/2'"); // [0x80000000, 1, 0x80000002]
 * ```
 */
export function parseHDKeypath(str: string): number[] | null {
  const path: number[] = [];
  if (str === "") return path;
  const items = str.split("/");
  // A trailing separator does not produce an empty element (std::getline semantics).
  if (items[items.length - 1] === "") items.pop();
  for (const [i, original] of items.entries()) {
    let item = original;
    if (item === "m") {
      if (i === 0) continue;
      return null;
    }
    let index = 0;
    const tick = item.indexOf("'");
    if (tick !== -1) {
      if (tick !== item.length - 1) return null;
      index = HARDENED;
      item = item.slice(0, -1);
    }
    if (!/^[0-9]+$/.test(item)) return null;
    const value = Number(item);
    if (value > 0xffffffff) return null;
    // Like the reference, the tick is OR-ed in, so an index >= 2^31 stays as parsed.
    path.push((index | value) >>> 0);
  }
  return path;
}

/**
 * Formats key path elements as `/0h/1/2h` (`FormatHDKeypath`), or with `'` when `apostrophe`.
 *
 * @example
 * ```ts
 * import { formatHDKeypath } from "./key_path.ts";
 * formatHDKeypath([0x80000000, 1], false); // "/0h/1"
 * ```
 */
export function formatHDKeypath(path: readonly number[], apostrophe = false): string {
  let out = "";
  for (const index of path) {
    out += `/${index & 0x7fffffff}`;
    if (index >= HARDENED) out += apostrophe ? "'" : "h";
  }
  return out;
}

/** `m` followed by the formatted path (`WriteHDKeypath`). */
export function writeHDKeypath(path: readonly number[], apostrophe = false): string {
  return "m" + formatHDKeypath(path, apostrophe);
}
