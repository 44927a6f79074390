// secp256k1 group arithmetic on bigints (Jacobian coordinates, a = 0), used by
// the pure-TypeScript backend. Private to this folder.
import { CURVE_ORDER } from "./der.ts";

export const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
export const N = CURVE_ORDER;
const GX = 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n;
const GY = 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n;

/** A point in Jacobian coordinates; z = 0 is the point at infinity. */
export interface Jacobian {
  x: bigint;
  y: bigint;
  z: bigint;
}

/** An affine point (never infinity). */
export interface Affine {
  x: bigint;
  y: bigint;
}

export const INFINITY: Jacobian = { x: 0n, y: 1n, z: 0n };
export const G: Affine = { x: GX, y: GY };

export function modP(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

export function modN(a: bigint): bigint {
  const r = a % N;
  return r < 0n ? r + N : r;
}

/** Modular inverse by the extended Euclidean algorithm (m prime, a ≠ 0 mod m). */
export function invert(a: bigint, m: bigint): bigint {
  let low = ((a % m) + m) % m;
  let high = m;
  let lm = 1n;
  let hm = 0n;
  while (low > 1n) {
    const q = high / low;
    const nm = hm - lm * q;
    const nw = high - low * q;
    hm = lm;
    high = low;
    lm = nm;
    low = nw;
  }
  return ((lm % m) + m) % m;
}

export function powMod(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  base %= m;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % m;
    base = (base * base) % m;
    exp >>= 1n;
  }
  return result;
}

/** y² = x³ + 7 check for an affine point with coordinates already < p. */
export function isOnCurve(x: bigint, y: bigint): boolean {
  return modP(y * y - (x * x * x + 7n)) === 0n;
}

/** Square root mod p (p ≡ 3 mod 4), or null when `a` is not a square. */
export function sqrtModP(a: bigint): bigint | null {
  const r = powMod(a, (P + 1n) / 4n, P);
  return (r * r) % P === modP(a) ? r : null;
}

export function double(p: Jacobian): Jacobian {
  if (p.z === 0n || p.y === 0n) return INFINITY;
  const a = (p.x * p.x) % P;
  const b = (p.y * p.y) % P;
  const c = (b * b) % P;
  const d = modP(2n * (((p.x + b) * (p.x + b)) % P - a - c));
  const e = (3n * a) % P;
  const f = (e * e) % P;
  const x3 = modP(f - 2n * d);
  const y3 = modP(e * (d - x3) - 8n * c);
  const z3 = (2n * p.y * p.z) % P;
  return { x: x3, y: y3, z: z3 };
}

export function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p.z === 0n) return q;
  if (q.z === 0n) return p;
  const z1z1 = (p.z * p.z) % P;
  const z2z2 = (q.z * q.z) % P;
  const u1 = (p.x * z2z2) % P;
  const u2 = (q.x * z1z1) % P;
  const s1 = (((p.y * q.z) % P) * z2z2) % P;
  const s2 = (((q.y * p.z) % P) * z1z1) % P;
  if (u1 === u2) return s1 === s2 ? double(p) : INFINITY;
  const h = modP(u2 - u1);
  const r = modP(s2 - s1);
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (u1 * hh) % P;
  const x3 = modP(r * r - hhh - 2n * v);
  const y3 = modP(r * (v - x3) - s1 * hhh);
  const z3 = (((p.z * q.z) % P) * h) % P;
  return { x: x3, y: y3, z: z3 };
}

/** Mixed addition: Jacobian + affine. */
export function addAffine(p: Jacobian, q: Affine): Jacobian {
  if (p.z === 0n) return { x: q.x, y: q.y, z: 1n };
  const z1z1 = (p.z * p.z) % P;
  const u2 = (q.x * z1z1) % P;
  const s2 = (((q.y * p.z) % P) * z1z1) % P;
  if (p.x === u2) return p.y === s2 ? double(p) : INFINITY;
  const h = modP(u2 - p.x);
  const r = modP(s2 - p.y);
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (p.x * hh) % P;
  const x3 = modP(r * r - hhh - 2n * v);
  const y3 = modP(r * (v - x3) - p.y * hhh);
  const z3 = (p.z * h) % P;
  return { x: x3, y: y3, z: z3 };
}

export function toAffine(p: Jacobian): Affine | null {
  if (p.z === 0n) return null;
  const zi = invert(p.z, P);
  const zi2 = (zi * zi) % P;
  return { x: (p.x * zi2) % P, y: (((p.y * zi2) % P) * zi) % P };
}

export function negate(p: Affine): Affine {
  return { x: p.x, y: p.y === 0n ? 0n : P - p.y };
}

const WINDOW = 4;
const WINDOWS = 64; // 256 / WINDOW
let baseTable: Affine[][] | null = null;

/** table[i][j-1] = j · 16^i · G, built on first use. */
function generatorTable(): Affine[][] {
  if (baseTable !== null) return baseTable;
  const table: Affine[][] = [];
  let base: Jacobian = { x: G.x, y: G.y, z: 1n };
  for (let i = 0; i < WINDOWS; i++) {
    const row: Jacobian[] = [base];
    for (let j = 1; j < 15; j++) row.push(add(row[j - 1], base));
    table.push(row.map((p) => toAffine(p)!));
    base = double(row[7]); // 16 · base
  }
  baseTable = table;
  return table;
}

/** k·G for 0 ≤ k < n, by fixed 4-bit windows over a precomputed table. */
export function multiplyBase(k: bigint): Jacobian {
  const table = generatorTable();
  let acc = INFINITY;
  for (let i = 0; i < WINDOWS && k > 0n; i++) {
    const digit = Number(k & 15n);
    if (digit !== 0) acc = addAffine(acc, table[i][digit - 1]);
    k >>= 4n;
  }
  return acc;
}

/** k·Q by a 4-bit sliding window. */
export function multiply(q: Affine, k: bigint): Jacobian {
  const precomputed: Jacobian[] = [{ x: q.x, y: q.y, z: 1n }];
  for (let j = 1; j < 15; j++) precomputed.push(addAffine(precomputed[j - 1], q));
  const digits: number[] = [];
  while (k > 0n) {
    digits.push(Number(k & 15n));
    k >>= 4n;
  }
  let acc = INFINITY;
  for (let i = digits.length - 1; i >= 0; i--) {
    for (let d = 0; d < WINDOW; d++) acc = double(acc);
    if (digits[i] !== 0) acc = add(acc, precomputed[digits[i] - 1]);
  }
  return acc;
}
