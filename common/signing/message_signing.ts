/**
 * Signed messages (`src/util/message.cpp`): the message hash with Bitcoin's magic, 65-byte
 * compact recoverable signatures (`CKey::SignCompact`, `CPubKey::RecoverCompact`) and the
 * verification outcomes `verifymessage` maps to its answers.
 *
 * The kernel's secp256k1 interface signs and verifies DER signatures but does not recover keys,
 * so the recovery arithmetic (a few point operations, used once per RPC call) is here.
 *
 * @module
 */
import { type ChainPrefixes, decodeDestination, pkHashOf } from "../../kernel/address/mod.ts";
import { bytesEqual, concatBytes } from "../../kernel/encoding/mod.ts";
import { sha256d } from "../../kernel/hash/mod.ts";
import { CURVE_ORDER, parseDerStrict, type Secp256k1 } from "../../kernel/secp256k1/mod.ts";

/** Freicoin keeps Bitcoin's message magic (protocol.md §8). */
export const MESSAGE_MAGIC = "Bitcoin Signed Message:\n";

const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const N = CURVE_ORDER;
const GX = 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n;
const GY = 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n;

/** CompactSize length prefix followed by the bytes (a serialized std::string). */
function serializeString(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  let prefix: Uint8Array;
  if (n < 0xfd) prefix = Uint8Array.of(n);
  else if (n <= 0xffff) prefix = Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  else {
    prefix = Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  }
  return concatBytes(prefix, bytes);
}

/** `MessageHash`: SHA256d of the serialized magic and message. */
export function messageHash(message: string): Uint8Array {
  const encoder = new TextEncoder();
  return sha256d(
    concatBytes(
      serializeString(encoder.encode(MESSAGE_MAGIC)),
      serializeString(encoder.encode(message)),
    ),
  );
}

// --- minimal affine point arithmetic for key recovery -------------------------------------

type Point = { x: bigint; y: bigint } | null;

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function powMod(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  base = mod(base, m);
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % m;
    base = (base * base) % m;
    exp >>= 1n;
  }
  return result;
}

function inverse(a: bigint, m: bigint): bigint {
  return powMod(a, m - 2n, m);
}

/** A point in Jacobian coordinates (x/z², y/z³); z = 0 is infinity. */
type Jacobian = { x: bigint; y: bigint; z: bigint };

const INFINITY: Jacobian = { x: 0n, y: 1n, z: 0n };

function toJacobian(p: Point): Jacobian {
  return p === null ? INFINITY : { x: p.x, y: p.y, z: 1n };
}

function toAffine(p: Jacobian): Point {
  if (p.z === 0n) return null;
  const zInv = inverse(p.z, P);
  const zInv2 = (zInv * zInv) % P;
  return { x: (p.x * zInv2) % P, y: (p.y * zInv2 % P) * zInv % P };
}

function jacobianDouble(p: Jacobian): Jacobian {
  if (p.z === 0n || p.y === 0n) return INFINITY;
  const ySq = (p.y * p.y) % P;
  const s = (4n * p.x * ySq) % P;
  const m = (3n * p.x * p.x) % P;
  const x = mod(m * m - 2n * s, P);
  const y = mod(m * (s - x) - 8n * ySq * ySq, P);
  return { x, y, z: (2n * p.y * p.z) % P };
}

function jacobianAdd(p: Jacobian, q: Jacobian): Jacobian {
  if (p.z === 0n) return q;
  if (q.z === 0n) return p;
  const pz2 = (p.z * p.z) % P;
  const qz2 = (q.z * q.z) % P;
  const u1 = (p.x * qz2) % P;
  const u2 = (q.x * pz2) % P;
  const s1 = (p.y * qz2 % P) * q.z % P;
  const s2 = (q.y * pz2 % P) * p.z % P;
  if (u1 === u2) return s1 === s2 ? jacobianDouble(p) : INFINITY;
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  const h2 = (h * h) % P;
  const h3 = (h2 * h) % P;
  const u1h2 = (u1 * h2) % P;
  const x = mod(r * r - h3 - 2n * u1h2, P);
  const y = mod(r * (u1h2 - x) - s1 * h3, P);
  return { x, y, z: (h * p.z % P) * q.z % P };
}

