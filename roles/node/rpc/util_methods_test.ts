import assert from "node:assert/strict";
import { rpcSamples, TestNode } from "./_test_support.ts";

const UTIL_SAMPLES = [
  "validateaddress",
  "createmultisig_bech32",
  "getdescriptorinfo_wpk",
  "deriveaddresses_wpk",
];

Deno.test("util methods answer as the reference node did", async (t) => {
  await using node = await TestNode.open();
  for (const name of UTIL_SAMPLES) {
    await t.step(name, async () => {
      const sample = rpcSamples()[name];
      assert.deepEqual(await node.answer(sample.call), sample.result);
    });
  }
});

const MESSAGE = "This is just a test message";
const PRIVKEY = "cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N";
const SIGNATURE =
  "INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0=";
const P2PKH = "mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB";

Deno.test("signmessagewithprivkey signs deterministically and verifymessage checks it", async () => {
  await using node = await TestNode.open();
  assert.equal(await node.call("signmessagewithprivkey", [PRIVKEY, MESSAGE]), SIGNATURE);
  assert.equal(await node.call("verifymessage", [P2PKH, SIGNATURE, MESSAGE]), true);
  assert.equal(await node.call("verifymessage", [P2PKH, SIGNATURE, MESSAGE + "!"]), false);
  const pkh = await node.call("getdescriptorinfo", [`pkh(${PRIVKEY})`]) as { descriptor: string };
  assert.deepEqual(await node.call("deriveaddresses", [pkh.descriptor]), [P2PKH]);
});

Deno.test("message methods answer bad input with freicoind's errors", async () => {
  await using node = await TestNode.open();
  const cases: [string, unknown[], number, string][] = [
    ["signmessagewithprivkey", ["invalid_key", MESSAGE], -5, "Invalid private key"],
    ["verifymessage", ["invalid_addr", SIGNATURE, MESSAGE], -5, "Invalid address"],
    ["verifymessage", [P2PKH, "invalid_sig", MESSAGE], -3, "Malformed base64 encoding"],
    [
      "verifymessage",
      ["fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau", SIGNATURE, MESSAGE],
      -3,
      "Address does not refer to key",
    ],
  ];
  for (const [method, params, code, message] of cases) {
    assert.deepEqual(await node.answer([method, ...params]), { __error__: { code, message } });
  }
  const wrongCount = await node.answer(["verifymessage", "dummy"]) as {
    __error__: { code: number; message: string };
  };
  assert.equal(wrongCount.__error__.code, -1);
  assert.match(wrongCount.__error__.message, /^verifymessage "address" "signature" "message"/);
});

Deno.test("validateaddress reports Bech32 error locations", async () => {
  await using node = await TestNode.open();
  const answer = await node.call("validateaddress", [
    "fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhaa",
  ]) as { isvalid: boolean; error: string; error_locations: number[] };
  assert.equal(answer.isvalid, false);
  assert.equal(answer.error, "Invalid Bech32m checksum");
  assert.equal(answer.error_locations.length, 1);
});

Deno.test("getmemoryinfo and getindexinfo answer in freicoind's shapes", async () => {
  await using node = await TestNode.open();
  const info = await node.call("getmemoryinfo", []) as { locked: Record<string, number> };
  assert.deepEqual(Object.keys(info.locked), [
    "used",
    "free",
    "total",
    "locked",
    "chunks_used",
    "chunks_free",
  ]);
  assert.deepEqual(await node.call("getindexinfo", []), {});
  assert.deepEqual(await node.answer(["getmemoryinfo", "other"]), {
    __error__: { code: -8, message: "unknown mode other" },
  });
});
