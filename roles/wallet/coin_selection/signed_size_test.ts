import assert from "node:assert/strict";
import {
  maxInputVsize,
  maxInputWeight,
  maxSignedTxSize,
  type SizedDescriptor,
} from "./signed_size.ts";

// Freicoin's P2WPK satisfaction: sig, 0x00‖push33‖CHECKSIG, empty proof (no count byte).
const wpk: SizedDescriptor = {
  maxSatisfactionWeight: (max) => 1 + (max ? 72 : 71) + 1 + 36 + 1,
  maxSatisfactionElems: 3,
  outputType: "bech32",
};
const pkh: SizedDescriptor = {
  maxSatisfactionWeight: (max) => (1 + (max ? 72 : 71) + 1 + 33) * 4,
  maxSatisfactionElems: 2,
  outputType: "legacy",
};

Deno.test("a P2WPK input weighs 41 vbytes plus its witness", () => {
  assert.equal(maxInputWeight(wpk, false, true), 41 * 4 + 1 + 110);
  assert.equal(maxInputWeight(wpk, true, true), 41 * 4 + 1 + 111);
  assert.equal(maxInputVsize(wpk, false), Math.ceil((41 * 4 + 111) / 4));
  assert.equal(maxInputVsize(null, false), -1);
});

Deno.test("a legacy input carries an empty witness only in a segwit transaction", () => {
  const alone = maxInputWeight(pkh, false, false)!;
  assert.equal(maxInputWeight(pkh, false, true), alone + 1);
  assert.equal(alone, (32 + 4 + 4 + 1) * 4 + (1 + 71 + 1 + 33) * 4);
});

Deno.test("a transaction's signed size matches the functional test's arithmetic", () => {
  // wallet_fundrawtransaction test_weight_calculation: 14 + 41×3 + 31×2 + (2 + 111×2 + 112)/4.
  const size = maxSignedTxSize([
    { descriptor: wpk, useMaxSig: false },
    { descriptor: wpk, useMaxSig: false },
    { descriptor: wpk, useMaxSig: true },
  ], [31, 31]);
  assert.deepEqual(size, {
    weight: (14 + 41 * 3 + 31 * 2) * 4 + 2 + 111 * 2 + 112,
    vsize: Math.ceil(14 + 41 * 3 + 31 * 2 + (2 + 111 * 2 + 112) / 4),
  });
});

Deno.test("a given input weight overrides the descriptor, and an unsolvable input fails", () => {
  const withWeight = maxSignedTxSize([{ descriptor: null, weight: 500, useMaxSig: false }], [31]);
  assert.equal(withWeight!.weight, (14 + 31) * 4 + 500);
  assert.equal(maxSignedTxSize([{ descriptor: null, useMaxSig: false }], [31]), null);
});
