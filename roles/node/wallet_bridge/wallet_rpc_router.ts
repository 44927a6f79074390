/**
 * Wallet RPCs through the node's JSON-RPC server: each attached `WalletLoader` (a wallet
 * process, or the in-process wallet of `freicoind`) tells which methods it serves; they are
 * registered in the node's registry (so `help` lists them under `== Wallet ==` and named
 * arguments work) and every call is routed by its `/wallet/<name>` path to the loader holding
 * that wallet, as one JSON-RPC request.
 *
 * Routing rules, as freicoind answers them:
 * - one loader (the usual case): every call goes to it, and it answers as freicoind does
 *   (-18 for an unknown wallet, -19 without a wallet in the path when several are loaded).
 * - several loaders (wallet processes connected with `-ipcconnect`): their wallet lists are
 *   asked first; `/wallet/<name>` goes to the loader that has `<name>` (else the first, which
 *   answers -18); no wallet in the path with several wallets loaded in all: -19 for
 *   wallet-scoped methods; the wallet-management methods (createwallet, loadwallet...) go to
 *   the first loader, `unloadwallet <name>` to the owner; `listwallets` lists them all.
 * - no loader alive (its process is gone): -18 "Wallet process is not running".
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { DisconnectedError } from "../../../ipc/rpc/errors.ts";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  parseJson,
  RPC_ERROR,
  type RpcCall,
  RpcError,
  type RpcMethod,
  type RpcRegistry,
  walletNameFromUri,
  writeJson,
} from "../../../rpc/mod.ts";
import type { WalletLoader } from "../../../schemas/mod.ts";
import { relayBackup, RELAYED_FILE_METHODS, relayRestore } from "./sandbox_file_relay.ts";

/** The answer while no wallet process is attached (it died, or has not started yet). */
export const WALLET_NOT_RUNNING = "Wallet process is not running";

/** freicoind's -19 text. */
export const WALLET_NOT_SPECIFIED =
  "Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).";

/** Methods that do not act on one wallet chosen by the URI (they take names as arguments). */
const MANAGEMENT_METHODS = new Set([
  "createwallet",
  "loadwallet",
  "listwallets",
  "listwalletdir",
  "restorewallet",
  "unloadwallet",
]);

/** A wallet method's declaration as a loader lists it (an `RpcMethod` without a handler). */
export type WalletMethodDeclaration = Omit<RpcMethod<unknown>, "handler">;

/**
 * Parses a loader's catalog (`WalletRpcCatalog.methodsJson`).
 * @throws {Error} when it is not a JSON array of method declarations
 */
export function parseWalletCatalog(methodsJson: string): WalletMethodDeclaration[] {
  const value = parseJson(methodsJson);
  if (!Array.isArray(value)) throw new Error("wallet RPC catalog: not a JSON array");
  return value.map((entry, i) => {
    if (!isJsonObject(entry) || entry instanceof Map) {
      throw new Error(`wallet RPC catalog: entry ${i} is not an object`);
    }
    const text = (key: string, fallback?: string): string => {
      const v = entry[key] ?? fallback;
      if (typeof v !== "string") throw new Error(`wallet RPC catalog: entry ${i} lacks ${key}`);
      return v;
    };
    const list = (key: string): JsonValue[] => {
      const v = entry[key] ?? [];
      if (!Array.isArray(v)) {
        throw new Error(`wallet RPC catalog: entry ${i}: ${key} is not a list`);
      }
      return v;
    };
    return {
      name: text("name"),
      category: text("category", "wallet"),
      description: text("description", ""),
      examples: text("examples", ""),
      args: list("args") as unknown as RpcMethod["args"],
      results: list("results") as unknown as RpcMethod["results"],
    };
  });
}

/**
 * The catalog text for `methods` (what a wallet's `rpcCatalog()` returns): the declarations
 * without their handlers, as JSON keeping numbers exact.
 */
export function walletCatalogJson(methods: readonly RpcMethod<never>[]): string {
  return writeJson(
    methods.map(({ handler: _handler, ...declaration }) => declaration as unknown as JsonObject),
  );
}

