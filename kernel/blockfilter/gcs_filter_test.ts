import assert from "node:assert/strict";
import { DecodeError } from "../encoding/mod.ts";
import { GcsFilter } from "./gcs_filter.ts";

const PARAMS = { key: { k0: 0x1234n, k1: 0x5678n }, p: 19, m: 784931 };

function element(i: number): Uint8Array {
  return Uint8Array.from([i & 0xff, (i >> 8) & 0xff, 0xaa, i % 7]);
}

Deno.test("matches every member and rarely anything else", () => {
  const members = Array.from({ length: 200 }, (_, i) => element(i));
  const filter = GcsFilter.fromElements(PARAMS, members);
  assert.equal(filter.n, 200);
  for (const member of members) assert.ok(filter.match(member));
  let falsePositives = 0;
  for (let i = 1000; i < 3000; i++) if (filter.match(element(i))) falsePositives++;
  assert.ok(falsePositives <= 2, `${falsePositives} false positives`);
  assert.ok(filter.matchAny([element(5000), element(17)]));
  assert.ok(!filter.matchAny([]));
});

Deno.test("counts duplicate elements once and encodes the empty set as one byte", () => {
  const filter = GcsFilter.fromElements(PARAMS, [element(1), element(1), element(2)]);
  assert.equal(filter.n, 2);
  const empty = GcsFilter.fromElements(PARAMS, []);
  assert.deepEqual(empty.encoded, Uint8Array.of(0));
  assert.ok(!empty.match(element(1)));
});

Deno.test("decode round-trips and rejects truncated or padded filters", () => {
  const filter = GcsFilter.fromElements(PARAMS, [element(1), element(2), element(3)]);
  const decoded = GcsFilter.decode(PARAMS, filter.encoded);
  assert.equal(decoded.n, 3);
  assert.ok(decoded.match(element(2)));
  const padded = Uint8Array.from([...filter.encoded, 0]);
  assert.throws(() => GcsFilter.decode(PARAMS, padded), DecodeError);
  assert.throws(() => GcsFilter.decode(PARAMS, filter.encoded.subarray(0, 3)), DecodeError);
  assert.throws(() => GcsFilter.decode(PARAMS, new Uint8Array()), DecodeError);
});

Deno.test("decode throws only DecodeError on random bytes", () => {
  let seed = 3;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 2000; i++) {
    const bytes = Uint8Array.from({ length: next() % 40 }, next);
    try {
      GcsFilter.decode(PARAMS, bytes).match(element(1));
    } catch (error) {
      assert.ok(error instanceof DecodeError, String(error));
    }
  }
});
