/**
 * Checks a method's result against its documented shapes (freicoind's `-rpcdoccheck`,
 * `RPCResult::MatchesType`): a development aid that turns an undocumented key or a wrong type
 * into an "Internal bug detected" error.
 *
 * @module
 */
import {
  isJsonObject,
  type JsonObject,
  type JsonTypeName,
  jsonTypeName,
  type JsonValue,
  writeJson,
} from "./json.ts";
import type { RpcResult, RpcResultType } from "./method.ts";

const EXPECTED: Record<RpcResultType, JsonTypeName | undefined> = {
  elision: undefined,
  any: undefined,
  none: "null",
  str: "string",
  str_hex: "string",
  num: "number",
  str_amount: "number",
  num_time: "number",
  bool: "bool",
  arr_fixed: "array",
  arr: "array",
  obj_dyn: "object",
  obj: "object",
};

function entriesOf(value: JsonValue): [string, JsonValue][] {
  if (value instanceof Map) return [...value.entries()];
  return Object.entries(value as JsonObject).filter((e): e is [string, JsonValue] =>
    e[1] !== undefined
  );
}

/** True when `value` fits `doc`, otherwise the mismatches (a string or an object of them). */
export function matchesResult(doc: RpcResult, value: JsonValue): true | JsonValue {
  const expected = EXPECTED[doc.type];
  if (expected === undefined) return true;
  const actual = jsonTypeName(value);
  if (actual !== expected) {
    return `returned type is ${actual}, but declared as ${expected} in doc`;
  }
  const inner = doc.inner ?? [];
  if (Array.isArray(value)) {
    const errors = new Map<string, JsonValue>();
    value.forEach((item, i) => {
      const match = matchesResult(inner[Math.min(inner.length - 1, i)], item);
      if (match !== true) errors.set(String(i), match);
    });
    return errors.size ? errors : true;
  }
  if (!isJsonObject(value) && !(value instanceof Map)) return true;
  if (inner[0]?.type === "elision") return true;
  const errors = new Map<string, JsonValue>();
  const entries = entriesOf(value);
  if (doc.type === "obj_dyn") {
    for (const [key, item] of entries) {
      const match = matchesResult(inner[0], item);
      if (match !== true) errors.set(key, match);
    }
    return errors.size ? errors : true;
  }
  const documented = new Set(inner.map((r) => r.key ?? ""));
  for (const [key] of entries) {
    if (!documented.has(key)) errors.set(key, "key returned that was not in doc");
  }
  const present = new Map(entries);
  for (const entry of inner) {
    const key = entry.key ?? "";
    if (!present.has(key)) {
      if (!entry.optional) errors.set(key, "key missing, despite not being optional in doc");
      continue;
    }
    const match = matchesResult(entry, present.get(key)!);
    if (match !== true) errors.set(key, match);
  }
  return errors.size ? errors : true;
}

/**
 * Throws freicoind's "Internal bug detected: RPC call … returned incorrect type" error when
 * `value` fits none of `results`.
 */
export function checkResult(method: string, results: readonly RpcResult[], value: JsonValue): void {
  const mismatches: JsonValue[] = [];
  for (const doc of results) {
    const match = matchesResult(doc, value);
    if (match === true) return;
    mismatches.push(match);
  }
  const explain = mismatches.length === 0
    ? "no possible results defined"
    : writeJson(mismatches.length === 1 ? mismatches[0] : mismatches, 4);
  throw new Error(
    `Internal bug detected: RPC call "${method}" returned incorrect type:\n${explain}\n` +
      "Please report this issue here: https://github.com/tradecraftio/tradecraft/issues\n",
  );
}