/** One attached loader. */
export interface WalletAttachment {
  /** A name for logs, e.g. `freicoin-wallet pid 123`. */
  readonly name: string;
  readonly loader: WalletLoader;
  /**
   * Set for a sandboxed wallet process: its wallet directory, where the node stages the files
   * of `backupwallet` and `restorewallet` (the process cannot reach other paths).
   */
  readonly stagingDir?: string;
  /**
   * The node's own wallet process: wallet management calls that name no wallet it knows go
   * here first (another process may have attached earlier after a restart).
   */
  readonly primary?: boolean;
}

interface AttachedState extends WalletAttachment {
  /** The wallets it has loaded; null when unknown (its listwallets failed). */
  wallets: string[] | null;
  alive: boolean;
}

/** Options for {@linkcode WalletRpcRouter}. */
export interface WalletRpcRouterOptions {
  /** The node's method registry. */
  readonly registry: RpcRegistry<unknown>;
  readonly logger: Logger;
  /**
   * For `createwallet`/`loadwallet`: the loader of a process made for a wallet the primary one
   * cannot reach (freicoin-node: a path outside the sandboxed wallet directory), or undefined
   * to route as usual.
   */
  readonly placeOutside?: (
    method: "createwallet" | "loadwallet",
    name: JsonValue | undefined,
  ) => Promise<WalletLoader | undefined>;
}

/** Routes wallet RPCs to attached loaders. */
export class WalletRpcRouter {
  readonly #options: WalletRpcRouterOptions;
  #attached: AttachedState[] = [];
  readonly #registered = new Set<string>();

  /** Creates a router with nothing attached. */
  constructor(options: WalletRpcRouterOptions) {
    this.#options = options;
  }

  /** The names of the wallet methods registered so far. */
  get methodNames(): string[] {
    return [...this.#registered].sort();
  }

  /** How many loaders are attached and alive. */
  get liveCount(): number {
    return this.#attached.filter((a) => a.alive).length;
  }

  /**
   * Attaches a loader: registers the methods of its catalog that the node does not have yet and
   * learns its wallets. Calls route to it until {@linkcode detach}.
   */
  async attach(attachment: WalletAttachment): Promise<void> {
    const catalog = parseWalletCatalog((await attachment.loader.rpcCatalog()).methodsJson);
    for (const declaration of catalog) this.#register(declaration);
    this.#attached.push({ ...attachment, wallets: null, alive: true });
  }

  /** Stops routing to `loader` (its process is gone, or it disconnected). */
  detach(loader: WalletLoader, reason: string): void {
    const state = this.#attached.find((a) => a.loader === loader);
    if (state === undefined || !state.alive) return;
    state.alive = false;
    this.#attached = this.#attached.filter((a) => a !== state);
    this.#options.logger.info(`Wallet RPCs to ${state.name} stopped: ${reason}`);
  }

  /** Runs one wallet RPC call (the handler of every registered wallet method). */
  async execute(call: RpcCall<unknown>): Promise<JsonValue> {
    if (call.method === "createwallet" || call.method === "loadwallet") {
      const outside = await this.#options.placeOutside?.(call.method, call.maybeArg(0));
      const target = this.#attached.find((a) => a.alive && a.loader === outside);
      if (outside !== undefined && target !== undefined) return await this.#send(target, call);
    }
    const live = this.#attached.filter((a) => a.alive);
    if (live.length === 0) throw new RpcError(RPC_ERROR.WALLET_NOT_FOUND, WALLET_NOT_RUNNING);
    // One loader knows all the wallets: it answers exactly as freicoind (-18, -19...) itself.
    if (live.length === 1) return await this.#send(live[0], call);
    // Several: a wallet may have been loaded or unloaded through a wallet's own -server, so
    // learn the current lists before choosing.
    await Promise.all(live.map((a) => this.#refreshWallets(a)));
    // Asking may have found a process gone.
    const still = live.filter((a) => a.alive);
    if (still.length === 0) throw new RpcError(RPC_ERROR.WALLET_NOT_FOUND, WALLET_NOT_RUNNING);
    if (call.method === "listwallets") return await this.#listAll(call, still);
    return await this.#send(this.#route(call, still), call);
  }

  #route(call: RpcCall<unknown>, live: AttachedState[]): AttachedState {
    const owner = (name: string) => live.find((a) => a.wallets?.includes(name));
    const first = live.find((a) => a.primary) ?? live[0];
    const uriWallet = walletNameFromUri(call.uri);
    if (uriWallet !== undefined) return owner(uriWallet) ?? first;
    if (MANAGEMENT_METHODS.has(call.method)) {
      const named = call.method === "unloadwallet" ? call.maybeArg(0) : undefined;
      return (typeof named === "string" ? owner(named) : undefined) ?? first;
    }
    const all = live.flatMap((a) => a.wallets ?? []);
    if (all.length > 1) throw new RpcError(RPC_ERROR.WALLET_NOT_SPECIFIED, WALLET_NOT_SPECIFIED);
    return (all.length === 1 ? owner(all[0]) : undefined) ?? first;
  }

  async #listAll(call: RpcCall<unknown>, live: AttachedState[]): Promise<JsonValue> {
    const lists = await Promise.all(live.map((a) => this.#send(a, call)));
    return lists.flatMap((list) => Array.isArray(list) ? list : []);
  }

  async #send(target: AttachedState, call: RpcCall<unknown>): Promise<JsonValue> {
    const stagingDir = target.stagingDir;
    if (stagingDir === undefined || !RELAYED_FILE_METHODS.has(call.method)) {
      return await this.#sendParams(target, call, [...call.params]);
    }
    const send = (params: JsonValue[]) => this.#sendParams(target, call, params);
    if (call.method === "restorewallet") return await relayRestore(call.params, stagingDir, send);
    let name = walletNameFromUri(call.uri);
    if (name === undefined) {
      await this.#refreshWallets(target);
      name = target.wallets?.length === 1 ? target.wallets[0] : "";
    }
    return await relayBackup(call.params, stagingDir, name, send);
  }

  async #sendParams(
    target: AttachedState,
    call: RpcCall<unknown>,
    params: JsonValue[],
  ): Promise<JsonValue> {
    const request = writeJson({ method: call.method, params, id: call.id });
    let response: string;
    try {
      response = await target.loader.executeRpc(request, call.uri, call.authUser);
    } catch (error) {
      if (error instanceof DisconnectedError) {
        this.detach(target.loader, `the wallet process disconnected (${error.message})`);
        throw new RpcError(RPC_ERROR.WALLET_NOT_FOUND, WALLET_NOT_RUNNING);
      }
      throw error;
    }
    return replyResult(response);
  }

  async #refreshWallets(state: AttachedState): Promise<void> {
    try {
      const list = await this.#send(state, listWalletsCall());
      state.wallets = Array.isArray(list) && list.every((n) => typeof n === "string")
        ? list as string[]
        : null;
    } catch {
      state.wallets = null;
    }
  }

