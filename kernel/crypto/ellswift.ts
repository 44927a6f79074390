/**
 * ElligatorSwift encoding of secp256k1 public keys and the BIP324 x-only ECDH
 * (`secp256k1_ellswift_*` in libsecp256k1's ellswift module, which Debian's 0.2.0 lacks).
 * A 64-byte encoding is two field elements u ‖ t (big-endian, reduced mod p); XSwiftEC maps
 * any (u, t) to an x coordinate on the curve, so the encoding is indistinguishable from
 * random bytes.
 *
 * @module
 */
import {
  FIELD_PRIME as P,
  fieldInvert,
  fieldReduce as mod,
  fieldSqrt,
  isValidX,
  multiplyXOnly,
} from "../secp256k1/mod.ts";
import { createPureSecp256k1, CURVE_ORDER } from "../secp256k1/mod.ts";
import { sha256, taggedHash } from "../hash/mod.ts";

/** Size of an ElligatorSwift-encoded public key. */
export const ELLSWIFT_SIZE = 64;

/** √−3 mod p, the constant of the SwiftEC map. */
const SQRT_MINUS_3 = fieldSqrt(P - 3n)!;

function div(a: bigint, b: bigint): bigint {
  return mod(a * fieldInvert(b));
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function bigintTo32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** XSwiftEC(u, t): the x coordinate (on the curve) that the field elements u, t encode. */
export function xswiftec(u: bigint, t: bigint): bigint {
  u = mod(u);
  t = mod(t);
  // The remappings that make the map total (BIP324 "ElligatorSwift encoding").
  if (u === 0n) u = 1n;
  if (t === 0n) t = 1n;
  const u3plus7 = mod(u * u * u + 7n);
  if (mod(u3plus7 + t * t) === 0n) t = mod(2n * t);
  const bigX = div(u3plus7 - t * t, 2n * t);
  const bigY = div(bigX + t, SQRT_MINUS_3 * u);
  const x1 = mod(u + 4n * bigY * bigY);
  if (isValidX(x1)) return x1;
  const xOverY = div(bigX, bigY);
  const x2 = div(-xOverY - u, 2n);
  if (isValidX(x2)) return x2;
  return div(xOverY - u, 2n); // proven valid when x1 and x2 are not
}

/**
 * XSwiftEC⁻¹: a t with `xswiftec(u, t) = x`, or `null` when branch `branch` (0..7) of the
 * inverse has no solution for this u.
 */
export function xswiftecInv(x: bigint, u: bigint, branch: number): bigint | null {
  x = mod(x);
  u = mod(u);
  const u3plus7 = mod(u * u * u + 7n);
  let v: bigint;
  let s: bigint;
  if ((branch & 2) === 0) {
    if (isValidX(mod(-x - u))) return null;
    v = x;
    const denominator = mod(u * u + u * v + v * v);
    if (denominator === 0n) return null;
    s = div(-u3plus7, denominator);
  } else {
    s = mod(x - u);
    if (s === 0n) return null;
    const r = fieldSqrt(mod(-s * (4n * u3plus7 + 3n * s * u * u)));
    if (r === null) return null;
    if ((branch & 1) !== 0 && r === 0n) return null;
    v = div(div(r, s) - u, 2n);
  }
  const w = fieldSqrt(s);
  if (w === null) return null;
  const plus = mod(u * div(1n + SQRT_MINUS_3, 2n) + v); // u·(1+√−3)/2 + v
  const minus = mod(u * div(1n - SQRT_MINUS_3, 2n) + v); // u·(1−√−3)/2 + v
  switch (branch & 5) {
    case 0:
      return mod(-w * minus);
    case 1:
      return mod(w * plus);
    case 4:
      return mod(w * minus);
    default:
      return mod(-w * plus);
  }
}

/** The field elements (u, t) of a 64-byte encoding, reduced mod p. */
function splitEncoding(encoding: Uint8Array): [bigint, bigint] {
  if (encoding.length !== ELLSWIFT_SIZE) {
    throw new RangeError("ElligatorSwift encoding is 64 bytes");
  }
  return [mod(bytesToBigint(encoding.subarray(0, 32))), mod(bytesToBigint(encoding.subarray(32)))];
}

/** The x coordinate (32 bytes, big-endian) of the public key a 64-byte encoding represents. */
export function ellswiftDecodeX(encoding: Uint8Array): Uint8Array {
  const [u, t] = splitEncoding(encoding);
  return bigintTo32(xswiftec(u, t));
}

/**
 * The compressed (33-byte) public key a 64-byte encoding represents: the point with the
 * decoded x whose y has the parity of t.
 */
export function ellswiftDecode(encoding: Uint8Array): Uint8Array {
  const [u, t] = splitEncoding(encoding);
  const x = xswiftec(u, t);
  const out = new Uint8Array(33);
  out[0] = (t & 1n) === 0n ? 0x02 : 0x03;
  out.set(bigintTo32(x), 1);
  return out;
}

/**
 * Encodes the public key of `privateKey` (32 bytes) as 64 ElligatorSwift bytes. The kernel
 * has no randomness, so the caller passes 32 bytes of `entropy`: fresh random bytes give a
 * uniformly random-looking encoding; the same entropy gives the same encoding.
 *
 * @throws {RangeError} when the private key is zero or not below the curve order
 */
export function ellswiftCreate(privateKey: Uint8Array, entropy: Uint8Array): Uint8Array {
  const scalar = privateScalar(privateKey);
  const compressed = publicKeyOf(scalar);
  const x = bytesToBigint(compressed.subarray(1));
  const yOdd = compressed[0] === 0x03;
  const seed = new Uint8Array(entropy.length + 4);
  seed.set(entropy);
  const view = new DataView(seed.buffer);
  for (let counter = 0;; counter++) {
    view.setUint32(entropy.length, counter, true);
    const draw = sha256(seed);
    const u = mod(bytesToBigint(draw));
    if (u === 0n) continue;
    let t = xswiftecInv(x, u, draw[31] & 7);
    if (t === null) continue;
    // Decoding takes y's parity from t; negating t keeps x.
    if (((t & 1n) === 1n) !== yOdd) t = mod(-t);
    const out = new Uint8Array(ELLSWIFT_SIZE);
    out.set(bigintTo32(u), 0);
    out.set(bigintTo32(t), 32);
    return out;
  }
}

function privateScalar(privateKey: Uint8Array): bigint {
  if (privateKey.length !== 32) throw new RangeError("private key must be 32 bytes");
  const scalar = bytesToBigint(privateKey);
  if (scalar === 0n || scalar >= CURVE_ORDER) throw new RangeError("invalid private key");
  return scalar;
}

const pureSecp256k1 = createPureSecp256k1();

/** The compressed public key of a valid `scalar`. */
function publicKeyOf(scalar: bigint): Uint8Array {
  return pureSecp256k1.publicKeyFromSecret(bigintTo32(scalar), true);
}

/**
 * BIP324's ECDH: the tagged hash "bip324_ellswift_xonly_ecdh" of
 * `initiatorEncoding ‖ responderEncoding ‖ x(privateKey · theirKey)`, where "their" key is the
 * responder's when `initiating`, else the initiator's (`secp256k1_ellswift_xdh` with
 * `secp256k1_ellswift_xdh_hash_function_bip324`).
 */
export function ellswiftXdh(
  initiatorEncoding: Uint8Array,
  responderEncoding: Uint8Array,
  privateKey: Uint8Array,
  initiating: boolean,
): Uint8Array {
  const scalar = privateScalar(privateKey);
  const theirs = initiating ? responderEncoding : initiatorEncoding;
  const [u, t] = splitEncoding(theirs);
  const shared = multiplyXOnly(xswiftec(u, t), scalar);
  // Never null: the decoded x is on the curve and 0 < scalar < n on a prime-order group.
  const data = new Uint8Array(ELLSWIFT_SIZE * 2 + 32);
  data.set(initiatorEncoding, 0);
  data.set(responderEncoding, ELLSWIFT_SIZE);
  data.set(bigintTo32(shared!), ELLSWIFT_SIZE * 2);
  return taggedHash("bip324_ellswift_xonly_ecdh", data);
}
