import assert from "node:assert/strict";
import { sha256 as reference, sha256d as referenceD } from "../hash/mod.ts";
import { sha256, sha256d } from "./_sha256_small.ts";

Deno.test("the small-message SHA-256 matches kernel/hash for every length 0..300", () => {
  for (let length = 0; length <= 300; length++) {
    const data = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
    assert.deepEqual(sha256(data), reference(data), `sha256 length ${length}`);
    assert.deepEqual(sha256d(data), referenceD(data), `sha256d length ${length}`);
  }
});

Deno.test("the small-message SHA-256 is not disturbed by interleaved calls", () => {
  const a = new Uint8Array(100).fill(1);
  const b = new Uint8Array(40).fill(2);
  const first = sha256(a);
  sha256d(b);
  assert.deepEqual(sha256(a), first);
});
