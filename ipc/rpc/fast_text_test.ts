import assert from "node:assert/strict";
import { Message, utils } from "capnp-es";
import { Echo_Echo$Params } from "../../schemas/gen/echo.ts";
import { installFastText } from "./fast_text.ts";

const SAMPLES = ["", "a", "hello", "exactly8", "ünïcödé ✓ 🚀", "x".repeat(1000)];

/** Writes with one implementation and reads the bytes back with both. */
function roundTrip(text: string): { bytes: Uint8Array; read: string } {
  const m = new Message();
  const s = m.initRoot(Echo_Echo$Params);
  s.echo = text;
  const seg = m.getSegment(0);
  return { bytes: new Uint8Array(seg.buffer, 0, seg.byteLength).slice(), read: s.echo };
}

Deno.test("fast Text accessors write the same bytes and read the same strings", () => {
  const before = SAMPLES.map(roundTrip);
  installFastText();
  const after = SAMPLES.map(roundTrip);
  assert.deepEqual(after, before);
  for (const [i, text] of SAMPLES.entries()) assert.equal(after[i].read, text);
});

Deno.test("fast Text setter overwrites an existing value and keeps defaults working", () => {
  installFastText();
  const m = new Message();
  const s = m.initRoot(Echo_Echo$Params);
  s.echo = "first";
  s.echo = "second, longer";
  assert.equal(s.echo, "second, longer");
  assert.equal(utils.getText(0, s, "default"), "second, longer");
  const empty = new Message().initRoot(Echo_Echo$Params);
  assert.equal(utils.getText(0, empty, "default"), "default");
});

Deno.test("fast Text getter defers malformed pointers to capnp-es (which rejects them)", () => {
  installFastText();
  const m = new Message();
  const s = m.initRoot(Echo_Echo$Params);
  const p = utils.getPointer(0, s);
  p.segment.setUint32(p.byteOffset, 0); // a struct pointer where Text belongs
  p.segment.setUint32(p.byteOffset + 4, 1);
  assert.throws(() => s.echo);
});
