/**
 * Command-line strings to JSON-RPC params, as freicoin-cli does: arguments listed in the
 * conversion table are parsed as JSON, all others are sent as strings.
 *
 * @module
 */
import { type JsonValue, parseJson, quoteJsonString, writeJson } from "../../rpc/json.ts";
import { RPC_CONVERT_PARAMS } from "./conversion_table.ts";

const BY_POSITION = new Set(RPC_CONVERT_PARAMS.map(([m, i]) => `${m}\u0000${i}`));
const BY_NAME = new Set(RPC_CONVERT_PARAMS.map(([m, , n]) => `${m}\u0000${n}`));

/** Thrown for an argument that must be JSON but is not ("Error parsing JSON: <arg>"). */
export class ArgumentJsonError extends Error {
  override name = "ArgumentJsonError";
}

function parseArg(raw: string): JsonValue {
  try {
    return parseJson(raw);
  } catch {
    throw new ArgumentJsonError(`Error parsing JSON: ${raw}`);
  }
}

/**
 * Positional params for `method` (freicoind's `RPCConvertValues`).
 *
 * @example
 * ```ts
 * import { convertPositional } from "./convert.ts";
 * convertPositional("getblockhash", ["0"]); // [JsonNumber("0")]
 * ```
 */
export function convertPositional(method: string, args: readonly string[]): JsonValue[] {
  return args.map((raw, i) => BY_POSITION.has(`${method}\u0000${i}`) ? parseArg(raw) : raw);
}

/**
 * Named params for `method` from `name=value` arguments (freicoind's `RPCConvertNamedValues`), as
 * object entries in order: a later value for the same name replaces an earlier one in place;
 * arguments without `=` are gathered into an `args` entry appended at the end, even when `args`
 * was also given by name (the server then answers "Parameter args specified multiple times").
 */
export function convertNamed(method: string, args: readonly string[]): [string, JsonValue][] {
  const entries: [string, JsonValue][] = [];
  const positional: JsonValue[] = [];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq < 0) {
      const position = positional.length;
      positional.push(BY_POSITION.has(`${method}\u0000${position}`) ? parseArg(arg) : arg);
      continue;
    }
    const name = arg.slice(0, eq);
    const raw = arg.slice(eq + 1);
    const value = BY_NAME.has(`${method}\u0000${name}`) ? parseArg(raw) : raw;
    const existing = entries.find(([key]) => key === name);
    if (existing) existing[1] = value;
    else entries.push([name, value]);
  }
  if (positional.length) entries.push(["args", positional]);
  return entries;
}

/** Writes object entries as JSON, keeping duplicate keys (which a JS object cannot hold). */
export function writeEntries(entries: readonly [string, JsonValue][]): string {
  return "{" + entries.map(([k, v]) => `${quoteJsonString(k)}:${writeJson(v)}`).join(",") + "}";
}
