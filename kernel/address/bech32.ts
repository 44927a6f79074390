/** Which checksum constant a Bech32 string uses (BIP173 `bech32` or BIP350 `bech32m`). */
export type Bech32Encoding = "bech32" | "bech32m";

/** A successfully decoded Bech32/Bech32m string: lower-case HRP and the 5-bit data values. */
export interface Bech32Decoded {
  encoding: Bech32Encoding;
  hrp: string;
  data: Uint8Array;
}

/** The error message and character positions `locateBech32Errors` reports. */
export interface Bech32ErrorReport {
  /** Empty when the string has a valid checksum. */
  message: string;
  locations: number[];
}

/** Longest string the decoder accepts (BIP173). */
export const BECH32_MAX_LENGTH = 90;

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const VALUE_OF: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < CHARSET.length; i++) {
    table[CHARSET.charCodeAt(i)] = i;
    table[CHARSET.toUpperCase().charCodeAt(i)] = i;
  }
  return table;
})();

const CONSTANT: Record<Bech32Encoding, number> = { bech32: 1, bech32m: 0x2bc830a3 };
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** BCH checksum residue of the values (BIP173 `polymod`). */
function polymod(values: ArrayLike<number>): number {
  let chk = 1;
  for (let i = 0; i < values.length; i++) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ values[i]) >>> 0;
    for (let bit = 0; bit < 5; bit++) {
      if ((top >>> bit) & 1) chk = (chk ^ GENERATOR[bit]) >>> 0;
    }
  }
  return chk;
}

function expandHrp(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function checksumResidue(hrp: string, values: ArrayLike<number>): number {
  return polymod([...expandHrp(hrp), ...Array.from(values)]);
}

/**
 * Encodes an HRP (must be lower case) and 5-bit values as Bech32 or Bech32m.
 *
 * @example
 * ```ts
 * import { encodeBech32 } from "./bech32.ts";
 * encodeBech32("bech32m", "a", new Uint8Array()); // "a1lqfn3a"
 * ```
 */
export function encodeBech32(encoding: Bech32Encoding, hrp: string, data: Uint8Array): string {
  const mod = checksumResidue(hrp, [...data, 0, 0, 0, 0, 0, 0]) ^ CONSTANT[encoding];
  let out = hrp + "1";
  for (const value of data) out += CHARSET[value];
  for (let i = 0; i < 6; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

/** Positions of characters that are not printable ASCII or break the single-case rule. */
function invalidCharacters(str: string): number[] {
  const errors: number[] = [];
  let lower = false;
  let upper = false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) {
      if (upper) errors.push(i);
      else lower = true;
    } else if (c >= 0x41 && c <= 0x5a) {
      if (lower) errors.push(i);
      else upper = true;
    } else if (c < 33 || c > 126) {
      errors.push(i);
    }
  }
  return errors;
}

/**
 * Decodes a Bech32 or Bech32m string (either checksum is accepted; the result says which).
 * Returns `null` if the string is malformed, longer than 90 characters, or the checksum fails.
 *
 * @example
 * ```ts
 * import { decodeBech32 } from "./bech32.ts";
 * decodeBech32("A1LQFN3A")?.encoding; // "bech32m"
 * ```
 */
export function decodeBech32(str: string): Bech32Decoded | null {
  if (invalidCharacters(str).length > 0) return null;
  const pos = str.lastIndexOf("1");
  if (str.length > BECH32_MAX_LENGTH || pos < 1 || pos + 7 > str.length) return null;
  const values = new Uint8Array(str.length - 1 - pos);
  for (let i = 0; i < values.length; i++) {
    const v = VALUE_OF[str.charCodeAt(pos + 1 + i)];
    if (v === -1) return null;
    values[i] = v;
  }
  const hrp = str.slice(0, pos).toLowerCase();
  const residue = checksumResidue(hrp, values);
  const encoding: Bech32Encoding | null = residue === CONSTANT.bech32
    ? "bech32"
    : residue === CONSTANT.bech32m
    ? "bech32m"
    : null;
  if (encoding === null) return null;
  return { encoding, hrp, data: values.slice(0, values.length - 6) };
}

/**
 * Regroups a bit stream from `fromBits`-bit to `toBits`-bit values. With `pad`, a partial final
 * group is zero-padded; without it, leftover bits must be fewer than `fromBits` and all zero.
 * Returns `null` when the input cannot be converted.
 */
export function convertBits(
  data: ArrayLike<number>,
  fromBits: number,
  toBits: number,
  pad: boolean,
): Uint8Array | null {
  const out: number[] = [];
  const maxValue = (1 << toBits) - 1;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < data.length; i++) {
    acc = ((acc << fromBits) | data[i]) & 0xffffff;
    bits += fromBits;
    while (bits >= toBits) {
      bits -= toBits;
      out.push((acc >> bits) & maxValue);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (toBits - bits)) & maxValue);
  } else if (bits >= fromBits || ((acc << (toBits - bits)) & maxValue) !== 0) {
    return null;
  }
  return Uint8Array.from(out);
}

