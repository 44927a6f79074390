/** Order of the secp256k1 group. */
export const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Big-endian bytes as a bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** A bigint as `length` big-endian bytes (the value must fit). */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** True when 32 bytes are a valid secp256k1 secret key: 1 <= k < n (`CKey::Check`). */
export function isValidSecretKey(secret: Uint8Array): boolean {
  if (secret.length !== 32) return false;
  const k = bytesToBigInt(secret);
  return k > 0n && k < SECP256K1_ORDER;
}
