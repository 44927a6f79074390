/**
 * The whole RPC server of a role, in freicoind's start-up order: check `-rpcallowip`, bind the
 * `-rpcbind` endpoints, set up authentication (writing the cookie only once the socket is
 * bound), register `/` (and `/wallet/`), then accept. Stopping refuses new requests, lets
 * running ones finish, closes the sockets and removes the cookie.
 *
 * @module
 */
import type { RpcLogger as Logger } from "./logger.ts";
import { deleteAuthCookie, RpcAuthenticator, writeAuthCookie } from "./auth.ts";
import { type HttpEndpoint, HttpServer } from "./http_server.ts";
import { makeJsonRpcHandler } from "./http_rpc.ts";
import type { RpcRegistry } from "./registry.ts";
import { defaultAllowedSubnets, parseSubnet, splitHostPort, type Subnet } from "./subnet.ts";

/** The RPC server settings, already read from the command line and config by the caller. */
export interface RpcServerOptions {
  /** `-rpcport` (or the network's default). */
  port: number;
  /** `-rpcbind` values (`host[:port]`); used only together with `-rpcallowip`. */
  bind?: string[];
  /** `-rpcallowip` values (address, `addr/CIDR`, `addr/netmask`). */
  allowIp?: string[];
  /** `-rpcuser`. */
  user?: string;
  /** `-rpcpassword`; when empty a random cookie is used. */
  password?: string;
  /** `-rpcauth` values. */
  rpcAuth?: string[];
  /** `-rpcwhitelist` values. */
  rpcWhitelist?: string[];
  /** `-rpcwhitelistdefault`. */
  rpcWhitelistDefault?: boolean;
  /** `-rpcthreads` (default 4). */
  threads?: number;
  /** `-rpcworkqueue` (default 16). */
  workQueueDepth?: number;
  /** `-rpcservertimeout` in seconds (default 30). */
  timeoutSeconds?: number;
  /** Absolute path of the cookie file (`-rpccookiefile`, default `<datadir>/<net>/.cookie`). */
  cookieFile: string;
  /** Serve `/wallet/<name>` too (when the wallet is enabled). */
  walletEndpoints?: boolean;
  /** `-logips`. */
  logIps?: boolean;
  /** Largest request body in bytes (default 64 MiB). */
  maxBodyBytes?: number;
  /** Pause after a wrong password in ms (default 250; tests may shorten it). */
  authFailureDelayMs?: number;
  logger: Logger;
}

/** A start-up failure whose message is freicoind's init error text. */
export class RpcServerInitError extends Error {
  override name = "RpcServerInitError";
}

/** Resolves the allow-list, or throws freicoind's "Invalid -rpcallowip subnet…" error. */
export function allowedSubnets(allowIp: string[]): Subnet[] {
  const subnets = defaultAllowedSubnets();
  for (const value of allowIp) {
    const subnet = parseSubnet(value);
    if (!subnet) {
      throw new RpcServerInitError(
        `Invalid -rpcallowip subnet specification: ${value}. Valid are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0) or a network/CIDR (e.g. 1.2.3.4/24).`,
      );
    }
    subnets.push(subnet);
  }
  return subnets;
}

/**
 * The endpoints to bind: loopback (`::1` and `127.0.0.1`) unless both `-rpcallowip` and
 * `-rpcbind` are given, with freicoind's warnings for one without the other.
 */
export function rpcEndpoints(
  options: Pick<RpcServerOptions, "port" | "bind" | "allowIp" | "logger">,
): HttpEndpoint[] {
  const bind = options.bind ?? [];
  const allowIp = options.allowIp ?? [];
  if (allowIp.length && bind.length) {
    return bind.map((value) => {
      const { host, port } = splitHostPort(value, options.port);
      return { hostname: host, port };
    });
  }
  if (allowIp.length) {
    options.logger.info(
      "WARNING: option -rpcallowip was specified without -rpcbind; this doesn't usually make sense",
    );
  }
  if (bind.length) {
    options.logger.info(
      "WARNING: option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow everyone to connect",
    );
  }
  return [{ hostname: "::1", port: options.port }, { hostname: "127.0.0.1", port: options.port }];
}

