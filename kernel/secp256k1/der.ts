/**
 * ECDSA signature encodings: strict BIP66 DER checks, the lax DER parser that
 * freicoind uses for verification (`ecdsa_signature_parse_der_lax`), and low-S
 * helpers. Pure byte manipulation, shared by both secp256k1 backends.
 */

/** secp256k1 group order n. */
export const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_ORDER = CURVE_ORDER >> 1n;

/**
 * BIP66 strict DER check of a signature *including* its trailing sighash byte
 * (`IsValidSignatureEncoding`, consensus-critical since BIP66).
 */
export function isValidSignatureEncoding(sig: Uint8Array): boolean {
  // 0x30 len 0x02 lenR R 0x02 lenS S hashtype
  if (sig.length < 9 || sig.length > 73) return false;
  if (sig[0] !== 0x30) return false;
  if (sig[1] !== sig.length - 3) return false;
  const lenR = sig[3];
  if (5 + lenR >= sig.length) return false;
  const lenS = sig[5 + lenR];
  if (lenR + lenS + 7 !== sig.length) return false;
  if (sig[2] !== 0x02) return false;
  if (lenR === 0) return false;
  if (sig[4] & 0x80) return false;
  if (lenR > 1 && sig[4] === 0x00 && !(sig[5] & 0x80)) return false;
  if (sig[lenR + 4] !== 0x02) return false;
  if (lenS === 0) return false;
  if (sig[lenR + 6] & 0x80) return false;
  if (lenS > 1 && sig[lenR + 6] === 0x00 && !(sig[lenR + 7] & 0x80)) return false;
  return true;
}

/** A parsed signature as two 32-byte big-endian integers (libsecp256k1's compact form). */
export interface CompactSignature {
  r: bigint;
  s: bigint;
}

/**
 * Lax DER parse (`ecdsa_signature_parse_der_lax`): tolerates negative integers,
 * excess padding, trailing garbage and long-form lengths. Returns null on a
 * structural failure; an R or S that does not fit 32 bytes or is ≥ n yields the
 * all-zero (never valid) signature instead, exactly like the reference.
 *
 * @example
 * ```ts
 * import { parseDerLax } from "./der.ts";
 * console.assert(parseDerLax(Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02))?.s === 2n);
 * ```
 */
export function parseDerLax(input: Uint8Array): CompactSignature | null {
  const len = input.length;
  let pos = 0;
  if (pos === len || input[pos] !== 0x30) return null;
  pos++;
  if (pos === len) return null;
  let lenbyte = input[pos++];
  if (lenbyte & 0x80) {
    lenbyte -= 0x80;
    if (lenbyte > len - pos) return null;
    pos += lenbyte;
  }
  const r = readLaxInteger(input, pos);
  if (r === null) return null;
  pos = r.end;
  const s = readLaxInteger(input, pos);
  if (s === null) return null;
  const rValue = laxValue(input, r.start, r.length);
  const sValue = laxValue(input, s.start, s.length);
  if (rValue === null || sValue === null) return { r: 0n, s: 0n };
  return { r: rValue, s: sValue };
}

/**
 * {@link parseDerLax} into libsecp256k1's 64-byte compact form (R ‖ S,
 * big-endian) without bigint arithmetic; R or S longer than 32 bytes yields
 * all zeros. Range checks against n are left to the caller's library.
 */
export function parseDerLaxCompact(input: Uint8Array): Uint8Array | null {
  const len = input.length;
  let pos = 0;
  if (pos === len || input[pos] !== 0x30) return null;
  pos++;
  if (pos === len) return null;
  let lenbyte = input[pos++];
  if (lenbyte & 0x80) {
    lenbyte -= 0x80;
    if (lenbyte > len - pos) return null;
    pos += lenbyte;
  }
  const r = readLaxInteger(input, pos);
  if (r === null) return null;
  const s = readLaxInteger(input, r.end);
  if (s === null) return null;
  const out = new Uint8Array(64);
  if (!copyLax(input, r.start, r.length, out, 0) || !copyLax(input, s.start, s.length, out, 32)) {
    out.fill(0);
  }
  return out;
}

