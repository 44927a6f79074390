import assert from "node:assert/strict";
import { formatHDKeypath, parseHDKeypath, writeHDKeypath } from "./key_path.ts";

Deno.test("parseHDKeypath accepts m-prefixed and bare paths with apostrophes", () => {
  assert.deepEqual(parseHDKeypath("m/0'/1/2'"), [0x80000000, 1, 0x80000002]);
  assert.deepEqual(parseHDKeypath("0/4294967295"), [0, 0xffffffff]);
  assert.deepEqual(parseHDKeypath("m"), []);
  assert.deepEqual(parseHDKeypath(""), []);
  assert.deepEqual(parseHDKeypath("m/1/"), [1]);
});

Deno.test("parseHDKeypath rejects malformed paths", () => {
  for (
    const bad of ["m/m", "1/m", "m/1h", "m/'1", "m/1''", "m/-1", "m//1", "m/4294967296", "m/ 1"]
  ) {
    assert.equal(parseHDKeypath(bad), null, bad);
  }
});

Deno.test("formats paths with apostrophes or h", () => {
  assert.equal(formatHDKeypath([0x80000000, 1]), "/0h/1");
  assert.equal(formatHDKeypath([0x80000000, 1], true), "/0'/1");
  assert.equal(writeHDKeypath([0x80000000, 1], false), "m/0h/1");
});
