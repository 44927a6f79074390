/**
 * Help text generated from method metadata, in freicoind's exact layout (`RPCHelpMan::ToString`):
 * summary line, description, "Arguments:", "Named Arguments:", "Result:" blocks, "Examples:".
 *
 * @module
 */
import { writeJson } from "./json.ts";
import {
  firstArgName,
  isArgOptional,
  type RpcArg,
  type RpcMethod,
  type RpcResult,
} from "./method.ts";

type Outer = "none" | "arr" | "obj";

/** Left/right column pairs padded to a common width. */
class Sections {
  readonly rows: { left: string; right: string }[] = [];
  maxPad = 0;

  push(left: string, right: string): void {
    this.maxPad = Math.max(this.maxPad, left.length);
    this.rows.push({ left, right });
  }

  /** Nested rows for an argument's members (top-level scalars add nothing). */
  pushArg(arg: RpcArg, indentWidth = 5, outer: Outer = "none"): void {
    const indent = " ".repeat(indentWidth);
    const indentNext = " ".repeat(indentWidth + 2);
    const pushName = outer === "obj";
    const topLevel = outer === "none";
    switch (arg.type) {
      case "str_hex":
      case "str":
      case "num":
      case "amount":
      case "range":
      case "bool":
      case "obj_named_params": {
        if (topLevel) return;
        let left = indent;
        if (arg.typeStr && pushName) left += `"${argName(arg)}": ${arg.typeStr[0]}`;
        else left += pushName ? argToStringObj(arg, false) : argToString(arg, false);
        this.push(left + ",", argDescription(arg, pushName));
        return;
      }
      case "obj":
      case "obj_user_keys": {
        const right = topLevel ? "" : argDescription(arg, pushName);
        this.push(indent + (pushName ? `"${argName(arg)}": ` : "") + "{", right);
        for (const inner of arg.inner ?? []) this.pushArg(inner, indentWidth + 2, "obj");
        if (arg.type !== "obj") this.push(indentNext + "...", "");
        this.push(indent + "}" + (topLevel ? "" : ","), "");
        return;
      }
      case "arr": {
        const left = indent + (pushName ? `"${argName(arg)}": ` : "") + "[";
        this.push(left, topLevel ? "" : argDescription(arg, pushName));
        for (const inner of arg.inner ?? []) this.pushArg(inner, indentWidth + 2, "arr");
        this.push(indentNext + "...", "");
        this.push(indent + "]" + (topLevel ? "" : ","), "");
        return;
      }
    }
  }

  /** Rows for a result shape. */
  pushResult(result: RpcResult, outer: Outer = "none", indentWidth = 0): void {
    const indent = " ".repeat(indentWidth);
    const indentNext = " ".repeat(indentWidth + 2);
    const separator = outer !== "none" ? "," : "";
    const key = outer === "obj" ? `"${result.key ?? ""}" : ` : "";
    const describe = (type: string) =>
      `(${type}${result.optional ? ", optional" : ""})` +
      (result.description ? ` ${result.description}` : "");
    switch (result.type) {
      case "elision":
        this.push(indent + "..." + separator, result.description ?? "");
        return;
      case "any":
        throw new Error("Internal bug: a result of type any has no help text");
      case "none":
        this.push(indent + "null" + separator, describe("json null"));
        return;
      case "str":
        this.push(indent + key + '"str"' + separator, describe("string"));
        return;
      case "str_amount":
      case "num":
        this.push(indent + key + "n" + separator, describe("numeric"));
        return;
      case "str_hex":
        this.push(indent + key + '"hex"' + separator, describe("string"));
        return;
      case "num_time":
        this.push(indent + key + "xxx" + separator, describe("numeric"));
        return;
      case "bool":
        this.push(indent + key + "true|false" + separator, describe("boolean"));
        return;
      case "arr_fixed":
      case "arr": {
        const inner = result.inner ?? [];
        this.push(indent + key + "[", describe("json array"));
        for (const i of inner) this.pushResult(i, "arr", indentWidth + 2);
        if (result.type === "arr" && inner.at(-1)?.type !== "elision") {
          this.push(indentNext + "...", "");
        } else {
          this.dropLastComma();
        }
        this.push(indent + "]" + separator, "");
        return;
      }
      case "obj_dyn":
      case "obj": {
        const inner = result.inner ?? [];
        if (inner.length === 0) {
          this.push(indent + key + "{}", describe("empty JSON object"));
          return;
        }
        this.push(indent + key + "{", describe("json object"));
        for (const i of inner) this.pushResult(i, "obj", indentWidth + 2);
        if (result.type === "obj_dyn" && inner.at(-1)?.type !== "elision") {
          this.push(indentNext + "...", "");
        } else {
          this.dropLastComma();
        }
        this.push(indent + "}" + separator, "");
        return;
      }
    }
  }

  dropLastComma(): void {
    const last = this.rows.at(-1);
    if (last) last.left = last.left.slice(0, -1);
  }

  toString(): string {
    const pad = this.maxPad + 4;
    let out = "";
    for (const { left, right } of this.rows) {
      if (right === "") {
        out += left + "\n";
        continue;
      }
      out += left.padEnd(pad, " ") + indentContinuationLines(right, pad) + "\n";
    }
    return out;
  }
}

