/**
 * Signed messages (`signmessage`, `src/util/message.cpp`): SHA256d of Bitcoin's message magic
 * and the message, signed as a 65-byte compact recoverable signature (`CKey::SignCompact`:
 * RFC 6979 without low-R grinding; header 27 + recovery id, + 4 for compressed keys).
 *
 * The secp256k1 interface signs DER signatures only; the recovery id is found by recovering
 * the public key for each candidate, with the small amount of curve arithmetic below (once per
 * call, so bigint speed is fine).
 *
 * Note: roles/node has the same recovery for verifymessage; both belong in kernel/.
 *
 * @module
 */
import { bytesEqual, concatBytes } from "../../kernel/encoding/mod.ts";
import { sha256d } from "../../kernel/hash/mod.ts";
import { CURVE_ORDER, parseDerStrict, type Secp256k1 } from "../../kernel/secp256k1/mod.ts";

/** Freicoin keeps Bitcoin's magic (protocol.md §8). */
const MESSAGE_MAGIC = "Bitcoin Signed Message:\n";

const FIELD = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const G = {
  x: 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n,
  y: 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n,
};

type Affine = { x: bigint; y: bigint } | null;

function modulo(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function power(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = modulo(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

function invert(a: bigint, m: bigint): bigint {
  return power(a, m - 2n, m);
}

function add(a: Affine, b: Affine): Affine {
  if (a === null) return b;
  if (b === null) return a;
  let slope: bigint;
  if (a.x === b.x) {
    if (modulo(a.y + b.y, FIELD) === 0n) return null;
    slope = modulo(3n * a.x * a.x * invert(2n * a.y, FIELD), FIELD);
  } else {
    slope = modulo((b.y - a.y) * invert(b.x - a.x, FIELD), FIELD);
  }
  const x = modulo(slope * slope - a.x - b.x, FIELD);
  return { x, y: modulo(slope * (a.x - x) - a.y, FIELD) };
}

function multiply(point: Affine, scalar: bigint): Affine {
  let result: Affine = null;
  let addend = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

function toBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

function to32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--, value >>= 8n) out[i] = Number(value & 0xffn);
  return out;
}

/** The public key point that (r, s) over `hash` with recovery id `recid` verifies against. */
function recover(hash: Uint8Array, r: bigint, s: bigint, recid: number): Affine {
  const x = r + (recid & 2 ? CURVE_ORDER : 0n);
  if (x >= FIELD) return null;
  const ySquared = modulo(x * x * x + 7n, FIELD);
  let y = power(ySquared, (FIELD + 1n) / 4n, FIELD);
  if ((y * y) % FIELD !== ySquared) return null;
  if (Number(y & 1n) !== (recid & 1)) y = FIELD - y;
  const rInverse = invert(r, CURVE_ORDER);
  const e = modulo(toBigInt(hash), CURVE_ORDER);
  const sR = multiply({ x, y }, modulo(s * rInverse, CURVE_ORDER));
  const eG = multiply(G, modulo(-e * rInverse, CURVE_ORDER));
  return add(sR, eG);
}

function serializeString(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  const prefix = n < 0xfd
    ? Uint8Array.of(n)
    : n <= 0xffff
    ? Uint8Array.of(0xfd, n & 0xff, n >> 8)
    : Uint8Array.of(0xfe, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
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

/** The 65-byte compact signature of `message` by `secret`, or null if signing failed. */
export function signMessage(
  secp: Secp256k1,
  message: string,
  secret: Uint8Array,
  compressed: boolean,
): Uint8Array | null {
  const hash = messageHash(message);
  const signature = parseDerStrict(secp.signEcdsa(hash, secret, { grindLowR: false }));
  if (signature === null) return null;
  const pubkey = secp.publicKeyFromSecret(secret, compressed);
  for (let recid = 0; recid < 4; recid++) {
    const point = recover(hash, signature.r, signature.s, recid);
    if (point === null) continue;
    const encoded = compressed
      ? concatBytes(Uint8Array.of(point.y & 1n ? 3 : 2), to32(point.x))
      : concatBytes(Uint8Array.of(4), to32(point.x), to32(point.y));
    if (bytesEqual(encoded, pubkey)) {
      return concatBytes(
        Uint8Array.of(27 + recid + (compressed ? 4 : 0)),
        to32(signature.r),
        to32(signature.s),
      );
    }
  }
  return null;
}
