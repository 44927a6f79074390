import assert from "node:assert/strict";
import {
  firstDuplicateKey,
  formatDouble,
  JsonNumber,
  type JsonObject,
  JsonParseError,
  type JsonValue,
  parseJson,
  quoteJsonString,
  writeJson,
} from "./json.ts";

Deno.test("keeps number text exactly through a round trip", () => {
  for (
    const text of ["0.1", "0.10000000", "-0", "1e-8", "123456789012345678901234567890", "2E+3"]
  ) {
    assert.equal(writeJson(parseJson(`[${text}]`)), `[${text}]`);
  }
});

Deno.test("rejects what UniValue rejects", async (t) => {
  const bad = [
    "",
    "01",
    "-",
    "1.",
    ".5",
    "1e",
    "+1",
    "[1 2]",
    "[1,]",
    '{"a" 1}',
    '{"a":1,}',
    "nul",
    "truex",
    "[] []",
    '"\u0001"',
    '"\\x"',
    '"\\ud800"',
    '"\\udc00"',
    '"\\ud800\\u0041"',
    "NaN",
    "[".repeat(513) + "]".repeat(513),
  ];
  for (const [i, text] of bad.entries()) {
    await t.step(`case ${i}: ${JSON.stringify(text.slice(0, 20))}`, () => {
      assert.throws(() => parseJson(text), JsonParseError);
    });
  }
});

Deno.test("accepts top-level scalars, surrogate pairs and 512 levels", () => {
  assert.equal(parseJson(" true "), true);
  assert.equal(parseJson('"\\ud83d\\ude00"'), "\u{1F600}");
  assert.ok(Array.isArray(parseJson("[".repeat(512) + "]".repeat(512))));
});

Deno.test("duplicate keys keep the first value and are reported", () => {
  const value = parseJson('{"a":1,"b":2,"a":3}') as JsonObject;
  assert.equal((value.a as JsonNumber).text, "1");
  assert.equal(firstDuplicateKey(value), "a");
});

Deno.test("a __proto__ key is plain data", () => {
  const value = parseJson('{"__proto__":{"x":1}}') as JsonObject;
  assert.equal(Object.getPrototypeOf(value), null);
  assert.equal(writeJson(value), '{"__proto__":{"x":1}}');
});

Deno.test("writes strings with UniValue's escapes", () => {
  assert.equal(
    writeJson('a"b\\c/\n\t\u0001\u007f\u00e9'),
    '"a\\"b\\\\c/\\n\\t\\u0001\\u007f\u00e9"',
  );
});

Deno.test("pretty-prints like UniValue (freicoin-cli uses indent 2)", () => {
  assert.equal(writeJson([], 2), "[\n]");
  assert.equal(writeJson({}, 2), "{\n}");
  assert.equal(
    writeJson({ a: [], b: { c: 1 } }, 2),
    '{\n  "a": [\n  ],\n  "b": {\n    "c": 1\n  }\n}',
  );
  assert.equal(writeJson(new Map([["2", 1], ["1", 2]])), '{"2":1,"1":2}');
});

Deno.test("writes doubles like %.16g and refuses non-finite ones", () => {
  assert.equal(formatDouble(0.1), "0.1");
  assert.equal(formatDouble(4.656542373906925e-10), "4.656542373906925e-10");
  assert.equal(formatDouble(1e21), "1e+21");
  assert.equal(formatDouble(123456.789), "123456.789");
  assert.equal(formatDouble(1 / 3), "0.3333333333333333");
  assert.equal(formatDouble(0.0001), "0.0001");
  assert.equal(formatDouble(0.00001), "1e-05");
  assert.throws(() => formatDouble(Infinity), /The string 'inf' is not a valid JSON number/);
});

Deno.test("JsonNumber refuses text that is not a JSON number", () => {
  assert.throws(() => new JsonNumber("1.2.3"));
  assert.equal(new JsonNumber("-1.5e3").text, "-1.5e3");
});

Deno.test("bounded fuzz: parsing random text either succeeds and round-trips or throws", () => {
  const alphabet = '{}[]",:0123456789.eE-+truefalsn\\u \n';
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 3000; i++) {
    let text = "";
    const length = Math.floor(random() * 40);
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
    let value;
    try {
      value = parseJson(text);
    } catch (error) {
      assert.ok(error instanceof JsonParseError, String(error));
      continue;
    }
    const written = writeJson(value);
    assert.equal(writeJson(parseJson(written)), written);
  }
});

/** The list-building compact writer that writeJson's compact form must keep matching. */
function listWriter(value: JsonValue): string {
  const out: string[] = [];
  const write = (v: JsonValue): void => {
    if (v === null) out.push("null");
    else if (typeof v === "boolean") out.push(v ? "true" : "false");
    else if (typeof v === "string") out.push(quoteJsonString(v));
    else if (typeof v === "number") out.push(formatDouble(v));
    else if (typeof v === "bigint") out.push(v.toString());
    else if (v instanceof JsonNumber) out.push(v.text);
    else {
      const entries: [string | undefined, JsonValue][] = Array.isArray(v)
        ? v.map((x) => [undefined, x])
        : [];
      if (!Array.isArray(v)) {
        const source = v instanceof Map ? v.entries() : Object.entries(v);
        for (const [k, x] of source) if (x !== undefined) entries.push([k, x]);
      }
      out.push(Array.isArray(v) ? "[" : "{");
      entries.forEach(([key, x], i) => {
        if (key !== undefined) out.push(quoteJsonString(key), ":");
        write(x);
        if (i !== entries.length - 1) out.push(",");
      });
      out.push(Array.isArray(v) ? "]" : "}");
    }
  };
  write(value);
  return out.join("");
}

Deno.test("bounded fuzz: compact writing matches the list-building writer", () => {
  let seed = 11;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const leaves: JsonValue[] = [
    null,
    true,
    false,
    "",
    'a"b\\c\u0001\u007f\u00e9',
    0,
    -1.5,
    1e21,
    123n,
    new JsonNumber("0.10"),
  ];
  const make = (depth: number): JsonValue => {
    const kind = depth > 3 ? 0 : next(4);
    if (kind <= 1) return leaves[next(leaves.length)];
    const size = next(4);
    if (kind === 2) return Array.from({ length: size }, () => make(depth + 1));
    if (next(2) === 0) {
      return new Map(Array.from({ length: size }, (_, i) => [`${i}`, make(depth + 1)]));
    }
    const object: Record<string, JsonValue | undefined> = {};
    for (let i = 0; i < size; i++) {
      object[`k${next(3)}`] = next(5) === 0 ? undefined : make(depth + 1);
    }
    return object as JsonValue;
  };
  for (let i = 0; i < 2000; i++) {
    const value = make(0);
    assert.equal(writeJson(value), listWriter(value));
  }
});
