import assert from "node:assert/strict";
import { REGTEST_PREFIXES } from "../address/chain_prefixes.ts";
import { bytesEqual, bytesToHex, hexToBytes } from "../encoding/mod.ts";
import { hash160, ripemd160, sha256d } from "../hash/mod.ts";
import { createPureSecp256k1 } from "../secp256k1/mod.ts";
import { addChecksum, inferDescriptor, parseDescriptor } from "./mod.ts";

const options = { prefixes: REGTEST_PREFIXES, secp: createPureSecp256k1() };
const PUBKEY = hexToBytes("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
const P2PK = Uint8Array.of(33, ...PUBKEY, 0xac);

function scriptOf(text: string): Uint8Array {
  return parseDescriptor(text, options).expand(0)![0];
}

Deno.test("infers raw() and addr() without wallet knowledge", () => {
  assert.equal(
    inferDescriptor(Uint8Array.of(0x51), {}, options).toString(),
    addChecksum("raw(51)"),
  );
  const wpk = scriptOf(`wpk(${bytesToHex(PUBKEY)})`);
  assert.equal(
    inferDescriptor(wpk, {}, options).toString(),
    addChecksum("addr(fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau)"),
  );
  assert.equal(
    inferDescriptor(P2PK, {}, options).toString(),
    addChecksum(`pk(${bytesToHex(PUBKEY)})`),
  );
});

Deno.test("infers wpk(), pkh(), sh(multi()) and wsh() from known keys and scripts", () => {
  const entry = Uint8Array.of(0, ...P2PK);
  const multi = scriptOf(`multi(1,${bytesToHex(PUBKEY)})`);
  const provider = {
    getPubKey: (id: Uint8Array) => (bytesEqual(id, hash160(PUBKEY)) ? PUBKEY : undefined),
    getScript: (id: Uint8Array) => (bytesEqual(id, hash160(multi)) ? multi : undefined),
    getWitnessV0Script: (id: Uint8Array) =>
      bytesEqual(id, ripemd160(sha256d(entry))) ? entry : undefined,
    getKeyOrigin: (id: Uint8Array) =>
      bytesEqual(id, hash160(PUBKEY))
        ? { fingerprint: hexToBytes("d34db33f"), path: [0x80000054, 1] }
        : undefined,
  };
  const k = `[d34db33f/84h/1]${bytesToHex(PUBKEY)}`;
  for (const text of [`wpk(${k})`, `pkh(${k})`, `sh(multi(1,${k}))`, `wsh(pk(${k}))`]) {
    const inferred = inferDescriptor(scriptOf(text), provider, options);
    assert.equal(inferred.toString(), addChecksum(text));
  }
});

Deno.test("infers a miniscript wsh() from its known witness script", () => {
  const K2 = hexToBytes("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5");
  const text = `wsh(or_d(pk(${bytesToHex(PUBKEY)}),and_v(v:pkh(${bytesToHex(K2)}),t:older(144))))`;
  const desc = parseDescriptor(text, options);
  const expanded = desc.expandWithSigningData(0)!;
  const data = expanded.signingData;
  const provider = {
    getPubKey: (id: Uint8Array) => data.pubkeys.get(bytesToHex(id)),
    getWitnessV0Script: (id: Uint8Array) => data.witnessScripts.get(bytesToHex(id)),
  };
  const inferred = inferDescriptor(expanded.scripts[0], provider, options);
  // The script does not say how and_v nests; decoding nests to the left, like freicoind.
  const leftNested = `wsh(or_d(pk(${bytesToHex(PUBKEY)}),t:and_v(v:pkh(${
    bytesToHex(K2)
  }),older(144))))`;
  assert.equal(inferred.toString(), addChecksum(leftNested));
  assert.deepEqual(inferred.expand(0), expanded.scripts);
  assert.equal(inferred.isSolvable, true);
  // Without the witness script only the address is known.
  assert.ok(inferDescriptor(expanded.scripts[0], {}, options).toString().startsWith("addr("));
});