function copyLax(
  input: Uint8Array,
  start: number,
  length: number,
  out: Uint8Array,
  at: number,
): boolean {
  while (length > 0 && input[start] === 0) {
    start++;
    length--;
  }
  if (length > 32) return false;
  out.set(input.subarray(start, start + length), at + 32 - length);
  return true;
}

function readLaxInteger(
  input: Uint8Array,
  at: number,
): { start: number; length: number; end: number } | null {
  const len = input.length;
  let pos = at;
  if (pos === len || input[pos] !== 0x02) return null;
  pos++;
  if (pos === len) return null;
  let lenbyte = input[pos++];
  let intLength: number;
  if (lenbyte & 0x80) {
    lenbyte -= 0x80;
    if (lenbyte > len - pos) return null;
    while (lenbyte > 0 && input[pos] === 0) {
      pos++;
      lenbyte--;
    }
    if (lenbyte >= 4) return null;
    intLength = 0;
    while (lenbyte > 0) {
      intLength = intLength * 256 + input[pos];
      pos++;
      lenbyte--;
    }
  } else {
    intLength = lenbyte;
  }
  if (intLength > len - pos) return null;
  return { start: pos, length: intLength, end: pos + intLength };
}

/** Value of a lax integer after dropping leading zeros; null if > 32 bytes or ≥ n. */
function laxValue(input: Uint8Array, start: number, length: number): bigint | null {
  while (length > 0 && input[start] === 0) {
    start++;
    length--;
  }
  if (length > 32) return null;
  let v = 0n;
  for (let i = 0; i < length; i++) v = (v << 8n) | BigInt(input[start + i]);
  if (v >= CURVE_ORDER) return null;
  return v;
}

/**
 * Strict DER parse of a signature without sighash byte (libsecp256k1's
 * `secp256k1_ecdsa_signature_parse_der`): exact lengths, minimal integers,
 * no trailing bytes. R and S must be < n. Returns null otherwise.
 */
export function parseDerStrict(der: Uint8Array): CompactSignature | null {
  if (der.length < 8 || der.length > 72) return null;
  if (der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const withHashType = new Uint8Array(der.length + 1);
  withHashType.set(der);
  withHashType[der.length] = 1;
  if (!isValidSignatureEncoding(withHashType)) return null;
  const lenR = der[3];
  const lenS = der[5 + lenR];
  const r = toBigInt(der.subarray(4, 4 + lenR));
  const s = toBigInt(der.subarray(6 + lenR, 6 + lenR + lenS));
  if (r >= CURVE_ORDER || s >= CURVE_ORDER) return null;
  return { r, s };
}

/** Minimal DER encoding of (r, s). */
export function encodeDer(sig: CompactSignature): Uint8Array {
  const r = derInteger(sig.r);
  const s = derInteger(sig.s);
  const out = new Uint8Array(6 + r.length + s.length);
  out[0] = 0x30;
  out[1] = 4 + r.length + s.length;
  out[2] = 0x02;
  out[3] = r.length;
  out.set(r, 4);
  out[4 + r.length] = 0x02;
  out[5 + r.length] = s.length;
  out.set(s, 6 + r.length);
  return out;
}

function derInteger(v: bigint): Uint8Array {
  const bytes = toBytes32(v);
  let start = 0;
  while (start < 31 && bytes[start] === 0) start++;
  const needsPad = (bytes[start] & 0x80) !== 0;
  const out = new Uint8Array(32 - start + (needsPad ? 1 : 0));
  out.set(bytes.subarray(start), needsPad ? 1 : 0);
  return out;
}

/** True when S ≤ n/2 (`CPubKey::CheckLowS`, on a lax-parsed DER signature without hashtype). */
export function isLowS(sigDer: Uint8Array): boolean {
  const sig = parseDerLax(sigDer);
  if (sig === null) return false;
  return sig.s <= HALF_ORDER;
}

/** Replaces a high S by n − S. */
export function normalizeS(sig: CompactSignature): CompactSignature {
  return sig.s > HALF_ORDER ? { r: sig.r, s: CURVE_ORDER - sig.s } : sig;
}

/** Big-endian bytes to bigint. */
export function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

/** bigint (< 2^256) to 32 big-endian bytes. */
export function toBytes32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
