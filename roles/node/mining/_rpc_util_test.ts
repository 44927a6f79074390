import assert from "node:assert/strict";
import { parseHex } from "./_rpc_util.ts";

Deno.test("parseHex decodes even-length hex of either case", () => {
  assert.deepEqual(parseHex(""), new Uint8Array(0));
  assert.deepEqual(parseHex("00fF7a"), Uint8Array.of(0x00, 0xff, 0x7a));
});

Deno.test("parseHex rejects odd length, prefixes, whitespace and non-hex digits", () => {
  for (const text of ["0", "abc", "0x00", " 00", "00 ", "00\n", "0g", "zz", "\u0660\u0660"]) {
    assert.equal(parseHex(text), null, JSON.stringify(text));
  }
});

Deno.test("parseHex agrees with a regex-checked decode on random strings", () => {
  const alphabet = "0123456789abcdefABCDEFgx \n";
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let round = 0; round < 2000; round++) {
    let text = "";
    const length = next() % 12;
    // Mostly valid digits, so that both outcomes are exercised.
    for (let i = 0; i < length; i++) {
      text += alphabet[next() % (next() % 8 === 0 ? alphabet.length : 22)];
    }
    const valid = text.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(text);
    const bytes = parseHex(text);
    if (!valid) {
      assert.equal(bytes, null, JSON.stringify(text));
      continue;
    }
    assert.ok(bytes);
    const expected = Array.from(
      { length: text.length / 2 },
      (_, i) => parseInt(text.slice(2 * i, 2 * i + 2), 16),
    );
    assert.deepEqual([...bytes], expected);
  }
});
