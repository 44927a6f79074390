import assert from "node:assert/strict";
import { describeDestination } from "./describe_destination.ts";

Deno.test("describes destinations with freicoind's RPC fields and order", () => {
  const hash = new Uint8Array(20).fill(0xab);
  assert.deepEqual(describeDestination({ kind: "PKHash", hash }), {
    isscript: false,
    iswitness: false,
  });
  const short = describeDestination({ kind: "WitnessV0ShortHash", hash });
  assert.deepEqual(Object.keys(short), [
    "isscript",
    "iswitness",
    "witness_version",
    "witness_program",
  ]);
  assert.equal(short.isscript, true);
  assert.equal(short.witness_program, "ab".repeat(20));
  const unknown = describeDestination({
    kind: "WitnessUnknown",
    version: 30,
    program: Uint8Array.of(1, 2),
  });
  assert.deepEqual(unknown, { iswitness: true, witness_version: 30, witness_program: "0102" });
  assert.deepEqual(describeDestination({ kind: "NoDestination", script: new Uint8Array() }), {});
});