/** Re-indents the lines after the first to `pad`, dropping their own leading spaces. */
function indentContinuationLines(text: string, pad: number): string {
  let out = "";
  let begin = 0;
  let newline = text.indexOf("\n");
  while (true) {
    out += newline < 0 ? text.slice(begin) : text.slice(begin, newline);
    if (newline < 0) break;
    out += "\n" + " ".repeat(pad);
    const rest = text.slice(newline + 1).search(/[^ ]/);
    if (rest < 0) break;
    begin = newline + 1 + rest;
    newline = text.indexOf("\n", begin + 1);
  }
  return out;
}

function argName(arg: RpcArg): string {
  if (arg.names.includes("|")) throw new Error(`Internal bug: ${arg.names} has aliases`);
  return arg.names;
}

function argToStringObj(arg: RpcArg, oneline: boolean): string {
  const head = `"${firstArgName(arg)}"${oneline ? ":" : ": "}`;
  switch (arg.type) {
    case "str":
      return head + '"str"';
    case "str_hex":
      return head + '"hex"';
    case "num":
      return head + "n";
    case "range":
      return head + "n or [n,n]";
    case "amount":
      return head + "amount";
    case "bool":
      return head + "bool";
    case "arr":
      return head + "[" + (arg.inner ?? []).map((i) => argToString(i, oneline) + ",").join("") +
        "...]";
    default:
      throw new Error(`Internal bug: no object form for ${arg.type}`);
  }
}

/** The argument's form in the summary line (`"blockhash"`, `verbose`, `[...]`). */
function argToString(arg: RpcArg, oneline: boolean): string {
  if (oneline && arg.onelineDescription) return arg.onelineDescription;
  switch (arg.type) {
    case "str_hex":
    case "str":
      return `"${firstArgName(arg)}"`;
    case "num":
    case "range":
    case "amount":
    case "bool":
      return firstArgName(arg);
    case "obj":
    case "obj_named_params":
    case "obj_user_keys": {
      const members = (arg.inner ?? []).map((i) => argToStringObj(i, oneline)).join(",");
      return arg.type === "obj" ? `{${members}}` : `{${members},...}`;
    }
    case "arr":
      return "[" + (arg.inner ?? []).map((i) => argToString(i, oneline) + ",").join("") + "...]";
  }
}

const TYPE_WORDS: Record<RpcArg["type"], string> = {
  str_hex: "string",
  str: "string",
  num: "numeric",
  amount: "numeric or string",
  range: "numeric or array",
  bool: "boolean",
  obj: "json object",
  obj_named_params: "json object",
  obj_user_keys: "json object",
  arr: "json array",
};

/** "(numeric, optional, default=1) description" */
function argDescription(arg: RpcArg, isNamedArg: boolean): string {
  let out = "(" + (arg.typeStr ? arg.typeStr[1] : TYPE_WORDS[arg.type]);
  if (arg.defaultHint !== undefined) out += `, optional, default=${arg.defaultHint}`;
  else if ("default" in arg) out += `, optional, default=${writeJson(arg.default ?? null)}`;
  else if (arg.optional) out += isNamedArg ? ", optional" : "";
  else out += ", required";
  out += ")";
  if (arg.type === "obj_named_params") {
    out += " Options object that can be used to pass named arguments, listed below.";
  }
  return out + (arg.description ? ` ${arg.description}` : "");
}

/** The one-line summary, e.g. `getblock "blockhash" ( verbosity )`. */
export function methodSummary(method: RpcMethod<never>): string {
  let out = method.name;
  let wasOptional = false;
  for (const arg of method.args) {
    if (arg.hidden) break;
    const optional = isArgOptional(arg);
    out += " ";
    if (optional) {
      if (!wasOptional) out += "( ";
      wasOptional = true;
    } else {
      if (wasOptional) out += ") ";
      wasOptional = false;
    }
    out += argToString(arg, true);
  }
  if (wasOptional) out += " )";
  return out;
}

/**
 * The full help text of a method, exactly as freicoind's `help <method>` and the -1 "wrong number
 * of arguments" error show it.
 */
export function methodHelp(method: RpcMethod<never>): string {
  let out = methodSummary(method);
  out += "\n\n" + method.description.trim() + "\n";
  const sections = new Sections();
  const namedOnly = new Sections();
  method.args.some((arg, i) => {
    if (arg.hidden) return true;
    sections.push(`${i + 1}. ${firstArgName(arg)}`, argDescription(arg, true));
    sections.pushArg(arg);
    if (arg.type === "obj_named_params") {
      for (const inner of arg.inner ?? []) {
        namedOnly.push(firstArgName(inner), argDescription(inner, true));
        namedOnly.pushArg(inner);
      }
    }
    return false;
  });
  if (sections.rows.length) out += "\nArguments:\n";
  out += sections.toString();
  if (namedOnly.rows.length) out += "\nNamed Arguments:\n";
  out += namedOnly.toString();
  for (const result of method.results) {
    if (result.type === "any") continue;
    out += result.cond ? `\nResult (${result.cond}):\n` : "\nResult:\n";
    const rows = new Sections();
    rows.pushResult(result);
    out += rows.toString();
  }
  if (method.examples) out += "\nExamples:\n" + method.examples;
  return out;
}
