import assert from "node:assert/strict";
import { Poly1305, poly1305 } from "./poly1305.ts";
import { AeadChaCha20Poly1305, FSChaCha20Poly1305 } from "./chacha20_poly1305.ts";

/** Poly1305 straight from RFC 8439 §2.5.1 on bigints: slow, obviously right. */
function referencePoly1305(key: Uint8Array, message: Uint8Array): Uint8Array {
  const le = (bytes: Uint8Array) => bytes.reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);
  const p = (1n << 130n) - 5n;
  const r = le(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = le(key.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < message.length; i += 16) {
    const block = message.subarray(i, i + 16);
    acc = ((acc + le(block) + (1n << BigInt(8 * block.length))) * r) % p;
  }
  let tag = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++, tag >>= 8n) out[i] = Number(tag & 0xffn);
  return out;
}

function prng(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

Deno.test("Poly1305 agrees with a plain bigint Poly1305 on random and extreme inputs", () => {
  const random = prng(2024);
  for (let run = 0; run < 300; run++) {
    const extreme = run % 3 === 0; // all-0xff keys and messages stress the limb carries
    const key = Uint8Array.from({ length: 32 }, () => extreme ? 0xff : random(256));
    const message = Uint8Array.from({ length: random(200) }, () => extreme ? 0xff : random(256));
    const expected = referencePoly1305(key, message);
    assert.deepEqual(poly1305(key, message), expected, `run ${run}`);
    const cut = random(message.length + 1);
    const split = new Poly1305(key).update(message.subarray(0, cut)).update(message.subarray(cut))
      .finish();
    assert.deepEqual(split, expected, `run ${run} split at ${cut}`);
  }
});

Deno.test("AEAD decryption of random bytes fails cleanly (bounded fuzz)", () => {
  const random = prng(77);
  const aead = new AeadChaCha20Poly1305(new Uint8Array(32).fill(9));
  const fs = new FSChaCha20Poly1305(new Uint8Array(32).fill(9), 224);
  for (let run = 0; run < 300; run++) {
    const input = Uint8Array.from({ length: random(80) }, () => random(256));
    assert.equal(aead.decrypt(input, new Uint8Array(0), [run, 0n]), null);
    assert.equal(fs.decrypt(input, new Uint8Array(0)), null);
  }
});
