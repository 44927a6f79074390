/**
 * freicoin-cli `-getinfo`: one batch of getnetworkinfo, getblockchaininfo, getwalletinfo and
 * getbalances, merged into one object and printed as freicoin-cli's human-readable summary.
 *
 * @module
 */
import { isJsonObject, JsonNumber, type JsonObject, type JsonValue } from "../../rpc/json.ts";

const ID_NETWORKINFO = 0;
const ID_BLOCKCHAININFO = 1;
const ID_WALLETINFO = 2;
const ID_BALANCES = 3;

/** The batch `-getinfo` sends. */
export function getInfoRequests(): JsonValue {
  return ["getnetworkinfo", "getblockchaininfo", "getwalletinfo", "getbalances"].map(
    (method, id) => new Map<string, JsonValue>([["method", method], ["params", null], ["id", id]]),
  );
}

function field(value: JsonValue | undefined, key: string): JsonValue {
  if (value instanceof Map) return value.get(key) ?? null;
  return isJsonObject(value) ? value[key] ?? null : null;
}

/** Orders a batch reply by id, with freicoind's errors for a malformed batch. */
function byId(batch: JsonValue): JsonObject[] {
  if (!Array.isArray(batch)) throw new Error("Batch must be an array");
  const out: JsonObject[] = [];
  for (const item of batch) {
    if (!isJsonObject(item)) throw new Error("Batch member must be an object");
    const id = item.id;
    const n = id instanceof JsonNumber ? Number(id.text) : NaN;
    if (!Number.isInteger(n) || n < 0) throw new Error("JSON integer out of range");
    if (n >= batch.length) throw new Error("Batch member id is larger than batch size");
    out[n] = item;
  }
  return out;
}

/**
 * Merges the batch into one reply, passing on a getnetworkinfo or getblockchaininfo error
 * (wallet calls may fail when there is no wallet).
 */
export function mergeGetInfoReplies(batch: JsonValue): Record<string, JsonValue> {
  const replies = byId(batch);
  for (const id of [ID_NETWORKINFO, ID_BLOCKCHAININFO]) {
    const error = replies[id]?.error ?? null;
    if (error !== null) return replies[id] as Record<string, JsonValue>;
  }
  const network = field(replies[ID_NETWORKINFO], "result");
  const chain = field(replies[ID_BLOCKCHAININFO], "result");
  const walletInfo = field(replies[ID_WALLETINFO], "result");
  const balances = field(replies[ID_BALANCES], "result");
  const result = new Map<string, JsonValue>([
    ["version", field(network, "version")],
    ["blocks", field(chain, "blocks")],
    ["headers", field(chain, "headers")],
    ["verificationprogress", field(chain, "verificationprogress")],
    ["timeoffset", field(network, "timeoffset")],
    [
      "connections",
      new Map([
        ["in", field(network, "connections_in")],
        ["out", field(network, "connections_out")],
        ["total", field(network, "connections")],
      ]),
    ],
    ["networks", field(network, "networks")],
    ["difficulty", field(chain, "difficulty")],
    ["chain", field(chain, "chain")],
  ]);
  if (walletInfo !== null) {
    result.set("has_wallet", true);
    result.set("keypoolsize", field(walletInfo, "keypoolsize"));
    result.set("walletname", field(walletInfo, "walletname"));
    const unlocked = field(walletInfo, "unlocked_until");
    if (unlocked !== null) result.set("unlocked_until", unlocked);
    result.set("paytxfee", field(walletInfo, "paytxfee"));
  }
  if (balances !== null) result.set("balance", field(field(balances, "mine"), "trusted"));
  result.set("relayfee", field(network, "relayfee"));
  result.set("warnings", field(network, "warnings"));
  return { result, error: null, id: 1 };
}

function text(value: JsonValue | undefined): string {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (value === true) return "true";
  if (value === false) return "false";
  return "";
}

function progressBar(progress: number): string {
  if (progress < 0 || progress > 1) return "";
  const increment = 0.05;
  let bar = "";
  for (let i = 0; i < progress / increment; i++) bar += "\u2592";
  for (let i = 0; i < (1 - progress) / increment; i++) bar += "\u2591";
  return bar;
}

/** The human-readable `-getinfo` text, colored as `-color` (and a terminal) say. */
export function formatGetInfo(
  result: JsonValue | undefined,
  options: { color?: string; stdoutIsTerminal?: boolean },
): string {
  let colorize = options.stdoutIsTerminal === true;
  if (options.color !== undefined) {
    if (options.color === "always") colorize = true;
    else if (options.color === "never") colorize = false;
    else if (options.color !== "auto") {
      throw new Error("Invalid value for -color option. Valid values: always, auto, never.");
    }
  }
  const [reset, green, blue, yellow, magenta, cyan] = colorize
    ? ["\x1B[0m", "\x1B[32m", "\x1B[34m", "\x1B[33m", "\x1B[35m", "\x1B[36m"]
    : ["", "", "", "", "", ""];
  const get = (key: string) => field(result ?? null, key);
  let out = `${blue}Chain: ${text(get("chain"))}${reset}\n`;
  out += `Blocks: ${text(get("blocks"))}\n`;
  out += `Headers: ${text(get("headers"))}\n`;
  const progress = Number(text(get("verificationprogress")) || "0");
  const bar = progress < 0.99 ? progressBar(progress) + " " : "";
  out += `Verification progress: ${bar}${(progress * 100).toFixed(4)}%\n`;
  out += `Difficulty: ${text(get("difficulty"))}\n\n`;
  const connections = get("connections");
  out += `${green}Network: in ${text(field(connections, "in"))}, out ${
    text(field(connections, "out"))
  }, total ${text(field(connections, "total"))}${reset}\n`;
  out += `Version: ${text(get("version"))}\n`;
  out += `Time offset (s): ${text(get("timeoffset"))}\n`;
  const proxies = new Map<string, string[]>();
  const networks = get("networks");
  for (const network of Array.isArray(networks) ? networks : []) {
    const proxy = text(field(network, "proxy"));
    if (proxy === "") continue;
    if (!proxies.has(proxy)) proxies.set(proxy, []);
    proxies.get(proxy)!.push(text(field(network, "name")));
  }
  const formatted = [...proxies].map(([proxy, names]) => `${proxy} (${names.join(", ")})`);
  out += `Proxies: ${formatted.length ? formatted.join(", ") : "n/a"}\n`;
  out += `Min tx relay fee rate (FRC/kvB): ${text(get("relayfee"))}\n\n`;
  if (get("has_wallet") !== null) {
    const name = text(get("walletname"));
    out += `${magenta}Wallet: ${name === "" ? '""' : name}${reset}\n`;
    out += `Keypool size: ${text(get("keypoolsize"))}\n`;
    if (get("unlocked_until") !== null) out += `Unlocked until: ${text(get("unlocked_until"))}\n`;
    out += `Transaction fee rate (-paytxfee) (FRC/kvB): ${text(get("paytxfee"))}\n\n`;
  }
  if (get("balance") !== null) out += `${cyan}Balance:${reset} ${text(get("balance"))}\n\n`;
  const balances = get("balances");
  if (balances instanceof Map) {
    out += `${cyan}Balances${reset}\n`;
    let width = 10;
    for (const value of balances.values()) width = Math.max(width, text(value).length);
    for (const [wallet, value] of balances) {
      out += `${text(value).padStart(width, " ")} ${wallet === "" ? '""' : wallet}\n`;
    }
    out += "\n";
  }
  const warnings = text(get("warnings"));
  out += `${yellow}Warnings:${reset} ${warnings === "" ? "(none)" : warnings}`;
  return out;
}
