/**
 * Renders call parameters and results in Cap'n Proto text form for `-debug=ipc` lines, e.g.
 * `(echo = "hello")`, cut at {@linkcode MAX_LOG_TEXT} characters.
 *
 * @module
 */
import { isProxy } from "./interface.ts";

/** Longest rendering written to the log; longer ones end with `...`. */
export const MAX_LOG_TEXT = 200;

/** Renders a struct given as field names and values. */
export function formatFields(names: readonly string[], values: readonly unknown[]): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; i < names.length && length <= MAX_LOG_TEXT; i++) {
    const value = values[i];
    if (value === undefined) continue;
    const part = `${names[i]} = ${formatValue(value, 0)}`;
    parts.push(part);
    length += part.length + 2;
  }
  return cut(`(${parts.join(", ")})`);
}

/** Renders a method's return value with the method's result field names. */
export function formatResult(names: readonly string[], value: unknown): string {
  if (names.length === 0) return "()";
  if (names.length === 1) return formatFields(names, [value]);
  const record = (value ?? {}) as Record<string, unknown>;
  return formatFields(names, names.map((n) => record[n]));
}

function cut(text: string): string {
  return text.length > MAX_LOG_TEXT ? `${text.slice(0, MAX_LOG_TEXT)}...` : text;
}

function formatValue(value: unknown, depth: number): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > MAX_LOG_TEXT ? value.slice(0, MAX_LOG_TEXT) : value);
    case "number":
    case "bigint":
    case "boolean":
      return String(value);
    case "function":
      return "<capability>";
    case "object":
      break;
    default:
      return String(value);
  }
  if (isProxy(value)) return "<external capability>";
  if (value instanceof Uint8Array) {
    const bytes = value.subarray(0, MAX_LOG_TEXT / 2);
    let hex = "";
    for (const b of bytes) hex += b.toString(16).padStart(2, "0");
    return `0x"${hex}"`;
  }
  if (depth > 8) return "...";
  if (Array.isArray(value)) {
    return `[${value.slice(0, 50).map((v) => formatValue(v, depth + 1)).join(", ")}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([, v]) => typeof v === "function")) return "<capability>";
  if (entries.length === 0 && Object.getPrototypeOf(value) !== Object.prototype) {
    return "<capability>";
  }
  return `(${
    entries.slice(0, 50).filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} = ${formatValue(v, depth + 1)}`).join(", ")
  })`;
}
