import assert from "node:assert/strict";
import {
  isJsonObject,
  JsonNumber,
  type JsonObject,
  type JsonValue,
  RpcError,
} from "../../../rpc/mod.ts";
import type { CoinControl } from "../create_transaction.ts";
import {
  checkFundOptionTypes,
  constructInputs,
  interpretFeeEstimationInstructions,
  parseInputWeights,
  setFeeEstimateMode,
  subtractFeePositions,
} from "./fund_options.ts";

const n = (text: string) => new JsonNumber(text);
const TXID = "aa".repeat(32);

function rpcError(code: number, message: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof RpcError, String(error));
    assert.equal(error.code, code);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

Deno.test("fee arguments go into the options one way only, and a target needs a mode", () => {
  const options: JsonObject = { conf_target: n("6") };
  assert.throws(
    () => interpretFeeEstimationInstructions(n("2"), undefined, undefined, options),
    rpcError(-8, /either as arguments or in the options object/),
  );
  const moved: JsonObject = {};
  assert.throws(
    () => interpretFeeEstimationInstructions(n("2"), "unset", undefined, moved),
    rpcError(-8, "Specify estimate_mode"),
  );
  const fine: JsonObject = {};
  interpretFeeEstimationInstructions(n("2"), "economical", n("1"), fine);
  assert.deepEqual(Object.keys(fine).sort(), ["conf_target", "estimate_mode", "fee_rate"]);
});

Deno.test("the estimate mode is checked before the confirmation target", () => {
  const control: CoinControl = {};
  const invalidMode =
    'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"';
  assert.throws(
    () => setFeeEstimateMode(control, n("0.1"), "foo", undefined, false),
    rpcError(-8, invalidMode),
  );
  assert.throws(
    () => setFeeEstimateMode(control, n("1009"), "economical", undefined, false),
    rpcError(-8, "Invalid conf_target, must be between 1 and 1008"),
  );
  setFeeEstimateMode(control, n("6"), "CONSERVATIVE", undefined, false);
  assert.equal(control.confirmTarget, 6);
  assert.equal(control.estimateMode, "conservative");
});

Deno.test("an explicit fee rate excludes a target and turns on replaceability", () => {
  const control: CoinControl = {};
  assert.throws(
    () => setFeeEstimateMode(control, n("6"), undefined, n("1"), false),
    rpcError(-8, /^Cannot specify both conf_target and fee_rate/),
  );
  assert.throws(
    () => setFeeEstimateMode(control, undefined, "economical", n("1"), false),
    rpcError(-8, "Cannot specify both estimate_mode and fee_rate"),
  );
  setFeeEstimateMode(control, undefined, "unset", n("4.531"), true);
  assert.equal(control.feeRate, 4531n);
  assert.equal(control.overrideFeeRate, true);
  assert.equal(control.replaceable, true);
});

Deno.test("subtract-fee positions are checked as freicoind does", () => {
  const keys = ["a", "b"];
  assert.deepEqual([...subtractFeePositions([n("1"), "a"], keys)].sort(), [0, 1]);
  assert.deepEqual([...subtractFeePositions(true, keys)], [0]);
  assert.throws(
    () => subtractFeePositions([n("1"), n("1")], keys),
    rpcError(-8, "Invalid parameter, duplicated position: 1"),
  );
  assert.throws(
    () => subtractFeePositions([n("-1")], keys),
    rpcError(-8, "Invalid parameter, negative position: -1"),
  );
  assert.throws(
    () => subtractFeePositions([n("2")], keys),
    rpcError(-8, "Invalid parameter, position too large: 2"),
  );
});