// GF(1024) as a degree-2 extension of GF(32) (x^2 + 9x + 23 over GF(32) = GF(2)[x]/(x^5+x^3+1)),
// used to locate up to two substitution errors from the checksum residue.
const GF_TABLES = (() => {
  const gf32Exp = new Int16Array(31);
  const gf32Log = new Int16Array(32).fill(-1);
  let v = 1;
  for (let i = 0; i < 31; i++) {
    gf32Exp[i] = v;
    gf32Log[v] = i;
    v <<= 1;
    if (v & 32) v ^= 41;
  }
  const mul32 = (a: number, b: number): number =>
    a === 0 || b === 0 ? 0 : gf32Exp[(gf32Log[a] + gf32Log[b]) % 31];
  const exp = new Int16Array(1023);
  const log = new Int16Array(1024).fill(-1);
  v = 1;
  for (let i = 0; i < 1023; i++) {
    exp[i] = v;
    log[v] = i;
    const low = v & 31;
    const high = v >> 5;
    v = ((mul32(high, 9) ^ low) << 5) | mul32(high, 23);
  }
  // The residue's syndromes at e^997, e^998, e^999, one constant per residue bit above the lowest five.
  const syndromeConstants = new Uint32Array(25);
  for (let k = 1; k < 6; k++) {
    for (let shift = 0; shift < 5; shift++) {
      const b = log[1 << shift];
      const c0 = exp[(997 * k + b) % 1023];
      const c1 = exp[(998 * k + b) % 1023];
      const c2 = exp[(999 * k + b) % 1023];
      syndromeConstants[5 * (k - 1) + shift] = ((c2 << 20) | (c1 << 10) | c0) >>> 0;
    }
  }
  return { exp, log, syndromeConstants };
})();

function syndrome(residue: number): number {
  const low = residue & 0x1f;
  let result = low ^ (low << 10) ^ (low << 20);
  for (let i = 0; i < 25; i++) {
    if ((residue >>> (5 + i)) & 1) result ^= GF_TABLES.syndromeConstants[i];
  }
  return result >>> 0;
}

/** Error positions (counted from the right) for one checksum constant; empty if none found. */
function guessErrors(residue: number, length: number, strLength: number): number[] {
  const { exp, log } = GF_TABLES;
  const syn = syndrome(residue);
  const s0 = syn & 0x3ff;
  const s1 = (syn >>> 10) & 0x3ff;
  const s2 = syn >>> 20;
  const ls0 = log[s0];
  const ls1 = log[s1];
  const ls2 = log[s2];
  if (ls0 !== -1 && ls1 !== -1 && ls2 !== -1 && (2 * ls1 - ls2 - ls0 + 2046) % 1023 === 0) {
    // One error: s1/s0 = s2/s1 = e^p1.
    const p1 = (ls1 - ls0 + 1023) % 1023;
    const le1 = ls0 + (1023 - 997) * p1;
    return p1 < length && le1 % 33 === 0 ? [strLength - p1 - 1] : [];
  }
  for (let p1 = 0; p1 < length; p1++) {
    const s2s1p1 = s2 ^ (s1 === 0 ? 0 : exp[(ls1 + p1) % 1023]);
    if (s2s1p1 === 0) continue;
    const s1s0p1 = s1 ^ (s0 === 0 ? 0 : exp[(ls0 + p1) % 1023]);
    if (s1s0p1 === 0) continue;
    const p2 = (log[s2s1p1] - log[s1s0p1] + 1023) % 1023;
    if (p2 >= length || p1 === p2) continue;
    const s1s0p2 = s1 ^ (s0 === 0 ? 0 : exp[(ls0 + p2) % 1023]);
    if (s1s0p2 === 0) continue;
    const invP1P2 = 1023 - log[exp[p1] ^ exp[p2]];
    const le2 = log[s1s0p1] + invP1P2 + (1023 - 997) * p2;
    if (le2 % 33 !== 0) continue;
    const le1 = log[s1s0p2] + invP1P2 + (1023 - 997) * p1;
    if (le1 % 33 !== 0) continue;
    return p1 > p2
      ? [strLength - p1 - 1, strLength - p2 - 1]
      : [strLength - p2 - 1, strLength - p1 - 1];
  }
  return [];
}

/**
 * Explains why a string is not valid Bech32/Bech32m, with the positions of the offending
 * characters, using freicoind's messages ("Invalid Bech32m checksum", "Missing separator", ...).
 * A string with a valid checksum yields an empty message.
 *
 * @example
 * ```ts
 * import { locateBech32Errors } from "./bech32.ts";
 * locateBech32Errors("a1lqfn3q").message; // "Invalid Bech32m checksum"
 * ```
 */
export function locateBech32Errors(str: string): Bech32ErrorReport {
  if (str.length > BECH32_MAX_LENGTH) {
    const locations: number[] = [];
    for (let i = BECH32_MAX_LENGTH; i < str.length; i++) locations.push(i);
    return { message: "Bech32 string too long", locations };
  }
  const bad = invalidCharacters(str);
  if (bad.length > 0) return { message: "Invalid character or mixed case", locations: bad };
  const pos = str.lastIndexOf("1");
  if (pos === -1) return { message: "Missing separator", locations: [] };
  if (pos === 0 || pos + 7 > str.length) {
    return { message: "Invalid separator position", locations: [pos] };
  }
  const hrp = str.slice(0, pos).toLowerCase();
  const values = new Uint8Array(str.length - 1 - pos);
  for (let i = pos + 1; i < str.length; i++) {
    const v = VALUE_OF[str.charCodeAt(i)];
    if (v === -1) return { message: "Invalid Base 32 character", locations: [i] };
    values[i - pos - 1] = v;
  }
  let locations: number[] = [];
  let found: Bech32Encoding | null = null;
  for (const encoding of ["bech32", "bech32m"] as const) {
    const residue = (checksumResidue(hrp, values) ^ CONSTANT[encoding]) >>> 0;
    if (residue === 0) return { message: "", locations: [] };
    const guess = guessErrors(residue, values.length, str.length);
    if (locations.length === 0 || (guess.length > 0 && guess.length < locations.length)) {
      locations = guess;
      if (guess.length > 0) found = encoding;
    }
  }
  const message = found === "bech32m"
    ? "Invalid Bech32m checksum"
    : found === "bech32"
    ? "Invalid Bech32 checksum"
    : "Invalid checksum";
  return { message, locations };
}
