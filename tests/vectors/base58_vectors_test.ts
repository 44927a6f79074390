// base58_encode_decode.json, read as src/test/base58_tests.cpp reads it.
import assert from "node:assert/strict";
import { decodeBase58, encodeBase58 } from "../../kernel/address/mod.ts";

const vectors = JSON.parse(
  Deno.readTextFileSync(
    new URL("../../../shared/vectors/base58_encode_decode.json", import.meta.url),
  ),
) as string[][];

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

Deno.test("base58_encode_decode.json: every vector encodes and decodes", async (t) => {
  assert.ok(vectors.length > 0);
  for (const [index, vector] of vectors.entries()) {
    assert.ok(vector.length >= 2, `bad vector ${index}`);
    const [hex, base58] = vector;
    await t.step(`#${index} ${JSON.stringify(base58)}`, () => {
      assert.equal(encodeBase58(fromHex(hex)), base58);
      const decoded = decodeBase58(base58, 256);
      assert.ok(decoded !== null);
      assert.equal(toHex(decoded), hex);
    });
  }
});