Deno.test("input weights need a vout and a weight between 165 and 400000", () => {
  assert.throws(
    () => parseInputWeights([{ txid: TXID }]),
    rpcError(-8, "Invalid parameter, missing vout key"),
  );
  assert.throws(
    () => parseInputWeights([{ txid: TXID, vout: n("-1") }]),
    rpcError(-8, "Invalid parameter, vout cannot be negative"),
  );
  assert.throws(
    () => parseInputWeights([{ txid: TXID, vout: n("0") }]),
    rpcError(-8, "Invalid parameter, missing weight key"),
  );
  assert.throws(
    () => parseInputWeights([{ txid: TXID, vout: n("0"), weight: n("164") }]),
    rpcError(-8, /weight cannot be less than 165/),
  );
  assert.throws(
    () => parseInputWeights([{ txid: TXID, vout: n("0"), weight: n("400001") }]),
    rpcError(-8, /greater than the maximum standard tx weight of 400000/),
  );
  const weights = parseInputWeights([{ txid: TXID, vout: n("3"), weight: n("272") }]);
  assert.equal(weights.get(`${TXID}:3`), 272);
});

Deno.test("constructed inputs get sequences from RBF and locktime, lock_height the next block", () => {
  const input = [{ txid: TXID, vout: n("0") }];
  assert.equal(
    constructInputs(input, undefined, undefined, 10, true).inputs[0].sequence,
    0xfffffffd,
  );
  assert.equal(constructInputs(input, n("5"), undefined, 10, false).inputs[0].sequence, 0xfffffffe);
  const plain = constructInputs(input, undefined, n("0"), 10, false);
  assert.equal(plain.inputs[0].sequence, 0xffffffff);
  assert.equal(plain.lockHeight, 11);
  assert.equal(constructInputs([], undefined, n("42"), 10, false).lockHeight, 42);
  assert.throws(
    () => constructInputs([], n("-1"), undefined, 10, false),
    rpcError(-8, "Invalid parameter, locktime out of range"),
  );
});

Deno.test("unknown and mistyped funding options are -3 errors", () => {
  assert.throws(
    () => checkFundOptionTypes({ totalFee: n("1") }),
    rpcError(-3, "Unexpected key totalFee"),
  );
  assert.throws(
    () => checkFundOptionTypes({ conf_target: "true" }),
    rpcError(-3, "JSON value of type string for field conf_target is not of expected type number"),
  );
  checkFundOptionTypes({ conf_target: null, fee_rate: "1" });
});

/** A random JSON value of bounded depth (numbers, strings, hex, arrays, objects, null, bools). */
function randomJson(next: () => number, depth = 0): JsonValue {
  const pick = next() % (depth > 2 ? 6 : 8);
  const choices: (() => JsonValue)[] = [
    () => null,
    () => next() % 2 === 0,
    () => n(String((next() % 2000000) - 1000)),
    () => n(`${next() % 100}.${next() % 1000000000}`),
    () => ["", "ab", TXID, "zz", "unset", "economical", "-1", "00".repeat(next() % 40)][next() % 8],
    () => TXID.slice(0, next() % 64),
    () => Array.from({ length: next() % 4 }, () => randomJson(next, depth + 1)),
    () => {
      const keys = ["txid", "vout", "weight", "sequence", "pubkeys", "scripts", "descriptors", "x"];
      const object: JsonObject = {};
      for (let i = next() % 4; i > 0; i--) {
        object[keys[next() % keys.length]] = randomJson(next, depth + 1);
      }
      return object;
    },
  ];
  return choices[pick]();
}

Deno.test("option parsers answer random JSON with errors freicoind gives, never a crash", () => {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) >>> 8;
  for (let round = 0; round < 2000; round++) {
    const value = randomJson(next);
    const other = randomJson(next);
    const attempts: (() => unknown)[] = [
      () => parseInputWeights(value),
      () => subtractFeePositions(value, ["a", "b", "c"]),
      () => constructInputs(value, other, randomJson(next), 100, next() % 2 === 0),
      () => setFeeEstimateMode({}, value, other, randomJson(next), false),
      () => interpretFeeEstimationInstructions(value, other, undefined, {}),
      () => checkFundOptionTypes(isJsonObject(value) ? value : { conf_target: value }),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
      } catch (error) {
        // RPC errors, or UniValue-style runtime errors the registry answers as -1 (e.g. "JSON
        // integer out of range"); never a programming error.
        const crash = error instanceof TypeError || error instanceof RangeError ||
          error instanceof ReferenceError || error instanceof SyntaxError ||
          !(error instanceof Error);
        assert.ok(!crash, `round ${round}: ${String(error)}`);
      }
    }
  }
});
