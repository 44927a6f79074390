/**
 * A pure-TypeScript secp256k1 backend (bigint arithmetic, RFC6979 nonces),
 * for machines without libsecp256k1. Produces the same signatures as the
 * native backend; verification is roughly two orders of magnitude slower.
 */
import type { Secp256k1, SignOptions } from "./secp256k1.ts";
import {
  add,
  type Affine,
  invert,
  isOnCurve,
  type Jacobian,
  modN,
  multiply,
  multiplyBase,
  N,
  P,
  sqrtModP,
  toAffine,
} from "./_curve.ts";
import { encodeDer, normalizeS, parseDerLax, toBigInt, toBytes32 } from "./der.ts";
import { hmacSha256, taggedHash } from "./_hash.ts";

/** Parses a serialized public key like libsecp256k1's `secp256k1_ec_pubkey_parse`. */
function parsePoint(pubkey: Uint8Array): Affine | null {
  if (pubkey.length === 33 && (pubkey[0] === 0x02 || pubkey[0] === 0x03)) {
    const x = toBigInt(pubkey.subarray(1));
    if (x >= P) return null;
    const y = sqrtModP(x * x * x + 7n);
    if (y === null) return null;
    const odd = (y & 1n) === 1n;
    return { x, y: odd === (pubkey[0] === 0x03) ? y : P - y };
  }
  if (pubkey.length === 65 && (pubkey[0] === 0x04 || pubkey[0] === 0x06 || pubkey[0] === 0x07)) {
    const x = toBigInt(pubkey.subarray(1, 33));
    const y = toBigInt(pubkey.subarray(33));
    if (x >= P || y >= P) return null;
    // Hybrid keys (0x06/0x07) carry the parity of y in the header.
    if (pubkey[0] !== 0x04 && ((y & 1n) === 1n) !== (pubkey[0] === 0x07)) return null;
    if (!isOnCurve(x, y)) return null;
    return { x, y };
  }
  return null;
}

function serializePoint(p: Affine, compressed: boolean): Uint8Array {
  if (compressed) {
    const out = new Uint8Array(33);
    out[0] = (p.y & 1n) === 1n ? 0x03 : 0x02;
    out.set(toBytes32(p.x), 1);
    return out;
  }
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(toBytes32(p.x), 1);
  out.set(toBytes32(p.y), 33);
  return out;
}

function secretScalar(seckey: Uint8Array): bigint | null {
  if (seckey.length !== 32) return null;
  const d = toBigInt(seckey);
  return d === 0n || d >= N ? null : d;
}

/** HMAC-SHA256 DRBG of RFC6979 as libsecp256k1 runs it (key ‖ msg ‖ extra data). */
function* rfc6979Nonces(keyData: Uint8Array): Generator<bigint> {
  let v: Uint8Array = new Uint8Array(32).fill(1);
  let k: Uint8Array = new Uint8Array(32);
  k = hmacSha256(k, v, Uint8Array.of(0), keyData);
  v = hmacSha256(k, v);
  k = hmacSha256(k, v, Uint8Array.of(1), keyData);
  v = hmacSha256(k, v);
  while (true) {
    v = hmacSha256(k, v);
    yield toBigInt(v);
    k = hmacSha256(k, v, Uint8Array.of(0));
    v = hmacSha256(k, v);
  }
}

function signWithEntropy(
  z: bigint,
  msg32: Uint8Array,
  seckey: Uint8Array,
  d: bigint,
  extra?: Uint8Array,
) {
  const keyData = new Uint8Array(extra ? 96 : 64);
  keyData.set(seckey, 0);
  keyData.set(msg32, 32);
  if (extra) keyData.set(extra, 64);
  for (const nonce of rfc6979Nonces(keyData)) {
    if (nonce === 0n || nonce >= N) continue;
    const point = toAffine(multiplyBase(nonce))!;
    const r = modN(point.x);
    if (r === 0n) continue;
    const s = modN(invert(nonce, N) * (z + r * d));
    if (s === 0n) continue;
    return normalizeS({ r, s });
  }
  throw new Error("unreachable: nonce generator is infinite");
}

function liftX(x: bigint): Affine | null {
  if (x >= P) return null;
  const y = sqrtModP(x * x * x + 7n);
  if (y === null) return null;
  return { x, y: (y & 1n) === 0n ? y : P - y };
}

/** Creates the pure-TypeScript backend. *
 * @example
 * ```ts
 * import { createPureSecp256k1 } from "./pure_backend.ts";
 * const secp = createPureSecp256k1();
 * const key = new Uint8Array(32).fill(7);
 * const msg = new Uint8Array(32).fill(1);
 * console.assert(secp.verifyEcdsa(secp.signEcdsa(msg, key), msg, secp.publicKeyFromSecret(key, true)));
 * ```
 */
