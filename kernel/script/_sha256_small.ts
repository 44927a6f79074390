// One-shot SHA-256 in TypeScript for the short messages of script validation
// (sighash preimages, witness scripts, 32-byte rehashes). node:crypto costs a
// native call, a Buffer and garbage per digest (~4 µs under load); this runs
// in ~1 µs per block with no intermediate garbage. Large inputs still go to
// kernel/hash (node:crypto). Candidate to move into kernel/hash.
import { sha256 as sha256Native } from "../hash/mod.ts";

const K = new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);
const W = new Int32Array(64);
const H = new Int32Array(8);
const TAIL = new Uint8Array(128);

/** Above this size node:crypto's native code wins over the per-call overhead it saves. */
const SMALL_LIMIT = 256;

function compress(block: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++, off += 4) {
    W[i] = (block[off] << 24) | (block[off + 1] << 16) | (block[off + 2] << 8) | block[off + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15];
    const y = W[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/** Hashes `data` into H (any length). */
function hashInto(data: Uint8Array): void {
  H.set(IV);
  const length = data.length;
  const full = length - (length & 63);
  for (let off = 0; off < full; off += 64) compress(data, off);
  const rest = length - full;
  const tailLength = rest < 56 ? 64 : 128;
  TAIL.set(data.subarray(full), 0);
  TAIL[rest] = 0x80;
  TAIL.fill(0, rest + 1, tailLength - 5);
  const bits = length * 8;
  TAIL[tailLength - 5] = bits / 0x100000000;
  TAIL[tailLength - 4] = bits >>> 24;
  TAIL[tailLength - 3] = bits >>> 16;
  TAIL[tailLength - 2] = bits >>> 8;
  TAIL[tailLength - 1] = bits;
  compress(TAIL, 0);
  if (tailLength === 128) compress(TAIL, 64);
}

function writeState(out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++) {
    const v = H[i];
    out[at + 4 * i] = v >>> 24;
    out[at + 4 * i + 1] = v >>> 16;
    out[at + 4 * i + 2] = v >>> 8;
    out[at + 4 * i + 3] = v;
  }
}

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  if (data.length > SMALL_LIMIT) return sha256Native(data);
  hashInto(data);
  const out = new Uint8Array(32);
  writeState(out, 0);
  return out;
}

/** SHA-256 of SHA-256 of `data`; the inner digest never leaves the hasher's state. */
export function sha256d(data: Uint8Array): Uint8Array {
  if (data.length > SMALL_LIMIT) {
    hashInto(sha256Native(data));
  } else {
    hashInto(data);
    // Second pass over the 32-byte digest: one padded block.
    writeState(TAIL, 0);
    TAIL[32] = 0x80;
    TAIL.fill(0, 33, 62);
    TAIL[62] = 0x01; // 256 bits
    TAIL[63] = 0x00;
    H.set(IV);
    compress(TAIL, 0);
  }
  const out = new Uint8Array(32);
  writeState(out, 0);
  return out;
}
