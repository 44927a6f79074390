import assert from "node:assert/strict";
import { formatMoney, parseMoney } from "./money_string.ts";
import { MAX_MONEY } from "./amount.ts";

Deno.test("formatMoney trims trailing zeros down to two decimals", async (t) => {
  const cases: [bigint, string][] = [
    [0n, "0.00"],
    [100_000_000n, "1.00"],
    [150_000_000n, "1.50"],
    [123_400_000n, "1.234"],
    [1n, "0.00000001"],
    [-150_000_000n, "-1.50"],
    [2_100_000_000_000_000n, "21000000.00"],
  ];
  for (const [value, text] of cases) {
    await t.step(text, () => assert.equal(formatMoney(value), text));
  }
});

Deno.test("parseMoney follows ParseMoney", async (t) => {
  const good: [string, bigint][] = [
    ["0", 0n],
    ["1", 100_000_000n],
    ["1.", 100_000_000n],
    [".5", 50_000_000n],
    ["0.00000001", 1n],
    [" \t12.5\n", 1_250_000_000n],
    ["0000000001", 100_000_000n],
    ["90071992.54740991", MAX_MONEY],
  ];
  for (const [text, value] of good) {
    await t.step(`accepts ${JSON.stringify(text)}`, () => assert.equal(parseMoney(text), value));
  }
  const bad = [
    "",
    " ",
    "-1",
    "+1",
    "1e-4",
    "1 0",
    "0.000000001",
    "1.2.3",
    "00000000001",
    "abc",
    "1\0",
    "90071992.54740992",
  ];
  for (const text of bad) {
    await t.step(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseMoney(text), null));
  }
});
