import assert from "node:assert/strict";
import { sipHash24 } from "./siphash.ts";

// Key 00 01 .. 0f as little-endian words, and the first reference outputs of the SipHash paper.
const KEY = { k0: 0x0706050403020100n, k1: 0x0f0e0d0c0b0a0908n };
const EXPECTED: [number, bigint][] = [
  [0, 0x726fdb47dd0e0e31n],
  [1, 0x74f839c593dc67fdn],
  [2, 0x0d6c8009d9a94f5an],
  [3, 0x85676696d7fb7e2dn],
  [8, 0x93f5f5799a932462n],
  [15, 0xa129ca6149be45e5n],
];

Deno.test("SipHash-2-4 matches the reference vectors", () => {
  for (const [length, expected] of EXPECTED) {
    const message = Uint8Array.from({ length }, (_, i) => i);
    assert.equal(sipHash24(KEY, message), expected, `length ${length}`);
  }
});
