/**
 * freicoin-cli: turns a command line into JSON-RPC calls and returns what freicoin-cli would
 * print and its exit code. Argument and config parsing happen before this (in the entry point);
 * this module receives typed options.
 *
 * @module
 */
import { isJsonObject, JsonNumber, type JsonValue, parseJson, writeJson } from "../../rpc/json.ts";
import { convertNamed, convertPositional, writeEntries } from "./convert.ts";
import { formatGetInfo, getInfoRequests, mergeGetInfoReplies } from "./getinfo.ts";
import { httpPost, PostFailed, type PostOptions, type PostReply } from "./http_post.ts";

/** The options freicoin-cli takes, already resolved by the caller. */
export interface RpcClientOptions {
  /** `-rpcconnect` (default 127.0.0.1), possibly with `:port`. */
  rpcConnect?: string;
  /** `-rpcport`, which beats a port in `-rpcconnect`. */
  rpcPort?: number;
  /** The network's default RPC port (8638, 18638, 38638, 28638). */
  defaultPort: number;
  rpcUser?: string;
  rpcPassword?: string;
  /** Absolute path of the cookie file (from `-rpccookiefile` and the datadir). */
  cookieFile: string;
  /** The config file path, shown when no credentials are found. */
  configFile?: string;
  /** `-rpcwallet`; undefined when not given (an empty name is a valid wallet). */
  rpcWallet?: string;
  named?: boolean;
  stdin?: boolean;
  stdinRpcPass?: boolean;
  stdinWalletPassphrase?: boolean;
  rpcWait?: boolean;
  /** `-rpcwaittimeout` seconds, 0 for no limit. */
  rpcWaitTimeout?: number;
  /** `-rpcclienttimeout` seconds (default 900), 0 for no limit. */
  rpcClientTimeout?: number;
  getinfo?: boolean;
  netinfo?: boolean;
  generate?: boolean;
  addrinfo?: boolean;
  /** `-color` (always, auto, never). */
  color?: string;
  /** Whether stdout is a terminal (for -color=auto). */
  stdoutIsTerminal?: boolean;
  /** Reads all of standard input (needed for -stdin, -stdinrpcpass, -stdinwalletpassphrase). */
  readStdin?: () => Promise<string>;
  /**
   * Sends each request another way than an HTTP POST (`-ipcconnect`: over IPC). Its failures
   * are reported as they are, not as "Could not connect to the server host:port".
   */
  transport?: (request: PostOptions) => Promise<PostReply>;
}

/** What freicoin-cli prints and returns. */
export interface RpcClientOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const RPC_IN_WARMUP = -28;
const RPC_WALLET_NOT_SPECIFIED = -19;

/** A failure that -rpcwait retries (no connection, or the server is warming up). */
class ConnectionFailed extends Error {}

/** A reply object: `{result, error, id}` (or whatever the server sent). */
type Reply = Record<string, JsonValue | undefined>;

interface Connection {
  host: string;
  port: number;
  userColonPass: string;
  failedToGetCookie: boolean;
  options: RpcClientOptions;
}

function splitHost(rpcConnect: string, defaultPort: number): { host: string; port: number } {
  let host = rpcConnect;
  let port = defaultPort;
  const colon = host.lastIndexOf(":");
  const bracketed = colon > 0 && host[0] === "[" && host[colon - 1] === "]";
  const multiColon = colon > 0 && host.slice(0, colon).includes(":");
  if (colon >= 0 && (colon === 0 || bracketed || !multiColon)) {
    const text = host.slice(colon + 1);
    if (/^[0-9]{1,5}$/.test(text) && Number(text) <= 65535) {
      port = Number(text);
      host = host.slice(0, colon);
    }
  }
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return { host, port };
}

