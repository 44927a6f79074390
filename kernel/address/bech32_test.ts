import assert from "node:assert/strict";
import { convertBits, decodeBech32, encodeBech32, locateBech32Errors } from "./bech32.ts";

Deno.test("decodes BIP173 and BIP350 examples with the right encoding", () => {
  assert.equal(decodeBech32("A12UEL5L")?.encoding, "bech32");
  assert.equal(decodeBech32("a12uel5l")?.encoding, "bech32");
  assert.equal(decodeBech32("A1LQFN3A")?.encoding, "bech32m");
  assert.equal(decodeBech32("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx")?.encoding, "bech32m");
  assert.equal(decodeBech32("?1v759aa")?.hrp, "?");
});

Deno.test("rejects mixed case, bad separators, over-long strings and bad checksums", () => {
  assert.equal(decodeBech32("A1lqfn3a"), null);
  assert.equal(decodeBech32("1lqfn3a"), null);
  assert.equal(decodeBech32("a1lqfn3"), null);
  assert.equal(decodeBech32("a1lqfn3q"), null);
  assert.equal(decodeBech32("a1" + "q".repeat(88)), null);
});

Deno.test("encode and decode round-trip for both encodings", () => {
  for (const encoding of ["bech32", "bech32m"] as const) {
    const data = Uint8Array.from({ length: 40 }, (_, i) => (i * 7) % 32);
    const str = encodeBech32(encoding, "fcrt", data);
    const decoded = decodeBech32(str);
    assert.ok(decoded);
    assert.equal(decoded.encoding, encoding);
    assert.equal(decoded.hrp, "fcrt");
    assert.deepEqual(decoded.data, data);
    assert.equal(locateBech32Errors(str).message, "");
  }
});

Deno.test("convertBits rejects non-zero or over-long padding", () => {
  assert.deepEqual(convertBits([0xff], 8, 5, true), Uint8Array.from([31, 28]));
  assert.deepEqual(convertBits([31, 28], 5, 8, false), Uint8Array.from([0xff]));
  assert.equal(convertBits([31, 29], 5, 8, false), null);
  assert.equal(convertBits([31, 28, 0], 5, 8, false), null);
});

Deno.test("locates a single substituted character", () => {
  const good = encodeBech32("bech32m", "fc", Uint8Array.from({ length: 33 }, (_, i) => i % 32));
  for (const position of [3, 10, 20, good.length - 1]) {
    const chars = good.split("");
    chars[position] = chars[position] === "q" ? "p" : "q";
    const report = locateBech32Errors(chars.join(""));
    assert.equal(report.message, "Invalid Bech32m checksum");
    assert.deepEqual(report.locations, [position]);
  }
});
