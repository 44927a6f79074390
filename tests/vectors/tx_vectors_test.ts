/**
 * tx_valid.json and tx_invalid.json, read the way src/test/transaction_tests.cpp
 * reads them: flags to exclude (valid) or include (invalid), the
 * LOCK_HEIGHT_NOT_UNDER_SIGNATURE marker, CheckTransaction/BADTX, the
 * single-flag and random-flag variations and the maximal/minimal-flags checks.
 * Both secp256k1 backends run every step.
 */
import assert from "node:assert/strict";
import { checkTransaction } from "../../kernel/consensus/check_transaction.ts";
import { hexToBytes } from "../../kernel/encoding/hex.ts";
import { decodeTransaction } from "../../kernel/primitives/transaction.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import {
  FLAG_NAMES,
  parseScriptError,
  parseVerifyFlags,
  PrecomputedTransactionData,
  type ScriptError,
  VerifyFlags as F,
} from "../../kernel/script/mod.ts";
import {
  checkTxScripts,
  excludeIndividualFlags,
  fillFlags,
  readPrevouts,
  trimFlags,
  type TxCase,
} from "./_tx_vectors.ts";
import { label, readVectorJson, secpBackends, SeededRandom } from "./_harness.ts";

const FLAG_COUNT = FLAG_NAMES.size; // InsecureRandBits(mapFlagNames.size())

interface Loaded {
  index: number;
  raw: unknown[];
  c: TxCase;
  flags: number;
  badTx: boolean;
  expectedError?: ScriptError;
}

function load(raw: unknown[], index: number, secp: Secp256k1, invalidFile: boolean): Loaded {
  const maxLength = invalidFile ? 4 : 3;
  assert.ok(raw.length === 3 || raw.length === maxLength, "bad test shape");
  assert.equal(typeof raw[1], "string");
  assert.equal(typeof raw[2], "string");
  const prevouts = readPrevouts(raw[0] as unknown[]);
  assert.ok(prevouts !== null, "bad test: malformed prevouts");
  // Deserialize with witness; the whole string must be consumed (decodeTransaction checks).
  const tx = decodeTransaction(hexToBytes(raw[1] as string));
  const badTx = !checkTransaction(tx).ok;
  let flags = 0;
  let noLockHeight = false;
  if (!badTx) {
    flags = parseVerifyFlags(raw[2] as string);
    if (flags & F.LOCK_HEIGHT_NOT_UNDER_SIGNATURE) {
      noLockHeight = true;
      flags = (flags & ~F.LOCK_HEIGHT_NOT_UNDER_SIGNATURE) >>> 0;
    }
  }
  return {
    index,
    raw,
    c: { tx, prevouts, precomputed: new PrecomputedTransactionData(tx), noLockHeight, secp },
    flags,
    badTx,
    expectedError: raw.length === 4 ? parseScriptError(raw[3] as string) : undefined,
  };
}

function validSteps(v: Loaded, random: SeededRandom, full: boolean): void {
  assert.ok(!v.badTx, "CheckTransaction must pass");
  const excluded = v.flags;
  assert.equal(~excluded >>> 0, fillFlags(~excluded), "bad test flags");
  assert.ok(checkTxScripts(v.c, trimFlags(~excluded), true), "tx unexpectedly failed");
  if (!full) return;
  for (const bit of FLAG_NAMES.values()) {
    assert.ok(checkTxScripts(v.c, trimFlags(~(excluded | bit)), true), "failed with a flag unset");
    const randomFlags = trimFlags(~(excluded | random.bits(FLAG_COUNT)));
    assert.ok(checkTxScripts(v.c, randomFlags, true), "failed with random flags unset");
  }
  // The excluded flags are maximal: setting any one of them again must fail.
  for (const fewer of excludeIndividualFlags(excluded)) {
    assert.ok(checkTxScripts(v.c, ~fewer, false), "too many flags unset");
  }
}

function invalidSteps(v: Loaded, random: SeededRandom, full: boolean): void {
  if (v.badTx) {
    assert.equal(v.raw[2], "BADTX", "CheckTransaction failed but the vector does not say BADTX");
    return;
  }
  const included = v.flags;
  assert.equal(included, fillFlags(included), "bad test flags");
  // A 3-field vector is compared against OK, exactly like the reference (so it must be BADTX).
  assert.ok(
    checkTxScripts(v.c, included, false, v.expectedError ?? "OK"),
    "tx unexpectedly passed",
  );
  if (!full) return;
  for (const bit of FLAG_NAMES.values()) {
    assert.ok(checkTxScripts(v.c, fillFlags(included | bit), false), "passed with a flag set");
    const randomFlags = fillFlags(included | random.bits(FLAG_COUNT));
    assert.ok(checkTxScripts(v.c, randomFlags, false), "passed with random flags set");
  }
  // The included flags are minimal: dropping any one of them must pass.
  for (const fewer of excludeIndividualFlags(included)) {
    assert.ok(checkTxScripts(v.c, fewer, true), "too many flags set");
  }
}

function run(file: "tx_valid.json" | "tx_invalid.json", secp: Secp256k1): void {
  const entries = readVectorJson(file) as unknown[][];
  const full = true;
  const scope = "all flag variations";
  const tests = entries.map((raw, index) => ({ raw, index })).filter((e) =>
    Array.isArray(e.raw[0])
  );
  Deno.test(`${file} [${secp.backend}, ${scope}]: ${tests.length} vectors`, async (t) => {
    const random = new SeededRandom(0x7c0ffee);
    let passed = 0;
    for (const { raw, index } of tests) {
      await t.step(label(index, raw), () => {
        const v = load(raw, index, secp, file === "tx_invalid.json");
        if (file === "tx_valid.json") validSteps(v, random, full);
        else invalidSteps(v, random, full);
        passed++;
      });
    }
    // deno-lint-ignore no-console -- the brief asks the vector tests to report their counts
    console.log(`${file} [${secp.backend}]: ${passed} passed, 0 failed`);
  });
}

for (const secp of secpBackends()) {
  run("tx_valid.json", secp);
  run("tx_invalid.json", secp);
}