/** a·A + b·B with one shared doubling chain (Shamir's trick). */
function doubleMultiply(a: bigint, pa: Point, b: bigint, pb: Point): Point {
  const ja = toJacobian(pa);
  const jb = toJacobian(pb);
  const both = jacobianAdd(ja, jb);
  let result = INFINITY;
  const bits = Math.max(a.toString(2).length, b.toString(2).length);
  for (let i = bits - 1; i >= 0; i--) {
    result = jacobianDouble(result);
    const bitA = (a >> BigInt(i)) & 1n;
    const bitB = (b >> BigInt(i)) & 1n;
    if (bitA && bitB) result = jacobianAdd(result, both);
    else if (bitA) result = jacobianAdd(result, ja);
    else if (bitB) result = jacobianAdd(result, jb);
  }
  return toAffine(result);
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bigIntTo32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function encodePoint(point: { x: bigint; y: bigint }, compressed: boolean): Uint8Array {
  if (compressed) return concatBytes(Uint8Array.of(point.y & 1n ? 3 : 2), bigIntTo32(point.x));
  return concatBytes(Uint8Array.of(4), bigIntTo32(point.x), bigIntTo32(point.y));
}

/** Recovers the public key of (r, s) over `hash` with recovery id 0..3, or null. */
function recoverPoint(hash: Uint8Array, r: bigint, s: bigint, recid: number): Point {
  if (r <= 0n || r >= N || s <= 0n || s >= N) return null;
  const x = r + (recid >= 2 ? N : 0n);
  if (x >= P) return null;
  const alpha = mod(x * x * x + 7n, P);
  let y = powMod(alpha, (P + 1n) / 4n, P);
  if ((y * y) % P !== alpha) return null;
  if ((y & 1n) !== BigInt(recid & 1)) y = P - y;
  const e = mod(bytesToBigInt(hash), N);
  const rInv = inverse(r, N);
  return doubleMultiply(mod(s * rInv, N), { x, y }, mod(-e * rInv, N), { x: GX, y: GY });
}

/**
 * `CPubKey::RecoverCompact`: the public key that made a 65-byte compact signature over `hash`,
 * or null when the signature is malformed or recovers nothing.
 */
export function recoverCompact(hash: Uint8Array, signature: Uint8Array): Uint8Array | null {
  if (signature.length !== 65) return null;
  const header = signature[0];
  if (header < 27 || header > 34) return null;
  const recid = (header - 27) & 3;
  const compressed = ((header - 27) & 4) !== 0;
  const r = bytesToBigInt(signature.subarray(1, 33));
  const s = bytesToBigInt(signature.subarray(33, 65));
  const point = recoverPoint(hash, r, s, recid);
  return point === null ? null : encodePoint(point, compressed);
}

/** `CKey::SignCompact`: a deterministic (RFC 6979, no low-R grinding) recoverable signature. */
export function signCompact(
  secp: Secp256k1,
  hash: Uint8Array,
  secret: Uint8Array,
  compressed: boolean,
): Uint8Array | null {
  const der = secp.signEcdsa(hash, secret, { grindLowR: false });
  const sig = parseDerStrict(der);
  if (sig === null) return null;
  const pubkey = secp.publicKeyFromSecret(secret, compressed);
  for (let recid = 0; recid < 4; recid++) {
    const point = recoverPoint(hash, sig.r, sig.s, recid);
    if (point !== null && bytesEqual(encodePoint(point, compressed), pubkey)) {
      return concatBytes(
        Uint8Array.of(27 + recid + (compressed ? 4 : 0)),
        bigIntTo32(sig.r),
        bigIntTo32(sig.s),
      );
    }
  }
  return null;
}

/** Outcomes of `MessageVerify`. */
export type MessageVerification =
  | "invalid_address"
  | "address_no_key"
  | "malformed_signature"
  | "pubkey_not_recovered"
  | "not_signed"
  | "ok";

/** Strict base64 decoding as freicoind's `DecodeBase64` (padding required, no whitespace). */
export function decodeBase64Strict(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Base64 of bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** `MessageVerify`: whether `signature` (base64) signs `message` for a P2PKH `address`. */
export function verifyMessage(
  prefixes: ChainPrefixes,
  address: string,
  signature: string,
  message: string,
): MessageVerification {
  const decoded = decodeDestination(address, prefixes);
  if (!decoded.ok) return "invalid_address";
  const dest = decoded.destination;
  if (dest.kind !== "PKHash") return "address_no_key";
  const bytes = decodeBase64Strict(signature);
  if (bytes === null) return "malformed_signature";
  const pubkey = recoverCompact(messageHash(message), bytes);
  if (pubkey === null) return "pubkey_not_recovered";
  return bytesEqual(pkHashOf(pubkey).hash, dest.hash) ? "ok" : "not_signed";
}
