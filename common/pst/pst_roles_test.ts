import assert from "node:assert/strict";
import { bytesToHex, hexToBytes } from "../../kernel/encoding/mod.ts";
import { hash160 } from "../../kernel/hash/mod.ts";
import { createPureSecp256k1 } from "../../kernel/secp256k1/mod.ts";
import { decodeHexPst, encodeHexPst } from "./pst_codec.ts";
import {
  combinePsts,
  finalizeAndExtractPst,
  finalizePst,
  PstMismatchError,
  structuredClonePst,
} from "./pst_roles.ts";

const SAMPLES = new URL("../../../shared/vectors/regtest-rpc-samples.json", import.meta.url);
const secp = createPureSecp256k1();

interface Sample {
  call: unknown[];
  result: { pst: string; hex: string; complete: boolean };
}

function processed(): Sample {
  const samples = JSON.parse(Deno.readTextFileSync(SAMPLES)).samples as Record<string, Sample>;
  return Object.values(samples).find((s) => s.call[0] === "walletprocesspst")!;
}

Deno.test("extracts the network transaction freicoind returned from a final PST", () => {
  const { result } = processed();
  const pst = decodeHexPst(result.pst);
  const tx = finalizeAndExtractPst(secp, pst);
  assert.equal(tx && bytesToHex(tx.toBytes()), result.hex);
});

Deno.test("finalizes a partial signature on a witness input into freicoind's witness", () => {
  const { result } = processed();
  const final = decodeHexPst(result.pst);
  const [sig, script] = final.inputs[0].finalScriptWitness!;
  const partial = structuredClonePst(final);
  const input = partial.inputs[0];
  input.finalScriptWitness = undefined;
  const pubkey = script.slice(2, 35);
  input.partialSigs.set(bytesToHex(hash160(pubkey)), { pubkey, sig });
  input.witnessEntry = { script, path: 0, branch: [] };
  assert.notEqual(encodeHexPst(partial), result.pst);
  assert.equal(finalizePst(secp, partial), true);
  assert.equal(encodeHexPst(partial), result.pst);
});

Deno.test("a partial PST without signatures does not finalize", () => {
  const { call } = processed();
  const pst = decodeHexPst(call[1] as string);
  assert.equal(finalizePst(secp, pst), false);
  assert.equal(pst.inputs[0].finalScriptWitness, undefined);
});

Deno.test("combining adds the other PST's data and refuses different transactions", () => {
  const { call, result } = processed();
  const unsigned = decodeHexPst(call[1] as string);
  const signed = decodeHexPst(result.pst);
  assert.equal(encodeHexPst(combinePsts([unsigned, signed])), result.pst);
  assert.equal(encodeHexPst(unsigned), call[1]);
  const other = decodeHexPst(call[1] as string);
  other.tx = signed.inputs[0].nonWitnessUtxo!;
  assert.throws(() => combinePsts([unsigned, other]), PstMismatchError);
  assert.ok(hexToBytes(result.hex).length > 0);
});
