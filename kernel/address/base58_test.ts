import assert from "node:assert/strict";
import { decodeBase58, decodeBase58Check, encodeBase58Check } from "./base58.ts";

function hex(bytes: Uint8Array | null): string | null {
  return bytes && Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("decodeBase58 skips surrounding whitespace but nothing else", () => {
  assert.equal(hex(decodeBase58(" \t\n\v\f\r skip \r\f\v\n\t ", 3)), "971a55");
  assert.equal(decodeBase58(" \t\n\v\f\r skip \r\f\v\n\t a", 3), null);
  assert.equal(decodeBase58("invalid", 100), null);
  assert.equal(decodeBase58("good\0bad", 100), null);
  assert.equal(decodeBase58("\0good", 100), null);
  assert.ok(decodeBase58("good", 100));
  assert.equal(decodeBase58("bad0IOl", 100), null);
});

Deno.test("decodeBase58 stops at the length limit", () => {
  assert.equal(decodeBase58("1111", 3), null);
  assert.equal(hex(decodeBase58("111", 3)), "000000");
  assert.equal(decodeBase58("zzzzzzzz", 5), null);
});

Deno.test("decodeBase58Check verifies the checksum", () => {
  assert.ok(decodeBase58Check("3vQB7B6MrGQZaxCuFg4oh", 100));
  assert.equal(decodeBase58Check("3vQB7B6MrGQZaxCuFg4oi", 100), null);
  assert.equal(decodeBase58Check("3vQB7B6MrGQZaxCuFg4oh0IOl", 100), null);
});

Deno.test("Base58Check round-trips and honours the payload limit", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let n = 0; n < 200; n++) {
    const length = 1 + (next() % 100);
    const zeroes = next() % 2 ? next() % (length + 1) : 0;
    const data = Uint8Array.from({ length }, (_, i) => (i < zeroes ? 0 : next()));
    const encoded = encodeBase58Check(data);
    assert.equal(decodeBase58Check(encoded, length - 1), null);
    assert.equal(hex(decodeBase58Check(encoded, length)), hex(data));
  }
});
