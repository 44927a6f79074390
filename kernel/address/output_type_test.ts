import assert from "node:assert/strict";
import { encodeDestination, REGTEST_PREFIXES } from "./mod.ts";
import {
  allDestinationsForKey,
  destinationForKey,
  destinationForScript,
  outputTypeOfDestination,
  parseOutputType,
} from "./output_type.ts";

function fromHex(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

const PUBKEY = fromHex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");

Deno.test("only legacy and bech32 output types exist", () => {
  assert.equal(parseOutputType("legacy"), "legacy");
  assert.equal(parseOutputType("bech32"), "bech32");
  for (const gone of ["p2sh-segwit", "bech32m", "unknown", "Bech32"]) {
    assert.equal(parseOutputType(gone), null);
  }
});

Deno.test("bech32 keys are P2WPK; uncompressed keys fall back to P2PKH", () => {
  assert.equal(
    encodeDestination(destinationForKey(PUBKEY, "bech32"), REGTEST_PREFIXES),
    "fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau",
  );
  assert.equal(
    encodeDestination(destinationForKey(PUBKEY, "legacy"), REGTEST_PREFIXES),
    "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r",
  );
  const uncompressed = new Uint8Array(65);
  uncompressed[0] = 4;
  assert.equal(destinationForKey(uncompressed, "bech32").kind, "PKHash");
  assert.equal(allDestinationsForKey(PUBKEY).length, 2);
  assert.equal(allDestinationsForKey(uncompressed).length, 1);
});

Deno.test("bech32 scripts are P2WSH of 0x00 || script", () => {
  assert.equal(
    encodeDestination(destinationForScript(Uint8Array.of(0x51), "bech32"), REGTEST_PREFIXES),
    "fcrt1qpfumrmcfcusnnjk4k6gfdpdh4940m0jlxh92kxnl6p403cvrfatsl6549x",
  );
  assert.equal(destinationForScript(Uint8Array.of(0x51), "legacy").kind, "ScriptHash");
  assert.equal(
    outputTypeOfDestination(destinationForScript(Uint8Array.of(0x51), "bech32")),
    "bech32",
  );
  assert.equal(outputTypeOfDestination({ kind: "NoDestination", script: new Uint8Array() }), null);
});
