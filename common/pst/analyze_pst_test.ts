import assert from "node:assert/strict";
import { bytesToHex } from "../../kernel/encoding/mod.ts";
import { hash160 } from "../../kernel/hash/mod.ts";
import { createPureSecp256k1 } from "../../kernel/secp256k1/mod.ts";
import { analyzePst } from "./analyze_pst.ts";
import { decodeHexPst } from "./pst_codec.ts";

const SAMPLES = new URL("../../../shared/vectors/regtest-rpc-samples.json", import.meta.url);
const secp = createPureSecp256k1();

function processedPst(): string {
  const samples = JSON.parse(Deno.readTextFileSync(SAMPLES)).samples;
  return samples.walletprocesspst.result.pst as string;
}

Deno.test("a final PST goes to the extractor with fee, demurrage and size", () => {
  const analysis = analyzePst(secp, decodeHexPst(processedPst()));
  assert.equal(analysis.next, "extractor");
  assert.equal(analysis.estimatedVsize, 115);
  assert.equal(analysis.demurrage, 17965n);
  assert.equal(analysis.fee, 4_609_282_980n);
});

Deno.test("an input with its witness script but no signature goes to the signer", () => {
  const pst = decodeHexPst(processedPst());
  const [, script] = pst.inputs[0].finalScriptWitness!;
  pst.inputs[0].finalScriptWitness = undefined;
  pst.inputs[0].witnessEntry = { script, path: 0, branch: [] };
  const analysis = analyzePst(secp, pst);
  assert.equal(analysis.next, "signer");
  assert.deepEqual(analysis.inputs[0].missing, {
    pubkeys: [],
    signatures: [bytesToHex(hash160(script.slice(2, 35)))],
  });
});

Deno.test("an input without its witness script or UTXO goes to the updater", () => {
  const pst = decodeHexPst(processedPst());
  pst.inputs[0].finalScriptWitness = undefined;
  const analysis = analyzePst(secp, pst);
  assert.equal(analysis.next, "updater");
  assert.equal(analysis.inputs[0].missing?.witnessscript?.length, 40);
  pst.inputs[0].nonWitnessUtxo = undefined;
  pst.inputs[0].witnessUtxo = undefined;
  const bare = analyzePst(secp, pst);
  assert.deepEqual(bare.inputs[0], { hasUtxo: false, isFinal: false, next: "updater" });
  assert.equal(bare.fee, undefined);
});
