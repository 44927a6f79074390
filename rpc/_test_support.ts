/**
 * Helpers for the rpc tests: a small registry that answers like the reference node did when the
 * vectors were captured, a server on a free loopback port, and raw HTTP exchanges.
 *
 * @module
 */
import { SILENT_RPC_LOGGER as NULL_LOGGER } from "./logger.ts";
import { amountToJson } from "./amount.ts";
import { RpcRegistry } from "./registry.ts";
import { RpcServer, type RpcServerOptions } from "./rpc_server.ts";
import { registerServerMethods } from "./server_methods.ts";
import { getInt } from "./values.ts";
import { helpExampleCli, helpExampleRpc } from "./method.ts";

/** Reads a vector file from ../shared/vectors/. */
export function vectorPath(name: string): string {
  return new URL(`../../shared/vectors/${name}`, import.meta.url).pathname;
}

/** A registry with getblockcount, getblockhash, getbalance and the server methods. */
export function testRegistry(onStop: () => void = () => {}): RpcRegistry<unknown> {
  const registry = new RpcRegistry<unknown>(undefined);
  registry.register({
    name: "getblockcount",
    category: "blockchain",
    description: "\nReturns the height of the most-work fully-validated chain.\n" +
      "The genesis block has height 0.\n",
    args: [],
    results: [{ type: "num", description: "The current block count" }],
    examples: helpExampleCli("getblockcount", "") + helpExampleRpc("getblockcount", ""),
    handler: () => 102,
  });
  registry.register({
    name: "getblockhash",
    category: "blockchain",
    description: "\nReturns hash of block in best-block-chain at height provided.\n",
    args: [{ names: "height", type: "num", description: "The height index" }],
    results: [{ type: "str_hex", description: "The block hash" }],
    examples: helpExampleCli("getblockhash", "1000") + helpExampleRpc("getblockhash", "1000"),
    handler: (call) => {
      if (getInt(call.params[0]) !== 0) throw new Error("Block height out of range");
      return "67756db06265141574ff8e7c3f97ebd57c443791e0ca27ee8b03758d6056edb8";
    },
  });
  registry.register({
    name: "getbalance",
    category: "wallet",
    description: "\nReturns the total available balance.\n",
    args: [
      {
        names: "dummy",
        type: "str",
        optional: true,
        description: "Remains for backward compatibility.",
      },
      {
        names: "minconf",
        type: "num",
        default: 0,
        description: "Only include transactions confirmed at least this many times.",
      },
      {
        names: "include_watchonly",
        type: "bool",
        defaultHint: "true for watch-only wallets, otherwise false",
        description: "Also include balance in watch-only addresses",
      },
      {
        names: "avoid_reuse",
        type: "bool",
        default: true,
        description:
          "(only available if avoid_reuse wallet flag is set) Do not include balance in dirty outputs; addresses are considered dirty if they have previously been used in a transaction.",
      },
    ],
    results: [{
      type: "str_amount",
      description: "The total amount in FRC received for this wallet.",
    }],
    examples: "",
    handler: (call) =>
      ({ minconf: call.arg(1) ?? null, balance: amountToJson(9999029146n) }).balance,
  });
  registerServerMethods(registry, {
    shutdown: onStop,
    now: () => Date.now() / 1000,
    startTime: Date.now() / 1000,
    logPath: () => "/tmp/debug.log",
    logging: {
      categories: () => [{ category: "http", active: false }, { category: "rpc", active: true }],
      enableCategory: (name) => name === "http" || name === "rpc",
      disableCategory: (name) => name === "http" || name === "rpc",
    },
  });
  return registry;
}

const temporaryDirs: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of temporaryDirs) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* already gone */ }
  }
});

/** Starts a server on 127.0.0.1 with a free port and user `u`, password `p`. */
export async function startTestServer(
  registry: RpcRegistry<unknown>,
  overrides: Partial<RpcServerOptions> = {},
): Promise<{ server: RpcServer; port: number; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "rpc_test_" });
  temporaryDirs.push(dir);
  const server = await RpcServer.start(registry, {
    port: 0,
    bind: ["127.0.0.1:0"],
    allowIp: ["127.0.0.1"],
    user: "u",
    password: "p",
    cookieFile: `${dir}/.cookie`,
    walletEndpoints: true,
    authFailureDelayMs: 10,
    logger: NULL_LOGGER,
    ...overrides,
  });
  return { server, port: server.addresses[0].port, dir };
}

/** `Authorization` header value for user/password. */
export function basicAuth(user = "u", password = "p"): string {
  return "Basic " + btoa(`${user}:${password}`);
}

/** A raw HTTP client on one connection: send bytes, read one complete reply. */
export class RawClient {
  #buffer = new Uint8Array(0);
  private constructor(readonly conn: Deno.TcpConn) {}

  /** Connects to 127.0.0.1:port. */
  static async connect(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Sends text as is. */
  async send(text: string | Uint8Array): Promise<void> {
    const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
    let written = 0;
    while (written < bytes.length) written += await this.conn.write(bytes.subarray(written));
  }

  async #fill(): Promise<boolean> {
    const chunk = new Uint8Array(65536);
    const n = await this.conn.read(chunk).catch(() => null);
    if (n === null) return false;
    const joined = new Uint8Array(this.#buffer.length + n);
    joined.set(this.#buffer);
    joined.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = joined;
    return true;
  }

  /** Reads one reply (by Content-Length, or to EOF); undefined when the server closed first. */
  async readReply(): Promise<string | undefined> {
    while (true) {
      const text = new TextDecoder().decode(this.#buffer);
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        const length = /\r\nContent-Length: (\d+)\r\n/i.exec(text.slice(0, end + 2));
        if (length && this.#buffer.length >= end + 4 + Number(length[1])) {
          const total = end + 4 + Number(length[1]);
          const reply = new TextDecoder().decode(this.#buffer.subarray(0, total));
          this.#buffer = this.#buffer.slice(total);
          return reply;
        }
      }
      if (!await this.#fill()) {
        if (this.#buffer.length === 0) return undefined;
        const reply = new TextDecoder().decode(this.#buffer);
        this.#buffer = new Uint8Array(0);
        return reply;
      }
    }
  }

  /** True when the server has closed the connection (EOF with nothing pending). */
  async isClosed(): Promise<boolean> {
    return !await this.#fill();
  }

  /** Closes the client side. */
  close(): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

/** A POST of `body` to `path` with auth, as an HTTP/1.1 request text. */
export function postText(
  body: string,
  { path = "/", auth = basicAuth(), extra = "" }: { path?: string; auth?: string; extra?: string } =
    {},
): string {
  const length = new TextEncoder().encode(body).length;
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n${body}`;
}

/** Drops the Date header value so replies can be compared to captured ones. */
export function withoutDate(reply: string): string {
  return reply.replace(/\r\nDate: [^\r]*\r\n/, "\r\nDate: *\r\n");
}