export function createPureSecp256k1(): Secp256k1 {
  return {
    backend: "pure",

    verifyEcdsa(sigDer: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
      const q = parsePoint(pubkey);
      if (q === null) return false;
      const parsed = parseDerLax(sigDer);
      if (parsed === null) return false;
      const { r, s } = normalizeS(parsed);
      if (r === 0n || s === 0n) return false;
      const z = modN(toBigInt(msg32));
      const w = invert(s, N);
      const sum: Jacobian = add(multiplyBase(modN(z * w)), multiply(q, modN(r * w)));
      const point = toAffine(sum);
      if (point === null) return false;
      return modN(point.x) === r;
    },

    signEcdsa(msg32: Uint8Array, seckey: Uint8Array, options?: SignOptions): Uint8Array {
      const d = secretScalar(seckey);
      if (d === null) throw new RangeError("invalid secret key");
      const z = modN(toBigInt(msg32));
      let sig = signWithEntropy(z, msg32, seckey, d);
      const grind = options?.grindLowR ?? true;
      // CKey::Sign: re-sign with a little-endian counter as extra entropy until R < 2^255.
      for (let counter = 1; grind && sig.r >= 1n << 255n; counter++) {
        const extra = new Uint8Array(32);
        new DataView(extra.buffer).setUint32(0, counter, true);
        sig = signWithEntropy(z, msg32, seckey, d, extra);
      }
      return encodeDer(sig);
    },

    publicKeyFromSecret(seckey: Uint8Array, compressed: boolean): Uint8Array {
      const d = secretScalar(seckey);
      if (d === null) throw new RangeError("invalid secret key");
      return serializePoint(toAffine(multiplyBase(d))!, compressed);
    },

    normalizePublicKey(pubkey: Uint8Array, compressed: boolean): Uint8Array | null {
      const p = parsePoint(pubkey);
      return p === null ? null : serializePoint(p, compressed);
    },

    isValidSecret(seckey: Uint8Array): boolean {
      return secretScalar(seckey) !== null;
    },

    privateKeyTweakAdd(seckey: Uint8Array, tweak: Uint8Array): Uint8Array | null {
      const d = secretScalar(seckey);
      if (d === null || tweak.length !== 32) return null;
      const t = toBigInt(tweak);
      if (t >= N) return null;
      const sum = modN(d + t);
      return sum === 0n ? null : toBytes32(sum);
    },

    publicKeyTweakAdd(
      pubkey: Uint8Array,
      tweak: Uint8Array,
      compressed: boolean,
    ): Uint8Array | null {
      const p = parsePoint(pubkey);
      if (p === null || tweak.length !== 32) return null;
      const t = toBigInt(tweak);
      if (t >= N) return null;
      const sum = toAffine(add({ x: p.x, y: p.y, z: 1n }, multiplyBase(t)));
      return sum === null ? null : serializePoint(sum, compressed);
    },

    signSchnorr(
      msg32: Uint8Array,
      seckey: Uint8Array,
      aux32: Uint8Array,
      tweak32?: Uint8Array,
    ): Uint8Array {
      let d = secretScalar(seckey);
      if (d === null) throw new RangeError("invalid secret key");
      let pub = toAffine(multiplyBase(d))!;
      if (tweak32 !== undefined) {
        // secp256k1_keypair_xonly_tweak_add: use the even-y key, then add the tweak.
        if (pub.y & 1n) d = N - d;
        const t = toBigInt(tweak32);
        if (t >= N) throw new RangeError("invalid tweak");
        d = modN(d + t);
        if (d === 0n) throw new RangeError("invalid tweak");
        pub = toAffine(multiplyBase(d))!;
      }
      if (pub.y & 1n) d = N - d;
      const px = toBytes32(pub.x);
      const masked = toBytes32(d);
      const auxHash = taggedHash("BIP0340/aux", aux32);
      for (let i = 0; i < 32; i++) masked[i] ^= auxHash[i];
      const k0 = modN(toBigInt(taggedHash("BIP0340/nonce", masked, px, msg32)));
      if (k0 === 0n) throw new Error("schnorr nonce is zero");
      const rPoint = toAffine(multiplyBase(k0))!;
      const k = rPoint.y & 1n ? N - k0 : k0;
      const rx = toBytes32(rPoint.x);
      const e = modN(toBigInt(taggedHash("BIP0340/challenge", rx, px, msg32)));
      const out = new Uint8Array(64);
      out.set(rx, 0);
      out.set(toBytes32(modN(k + e * d)), 32);
      return out;
    },

    xOnlyPublicKey(seckey: Uint8Array): Uint8Array {
      const d = secretScalar(seckey);
      if (d === null) throw new RangeError("invalid secret key");
      return toBytes32(toAffine(multiplyBase(d))!.x);
    },
  };
}

/** BIP340 verification (pure); exported for tests of the Schnorr signer. */
export function verifySchnorrPure(
  sig64: Uint8Array,
  msg32: Uint8Array,
  xonly: Uint8Array,
): boolean {
  if (sig64.length !== 64 || xonly.length !== 32) return false;
  const p = liftX(toBigInt(xonly));
  if (p === null) return false;
  const r = toBigInt(sig64.subarray(0, 32));
  const s = toBigInt(sig64.subarray(32));
  if (r >= P || s >= N) return false;
  const e = modN(toBigInt(taggedHash("BIP0340/challenge", sig64.subarray(0, 32), xonly, msg32)));
  const negP: Affine = { x: p.x, y: P - p.y };
  const rr = toAffine(add(multiplyBase(s), multiply(negP, e)));
  if (rr === null || (rr.y & 1n) === 1n) return false;
  return rr.x === r;
}
