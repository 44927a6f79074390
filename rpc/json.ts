/**
 * JSON values the way freicoind's UniValue sees them: numbers keep their decimal text so that
 * `0.1` or a 30-digit integer survive a round trip exactly, objects keep their key order, and
 * output is byte-for-byte what UniValue writes (compact, or pretty with a given indent).
 *
 * @module
 */

/** A JSON number kept as its decimal text, exactly as it was read or built. */
export class JsonNumber {
  /** The number's JSON text, e.g. `0.10000000` or `-12`. */
  readonly text: string;

  /**
   * Wraps a number's JSON text; throws when the text is not a valid JSON number.
   *
   * @example
   * ```ts
   * import { JsonNumber } from "./json.ts";
   * new JsonNumber("0.1").text; // "0.1"
   * ```
   */
  constructor(text: string) {
    if (!JSON_NUMBER_PATTERN.test(text)) {
      throw new Error(`The string '${text}' is not a valid JSON number`);
    }
    this.text = text;
  }

  /** The number's JSON text. */
  toString(): string {
    return this.text;
  }
}

const JSON_NUMBER_PATTERN = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

/** An object of JSON values; keys whose value is `undefined` are not written. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/**
 * Any JSON value. Parsing yields `null`, booleans, strings, {@linkcode JsonNumber}, arrays and
 * null-prototype objects; results may also use plain `number` (written like UniValue writes a
 * double), `bigint` (an exact integer) and `Map` (when key order must be kept for keys that look
 * like array indexes).
 */
export type JsonValue =
  | null
  | boolean
  | string
  | number
  | bigint
  | JsonNumber
  | JsonValue[]
  | JsonObject
  | Map<string, JsonValue>;

/** UniValue's type names, used in freicoind's type-check error texts. */
export type JsonTypeName = "null" | "bool" | "object" | "array" | "string" | "number";

/** Returns UniValue's name for the type of `value` ("number", "string", "bool", ...). */
export function jsonTypeName(value: JsonValue | undefined): JsonTypeName {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "number":
    case "bigint":
      return "number";
  }
  if (value instanceof JsonNumber) return "number";
  if (Array.isArray(value)) return "array";
  return "object";
}

/** True when `value` is a JSON object (plain object or Map), not an array or number. */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return jsonTypeName(value) === "object" && !(value instanceof Map);
}

/** The deepest nesting of arrays and objects UniValue accepts. */
export const MAX_JSON_DEPTH = 512;

/** Thrown by {@linkcode parseJson} for text that is not one valid JSON value. */
export class JsonParseError extends Error {
  override name = "JsonParseError";
}

const duplicateKeys = new WeakMap<object, string>();

/**
 * The first key that appeared twice in an object read by {@linkcode parseJson}, if any. The
 * object itself keeps the first value, like UniValue's `find_value`.
 */
export function firstDuplicateKey(object: JsonObject): string | undefined {
  return duplicateKeys.get(object);
}

/**
 * Parses one JSON value with UniValue's grammar: any top-level value, at most
 * {@linkcode MAX_JSON_DEPTH} levels of nesting, numbers kept as text, strings validated.
 *
 * @example
 * ```ts
 * import { parseJson, writeJson } from "./json.ts";
 * writeJson(parseJson('{"a": 0.10}')); // '{"a":0.10}'
 * ```
 */
export function parseJson(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipSpace();
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.pos !== text.length) parser.fail("trailing characters");
  return value;
}

