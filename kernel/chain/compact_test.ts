import assert from "node:assert/strict";
import { compactToTarget, targetToCompact } from "./compact.ts";

Deno.test("compactToTarget decodes small, negative and overflowing values like SetCompact", () => {
  const cases: [number, bigint, boolean, boolean][] = [
    [0x00000000, 0n, false, false],
    [0x00123456, 0n, false, false],
    [0x01003456, 0n, false, false],
    [0x01123456, 0x12n, false, false],
    [0x02123456, 0x1234n, false, false],
    [0x03123456, 0x123456n, false, false],
    [0x04123456, 0x12345600n, false, false],
    [0x04923456, 0x12345600n, true, false],
    [0x05009234, 0x92340000n, false, false],
    [0x20123456, 0x123456n << 232n, false, false],
    [0xff123456, 0n, false, true],
  ];
  for (const [compact, target, negative, overflow] of cases) {
    const decoded = compactToTarget(compact);
    if (!overflow) assert.equal(decoded.target, target, compact.toString(16));
    assert.equal(decoded.negative, negative, compact.toString(16));
    assert.equal(decoded.overflow, overflow, compact.toString(16));
  }
});

Deno.test("targetToCompact normalises the mantissa and keeps the sign bit clear", () => {
  assert.equal(targetToCompact(0x12n), 0x01120000);
  assert.equal(targetToCompact(0x80n), 0x02008000);
  assert.equal(targetToCompact(0x1234n), 0x02123400);
  assert.equal(targetToCompact(0x92340000n), 0x05009234);
  assert.equal(targetToCompact(0x12345600n, true), 0x04923456);
  assert.equal(targetToCompact((1n << 224n) - 1n), 0x1d00ffff);
  assert.equal(targetToCompact(0n), 0);
});

Deno.test("compact round trip holds for canonical encodings (bounded property test)", () => {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  for (let i = 0; i < 2000; i++) {
    const size = 3 + (next() % 30);
    const mantissa = 0x008000 + (next() % 0x7f8000);
    const compact = ((size << 24) | mantissa) >>> 0;
    const { target, overflow } = compactToTarget(compact);
    if (overflow) continue;
    assert.equal(targetToCompact(target), compact);
  }
});
