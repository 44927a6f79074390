import assert from "node:assert/strict";
import { decodeHexPst, decodePst, encodeHexPst, encodePst, PstDecodeError } from "./pst_codec.ts";

const SAMPLES = new URL("../../../shared/vectors/regtest-rpc-samples.json", import.meta.url);

function samplePsts(): string[] {
  const text = Deno.readTextFileSync(SAMPLES);
  return [...new Set(text.match(/707374ff[0-9a-f]+/g) ?? [])];
}

Deno.test("re-encodes every PST freicoind produced byte for byte", () => {
  const psts = samplePsts();
  assert.ok(psts.length >= 2);
  for (const hex of psts) assert.equal(encodeHexPst(decodeHexPst(hex)), hex);
});

Deno.test("reads the witness utxo refheight and the output witness script entry", () => {
  const signed = samplePsts().find((hex) => hex.length > 400)!;
  const pst = decodeHexPst(signed);
  assert.equal(pst.inputs[0].witnessUtxo?.refheight, 154);
  assert.equal(pst.inputs[0].witnessUtxo?.output.value, 47_09300945n);
  assert.equal(pst.outputs[0].witnessEntry?.script.length, 36);
  assert.equal(pst.outputs[0].witnessEntry?.path, 0);
  assert.equal(pst.outputs[0].hdKeypaths.size, 1);
});

Deno.test("rejects bad magic, bad hex, truncation and trailing data with freicoind's texts", () => {
  const hex = samplePsts()[0];
  const error = (text: string) => {
    try {
      decodeHexPst(text);
    } catch (e) {
      assert.ok(e instanceof PstDecodeError);
      return e.message;
    }
    return "decoded";
  };
  assert.equal(error("zz"), "invalid hex");
  assert.equal(error("70737400" + hex.slice(8)), "Invalid PST magic bytes: iostream error");
  assert.equal(error(hex + "00"), "extra data after PST");
  assert.equal(
    error(hex.slice(0, -2)),
    "Outputs provided does not match the number of outputs in transaction.: iostream error",
  );
  assert.equal(error(hex.slice(0, 14)), "DataStream::read(): end of data: iostream error");
  assert.equal(error("707374ff00"), "No unsigned transaction was provided: iostream error");
  assert.equal(
    error("707374ff"),
    "Separator is missing at the end of the global map: iostream error",
  );
});

Deno.test("fuzz: mutated PSTs decode or fail with PstDecodeError, never anything else", () => {
  const seeds = samplePsts().map((hex) => decodeHexPst(hex)).map(encodePst);
  let state = 0x12345678;
  const random = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let round = 0; round < 3000; round++) {
    const seed = seeds[round % seeds.length];
    const bytes = seed.slice(0, Math.max(4, Math.floor(random() * (seed.length + 8))));
    for (let flips = Math.floor(random() * 4); flips > 0; flips--) {
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    }
    try {
      const pst = decodePst(bytes);
      assert.deepEqual(decodePst(encodePst(pst)).tx.txidHex, pst.tx.txidHex);
    } catch (e) {
      if (!(e instanceof PstDecodeError)) throw e;
    }
  }
});