/** libevent's `evhttp_uriencode` without space-as-plus. */
function uriEncode(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

async function callRpc(
  connection: Connection,
  request: string,
  wallet: string | undefined,
): Promise<JsonValue> {
  const { host, port, options } = connection;
  const path = wallet === undefined ? "/" : `/wallet/${uriEncode(wallet)}`;
  let reply;
  try {
    reply = await (options.transport ?? httpPost)({
      host,
      port,
      path,
      userColonPass: connection.userColonPass,
      body: request + "\n",
      timeoutSeconds: options.rpcClientTimeout ?? 900,
    });
  } catch (error) {
    if (options.transport) throw error;
    const detail = error instanceof PostFailed
      ? ` (error code ${error.code} - "${error.message}")`
      : "";
    throw new ConnectionFailed(
      `Could not connect to the server ${host}:${port}${detail}\n\n` +
        "Make sure the freicoind server is running and that you are connecting to the correct RPC port.",
    );
  }
  if (reply.status === 401) {
    if (connection.failedToGetCookie) {
      throw new Error(
        "Could not locate RPC credentials. No authentication cookie could be found, and RPC password is not set.  See -rpcpassword and -stdinrpcpass.  Configuration file: (" +
          (options.configFile ?? "") + ")",
      );
    }
    throw new Error("Authorization failed: Incorrect rpcuser or rpcpassword");
  }
  if (reply.status === 503) throw new Error(`Server response: ${reply.body}`);
  if (reply.status >= 400 && ![400, 404, 500].includes(reply.status)) {
    throw new Error(`server returned HTTP error ${reply.status}`);
  }
  if (reply.body === "") throw new Error("no response from server");
  try {
    return parseJson(reply.body);
  } catch {
    throw new Error("couldn't parse reply from server");
  }
}

/** Calls with -rpcwait's retries; without -rpcwait a connection failure is final. */
async function connectAndCall(
  connection: Connection,
  request: string,
  wallet: string | undefined,
): Promise<JsonValue> {
  const { options } = connection;
  const timeout = options.rpcWaitTimeout ?? 0;
  const deadline = Date.now() + timeout * 1000;
  while (true) {
    try {
      const reply = await callRpc(connection, request, wallet);
      if (options.rpcWait && isJsonObject(reply) && isJsonObject(reply.error)) {
        const code = reply.error.code;
        if (code instanceof JsonNumber && Number(code.text) === RPC_IN_WARMUP) {
          throw new ConnectionFailed("server in warmup");
        }
      }
      return reply;
    } catch (error) {
      if (!(error instanceof ConnectionFailed)) throw error;
      if (options.rpcWait && (timeout <= 0 || Date.now() < deadline)) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      throw new Error(`timeout on transient error: ${error.message}`);
    }
  }
}

function valStr(value: JsonValue | undefined): string {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "";
  return "";
}

/** The text freicoin-cli prints for an error object, and the exit code (|code|). */
function formatError(error: JsonValue): { text: string; exitCode: number } {
  let text: string;
  let code = 0;
  if (isJsonObject(error)) {
    text = "";
    if (error.code !== undefined && error.code !== null) {
      text = `error code: ${valStr(error.code)}\n`;
    }
    if (typeof error.message === "string") text += `error message:\n${error.message}`;
    if (error.code instanceof JsonNumber) code = Number(error.code.text);
    if (code === RPC_WALLET_NOT_SPECIFIED) {
      text += '\nTry adding "-rpcwallet=<filename>" option to freicoin-cli command line.';
    }
  } else {
    text = `error: ${writeJson(error)}`;
  }
  return { text, exitCode: Math.abs(code) };
}

function formatResult(result: JsonValue | undefined): string {
  if (result === undefined || result === null) return "";
  return typeof result === "string" ? result : writeJson(result, 2);
}

function asReply(value: JsonValue): Reply {
  if (!isJsonObject(value)) {
    throw new Error("expected reply to have result, error and id properties");
  }
  return value;
}

/** Positional params, or named ones as entries (which may repeat a key). */
type Params = JsonValue[] | { named: [string, JsonValue][] };

/** `{"method":…,"params":…,"id":1}`, as freicoin-cli writes it. */
function requestOf(method: string, params: Params): string {
  const paramsText = Array.isArray(params) ? writeJson(params) : writeEntries(params.named);
  return `{"method":${writeJson(method)},"params":${paramsText},"id":1}`;
}

async function readCredentials(options: RpcClientOptions): Promise<[string, boolean]> {
  if (options.rpcPassword) return [`${options.rpcUser ?? ""}:${options.rpcPassword}`, false];
  try {
    const text = await Deno.readTextFile(options.cookieFile);
    return [text.split("\n")[0], false];
  } catch {
    return ["", true];
  }
}

/** Splits stdin like `std::getline`: a final line without newline still counts. */
function stdinLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/**
 * Runs freicoin-cli for `args` (the command and its params, options already removed).
 *
 * @example
 * ```ts ignore
 * const out = await runRpcClient(["getblockcount"], { defaultPort: 28638, cookieFile });
 * console.log(out.stdout); // "102\n"
 * ```
 */
export async function runRpcClient(
  args: readonly string[],
  options: RpcClientOptions,
): Promise<RpcClientOutput> {
  try {
    return await runCommand([...args], options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { stdout: "", stderr: `error: ${message}\n`, exitCode: 1 };
  }
}

async function runCommand(args: string[], options: RpcClientOptions): Promise<RpcClientOutput> {
  const needsStdin = options.stdin || options.stdinRpcPass || options.stdinWalletPassphrase;
  const lines = needsStdin ? stdinLines(await (options.readStdin?.() ?? Promise.resolve(""))) : [];
  if (options.stdinRpcPass) {
    const password = lines.shift();
    if (password === undefined) {
      throw new Error("-stdinrpcpass specified but failed to read from standard input");
    }
    options = { ...options, rpcPassword: password };
  }
  if (options.stdinWalletPassphrase) {
    if (args.length < 1 || !args[0].startsWith("walletpassphrase")) {
      throw new Error("-stdinwalletpassphrase is only applicable for walletpassphrase(change)");
    }
    const passphrase = lines.shift();
    if (passphrase === undefined) {
      throw new Error("-stdinwalletpassphrase specified but failed to read from standard input");
    }
    args.splice(1, 0, passphrase);
  }
  if (options.stdin) args.push(...lines);

  const { host, port: connectPort } = splitHost(
    options.rpcConnect ?? "127.0.0.1",
    options.defaultPort,
  );
  const [userColonPass, failedToGetCookie] = await readCredentials(options);
  const connection: Connection = {
    host,
    port: options.rpcPort ?? connectPort,
    userColonPass,
    failedToGetCookie,
    options,
  };
  const wallet = options.rpcWallet;
  const call = (method: string, params: Params, toWallet = wallet) =>
    connectAndCall(connection, requestOf(method, params), toWallet).then(asReply);

  let reply: Reply;
  if (options.getinfo) {
    if (args.length) throw new Error("-getinfo takes no arguments");
    const batch = await connectAndCall(connection, writeJson(getInfoRequests()), wallet);
    reply = mergeGetInfoReplies(batch);
    if (reply.error === null && wallet === undefined) {
      await addWalletBalances(reply, call);
    }
    if (reply.error === null) {
      reply = { ...reply, result: formatGetInfo(reply.result, options) };
    }
  } else if (options.netinfo) {
    throw new Error("-netinfo is not supported by this freicoin-cli");
  } else if (options.generate) {
    const address = await call("getnewaddress", []);
    if (address.error !== null && address.error !== undefined) return printError(address.error);
    if (args.length > 2) throw new Error("too many arguments (maximum 2 for nblocks and maxtries)");
    if (args.length === 0) args.push("1");
    else if (args[0] === "0") {
      throw new Error(
        "the first argument (number of blocks to generate, default: 1) must be an integer value greater than zero",
      );
    }
    args.splice(1, 0, valStr(address.result));
    const blocks = await call("generatetoaddress", convertPositional("generatetoaddress", args));
    // freicoin-cli reports the address and whatever came back as "blocks", error or not.
    reply = {
      result: new Map<string, JsonValue>([
        ["address", valStr(address.result)],
        ["blocks", blocks.result ?? null],
      ]),
      error: null,
    };
  } else if (options.addrinfo) {
    if (args.length) throw new Error("-addrinfo takes no arguments");
    reply = await call("getnodeaddresses", convertPositional("getnodeaddresses", ["0"]));
    if (reply.error === null || reply.error === undefined) reply = addrInfo(reply.result);
  } else {
    if (args.length < 1) throw new Error("too few parameters (need at least command)");
    const [method, ...rest] = args;
    const params: Params = options.named
      ? { named: convertNamed(method, rest) }
      : convertPositional(method, rest);
    reply = await call(method, params);
  }
  if (reply.error === null || reply.error === undefined) {
    const text = formatResult(reply.result);
    return { stdout: text ? text + "\n" : "", stderr: "", exitCode: 0 };
  }
  return printError(reply.error);
}

function printError(error: JsonValue): RpcClientOutput {
  const { text, exitCode } = formatError(error);
  return { stdout: "", stderr: text ? text + "\n" : "", exitCode };
}

async function addWalletBalances(
  reply: Reply,
  call: (method: string, params: Params, wallet?: string) => Promise<Reply>,
): Promise<void> {
  const wallets = await call("listwallets", [], undefined);
  if (wallets.error !== null && wallets.error !== undefined) return;
  const names = Array.isArray(wallets.result) ? wallets.result : [];
  if (names.length <= 1) return;
  const balances = new Map<string, JsonValue>();
  for (const name of names) {
    const walletName = valStr(name);
    const balance = await call("getbalances", [], walletName);
    const mine = isJsonObject(balance.result) ? balance.result.mine : undefined;
    balances.set(walletName, isJsonObject(mine) ? mine.trusted ?? null : null);
  }
  if (isJsonObject(reply.result)) reply.result.balances = balances;
  else if (reply.result instanceof Map) reply.result.set("balances", balances);
}

const NETWORKS = ["not_publicly_routable", "ipv4", "ipv6", "onion", "i2p", "cjdns", "internal"];

function addrInfo(result: JsonValue | undefined): Reply {
  const nodes = Array.isArray(result) ? result : [];
  const first = nodes[0];
  if (isJsonObject(first) && (first.network === undefined || first.network === null)) {
    throw new Error("-addrinfo requires freicoind server to be running v22 and up");
  }
  const counts = new Array(NETWORKS.length).fill(0);
  for (const node of nodes) {
    const id = NETWORKS.indexOf(isJsonObject(node) ? valStr(node.network) : "");
    if (id >= 0) counts[id]++;
  }
  const addresses = new Map<string, JsonValue>();
  let total = 0;
  for (let i = 1; i < NETWORKS.length - 1; i++) {
    addresses.set(NETWORKS[i], counts[i]);
    total += counts[i];
  }
  addresses.set("total", total);
  return { result: new Map([["addresses_known", addresses]]), error: null, id: 1 };
}
