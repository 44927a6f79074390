/**
 * sighash.json, read like src/test/sighash_tests.cpp: legacy SignatureHash
 * with amount 0 and refheight 0, compared in display (byte-reversed) hex.
 */
import assert from "node:assert/strict";
import { checkTransaction } from "../../kernel/consensus/check_transaction.ts";
import { ByteReader } from "../../kernel/encoding/byte_reader.ts";
import { hashToHex, hexToBytes } from "../../kernel/encoding/hex.ts";
import { Transaction } from "../../kernel/primitives/transaction.ts";
import { signatureHash } from "../../kernel/script/mod.ts";
import { label, parseHexLenient, readVectorJson } from "./_harness.ts";

const entries = readVectorJson("sighash.json") as unknown[][];
const tests = entries.map((raw, index) => ({ raw, index })).filter((e) => e.raw.length > 1);

Deno.test(`sighash.json: ${tests.length} legacy sighashes`, async (t) => {
  let passed = 0;
  for (const { raw, index } of tests) {
    await t.step(label(index, raw), () => {
      const [rawTx, rawScript, inputIndex, hashType, expected] = raw as [
        string,
        string,
        number,
        number,
        string,
      ];
      // `stream >> tx`: trailing bytes are not checked by the reference here.
      const tx = Transaction.read(new ByteReader(hexToBytes(rawTx)));
      assert.ok(checkTransaction(tx).ok, "CheckTransaction");
      const scriptCode = parseHexLenient(rawScript);
      const digest = signatureHash(scriptCode, tx, inputIndex, hashType, 0n, 0, "BASE");
      assert.equal(hashToHex(digest), expected);
      passed++;
    });
  }
  // deno-lint-ignore no-console -- the brief asks the vector tests to report their counts
  console.log(`sighash.json: ${passed} passed, 0 failed`);
});