  #register(declaration: WalletMethodDeclaration): void {
    if (this.#registered.has(declaration.name)) return;
    if (this.#options.registry.get(declaration.name) !== undefined) {
      this.#options.logger.warning(
        `Wallet RPC method ${declaration.name} is also a node method; the node's is kept`,
      );
      return;
    }
    this.#options.registry.register({ ...declaration, handler: (call) => this.execute(call) });
    this.#registered.add(declaration.name);
  }
}

/** A `listwallets` call addressed to a loader by the router itself. */
function listWalletsCall(): RpcCall<unknown> {
  return {
    method: "listwallets",
    params: [],
    id: 0,
    uri: "/",
    authUser: "",
    peerAddr: "",
    context: undefined,
    maybeArg: () => undefined,
    arg: () => undefined,
  };
}

/** The result of a JSON-RPC reply object, or its error thrown as an {@linkcode RpcError}. */
export function replyResult(response: string): JsonValue {
  const reply = parseJson(response);
  if (!isJsonObject(reply) || reply instanceof Map) {
    throw new RpcError(RPC_ERROR.INTERNAL_ERROR, "wallet process sent a malformed reply");
  }
  const error = reply.error;
  if (error !== null && error !== undefined) {
    if (!isJsonObject(error) || error instanceof Map) {
      throw new RpcError(RPC_ERROR.INTERNAL_ERROR, "wallet process sent a malformed error");
    }
    const code = Number(String(error.code));
    const message = typeof error.message === "string" ? error.message : "";
    throw new RpcError(Number.isInteger(code) ? code : RPC_ERROR.MISC_ERROR, message);
  }
  return reply.result ?? null;
}
