import assert from "node:assert/strict";
import { bytesToHex, hashToHex } from "../encoding/hex.ts";
import { chacha20Keystream } from "./_chacha20.ts";
import { MuHash3072 } from "./muhash.ts";

function fromInt(i: number): Uint8Array {
  const bytes = new Uint8Array(32);
  bytes[0] = i;
  return bytes;
}

Deno.test("ChaCha20 keystream matches RFC 8439 §2.3.2", () => {
  const key = new Uint8Array(32).map((_, i) => i);
  const stream = chacha20Keystream(key, 64, 1, [0x09000000, 0x4a000000, 0x00000000]);
  assert.equal(
    bytesToHex(stream),
    "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
      "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
  );
});

Deno.test("MuHash of {0} * {1} / {2} matches crypto_tests", () => {
  const acc = new MuHash3072().insert(fromInt(0)).insert(fromInt(1)).remove(fromInt(2));
  assert.equal(
    hashToHex(acc.digest()),
    "10d312b100cbd32ada024a6646e40d3482fcff103668d2625f10002a607d5863",
  );
});

Deno.test("MuHash serialization of {1,2} matches crypto_tests", () => {
  const acc = new MuHash3072().insert(fromInt(1)).insert(fromInt(2));
  const hex = bytesToHex(acc.toBytes());
  assert.ok(hex.startsWith("1fa093295ea30a6a3acdc7b3f770fa538eff537528e990e2910e40bbcfd7f669"));
  assert.ok(hex.endsWith("cb13e48c5c01" + "00".repeat(383)));
});

Deno.test("inserting then removing an element gives the empty-set digest", () => {
  const x = new MuHash3072().insert(fromInt(5)).insert(fromInt(9)).remove(fromInt(5)).remove(
    fromInt(9),
  );
  assert.deepEqual(x.digest(), new MuHash3072().digest());
});
