// Vectors transcribed from tradecraft 27.1 src/test/crypto_tests.cpp into
// testdata/crypto_vectors.json (RFC 8439, RFC 5869 and the BIP324 FSChaCha20 sets).
import assert from "node:assert/strict";
import { bytesToHex, hexToBytes } from "../encoding/mod.ts";
import { ChaCha20, FSChaCha20, type Nonce96 } from "./chacha20.ts";
import { Poly1305, poly1305 } from "./poly1305.ts";
import { AeadChaCha20Poly1305, FSChaCha20Poly1305 } from "./chacha20_poly1305.ts";
import { HkdfSha256L32 } from "./hkdf_sha256.ts";

interface Vectors {
  chacha20: {
    message: string;
    key: string;
    nonce: [string, string];
    seek: number;
    output: string;
  }[];
  fschacha20: {
    plaintext: string;
    key: string;
    rekeyInterval: number;
    ciphertextAfterRotation: string;
  }[];
  poly1305: { message: string; key: string; tag: string }[];
  chacha20poly1305: {
    plaintext: string;
    aad: string;
    key: string;
    nonce: [string, string];
    ciphertext: string;
  }[];
  fschacha20poly1305: {
    plaintext: string;
    aad: string;
    key: string;
    messageIndex: number;
    ciphertext: string;
  }[];
  hkdfSha256L32: { ikm: string; salt: string; info: string; okm: string }[];
}

const vectors: Vectors = JSON.parse(
  await Deno.readTextFile(new URL("./testdata/crypto_vectors.json", import.meta.url)),
);

function nonce(pair: [string, string]): Nonce96 {
  return [Number(pair[0]), BigInt(pair[1])];
}

/** Deterministic split points for chunking tests. */
function splits(length: number, seed: number): number[] {
  const a = (seed * 7919) % (length + 1);
  const b = a + ((seed * 104729) % (length - a + 1));
  return [a, b];
}

Deno.test("ChaCha20 matches the reference vectors, whole and in chunks", async (t) => {
  for (const [i, v] of vectors.chacha20.entries()) {
    await t.step(`vector ${i}`, () => {
      const cipher = new ChaCha20(hexToBytes(v.key));
      const message = hexToBytes(v.message);
      const length = v.output.length / 2;
      cipher.seek(nonce(v.nonce), v.seek);
      const whole = v.message === "" ? cipher.keystream(length) : cipher.crypt(message);
      assert.equal(bytesToHex(whole), v.output);
      for (let seed = 1; seed <= 5; seed++) {
        const [a, b] = splits(length, seed);
        cipher.seek(nonce(v.nonce), v.seek);
        const out = new Uint8Array(length);
        for (const [from, to] of [[0, a], [a, b], [b, length]]) {
          out.set(
            v.message === ""
              ? cipher.keystream(to - from)
              : cipher.crypt(message.subarray(from, to)),
            from,
          );
        }
        assert.equal(bytesToHex(out), v.output);
      }
    });
  }
});

Deno.test("FSChaCha20 rekeys after the interval as the reference vectors expect", async (t) => {
  for (const [i, v] of vectors.fschacha20.entries()) {
    await t.step(`vector ${i}`, () => {
      const key = hexToBytes(v.key);
      const plaintext = hexToBytes(v.plaintext);
      const fs = new FSChaCha20(key, v.rekeyInterval);
      const plain = new ChaCha20(key);
      for (let n = 0; n < v.rekeyInterval; n++) {
        assert.deepEqual(fs.crypt(plaintext), plain.crypt(plaintext));
      }
      assert.equal(bytesToHex(fs.crypt(plaintext)), v.ciphertextAfterRotation);
    });
  }
});

Deno.test("Poly1305 matches the reference vectors, whole and incrementally", async (t) => {
  for (const [i, v] of vectors.poly1305.entries()) {
    await t.step(`vector ${i}`, () => {
      const key = hexToBytes(v.key);
      const message = hexToBytes(v.message);
      assert.equal(bytesToHex(poly1305(key, message)), v.tag);
      for (let seed = 1; seed <= 5; seed++) {
        const [a, b] = splits(message.length, seed);
        const tag = new Poly1305(key).update(message.subarray(0, a)).update(message.subarray(a, b))
          .update(message.subarray(b)).finish();
        assert.equal(bytesToHex(tag), v.tag);
      }
    });
  }
});

Deno.test("ChaCha20-Poly1305 encrypts and decrypts the reference vectors", async (t) => {
  for (const [i, v] of vectors.chacha20poly1305.entries()) {
    await t.step(`vector ${i}`, () => {
      const aead = new AeadChaCha20Poly1305(hexToBytes(v.key));
      const plaintext = hexToBytes(v.plaintext);
      const aad = hexToBytes(v.aad);
      const n = nonce(v.nonce);
      assert.equal(bytesToHex(aead.encrypt(plaintext, aad, n)), v.ciphertext);
      const [a] = splits(plaintext.length, 3);
      const split = [plaintext.subarray(0, a), plaintext.subarray(a)];
      assert.equal(bytesToHex(aead.encrypt(split, aad, n)), v.ciphertext);
      assert.deepEqual(aead.decrypt(hexToBytes(v.ciphertext), aad, n), plaintext);
      const tampered = hexToBytes(v.ciphertext);
      tampered[tampered.length - 1] ^= 1;
      assert.equal(aead.decrypt(tampered, aad, n), null);
      const keystream = aead.keystream(n, plaintext.length);
      const expected = hexToBytes(v.ciphertext);
      for (let k = 0; k < plaintext.length; k++) {
        assert.equal(plaintext[k] ^ keystream[k], expected[k]);
      }
    });
  }
});

Deno.test("FSChaCha20Poly1305 matches the reference vectors after many packets", async (t) => {
  for (const [i, v] of vectors.fschacha20poly1305.entries()) {
    await t.step(`vector ${i}`, () => {
      const key = hexToBytes(v.key);
      const enc = new FSChaCha20Poly1305(key, 224);
      const dec = new FSChaCha20Poly1305(key, 224);
      const empty = new Uint8Array(0);
      for (let n = 0; n < v.messageIndex; n++) {
        const dummy = enc.encrypt(empty, empty);
        assert.deepEqual(dec.decrypt(dummy, empty), empty);
      }
      const aad = hexToBytes(v.aad);
      const ciphertext = enc.encrypt(hexToBytes(v.plaintext), aad);
      assert.equal(bytesToHex(ciphertext), v.ciphertext);
      assert.equal(bytesToHex(dec.decrypt(ciphertext, aad)!), v.plaintext);
    });
  }
});

Deno.test("HKDF-SHA256 (L=32) matches the RFC 5869 vectors truncated to 32 bytes", async (t) => {
  for (const [i, v] of vectors.hkdfSha256L32.entries()) {
    await t.step(`vector ${i}`, () => {
      const hkdf = new HkdfSha256L32(hexToBytes(v.ikm), hexToBytes(v.salt));
      assert.equal(bytesToHex(hkdf.expand32(hexToBytes(v.info))), v.okm);
    });
  }
});