/** A run of string characters needing no attention: no quote, backslash or control character. */
const PLAIN_RUN = /[ !#-[\]-\uffff]*/y;

/** A number at `lastIndex` (one shared sticky regex; set `lastIndex` before each use). */
const STICKY_NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(why: string): never {
    throw new JsonParseError(`JSON ${why} at offset ${this.pos}`);
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  value(depth: number): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object(depth + 1);
      case "[":
        return this.array(depth + 1);
      case '"':
        return this.string();
      case "t":
        return this.keyword("true", true);
      case "f":
        return this.keyword("false", false);
      case "n":
        return this.keyword("null", null);
      default:
        if (c === "-" || (c >= "0" && c <= "9")) return this.number();
        return this.fail("unexpected character");
    }
  }

  keyword<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail("bad keyword");
    this.pos += word.length;
    return value;
  }

  number(): JsonNumber {
    const match = STICKY_NUMBER;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (!found) return this.fail("bad number");
    // UniValue rejects a leading zero followed by more digits ("01"), which the regex stops at.
    const next = this.text.charCodeAt(this.pos + found[0].length);
    if (next >= 0x30 && next <= 0x39) this.fail("bad number");
    this.pos += found[0].length;
    return new JsonNumber(found[0]);
  }

  string(): string {
    const text = this.text;
    this.pos++; // opening quote
    let out = "";
    let runStart = this.pos;
    while (true) {
      if (this.pos >= text.length) this.fail("unterminated string");
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += text.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail("control character in string");
      if (c !== 0x5c) {
        // Skip the run of ordinary characters in one regex step (a block's hex is ~20 KB).
        PLAIN_RUN.lastIndex = this.pos + 1;
        PLAIN_RUN.test(text);
        this.pos = PLAIN_RUN.lastIndex;
        continue;
      }
      out += text.slice(runStart, this.pos);
      this.pos++;
      out += this.escape();
      runStart = this.pos;
    }
  }

  escape(): string {
    const c = this.text[this.pos++];
    switch (c) {
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "/":
        return "/";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "u": {
        const unit = this.hex4();
        if (unit >= 0xd800 && unit < 0xdc00) {
          // A high surrogate must be followed at once by an escaped low surrogate (RFC 4627).
          if (this.text[this.pos] !== "\\" || this.text[this.pos + 1] !== "u") {
            this.fail("lone surrogate");
          }
          this.pos += 2;
          const low = this.hex4();
          if (low < 0xdc00 || low >= 0xe000) this.fail("bad surrogate pair");
          return String.fromCharCode(unit, low);
        }
        if (unit >= 0xdc00 && unit < 0xe000) this.fail("lone surrogate");
        return String.fromCharCode(unit);
      }
      default:
        return this.fail("bad escape");
    }
  }

  hex4(): number {
    const digits = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail("bad \\u escape");
    this.pos += 4;
    return parseInt(digits, 16);
  }

  array(depth: number): JsonValue[] {
    if (depth > MAX_JSON_DEPTH) this.fail("nested too deeply");
    this.pos++;
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    while (true) {
      this.skipSpace();
      out.push(this.value(depth));
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === "]") return out;
      if (c !== ",") this.fail("expected , or ]");
    }
  }

  object(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) this.fail("nested too deeply");
    this.pos++;
    const out: JsonObject = Object.create(null);
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    while (true) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("expected key");
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos++] !== ":") this.fail("expected :");
      this.skipSpace();
      const value = this.value(depth);
      if (Object.hasOwn(out, key)) {
        if (!duplicateKeys.has(out)) duplicateKeys.set(out, key);
      } else {
        out[key] = value;
      }
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === "}") return out;
      if (c !== ",") this.fail("expected , or }");
    }
  }
}

/**
 * Writes `value` as UniValue does: compact when `indent` is 0, otherwise pretty with `indent`
 * spaces per level (`freicoin-cli` uses 2, type-check errors use 4). Throws for a non-finite
 * number, as UniValue refuses to hold one.
 *
 * @example
 * ```ts
 * import { writeJson } from "./json.ts";
 * writeJson({ result: 1, error: null }); // '{"result":1,"error":null}'
 * writeJson([], 2); // '[\n]'
 * ```
 */
