import assert from "node:assert/strict";
import { encodeFrame, type Frame, FrameReader, FramingError } from "./framing.ts";

function segment(words: number, fill: number): Uint8Array {
  return new Uint8Array(words * 8).fill(fill);
}

function frames(): Uint8Array[][] {
  return [
    [segment(1, 1)],
    [segment(3, 2), segment(1, 3)],
    [segment(0, 0), segment(2, 4), segment(5, 5)],
    [segment(40, 6)],
  ];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function asBytes(frame: Frame): Uint8Array[] {
  return frame.map((s) => new Uint8Array(s));
}

Deno.test("encodes the segment table with padding to a word", () => {
  const one = encodeFrame([segment(1, 9)]);
  assert.deepEqual([...one.subarray(0, 8)], [0, 0, 0, 0, 1, 0, 0, 0]);
  const two = encodeFrame([segment(1, 9), segment(2, 8)]);
  // count-1, two sizes, 4 bytes of padding, then 3 words of segments
  assert.equal(two.length, 16 + 24);
  assert.deepEqual([...two.subarray(0, 16)], [1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("reassembles frames split at every byte boundary", () => {
  const expected = frames();
  const stream = concat(expected.map(encodeFrame));
  for (let split = 1; split < stream.length; split++) {
    const got: Frame[] = [];
    const reader = new FrameReader((f) => got.push(f));
    reader.push(stream.subarray(0, split));
    reader.push(stream.subarray(split));
    assert.deepEqual(got.map(asBytes), expected, `split at ${split}`);
    assert.equal(reader.bufferedBytes, 0);
  }
});

Deno.test("reassembles frames fed one byte at a time", () => {
  const expected = frames();
  const stream = concat(expected.map(encodeFrame));
  const got: Frame[] = [];
  const reader = new FrameReader((f) => got.push(f));
  for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1));
  assert.deepEqual(got.map(asBytes), expected);
});

Deno.test("delivers many frames from one chunk, in order, none merged", () => {
  const many: Uint8Array[][] = [];
  for (let i = 0; i < 1000; i++) many.push([segment(1 + (i % 3), i & 0xff)]);
  const got: Frame[] = [];
  new FrameReader((f) => got.push(f)).push(concat(many.map(encodeFrame)));
  assert.equal(got.length, 1000);
  assert.deepEqual(got.map(asBytes), many);
});

Deno.test("rejects a frame over the size limit before buffering it", () => {
  const reader = new FrameReader(() => {}, { maxMessageBytes: 1024 });
  const header = new Uint8Array(8);
  new DataView(header.buffer).setUint32(4, 1000, true); // 8000 bytes announced
  assert.throws(() => reader.push(header), FramingError);
  assert.throws(() => reader.push(new Uint8Array(1)), FramingError); // stays failed
});

Deno.test("rejects too many segments", () => {
  const reader = new FrameReader(() => {}, { maxSegments: 4 });
  const header = new Uint8Array(4);
  new DataView(header.buffer).setUint32(0, 4, true); // 5 segments
  assert.throws(() => reader.push(header), /5 segments/);
});

Deno.test("rejects a huge announced segment count without allocating", () => {
  const reader = new FrameReader(() => {});
  assert.throws(() => reader.push(new Uint8Array([0xff, 0xff, 0xff, 0xff])), FramingError);
});

Deno.test("fuzz: random chunking of random valid frames round-trips", () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let round = 0; round < 200; round++) {
    const expected: Uint8Array[][] = [];
    for (let i = 0; i < 1 + rand(5); i++) {
      const segs: Uint8Array[] = [];
      for (let s = 0; s < 1 + rand(4); s++) segs.push(segment(rand(6), rand(256)));
      expected.push(segs);
    }
    const stream = concat(expected.map(encodeFrame));
    const got: Frame[] = [];
    const reader = new FrameReader((f) => got.push(f));
    for (let at = 0; at < stream.length;) {
      const n = 1 + rand(40);
      reader.push(stream.subarray(at, at + n));
      at += n;
    }
    assert.deepEqual(got.map(asBytes), expected);
  }
});

Deno.test("fuzz: random bytes either frame, wait or fail cleanly", () => {
  let seed = 99;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let round = 0; round < 2000; round++) {
    const bytes = new Uint8Array(1 + rand(64)).map(() => rand(256));
    if (rand(2) === 0) bytes[0] = rand(4); // plausible segment counts too
    const reader = new FrameReader(() => {}, { maxMessageBytes: 4096 });
    try {
      reader.push(bytes);
    } catch (e) {
      assert.ok(e instanceof FramingError, String(e));
    }
    assert.ok(reader.bufferedBytes <= bytes.length);
  }
});
