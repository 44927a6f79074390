import assert from "node:assert/strict";
import {
  freicoinToScrip,
  scripToFreicoin,
  timeAdjustValue,
  timeAdjustValueForward,
  timeAdjustValueReverse,
} from "./demurrage.ts";
import { FORWARD_LADDER, REVERSE_LADDER } from "./_demurrage_ladders.ts";
import { MAX_MONEY } from "./amount.ts";

function loadExact(name: string): unknown {
  const text = Deno.readTextFileSync(new URL(`../../../shared/vectors/${name}`, import.meta.url));
  // Rows exceed 2^53, so numbers are taken from their source text as bigints.
  const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && context?.source ? BigInt(context.source) : value;
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

const demurrage = (loadExact("freicoin-protocol-vectors.json") as {
  demurrage: { hand: bigint[][]; random: bigint[][] };
}).demurrage;

Deno.test("the ladders equal the reference constants", () => {
  const ladders = JSON.parse(
    Deno.readTextFileSync(
      new URL("../../../shared/vectors/demurrage-ladders.json", import.meta.url),
    ),
  );
  const words = (entry: string[]) => entry.map((word) => BigInt(word));
  assert.deepEqual(FORWARD_LADDER, ladders.forward.entries.map(words));
  assert.deepEqual(REVERSE_LADDER, ladders.reverse.entries.map(words));
});

for (const [table, rows] of [["hand", demurrage.hand], ["random", demurrage.random]] as const) {
  Deno.test(`matches every ${table} demurrage row forward and reverse`, () => {
    rows.forEach(([value, distance, forward, reverse], index) => {
      const d = Number(distance);
      assert.equal(timeAdjustValueForward(value, d), forward, `${table}[${index}] forward`);
      assert.equal(timeAdjustValueReverse(value, d), reverse, `${table}[${index}] reverse`);
      assert.equal(timeAdjustValue(value, d), forward);
      if (d > 0) assert.equal(timeAdjustValue(value, -d), reverse);
    });
  });
}

Deno.test("matches the verified values of protocol.md §4.1", () => {
  const cases: [bigint, number, bigint][] = [
    [100_000_000n, 1, 99_999_904n],
    [100_000_000n, 100, 99_990_463n],
    [100_000_000n, 52_560, 95_111_038n],
    [100_000_000n, 1_048_576, 36_787_926n],
    [5_000_000_000n, 1, 4_999_995_231n],
    [5_000_000_000n, 144, 4_999_313_401n],
    [1n, 1, 0n],
    [-100_000_000n, 10, -99_999_046n],
    [100_000_000n, -1, 100_000_095n],
    [100_000_000n, -1_048_576, 271_828_312n],
    [1n, -1, 1n],
    [1n, -1_048_576, 2n],
    [MAX_MONEY, -1, MAX_MONEY],
  ];
  for (const [value, depth, expected] of cases) {
    assert.equal(timeAdjustValue(value, depth), expected, `${value} at ${depth}`);
  }
  // Observed on the reference node: 5e9 - F(5e9, 151) = 0.00719973 FRC.
  assert.equal(5_000_000_000n - timeAdjustValue(5_000_000_000n, 151), 719_973n);
  assert.equal(timeAdjustValue(300_000_000n, 4), 299_998_855n);
});

Deno.test("handles the edges: zero, huge distances and -bitcoinmode", () => {
  assert.equal(timeAdjustValueForward(123n, 0), 123n);
  assert.equal(timeAdjustValueForward(MAX_MONEY, 1 << 26), 0n);
  assert.equal(timeAdjustValueReverse(0n, 1 << 26), 0n);
  assert.equal(timeAdjustValueReverse(1n, 1 << 26), MAX_MONEY);
  assert.equal(timeAdjustValueReverse(-1n, 1 << 26), -MAX_MONEY);
  assert.equal(timeAdjustValue(777n, 1000, { disableTimeAdjust: true }), 777n);
  assert.throws(() => timeAdjustValue(1n, 0.5), RangeError);
  assert.throws(() => timeAdjustValueForward(1n << 63n, 1), RangeError);
});

Deno.test("scrip conversion is the time adjustment to and from the epoch", () => {
  assert.equal(freicoinToScrip(100_000_000n, 5_040_000), 100_000_000n);
  assert.equal(scripToFreicoin(100_000_000n, 5_040_001), 99_999_904n);
});
