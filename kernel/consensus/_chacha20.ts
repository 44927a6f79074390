/** ChaCha20 keystream (RFC 8439 block function), zero nonce, as MuHash3072 uses it. */

function rotl(value: number, shift: number): number {
  return ((value << shift) | (value >>> (32 - shift))) >>> 0;
}

function quarterRound(s: Uint32Array, a: number, b: number, c: number, d: number): void {
  s[a] = (s[a] + s[b]) >>> 0;
  s[d] = rotl(s[d] ^ s[a], 16);
  s[c] = (s[c] + s[d]) >>> 0;
  s[b] = rotl(s[b] ^ s[c], 12);
  s[a] = (s[a] + s[b]) >>> 0;
  s[d] = rotl(s[d] ^ s[a], 8);
  s[c] = (s[c] + s[d]) >>> 0;
  s[b] = rotl(s[b] ^ s[c], 7);
}

/**
 * `length` bytes of ChaCha20 keystream for a 32-byte key, with block counter starting at
 * `counter` and a 96-bit nonce given as three little-endian words (default zero).
 */
export function chacha20Keystream(
  key: Uint8Array,
  length: number,
  counter = 0,
  nonce: readonly [number, number, number] = [0, 0, 0],
): Uint8Array {
  if (key.length !== 32) throw new RangeError("ChaCha20 key must be 32 bytes");
  const keyView = new DataView(key.buffer, key.byteOffset, 32);
  const input = new Uint32Array(16);
  input[0] = 0x61707865;
  input[1] = 0x3320646e;
  input[2] = 0x79622d32;
  input[3] = 0x6b206574;
  for (let i = 0; i < 8; i++) input[4 + i] = keyView.getUint32(i * 4, true);
  input[13] = nonce[0];
  input[14] = nonce[1];
  input[15] = nonce[2];
  const out = new Uint8Array(length);
  const outView = new DataView(out.buffer);
  const working = new Uint32Array(16);
  for (let offset = 0, block = counter; offset < length; offset += 64, block++) {
    input[12] = block >>> 0;
    working.set(input);
    for (let round = 0; round < 10; round++) {
      quarterRound(working, 0, 4, 8, 12);
      quarterRound(working, 1, 5, 9, 13);
      quarterRound(working, 2, 6, 10, 14);
      quarterRound(working, 3, 7, 11, 15);
      quarterRound(working, 0, 5, 10, 15);
      quarterRound(working, 1, 6, 11, 12);
      quarterRound(working, 2, 7, 8, 13);
      quarterRound(working, 3, 4, 9, 14);
    }
    for (let i = 0; i < 16 && offset + i * 4 < length; i++) {
      const word = (working[i] + input[i]) >>> 0;
      if (offset + i * 4 + 4 <= length) {
        outView.setUint32(offset + i * 4, word, true);
      } else {
        for (let b = 0; offset + i * 4 + b < length; b++) {
          out[offset + i * 4 + b] = word >>> (8 * b);
        }
      }
    }
  }
  return out;
}
