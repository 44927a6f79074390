/**
 * From a request's params to a method's positional arguments: named arguments mapped to
 * positions, argument count checked, JSON types checked, all with freicoind's error texts.
 *
 * @module
 */
import {
  firstDuplicateKey,
  isJsonObject,
  type JsonObject,
  type JsonTypeName,
  jsonTypeName,
  type JsonValue,
  writeJson,
} from "./json.ts";
import { RPC_ERROR, RpcError } from "./errors.ts";
import { isArgOptional, type RpcArg, type RpcArgType } from "./method.ts";

/** Each argument's `|`-separated names and whether it may only be passed by name. */
export function argNames(args: readonly RpcArg[]): [string, boolean][] {
  const out: [string, boolean][] = [];
  for (const arg of args) {
    if (arg.type === "obj_named_params") {
      for (const inner of arg.inner ?? []) out.push([inner.names, true]);
    }
    out.push([arg.names, false]);
  }
  return out;
}

function invalid(message: string): RpcError {
  return new RpcError(RPC_ERROR.INVALID_PARAMETER, message);
}

/**
 * Maps named params (and an optional `args` array of leading positional ones) to positions,
 * as freicoind's `transformNamedArguments`: gaps become null, named-only options are gathered
 * into their options object, and conflicts or unknown names are -8 errors.
 */
export function namedToPositional(named: JsonObject, args: readonly RpcArg[]): JsonValue[] {
  const duplicate = firstDuplicateKey(named);
  if (duplicate !== undefined) throw invalid(`Parameter ${duplicate} specified multiple times`);
  const remaining = new Map<string, JsonValue>();
  for (const [key, value] of Object.entries(named)) {
    if (value !== undefined) remaining.set(key, value);
  }
  let out: JsonValue[] = [];
  let hole = 0;
  let initialHoleSize = 0;
  let initialParam: string | undefined;
  let options: Map<string, JsonValue> | undefined;
  for (const [pattern, namedOnly] of argNames(args)) {
    const found = pattern.split("|").find((name) => remaining.has(name));
    if (namedOnly) {
      if (found !== undefined) {
        options ??= new Map();
        if (options.has(found)) throw invalid(`Parameter ${found} specified multiple times`);
        options.set(found, remaining.get(found)!);
        remaining.delete(found);
      }
      continue;
    }
    if (options || found !== undefined) {
      for (; hole > 0; hole--) out.push(null);
      initialParam ??= pattern;
    } else {
      hole += 1;
      if (out.length === 0) initialHoleSize = hole;
    }
    if (found !== undefined) {
      if (options) {
        throw invalid(`Parameter ${found} conflicts with parameter ${options.keys().next().value}`);
      }
      out.push(remaining.get(found)!);
      remaining.delete(found);
    }
    if (options) {
      out.push(mapToObject(options));
      options = undefined;
    }
  }
  const positional = remaining.get("args");
  if (remaining.has("args")) remaining.delete("args");
  if (Array.isArray(positional)) {
    if (initialHoleSize < positional.length && initialParam !== undefined) {
      throw invalid(
        `Parameter ${initialParam} specified twice both as positional and named argument`,
      );
    }
    const fromNames = out;
    out = [...positional];
    for (let i = out.length; i < fromNames.length; i++) out.push(fromNames[i]);
  }
  const unknown = remaining.keys().next();
  if (!unknown.done) throw invalid(`Unknown named parameter ${unknown.value}`);
  return out;
}

function mapToObject(map: Map<string, JsonValue>): JsonObject {
  const object: JsonObject = Object.create(null);
  for (const [k, v] of map) object[k] = v;
  return object;
}

/** Whether `count` positional params fit the declared arguments. */
export function isValidArgCount(args: readonly RpcArg[], count: number): boolean {
  let required = 0;
  for (let n = args.length; n > 0; n--) {
    if (!isArgOptional(args[n - 1])) {
      required = n;
      break;
    }
  }
  return required <= count && count <= args.length;
}

const EXPECTED_TYPE: Record<RpcArgType, JsonTypeName | undefined> = {
  str_hex: "string",
  str: "string",
  num: "number",
  amount: undefined,
  range: undefined,
  bool: "bool",
  obj: "object",
  obj_named_params: "object",
  obj_user_keys: "object",
  arr: "array",
};

/**
 * Checks each param's JSON type against its argument; throws -3 "Wrong type passed:" with the
 * per-position complaints written as 4-space-indented JSON, as freicoind does.
 */
export function checkArgTypes(args: readonly RpcArg[], params: readonly JsonValue[]): void {
  const mismatches = new Map<string, JsonValue>();
  args.forEach((arg, i) => {
    const value = i < params.length ? params[i] : null;
    if (arg.skipTypeCheck) return;
    if (isArgOptional(arg) && value === null) return;
    const expected = EXPECTED_TYPE[arg.type];
    if (expected === undefined) return;
    const actual = jsonTypeName(value);
    if (actual !== expected || (expected === "object" && !isJsonObject(value))) {
      mismatches.set(
        `Position ${i + 1} (${arg.names})`,
        `JSON value of type ${actual} is not of expected type ${expected}`,
      );
    }
  });
  if (mismatches.size) {
    throw new RpcError(RPC_ERROR.TYPE_ERROR, `Wrong type passed:\n${writeJson(mismatches, 4)}`);
  }
}