export function writeJson(value: JsonValue, indent = 0): string {
  if (indent === 0) return compact(value);
  const parts: string[] = [];
  writeValue(value, indent, 1, parts);
  return parts.join("");
}

function writeValue(value: JsonValue, indent: number, level: number, out: string[]): void {
  if (value === null) {
    out.push("null");
  } else if (typeof value === "boolean") {
    out.push(value ? "true" : "false");
  } else if (typeof value === "string") {
    out.push(quoteJsonString(value));
  } else if (typeof value === "number") {
    out.push(formatDouble(value));
  } else if (typeof value === "bigint") {
    out.push(value.toString());
  } else if (value instanceof JsonNumber) {
    out.push(value.text);
  } else if (Array.isArray(value)) {
    writeContainer("[", "]", value.map((v) => [undefined, v]), indent, level, out);
  } else {
    const entries: [string | undefined, JsonValue][] = [];
    const source = value instanceof Map ? value.entries() : Object.entries(value);
    for (const [k, v] of source) if (v !== undefined) entries.push([k, v]);
    writeContainer("{", "}", entries, indent, level, out);
  }
}

/** The compact form (every RPC reply), built by concatenation without intermediate lists. */
function compact(value: JsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return quoteJsonString(value);
  if (typeof value === "number") return formatDouble(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) {
    let text = "[";
    // forEach skips holes exactly as the indented writer's map/forEach does.
    value.forEach((v, i) => {
      text += compact(v);
      if (i !== value.length - 1) text += ",";
    });
    return text + "]";
  }
  let text = "{";
  let first = true;
  const source = value instanceof Map ? value.entries() : Object.entries(value);
  for (const [k, v] of source) {
    if (v === undefined) continue;
    if (!first) text += ",";
    first = false;
    text += quoteJsonString(k) + ":" + compact(v);
  }
  return text + "}";
}

function writeContainer(
  open: string,
  close: string,
  entries: [string | undefined, JsonValue][],
  indent: number,
  level: number,
  out: string[],
): void {
  out.push(open);
  if (indent) out.push("\n");
  entries.forEach(([key, v], i) => {
    if (indent) out.push(" ".repeat(indent * level));
    if (key !== undefined) out.push(quoteJsonString(key), indent ? ": " : ":");
    writeValue(v, indent, level + 1, out);
    if (i !== entries.length - 1) out.push(",");
    if (indent) out.push("\n");
  });
  if (indent) out.push(" ".repeat(indent * (level - 1)));
  out.push(close);
}

const NAMED_ESCAPES: Record<number, string> = {
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0c: "\\f",
  0x0d: "\\r",
  0x22: '\\"',
  0x5c: "\\\\",
};

/** Quotes a string with UniValue's escapes (control characters, `"`, `\` and DEL). */
export function quoteJsonString(s: string): string {
  // deno-lint-ignore no-control-regex
  if (!/[\u0000-\u001f"\\\u007f]/.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x7f) {
      out += NAMED_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, "0")}`;
    } else {
      out += s[i];
    }
  }
  return out + '"';
}

/**
 * Formats a double like UniValue (`std::setprecision(16)`, i.e. printf `%.16g`). Throws for NaN
 * and infinities with UniValue's message.
 */
export function formatDouble(x: number): string {
  if (!Number.isFinite(x)) {
    const text = Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
    throw new Error(`The string '${text}' is not a valid JSON number`);
  }
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return Object.is(x, -0) ? "-0" : String(x);
  const [mantissa, expText] = x.toExponential(15).split("e");
  const exponent = Number(expText);
  if (exponent < -4 || exponent >= 16) {
    const digits = stripZeros(mantissa);
    const sign = exponent < 0 ? "-" : "+";
    return `${digits}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return stripZeros(x.toFixed(15 - exponent));
}

function stripZeros(fixed: string): string {
  if (!fixed.includes(".")) return fixed;
  return fixed.replace(/0+$/, "").replace(/\.$/, "");
}
