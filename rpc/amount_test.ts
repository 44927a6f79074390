import assert from "node:assert/strict";
import { amountFromJson, amountToJson, parseFixedPoint } from "./amount.ts";
import { JsonNumber } from "./json.ts";
import { RpcError } from "./errors.ts";

Deno.test("writes amounts with exactly 8 decimals", () => {
  assert.equal(amountToJson(0n).text, "0.00000000");
  assert.equal(amountToJson(9999029146n).text, "99.99029146");
  assert.equal(amountToJson(-5n).text, "-0.00000005");
  assert.equal(amountToJson(9_007_199_254_740_991n).text, "90071992.54740991");
});

Deno.test("parses fixed-point text like freicoind's ParseFixedPoint", async (t) => {
  const cases: [string, bigint | undefined][] = [
    ["0", 0n],
    ["1", 100000000n],
    ["0.1", 10000000n],
    ["0.00000001", 1n],
    ["0.000000001", undefined],
    ["0.0000000100", 1n],
    ["1e-8", 1n],
    ["1e-9", undefined],
    ["0.00000000000000000000", 0n],
    ["0e-100", undefined],
    ["-0.5", -50000000n],
    ["1000000000", 100000000000000000n],
    ["10000000000", undefined],
    ["01", undefined],
    ["1.", undefined],
    [".1", undefined],
    ["1e", undefined],
    ["", undefined],
    ["-", undefined],
    ["1 ", undefined],
    ["9999999999.99999999", 999999999999999999n],
  ];
  for (const [text, expected] of cases) {
    await t.step(JSON.stringify(text), () => assert.equal(parseFixedPoint(text, 8), expected));
  }
});

Deno.test("reads JSON amounts with freicoind's -3 errors", () => {
  assert.equal(amountFromJson(new JsonNumber("0.1")), 10000000n);
  assert.equal(amountFromJson("1.5"), 150000000n);
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof RpcError ? `${e.code} ${e.message}` : String(e);
    }
    return "no error";
  };
  assert.equal(code(() => amountFromJson(true)), "-3 Amount is not a number or string");
  assert.equal(code(() => amountFromJson("abc")), "-3 Invalid amount");
  assert.equal(code(() => amountFromJson(new JsonNumber("-1"))), "-3 Amount out of range");
  assert.equal(code(() => amountFromJson(new JsonNumber("90071993"))), "-3 Amount out of range");
});

Deno.test("bounded fuzz: parseFixedPoint agrees with a decimal reading of the text", () => {
  const alphabet = "0123456789.-eE+";
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 5000; i++) {
    let text = "";
    const length = Math.floor(random() * 14);
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
    const parsed = parseFixedPoint(text, 8);
    if (parsed === undefined) continue;
    // Whatever parses is within the documented bound and round-trips through 8-decimal text.
    assert.ok(parsed > -(10n ** 18n) && parsed < 10n ** 18n, text);
    const written = amountToJson(parsed).text;
    assert.equal(parseFixedPoint(written, 8), parsed, `${text} -> ${written}`);
  }
});
