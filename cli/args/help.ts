/**
 * The `-help` text, laid out exactly as freicoind lays it out.
 *
 * @module
 */
import { OPTION_CATEGORIES, type OptionCategory } from "./option_spec.ts";
import type { OptionRegistry } from "./option_registry.ts";

const SCREEN_WIDTH = 79;
const OPTION_INDENT = 2;
const MESSAGE_INDENT = 7;

const CATEGORY_TITLES: Partial<Record<OptionCategory, string>> = {
  OPTIONS: "Options:",
  CONNECTION: "Connection options:",
  ZMQ: "ZeroMQ notification options:",
  DEBUG_TEST: "Debugging/Testing options:",
  NODE_RELAY: "Node relay options:",
  BLOCK_CREATION: "Block creation options:",
  RPC: "RPC server options:",
  WALLET: "Wallet options:",
  WALLET_DEBUG_TEST: "Wallet debugging/testing options:",
  CHAINPARAMS: "Chain selection options:",
  STRATUM: "Stratum server:",
  GUI: "UI Options:",
  COMMANDS: "Commands:",
  REGISTER_COMMANDS: "Register Commands:",
};

/**
 * Word-wraps `text` to `width` columns, indenting continuation lines by `indent` spaces;
 * explicit newlines are kept. Words longer than a line are not broken.
 *
 * @example
 * ```ts
 * import { formatParagraph } from "./help.ts";
 * formatParagraph("aaa bbb ccc", 7, 2); // "aaa bbb\n  ccc"
 * ```
 */
export function formatParagraph(text: string, width = 79, indent = 0): string {
  let out = "";
  let position = 0;
  let indented = 0;
  while (position < text.length) {
    let lineEnd = text.indexOf("\n", position);
    if (lineEnd === -1) lineEnd = text.length;
    const lineLength = lineEnd - position;
    const remaining = width - indented;
    if (lineLength <= remaining) {
      out += text.slice(position, lineEnd + 1);
      position = lineEnd + 1;
      indented = 0;
      continue;
    }
    let breakAt = lastIndexOfAny(text, " \n", position + remaining);
    if (breakAt === -1 || breakAt < position) {
      breakAt = firstIndexOfAny(text, "\n ", position);
      if (breakAt === -1) {
        out += text.slice(position);
        break;
      }
    }
    out += text.slice(position, breakAt) + "\n";
    if (text[breakAt] === "\n") {
      indented = 0;
    } else if (indent > 0) {
      out += " ".repeat(indent);
      indented = indent;
    }
    position = breakAt + 1;
  }
  return out;
}

function lastIndexOfAny(text: string, characters: string, from: number): number {
  for (let i = Math.min(from, text.length - 1); i >= 0; i--) {
    if (characters.includes(text[i])) return i;
  }
  return -1;
}

function firstIndexOfAny(text: string, characters: string, from: number): number {
  for (let i = from; i < text.length; i++) if (characters.includes(text[i])) return i;
  return -1;
}

/** One option's entry: name line, wrapped help, blank line. */
export function helpMessageOption(option: string, message: string): string {
  return " ".repeat(OPTION_INDENT) + option + "\n" + " ".repeat(MESSAGE_INDENT) +
    formatParagraph(message, SCREEN_WIDTH - MESSAGE_INDENT, MESSAGE_INDENT) + "\n\n";
}

/**
 * The option listing of `-help` (or `-help-debug` with `showDebug`), grouped by section and
 * sorted by name within each section, as freicoind prints it.
 */
export function optionsHelp(registry: OptionRegistry, showDebug: boolean): string {
  const byCategory = new Map<OptionCategory, Array<{ key: string; text: string }>>();
  for (const spec of registry.all()) {
    if (spec.category === "HIDDEN") continue;
    // A section's title is printed even when all of its options are debug-only.
    const entries = byCategory.get(spec.category) ?? [];
    byCategory.set(spec.category, entries);
    if (spec.debugOnly && !showDebug) continue;
    const text = helpMessageOption(spec.name + (spec.param ?? ""), spec.help);
    entries.push({ key: spec.name, text });
  }
  let usage = "";
  for (const category of OPTION_CATEGORIES) {
    const entries = byCategory.get(category);
    if (!entries) continue;
    const title = CATEGORY_TITLES[category];
    if (title && (category !== "WALLET_DEBUG_TEST" || showDebug)) usage += title + "\n\n";
    entries.sort((a, b) => compareBytes(a.key, b.key));
    for (const entry of entries) usage += entry.text;
  }
  return usage;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
