import assert from "node:assert/strict";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { REGTEST_PREFIXES } from "../../../kernel/address/mod.ts";
import { testSecp256k1 } from "../chain/_test_support.ts";
import {
  decodeBase64Strict,
  encodeBase64,
  messageHash,
  recoverCompact,
  signCompact,
  verifyMessage,
} from "./message_signing.ts";

const SECRET = hexToBytes("f5aa8a5961c16ba0eceb0e4b14b1fc7a8b30f4dd6c29d313add97e24d772063f");

Deno.test("signCompact signatures recover the signer's key, compressed or not", () => {
  const secp = testSecp256k1();
  for (const compressed of [true, false]) {
    for (const message of ["", "hello", "x".repeat(300)]) {
      const hash = messageHash(message);
      const signature = signCompact(secp, hash, SECRET, compressed)!;
      assert.equal(signature.length, 65);
      assert.deepEqual(
        recoverCompact(hash, signature),
        secp.publicKeyFromSecret(SECRET, compressed),
      );
    }
  }
});

Deno.test("strict base64 refuses unpadded and foreign characters", () => {
  assert.deepEqual(
    decodeBase64Strict(encodeBase64(Uint8Array.of(1, 2, 3, 4))),
    Uint8Array.of(1, 2, 3, 4),
  );
  assert.deepEqual(decodeBase64Strict("AQID"), Uint8Array.of(1, 2, 3));
  assert.equal(decodeBase64Strict("AQI"), null);
  assert.equal(decodeBase64Strict("AQ I="), null);
  assert.equal(decodeBase64Strict("invalid_sig"), null);
});

Deno.test("recoverCompact and verifyMessage never throw on random signatures (bounded fuzz)", () => {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) & 0xff;
  const hash = messageHash("fuzz");
  for (let i = 0; i < 100; i++) {
    const length = i % 10 === 0 ? next() % 70 : 65;
    const signature = Uint8Array.from({ length }, next);
    if (length === 65) signature[0] = 27 + (next() % 8);
    const key = recoverCompact(hash, signature);
    assert.ok(key === null || key.length === 33 || key.length === 65);
    const outcome = verifyMessage(
      REGTEST_PREFIXES,
      "mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB",
      encodeBase64(signature),
      "fuzz",
    );
    assert.ok(["pubkey_not_recovered", "not_signed", "malformed_signature"].includes(outcome));
  }
});
