/**
 * The node's JSON-RPC server: freicoind's `-server`, `-rpc*` options turned into an
 * {@linkcode RpcServer} serving the node's method registry.
 *
 * @module
 */
import * as path from "node:path";
import type { Args } from "../../cli/args/args.ts";
import type { DebugLog } from "../../cli/debug_log.ts";
import { StartupError } from "../../cli/startup.ts";
import {
  registerServerMethods,
  RpcRegistry,
  RpcServer,
  RpcServerInitError,
} from "../../rpc/mod.ts";

/** The default JSON-RPC port of each network. */
export const DEFAULT_RPC_PORT: Record<string, number> = {
  main: 8638,
  test: 18638,
  signet: 38638,
  regtest: 28638,
};

/** What the node's RPC server needs from start-up. */
export interface NodeRpcOptions {
  args: Args;
  networkDir: string;
  log: DebugLog;
  /** Asks the node to shut down (the `stop` RPC). */
  requestShutdown: () => void;
  /** Seconds since the epoch, honouring mocktime. */
  now: () => number;
}

/** Creates the registry with the server's own methods (help, stop, uptime, logging, ...). */
export function createNodeRegistry<Context>(
  context: Context,
  options: NodeRpcOptions,
): RpcRegistry<Context> {
  const registry = new RpcRegistry(context);
  const logPath = path.resolve(
    options.networkDir,
    options.args.getPath("-debuglogfile", "debug.log"),
  );
  registerServerMethods(registry as RpcRegistry<unknown>, {
    shutdown: options.requestShutdown,
    now: options.now,
    startTime: Math.floor(Date.now() / 1000),
    logPath: () => logPath,
    logging: {
      categories: () => options.log.categoryStates(),
      enableCategory: (name) => options.log.enableCategory(name),
      disableCategory: (name) => options.log.disableCategory(name),
    },
  });
  return registry;
}

/**
 * Binds the RPC server as `-rpcbind`/`-rpcport`/`-rpcallowip` say and writes the cookie.
 * @throws {StartupError} freicoind's init error texts
 */
export async function startNodeRpcServer<Context>(
  registry: RpcRegistry<Context>,
  options: NodeRpcOptions,
  walletEndpoints: boolean,
): Promise<RpcServer> {
  const { args, networkDir, log } = options;
  const chain = args.network;
  try {
    return await RpcServer.start(registry as RpcRegistry<unknown>, {
      port: args.getInt("-rpcport", DEFAULT_RPC_PORT[chain] ?? 8638),
      bind: args.getAll("-rpcbind"),
      allowIp: args.getAll("-rpcallowip"),
      user: args.get("-rpcuser"),
      password: args.get("-rpcpassword"),
      rpcAuth: args.getAll("-rpcauth"),
      rpcWhitelist: args.getAll("-rpcwhitelist"),
      rpcWhitelistDefault: args.isSet("-rpcwhitelistdefault")
        ? args.getBool("-rpcwhitelistdefault", false)
        : undefined,
      threads: args.getInt("-rpcthreads", 4),
      workQueueDepth: args.getInt("-rpcworkqueue", 16),
      timeoutSeconds: args.getInt("-rpcservertimeout", 30),
      cookieFile: path.resolve(networkDir, args.getPath("-rpccookiefile", ".cookie")),
      walletEndpoints,
      logIps: args.getBool("-logips", false),
      logger: log,
    });
  } catch (error) {
    if (error instanceof RpcServerInitError) throw new StartupError(error.message);
    throw error;
  }
}
