import assert from "node:assert/strict";
import {
  freicoinToScrip,
  scripToFreicoin,
  timeAdjustValue,
  timeAdjustValueForward,
  timeAdjustValueForwardBigInt,
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
      assert.equal(timeAdjustValueForwardBigInt(value, d), forward, `${table}[${index}] BigInt`);
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

/** Deterministic xorshift32 so a failure names a reproducible case. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

Deno.test("the Number fast path equals the BigInt path over random values and distances", () => {
  const next = randomSource(0x5eed_2026);
  const randomValue = (): bigint => {
    // Uniform bits below 2^53, spread over magnitudes by a random bit length.
    const bits = 1 + (next() % 53);
    const raw = (BigInt(next()) << 32n | BigInt(next())) & ((1n << BigInt(bits)) - 1n);
    const value = raw > MAX_MONEY ? MAX_MONEY : raw;
    return next() & 1 ? -value : value;
  };
  const randomDistance = (): number => {
    switch (next() % 4) {
      case 0:
        return next() % 300; // a few blocks, as in block connection
      case 1:
        return next() % (1 << 20);
      case 2:
        return next() % (1 << 26);
      default:
        return 1 << (next() % 26);
    }
  };
  const edgeValues = [0n, 1n, -1n, MAX_MONEY, -MAX_MONEY, 4_294_967_295n, 4_294_967_296n];
  for (let i = 0; i < 20_000; i++) {
    const value = i < edgeValues.length * 10 ? edgeValues[i % edgeValues.length] : randomValue();
    const distance = randomDistance();
    const reverse = -distance;
    assert.equal(
      timeAdjustValueForward(value, distance),
      timeAdjustValueForwardBigInt(value, distance),
      `forward ${value} over ${distance}`,
    );
    // timeAdjustValue dispatches negative depths to the (unchanged) reverse path.
    assert.equal(timeAdjustValue(value, reverse), timeAdjustValueReverse(value, distance));
  }
});

Deno.test("values beyond 2^53 still take the BigInt path", () => {
  for (const value of [MAX_MONEY + 1n, (1n << 63n) - 1n, -(1n << 63n), -(MAX_MONEY + 1n)]) {
    for (const distance of [1, 2, 144, 1_048_576, (1 << 26) - 1]) {
      assert.equal(
        timeAdjustValueForward(value, distance),
        timeAdjustValueForwardBigInt(value, distance),
      );
    }
  }
});
