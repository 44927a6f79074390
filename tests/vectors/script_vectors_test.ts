/**
 * script_tests.json, read the way src/test/script_tests.cpp reads it: each
 * vector runs VerifyScript on a crediting/spending transaction pair and must
 * give exactly the expected error; passing vectors must still pass with
 * random flags removed, failing ones still fail with random flags added.
 * Runs once per secp256k1 backend.
 */
import assert from "node:assert/strict";
import { OutPoint } from "../../kernel/primitives/outpoint.ts";
import { Transaction } from "../../kernel/primitives/transaction.ts";
import { TxIn } from "../../kernel/primitives/tx_in.ts";
import { TxOut } from "../../kernel/primitives/tx_out.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import {
  parseAsm,
  parseScriptError,
  parseVerifyFlags,
  type ScriptError,
  TransactionSignatureChecker,
  VerifyFlags,
  verifyScript,
} from "../../kernel/script/mod.ts";
import { label, parseHexLenient, readVectorJson, secpBackends, SeededRandom } from "./_harness.ts";

interface ScriptVector {
  index: number;
  raw: unknown[];
  witness: Uint8Array[];
  amount: bigint;
  scriptSig: Uint8Array;
  scriptPubKey: Uint8Array;
  flags: number;
  expected: ScriptError;
}

function loadVectors(): { vectors: ScriptVector[]; comments: number } {
  const entries = readVectorJson("script_tests.json") as unknown[][];
  const vectors: ScriptVector[] = [];
  let comments = 0;
  entries.forEach((entry, index) => {
    let pos = 0;
    const witness: Uint8Array[] = [];
    let amount = 0n;
    if (entry.length > 0 && Array.isArray(entry[0])) {
      const items = entry[0] as unknown[];
      for (let i = 0; i < items.length - 1; i++) witness.push(parseHexLenient(items[i] as string));
      amount = BigInt(Math.round((items[items.length - 1] as number) * 1e8));
      pos++;
    }
    if (entry.length < 4 + pos) {
      assert.equal(entry.length, 1, `bad test #${index}`);
      comments++;
      return;
    }
    vectors.push({
      index,
      raw: entry,
      witness,
      amount,
      scriptSig: parseAsm(entry[pos] as string),
      scriptPubKey: parseAsm(entry[pos + 1] as string),
      flags: parseVerifyFlags(entry[pos + 2] as string),
      expected: parseScriptError(entry[pos + 3] as string),
    });
  });
  return { vectors, comments };
}

/** BuildCreditingTransaction: v1, null prevout, scriptSig `0 0`, no serialized lock_height. */
function creditingTransaction(scriptPubKey: Uint8Array, amount: bigint): Transaction {
  return new Transaction({
    version: 1,
    inputs: [
      new TxIn({
        prevout: new OutPoint(new Uint8Array(32), 0xffffffff),
        scriptSig: Uint8Array.of(0, 0),
      }),
    ],
    outputs: [new TxOut(amount, scriptPubKey)],
    lockTime: 0,
    lockHeight: 0,
  });
}

/** BuildSpendingTransaction: v1 spending credit:0, lock_height 0 (serialized and signed). */
function spendingTransaction(v: ScriptVector, credit: Transaction): Transaction {
  return new Transaction({
    version: 1,
    inputs: [
      new TxIn({
        prevout: new OutPoint(credit.txid, 0),
        scriptSig: v.scriptSig,
        witness: v.witness,
      }),
    ],
    outputs: [new TxOut(credit.outputs[0].value, new Uint8Array(0))],
    lockTime: 0,
    lockHeight: credit.lockHeight,
  });
}

const { vectors, comments } = loadVectors();

function runVectors(secp: Secp256k1, variations: number): void {
  Deno.test(`script_tests.json [${secp.backend}]: ${vectors.length} vectors, ${variations} flag variations each`, async (t) => {
    const random = new SeededRandom(0x5c41f7);
    let passed = 0;
    for (const v of vectors) {
      await t.step(label(v.index, v.raw), () => {
        let flags = v.flags;
        if (flags & VerifyFlags.CLEANSTACK) flags |= VerifyFlags.P2SH | VerifyFlags.WITNESS;
        const credit = creditingTransaction(v.scriptPubKey, v.amount);
        const spend = spendingTransaction(v, credit);
        const checker = new TransactionSignatureChecker(
          secp,
          spend,
          0,
          credit.outputs[0].value,
          credit.lockHeight,
        );
        const expectOk = v.expected === "OK";
        const result = verifyScript(v.scriptSig, v.scriptPubKey, v.witness, flags, checker);
        assert.equal(result.error, v.expected);
        assert.equal(result.ok, expectOk);
        for (let i = 0; i < variations; i++) {
          const extra = random.bits(16);
          const combined = (expectOk ? flags & ~extra : flags | extra) >>> 0;
          if (
            (combined & VerifyFlags.CLEANSTACK) &&
            (~combined & (VerifyFlags.P2SH | VerifyFlags.WITNESS))
          ) continue;
          if ((combined & VerifyFlags.WITNESS) && (~combined & VerifyFlags.P2SH)) continue;
          const again = verifyScript(v.scriptSig, v.scriptPubKey, v.witness, combined, checker);
          assert.equal(again.ok, expectOk, `with flags ${combined.toString(16)}: ${again.error}`);
        }
        passed++;
      });
    }
    // deno-lint-ignore no-console -- the brief asks the vector tests to report their counts
    console.log(
      `script_tests [${secp.backend}]: ${passed} passed, 0 failed (${comments} comment rows)`,
    );
  });
}

for (const secp of secpBackends()) runVectors(secp, 16);
