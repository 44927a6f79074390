import assert from "node:assert/strict";
import { COIN, MAX_MONEY, moneyRange } from "./amount.ts";
import { formatAmount } from "./format_amount.ts";
import { AmountError, parseAmount, parseFixedPoint } from "./parse_amount.ts";
import { parseMoney } from "./money_string.ts";

Deno.test("moneyRange accepts exactly 0..2^53-1", () => {
  assert.equal(MAX_MONEY, 2n ** 53n - 1n);
  assert.ok(moneyRange(0n));
  assert.ok(moneyRange(MAX_MONEY));
  assert.ok(!moneyRange(MAX_MONEY + 1n));
  assert.ok(!moneyRange(-1n));
});

Deno.test("formatAmount prints exactly 8 decimals with the sign", async (t) => {
  const cases: [bigint, string][] = [
    [0n, "0.00000000"],
    [1n, "0.00000001"],
    [50n * COIN, "50.00000000"],
    [-1n, "-0.00000001"],
    [-123_456_789n, "-1.23456789"],
    [MAX_MONEY, "90071992.54740991"],
    [719_973n, "0.00719973"],
  ];
  for (const [value, text] of cases) {
    await t.step(text, () => assert.equal(formatAmount(value), text));
  }
});

Deno.test("parseAmount follows AmountFromValue", async (t) => {
  const good: [unknown, bigint][] = [
    [0, 0n],
    ["0", 0n],
    [1, COIN],
    ["1", COIN],
    [0.00000001, 1n],
    ["0.00000001", 1n],
    ["1e-8", 1n],
    [20999999.9999999, 2_099_999_999_999_990n],
    ["20999999.99999999", 2_099_999_999_999_999n],
    ["1.00000000000", COIN],
    ["0.5E1", 5n * COIN],
    ["1e+1", 10n * COIN],
    [0.1, 10_000_000n],
    ["90071992.54740991", MAX_MONEY],
    [-0, 0n],
  ];
  for (const [input, expected] of good) {
    await t.step(
      `accepts ${JSON.stringify(input)}`,
      () => assert.equal(parseAmount(input), expected),
    );
  }
  const invalid: unknown[] = [
    "0.000000001",
    1e-9,
    "",
    "-",
    ".5",
    "5.",
    "+1",
    "01",
    " 1",
    "1 ",
    "1e",
    "0x10",
    "abc",
    "1000000000000000000",
    "1e10",
    Number.NaN,
  ];
  for (const input of invalid) {
    await t.step(`rejects ${String(input)} as invalid`, () => {
      assert.throws(() => parseAmount(input), { name: "AmountError", message: "Invalid amount" });
    });
  }
  for (const input of ["-1", -0.00000001, "90071992.54740992", 1e9]) {
    await t.step(`rejects ${input} as out of range`, () => {
      assert.throws(() => parseAmount(input), new AmountError("Amount out of range"));
    });
  }
  for (const input of [null, true, {}, []]) {
    await t.step(`rejects ${JSON.stringify(input)} by type`, () => {
      assert.throws(() => parseAmount(input), { message: "Amount is not a number or string" });
    });
  }
});

Deno.test("parseFixedPoint supports other decimal counts", () => {
  assert.equal(parseFixedPoint("1.234", 3), 1234n);
  assert.equal(parseFixedPoint("1.2345", 3), null);
  assert.equal(parseFixedPoint("-0.001", 3), -1n);
  assert.equal(parseAmount("0.001", { decimals: 3 }), 1n);
});

Deno.test("parseAmount and parseMoney reject random text without other errors", () => {
  let state = 7;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const alphabet = "0123456789.eE+- \t\0x";
  for (let i = 0; i < 3000; i++) {
    const text = Array.from(
      { length: Math.floor(next() * 14) },
      () => alphabet[Math.floor(next() * alphabet.length)],
    ).join("");
    try {
      const value = parseAmount(text);
      assert.ok(value >= 0n && value <= MAX_MONEY);
    } catch (error) {
      assert.ok(error instanceof AmountError, `${JSON.stringify(text)}: ${error}`);
    }
    const money = parseMoney(text);
    assert.ok(money === null || (money >= 0n && money <= MAX_MONEY));
  }
});
