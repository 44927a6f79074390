/**
 * How an RPC method is declared: once, with freicoind's metadata (arguments, results, examples),
 * from which help text, named-argument mapping, type checks and defaults all follow.
 *
 * @module
 */
import { type JsonValue, writeJson as writeCompact } from "./json.ts";

/** Argument types (freicoind's `RPCArg::Type`). */
export type RpcArgType =
  | "obj"
  | "arr"
  | "str"
  | "num"
  | "bool"
  /** An options object whose keys may also be passed as top-level named arguments. */
  | "obj_named_params"
  /** An object whose keys the user chooses (e.g. addresses). */
  | "obj_user_keys"
  /** A number or a string holding an amount. */
  | "amount"
  | "str_hex"
  /** A number or a [number, number] pair. */
  | "range";

/**
 * One argument. Exactly one of these says whether it may be left out: `default` (a constant,
 * shown in help), `defaultHint` (a text shown in help), `optional: true` (no default, shown as
 * "optional" only inside objects); with none of them the argument is required.
 */
export interface RpcArg {
  /** The name; may list aliases separated by `|` (the first is shown in help). */
  names: string;
  type: RpcArgType;
  description: string;
  /** The default used when the argument is missing or JSON null. */
  default?: JsonValue;
  /** A description of the default, for defaults that are not a constant. */
  defaultHint?: string;
  /** Optional without a default. */
  optional?: boolean;
  /** Members of an array or object argument. */
  inner?: RpcArg[];
  /** Accept any JSON type. */
  skipTypeCheck?: boolean;
  /** Replaces the generated one-line form in the summary line. */
  onelineDescription?: string;
  /** Overrides the type shown: [inside an object, in the description]. */
  typeStr?: [string, string];
  /** Not shown in help; every argument after a hidden one is hidden too. */
  hidden?: boolean;
  /** A named-params option that may share its name with a top-level argument. */
  alsoPositional?: boolean;
}

/** Result types (freicoind's `RPCResult::Type`). */
export type RpcResultType =
  | "obj"
  | "arr"
  | "str"
  | "num"
  | "bool"
  | "none"
  | "any"
  | "str_amount"
  | "str_hex"
  | "obj_dyn"
  | "arr_fixed"
  | "num_time"
  | "elision";

/** One documented result shape (freicoind's `RPCResult`). */
export interface RpcResult {
  type: RpcResultType;
  /** The key when inside an object. */
  key?: string;
  optional?: boolean;
  description?: string;
  inner?: RpcResult[];
  /** When this result applies, e.g. "for verbose = true"; shown as "Result (cond):". */
  cond?: string;
}

/** What a method receives when it runs. */
export interface RpcCall<Context = unknown> {
  /** The method name as called. */
  readonly method: string;
  /** Positional params after named-argument mapping; may be shorter than the declared args. */
  readonly params: readonly JsonValue[];
  /** The request's JSON-RPC id. */
  readonly id: JsonValue;
  /** The URI path the request came to ("/" or "/wallet/<name>"). */
  readonly uri: string;
  /** The authenticated user name. */
  readonly authUser: string;
  /** The caller's address and port. */
  readonly peerAddr: string;
  /** What the server was given for its methods (node or wallet state). */
  readonly context: Context;
  /** Param `i`, or undefined when it is missing or null. */
  maybeArg(i: number): JsonValue | undefined;
  /** Param `i`, or the declared default when it is missing or null (undefined if none). */
  arg(i: number): JsonValue | undefined;
}

/** A method: metadata and the function that runs it. */
export interface RpcMethod<Context = unknown> {
  name: string;
  /** The help category, e.g. "blockchain"; "hidden" keeps it out of the `help` listing. */
  category: string;
  description: string;
  args: RpcArg[];
  results: RpcResult[];
  /** The examples block (use the helpExample* functions); "" for none. */
  examples: string;
  handler: (call: RpcCall<Context>) => JsonValue | Promise<JsonValue>;
}

/** Whether the argument may be left out. */
export function isArgOptional(arg: RpcArg): boolean {
  return arg.optional === true || "default" in arg || arg.defaultHint !== undefined;
}

/** The first of an argument's `|`-separated names. */
export function firstArgName(arg: RpcArg): string {
  const bar = arg.names.indexOf("|");
  return bar < 0 ? arg.names : arg.names.slice(0, bar);
}

/** Quotes a shell argument for help examples, as freicoind does. */
function shellQuoteIfNeeded(s: string): string {
  if (!/[ '"]/.test(s)) return s;
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/**
 * A `freicoin-cli` example line.
 *
 * @example
 * ```ts
 * import { helpExampleCli } from "./method.ts";
 * helpExampleCli("getblockhash", "1000"); // "> freicoin-cli getblockhash 1000\n"
 * ```
 */
export function helpExampleCli(method: string, args: string): string {
  return `> freicoin-cli ${method} ${args}\n`;
}

/** A `freicoin-cli -named` example line; string values are written raw, others as JSON. */
export function helpExampleCliNamed(method: string, args: [string, JsonValue][]): string {
  let line = `> freicoin-cli -named ${method}`;
  for (const [name, value] of args) {
    const text = typeof value === "string" ? value : writeCompact(value);
    line += ` ${name}=${shellQuoteIfNeeded(text)}`;
  }
  return line + "\n";
}

/** A curl example line with positional params (`args` is the inside of the JSON array). */
export function helpExampleRpc(method: string, args: string): string {
  return `> curl --user myusername --data-binary '{"jsonrpc": "1.0", "id": "curltest", ` +
    `"method": "${method}", "params": [${args}]}' -H 'content-type: text/plain;' ` +
    `http://127.0.0.1:8638/\n`;
}

/** A curl example line with named params. */
export function helpExampleRpcNamed(method: string, args: [string, JsonValue][]): string {
  const params = writeCompact(new Map(args));
  return `> curl --user myusername --data-binary '{"jsonrpc": "1.0", "id": "curltest", ` +
    `"method": "${method}", "params": ${params}}' -H 'content-type: text/plain;' ` +
    `http://127.0.0.1:8638/\n`;
}
