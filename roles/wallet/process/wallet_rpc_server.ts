/**
 * `freicoin wallet -server`: a wallet process answering wallet RPCs on its own port, with the
 * node's authentication rules and its own cookie in the wallet directory. The methods are the
 * loader's catalog (plus the server's own `help`, `stop`, `uptime`...); each call runs through
 * the loader's `executeRpc`, exactly as when the node forwards it.
 *
 * @module
 */
import * as path from "node:path";
import type { Args } from "../../../cli/args/args.ts";
import type { DebugLog } from "../../../cli/debug_log.ts";
import { StartupError } from "../../../cli/startup.ts";
import {
  isJsonObject,
  type JsonValue,
  parseJson,
  registerServerMethods,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  RpcRegistry,
  RpcServer,
  RpcServerInitError,
  writeJson,
} from "../../../rpc/mod.ts";
import type { WalletLoader } from "../../../schemas/mod.ts";

/** Options for {@linkcode startWalletRpcServer}. */
export interface WalletRpcServerOptions {
  readonly args: Args;
  readonly walletDir: string;
  readonly log: DebugLog;
  readonly loader: WalletLoader;
  /** Asks the process to shut down (`stop`). */
  readonly requestShutdown: () => void;
}

/** The methods of a loader's catalog, each forwarding to `executeRpc`. */
export async function catalogMethods(loader: WalletLoader): Promise<RpcMethod<unknown>[]> {
  const catalog = parseJson((await loader.rpcCatalog()).methodsJson);
  if (!Array.isArray(catalog)) throw new Error("the wallet's RPC catalog is not a list");
  return catalog.filter(isJsonObject).map((entry) => {
    const declaration = entry as unknown as Omit<RpcMethod<unknown>, "handler">;
    return {
      ...declaration,
      handler: async (call) => {
        const request = writeJson({ method: call.method, params: [...call.params], id: call.id });
        return replyResult(await loader.executeRpc(request, call.uri, call.authUser));
      },
    };
  });
}

function replyResult(response: string): JsonValue {
  const reply = parseJson(response);
  if (!isJsonObject(reply)) throw new RpcError(RPC_ERROR.INTERNAL_ERROR, "malformed reply");
  const error = reply.error;
  if (isJsonObject(error)) {
    const code = Number(String(error.code));
    throw new RpcError(
      Number.isInteger(code) ? code : RPC_ERROR.MISC_ERROR,
      typeof error.message === "string" ? error.message : "",
    );
  }
  return reply.result ?? null;
}

/**
 * Starts the wallet's own JSON-RPC server (`-rpcport` is required: the node's default port
 * belongs to the node). The cookie is `<walletdir>/.cookie` unless `-rpccookiefile` says
 * otherwise (relative to the wallet directory).
 * @throws {StartupError} freicoind's init texts, or a missing `-rpcport`
 */
export async function startWalletRpcServer(options: WalletRpcServerOptions): Promise<RpcServer> {
  const { args, walletDir, log, loader } = options;
  if (!args.isSet("-rpcport")) {
    throw new StartupError(
      "freicoin wallet -server needs -rpcport=<port> (the node's RPC port is the node's)",
    );
  }
  const registry = new RpcRegistry<unknown>(undefined);
  registerServerMethods(registry, {
    shutdown: options.requestShutdown,
    now: () => Math.floor(Date.now() / 1000),
    startTime: Math.floor(Date.now() / 1000),
    logPath: () => path.resolve(walletDir, args.getPath("-debuglogfile", "debug.log")),
    logging: {
      categories: () => log.categoryStates(),
      enableCategory: (name) => log.enableCategory(name),
      disableCategory: (name) => log.disableCategory(name),
    },
  });
  for (const method of await catalogMethods(loader)) {
    if (registry.get(method.name) === undefined) registry.register(method);
  }
  registry.setWarmupFinished();
  try {
    return await RpcServer.start(registry, {
      port: args.getInt("-rpcport", 0),
      bind: args.getAll("-rpcbind"),
      allowIp: args.getAll("-rpcallowip"),
      user: args.get("-rpcuser"),
      password: args.get("-rpcpassword"),
      rpcAuth: args.getAll("-rpcauth"),
      rpcWhitelist: args.getAll("-rpcwhitelist"),
      threads: args.getInt("-rpcthreads", 4),
      workQueueDepth: args.getInt("-rpcworkqueue", 16),
      timeoutSeconds: args.getInt("-rpcservertimeout", 30),
      cookieFile: path.resolve(walletDir, args.getPath("-rpccookiefile", ".cookie")),
      walletEndpoints: true,
      logIps: args.getBool("-logips", false),
      logger: log,
    });
  } catch (error) {
    if (error instanceof RpcServerInitError) throw new StartupError(error.message);
    throw error;
  }
}