/**
 * A running RPC server.
 *
 * @example
 * ```ts ignore
 * const server = await RpcServer.start(registry, { port: 0, cookieFile: "/tmp/x/.cookie", logger });
 * // … registry.setWarmupFinished() once the node is ready …
 * await server.close();
 * ```
 */
export class RpcServer {
  readonly #http: HttpServer;
  readonly #cookieFile: string | undefined;
  readonly #stopListening: () => void;
  #closed = false;

  private constructor(
    http: HttpServer,
    cookieFile: string | undefined,
    registry: RpcRegistry<unknown>,
  ) {
    this.#http = http;
    this.#cookieFile = cookieFile;
    // After `stop`, every reply carries `Connection: close`, as freicoind's do.
    this.#stopListening = registry.addShutdownListener(() => http.markShuttingDown());
  }

  /**
   * Binds, authenticates and starts serving `registry`; throws {@linkcode RpcServerInitError}
   * with freicoind's message when the server cannot start.
   */
  static async start(
    registry: RpcRegistry<unknown>,
    options: RpcServerOptions,
  ): Promise<RpcServer> {
    const subnets = allowedSubnets(options.allowIp ?? []);
    const logger = options.logger;
    let http: HttpServer;
    try {
      http = HttpServer.bind({
        endpoints: rpcEndpoints(options),
        allowedSubnets: subnets,
        timeoutSeconds: options.timeoutSeconds,
        workQueueDepth: options.workQueueDepth,
        threads: options.threads,
        maxBodyBytes: options.maxBodyBytes,
        logger,
      });
    } catch (error) {
      logger.info(error instanceof Error ? error.message : String(error));
      throw new RpcServerInitError("Unable to start HTTP server. See debug log for details.");
    }
    let userColonPass: string;
    let cookieFile: string | undefined;
    try {
      if (!options.password) {
        logger.info("Using random cookie authentication.");
        userColonPass = await writeAuthCookie(options.cookieFile);
        cookieFile = options.cookieFile;
        logger.info(`Generated RPC authentication cookie ${options.cookieFile}`);
      } else {
        userColonPass = `${options.user ?? ""}:${options.password}`;
      }
      if (options.rpcAuth?.at(-1)) logger.info("Using rpcauth authentication.");
      const auth = new RpcAuthenticator({
        userColonPass,
        rpcAuth: options.rpcAuth,
        rpcWhitelist: options.rpcWhitelist,
        rpcWhitelistDefault: options.rpcWhitelistDefault,
      });
      const handler = makeJsonRpcHandler({
        registry,
        auth,
        logger,
        logIps: options.logIps,
        authFailureDelayMs: options.authFailureDelayMs,
      });
      http.registerHandler("/", true, handler);
      if (options.walletEndpoints) http.registerHandler("/wallet/", false, handler);
    } catch (error) {
      await http.close();
      if (cookieFile) await deleteAuthCookie(cookieFile);
      logger.info(error instanceof Error ? error.message : String(error));
      throw new RpcServerInitError("Unable to start HTTP server. See debug log for details.");
    }
    http.start();
    return new RpcServer(http, cookieFile, registry);
  }

  /** The bound addresses. */
  get addresses(): HttpEndpoint[] {
    return this.#http.addresses;
  }

  /** Marks a requested shutdown: replies from now on carry `Connection: close`. */
  markShuttingDown(): void {
    this.#http.markShuttingDown();
  }

  /** Refuses new requests with 503 (running ones continue). */
  interrupt(): void {
    this.#http.interrupt();
  }

  /** Stops the server and removes the cookie it wrote. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopListening();
    await this.#http.close();
    if (this.#cookieFile) await deleteAuthCookie(this.#cookieFile);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
