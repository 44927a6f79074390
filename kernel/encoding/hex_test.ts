import assert from "node:assert/strict";
import { bytesToHex, hashFromHex, hashToHex, hexToBytes, isHex } from "./hex.ts";
import { DecodeError } from "./decode_error.ts";

Deno.test("hexToBytes round-trips bytesToHex for every byte value", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(hexToBytes(bytesToHex(all)), all);
  assert.equal(bytesToHex(new Uint8Array([0x0a, 0xbc])), "0abc");
});

Deno.test("hexToBytes accepts upper case", () => {
  assert.deepEqual(hexToBytes("ABcd"), new Uint8Array([0xab, 0xcd]));
});

Deno.test("hexToBytes rejects odd length, non-hex characters, prefixes and spaces", () => {
  for (const bad of ["0", "0g", "0x00", " 00", "00 ", "zz", "+1"]) {
    assert.throws(() => hexToBytes(bad), DecodeError, bad);
    assert.equal(isHex(bad), false);
  }
  assert.equal(isHex(""), true);
});

Deno.test("hashToHex displays bytes reversed and hashFromHex inverts it", () => {
  const hash = Uint8Array.from({ length: 32 }, (_, i) => i);
  const text = hashToHex(hash);
  assert.equal(text.slice(0, 4), "1f1e");
  assert.deepEqual(hashFromHex(text), hash);
  assert.throws(() => hashFromHex("00"), DecodeError);
});
