import assert from "node:assert/strict";
import { selectParams } from "../../../kernel/chain/mod.ts";
import { sha256d } from "../../../kernel/hash/mod.ts";
import { encodeFrame, FrameError, FrameReader, isCommandValid } from "./wire_frame.ts";

const MAGIC = selectParams("regtest").messageStart;

Deno.test("frames a message with magic, padded command, length and checksum", () => {
  const payload = new Uint8Array([1, 2, 3]);
  const frame = encodeFrame(MAGIC, "ping", payload);
  assert.equal(frame.length, 27);
  assert.deepEqual([...frame.subarray(0, 4)], [0xed, 0x99, 0x9c, 0xf6]);
  assert.equal(new TextDecoder().decode(frame.subarray(4, 8)), "ping");
  assert.deepEqual([...frame.subarray(8, 16)], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(new DataView(frame.buffer).getUint32(16, true), 3);
  assert.deepEqual(frame.subarray(20, 24), sha256d(payload).subarray(0, 4));
});

Deno.test("reassembles frames split at every byte boundary", () => {
  const a = encodeFrame(MAGIC, "verack", new Uint8Array());
  const b = encodeFrame(MAGIC, "pong", new Uint8Array(8).fill(7));
  const stream = new Uint8Array([...a, ...b]);
  for (let split = 0; split <= stream.length; split++) {
    const reader = new FrameReader(MAGIC);
    const frames = [
      ...reader.push(stream.subarray(0, split)),
      ...reader.push(stream.subarray(split)),
    ];
    assert.deepEqual(frames.map((f) => f.kind === "message" ? f.command : "?"), [
      "verack",
      "pong",
    ]);
    assert.deepEqual(frames.map((f) => f.rawSize), [24, 32]);
  }
});

Deno.test("a wrong magic is fatal", () => {
  const frame = encodeFrame(new Uint8Array([1, 2, 3, 4]), "ping", new Uint8Array(8));
  assert.throws(() => new FrameReader(MAGIC).push(frame), FrameError);
});

Deno.test("an oversized length is fatal before any payload arrives", () => {
  const header = encodeFrame(MAGIC, "block", new Uint8Array()).slice(0, 24);
  new DataView(header.buffer).setUint32(16, 4_000_001, true);
  assert.throws(
    () => new FrameReader(MAGIC).push(header),
    /Size too large \(block, 4000001 bytes\)/,
  );
  new DataView(header.buffer).setUint32(16, 4_000_000, true);
  const reader = new FrameReader(MAGIC);
  assert.deepEqual(reader.push(header), []);
  assert.equal(reader.pendingBytes, 24);
});

Deno.test("a bad checksum or an invalid command drops the message but not the stream", () => {
  const bad = encodeFrame(MAGIC, "ping", new Uint8Array(8));
  bad[20] ^= 1;
  const invalid = encodeFrame(MAGIC, "ping", new Uint8Array(8));
  invalid[9] = 0x41; // a byte after the terminating NUL
  const good = encodeFrame(MAGIC, "pong", new Uint8Array(8));
  const frames = new FrameReader(MAGIC).push(new Uint8Array([...bad, ...invalid, ...good]));
  assert.deepEqual(frames.map((f) => f.kind), ["rejected", "rejected", "message"]);
  assert.match((frames[0] as { reason: string }).reason, /Wrong checksum/);
  assert.match((frames[1] as { reason: string }).reason, /Invalid message type/);
});

Deno.test("command validity follows CMessageHeader::IsCommandValid", () => {
  const field = (s: string, tail: number[] = []) => {
    const out = new Uint8Array(12);
    out.set(new TextEncoder().encode(s));
    out.set(tail, s.length + 1);
    return out;
  };
  assert.ok(isCommandValid(field("version")));
  assert.ok(isCommandValid(field("")));
  assert.ok(!isCommandValid(field("ver\x01")));
  assert.ok(!isCommandValid(field("ver", [0x41])));
  assert.ok(isCommandValid(new TextEncoder().encode("abcdefghijkl")));
});

Deno.test("fuzz: random byte streams never throw anything but FrameError", () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const valid = encodeFrame(MAGIC, "inv", new Uint8Array(37));
  for (let round = 0; round < 2000; round++) {
    const reader = new FrameReader(MAGIC, { maxMessageLength: 1000 });
    const bytes = valid.slice();
    const flips = Math.floor(random() * 4);
    for (let i = 0; i < flips; i++) bytes[Math.floor(random() * bytes.length)] = random() * 256;
    try {
      for (let pos = 0; pos < bytes.length;) {
        const step = 1 + Math.floor(random() * 20);
        reader.push(bytes.subarray(pos, pos + step));
        pos += step;
      }
    } catch (error) {
      assert.ok(error instanceof FrameError, String(error));
    }
    assert.ok(reader.pendingBytes <= 1024);
  }
});
