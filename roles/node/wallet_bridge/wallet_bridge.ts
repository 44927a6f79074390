/**
 * The node's side of its wallets, started by the node after the chainstate is loaded:
 *
 * - `freicoind`: the wallet runs in this process; its loader (made by the entry point, since a
 *   role never imports another) gets a local {@linkcode ChainService}.
 * - `freicoin-node`: the wallet runs in a sandboxed child ({@linkcode WalletChild}); the same
 *   calls cross the process boundary.
 * - either: a wallet process started on its own connects to `-ipcbind` and registers
 *   ({@linkcode WalletBridge.registerWallet}).
 *
 * Wallet RPCs go through the node's JSON-RPC server ({@linkcode WalletRpcRouter}); chain
 * notifications through per-wallet queues ({@linkcode ChainNotificationHub}), which
 * `syncwithvalidationinterfacequeue` waits for. `-disablewallet` starts no wallet.
 *
 * @module
 */
import * as path from "node:path";
import type { Args } from "../../../cli/args/args.ts";
import type { Logger } from "../../../cli/logger.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import { StartupError } from "../../../cli/startup.ts";
import { release } from "../../../ipc/rpc/interface.ts";
import { parseJson, type RpcRegistry, writeJson } from "../../../rpc/mod.ts";
import type { Chain, Init, LogSink, WalletLoader } from "../../../schemas/mod.ts";
import type { ChainState } from "../chain/chain_state.ts";
import { childSettingsArgs } from "../ipc/child_settings.ts";
import { ChainNotificationHub } from "./chain_notification_hub.ts";
import { blockInfoOf, ChainService, type MempoolAccess } from "./chain_service.ts";
import { walletChildArgs } from "./wallet_child_args.ts";
import { WalletChild } from "./wallet_child.ts";
import { settingsFileWalletList, type StartupWalletList } from "./startup_wallet_store.ts";
import { WalletRpcRouter } from "./wallet_rpc_router.ts";

/** What an in-process wallet loader is made from (`freicoind`). */
export interface LocalWalletLoaderOptions {
  /** The node's Chain. */
  readonly chain: Chain;
  /** The wallet directory (`-walletdir`, default `<network datadir>/wallets`), existing. */
  readonly walletDir: string;
  /** The node's settings (wallet options included). */
  readonly args: Args;
  readonly logger: Logger;
  /** The node's signing backend (native libsecp256k1 when loaded); default pure TypeScript. */
  readonly secp?: Secp256k1;
}

/** Makes the in-process wallet loader; the entry point passes the wallet role's factory. */
export type LocalWalletLoaderFactory = (
  options: LocalWalletLoaderOptions,
) => WalletLoader | Promise<WalletLoader>;

/** Options for {@linkcode WalletBridge.start}. */
export interface WalletBridgeOptions {
  readonly program: "freicoind" | "freicoin-node";
  readonly args: Args;
  readonly networkDir: string;
  readonly logger: Logger;
  readonly chain: ChainState;
  /** Seconds since the epoch, mocktime aware. */
  readonly now: () => number;
  /** The node's mock time (0 when off), handed to every wallet that attaches. */
  readonly mockTime?: () => number;
  /** The node's RPC registry (absent with `-server=0`: wallet RPCs then have no server). */
  readonly registry?: RpcRegistry<unknown>;
  /** The node's mempool, when it has one. */
  readonly mempool?: () => MempoolAccess | undefined;
  /** `freicoind`: makes the in-process loader. Without it `freicoind` runs walletless. */
  readonly localWalletLoader?: LocalWalletLoaderFactory;
  /** `freicoin-node`: where the wallet child's log lines go. */
  readonly logSink?: LogSink | null;
  /** `freicoin-node`: the module the wallet child runs (tests); default mod.ts. */
  readonly childEntry?: string | URL;
}

/**
 * The wallet directory as freicoind finds it (`VerifyWallets`, `GetWalletDir`): `-walletdir`
 * (which must exist, be a directory and be absolute; its canonical path is used), else
 * `<network datadir>/wallets` when it is a directory (created with every new datadir), else the
 * network datadir itself (datadirs older than the `wallets` folder).
 * @throws {StartupError} freicoind's texts for a bad `-walletdir`
 */
export function resolveWalletDir(args: Args, networkDir: string): string {
  if (args.isSet("-walletdir") && !args.isNegated("-walletdir")) {
    const given = args.get("-walletdir") ?? "";
    const dir = args.getPath("-walletdir");
    let canonical: string;
    try {
      canonical = Deno.realPathSync(dir);
    } catch {
      throw new StartupError(`Specified -walletdir "${given}" does not exist`);
    }
    if (!Deno.statSync(canonical).isDirectory) {
      throw new StartupError(`Specified -walletdir "${given}" is not a directory`);
    }
    if (!path.isAbsolute(dir)) {
      throw new StartupError(`Specified -walletdir "${given}" is a relative path`);
    }
    return canonical;
  }
  const wallets = path.resolve(networkDir, "wallets");
  try {
    if (Deno.statSync(wallets).isDirectory) return wallets;
  } catch {
    // no wallets folder: an old datadir keeps its wallets at the top
  }
  return path.resolve(networkDir);
}

/** Whether `inner` is `outer` or inside it. */
function within(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The node's wallets. */
export class WalletBridge {
  readonly #options: WalletBridgeOptions;
  readonly #hub: ChainNotificationHub;
  readonly #router: WalletRpcRouter | undefined;
  readonly #localLoaders: WalletLoader[] = [];
  readonly #remoteLoaders = new Set<WalletLoader>();
  #child: WalletChild | undefined;
  /** freicoin-node: the wallet directory its child is confined to. */
  #walletDir: string | undefined;
  /** freicoin-node: one wallet process per directory outside the wallet directory. */
  readonly #outside = new Map<string, Promise<WalletChild | undefined>>();
  /** Those of {@linkcode #outside} that started. */
  readonly #outsideStarted: WalletChild[] = [];
  #startupWallets: StartupWalletList | undefined;
  #registrations = 0;
  #closed = false;

  private constructor(options: WalletBridgeOptions) {
    this.#options = options;
    const { chain } = options;
    const mempool = options.mempool?.()?.mempool;
    this.#hub = new ChainNotificationHub({
      subscribeChain: (listener) => chain.subscribe(listener),
      subscribeMempool: mempool ? (listener) => mempool.subscribe(listener) : undefined,
      blockInfo: (entry) => blockInfoOf(chain, entry),
    }, options.logger);
    this.#router = options.registry
      ? new WalletRpcRouter({
        registry: options.registry,
        logger: options.logger,
        placeOutside: (method, name) => this.#placeOutside(method, name),
      })
      : undefined;
    if (options.registry) this.#forwardMockTime(options.registry);
  }

  /**
   * Wallets keep their own clock (`WalletLoader.setMockTime`): wraps the node's `setmocktime`
   * so that every attached wallet hears the new time after the node has taken it.
   */
  #forwardMockTime(registry: RpcRegistry<unknown>): void {
    const original = registry.get("setmocktime");
    if (original === undefined) return;
    registry.unregister("setmocktime");
    registry.register({
      ...original,
      handler: async (call) => {
        const result = await original.handler(call);
        const seconds = this.#options.mockTime?.() ?? 0;
        await Promise.all(
          this.#allLoaders().map((loader) =>
            loader.setMockTime(seconds).catch(() => {/* a gone wallet learns it when it returns */})
          ),
        );
        return result;
      },
    });
  }

  #allLoaders(): WalletLoader[] {
    const children = [this.#child, ...this.#outsideStarted];
    const loaders = children.map((child) => child?.loader).filter((loader) => loader != null);
    return [...this.#localLoaders, ...this.#remoteLoaders, ...loaders as WalletLoader[]];
  }

  /**
   * `createwallet`/`loadwallet` of a wallet outside freicoin-node's wallet directory: the
   * sandboxed child cannot reach it (its permissions are fixed at spawn), so a wallet process
   * confined to that wallet's own directory is started for it (once per directory) and the call
   * goes there. Undefined for a wallet inside the directory, a name that is not a string, a
   * `loadwallet` of a directory that does not exist (the child answers), and for freicoind.
   */
  async #placeOutside(
    method: "createwallet" | "loadwallet",
    name: unknown,
  ): Promise<WalletLoader | undefined> {
    const walletDir = this.#walletDir;
    if (walletDir === undefined || this.#closed || typeof name !== "string") return undefined;
    const directory = path.resolve(walletDir, name);
    if (within(directory, walletDir)) return undefined;
    // A directory holding the node's own data (the datadir or one above it) would hand the
    // wallet process the chainstate and the RPC cookie: refused, the node's child answers.
    const networkDir = path.resolve(this.#options.networkDir);
    if (within(networkDir, directory) || within(path.dirname(networkDir), directory)) {
      return undefined;
    }
    let started = this.#outside.get(directory);
    if (started === undefined) {
      try {
        if (method === "createwallet") Deno.mkdirSync(directory, { recursive: true });
        if (!Deno.statSync(directory).isDirectory) return undefined;
      } catch {
        return undefined;
      }
      started = this.#startOutside(directory);
      this.#outside.set(directory, started);
    }
    const child = await started;
    return child?.loader ?? undefined;
  }

  async #startOutside(directory: string): Promise<WalletChild | undefined> {
    const { args, logger } = this.#options;
    const child = new WalletChild({
      logger,
      walletDir: directory,
      settings: () => [...childSettingsArgs(args), ...walletChildArgs(args, directory)],
      logSink: this.#options.logSink ?? null,
      makeChain: (name) => this.#makeChain(name),
      onLoader: async (loader, name) => {
        await this.#router?.attach({ name, loader, stagingDir: directory });
      },
      beforeLoad: (loader) => this.#syncMockTime(loader),
      onLoaderGone: (loader, name, reason) => {
        this.#router?.detach(loader, reason);
        this.#hub.stopNamed(name);
      },
      entry: this.#options.childEntry,
      loadAtStartup: false,
    });
    try {
      await child.start();
    } catch (error) {
      logger.warning(
        `Wallet process for ${directory} failed to start: ${(error as Error).message}`,
      );
      this.#outside.delete(directory);
      return undefined;
    }
    this.#outsideStarted.push(child);
    return child;
  }

  /** Tells a newly attached wallet the node's mock time, if one is set. */
  async #syncMockTime(loader: WalletLoader): Promise<void> {
    const seconds = this.#options.mockTime?.() ?? 0;
    if (seconds > 0) await loader.setMockTime(seconds);
  }

  /**
   * Starts the node's wallet as its program does it (none with `-disablewallet`).
   * @throws {StartupError} when the wallet directory is missing or the wallet cannot start
   */
  static async start(options: WalletBridgeOptions): Promise<WalletBridge> {
    const bridge = new WalletBridge(options);
    if (options.args.getBool("-disablewallet", false)) {
      options.logger.info("Wallet disabled!");
      return bridge;
    }
    try {
      await bridge.#startWallet();
    } catch (error) {
      await bridge.close();
      if (error instanceof StartupError) throw error;
      throw new StartupError((error as Error).message, { cause: error });
    }
    return bridge;
  }

  /** The wallet child's pid (`freicoin-node`), while one runs. */
  get walletPid(): number | undefined {
    return this.#child?.pid;
  }

  /** The wallet RPC methods registered in the node. */
  get walletMethodNames(): string[] {
    return this.#router?.methodNames ?? [];
  }

  /** Resolves once every chain notification queued so far reached every wallet. */
  syncWithValidationQueue(): Promise<void> {
    return this.#hub.waitForAll();
  }

  /**
   * A wallet process started on its own (`freicoin wallet -ipcconnect`) registers: the node makes
   * its loader with a Chain of its own, loads its start-up wallets and routes RPCs to it.
   */
  async registerWallet(wallet: Init, name: string): Promise<void> {
    if (this.#closed) throw new Error("the node is shutting down");
    if (wallet.makeWalletLoader === undefined) throw new Error("not a wallet process");
    name = `${name} #${++this.#registrations}`;
    const loader = await wallet.makeWalletLoader(this.#makeChain(name));
    this.#remoteLoaders.add(loader);
    await this.#syncMockTime(loader);
    await loader.loadWalletsAtStartup();
    await this.#router?.attach({ name, loader });
    this.#options.logger.info(`Wallet process ${name} registered`);
  }

  /** Flushes and closes the wallets, stops the child, ends every notification queue. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const loader of this.#localLoaders) {
      try {
        await loader.shutdown();
      } catch (error) {
        this.#options.logger.warning(`Wallet shutdown failed: ${(error as Error).message}`);
      }
    }
    await this.#child?.close();
    await Promise.all(this.#outsideStarted.map((child) => child.close()));
    for (const loader of this.#remoteLoaders) release(loader);
    this.#remoteLoaders.clear();
    this.#hub.close();
  }

  #makeChain(name: string): Chain {
    const options = this.#options;
    this.#startupWallets ??= settingsFileWalletList(options.args, options.networkDir);
    return new ChainService({
      startupWallets: this.#startupWallets,
      chain: options.chain,
      hub: this.#hub,
      now: options.now,
      logger: options.logger,
      mempool: options.mempool,
      subscriberName: name,
      walletNotify: options.args.isNegated("-walletnotify")
        ? undefined
        : options.args.get("-walletnotify"),
    });
  }

  async #startWallet(): Promise<void> {
    const { args, networkDir, logger } = this.#options;
    const walletDir = resolveWalletDir(args, networkDir);
    logger.info(`Using wallet directory ${walletDir}`);
    if (this.#options.program === "freicoind") {
      const factory = this.#options.localWalletLoader;
      if (factory === undefined) {
        logger.info("Wallet support is not available in this build; running without a wallet");
        return;
      }
      const loader = await factory({
        chain: this.#makeChain("the in-process wallet"),
        walletDir,
        args,
        logger,
      });
      this.#localLoaders.push(loader);
      await this.#syncMockTime(loader);
      await loader.loadWalletsAtStartup();
      await this.#router?.attach({ name: "the in-process wallet", loader });
      return;
    }
    this.#child = new WalletChild({
      logger,
      walletDir,
      settings: () => [...childSettingsArgs(args), ...walletChildArgs(args, walletDir)],
      logSink: this.#options.logSink ?? null,
      makeChain: (name) => this.#makeChain(name),
      onLoader: async (loader, name) => {
        await this.#router?.attach({ name, loader, stagingDir: walletDir, primary: true });
      },
      beforeLoad: (loader) => this.#syncMockTime(loader),
      onLoaderGone: (loader, name, reason) => {
        this.#router?.detach(loader, reason);
        this.#hub.stopNamed(name);
      },
      entry: this.#options.childEntry,
    });
    await this.#child.start();
    this.#walletDir = walletDir;
    await this.#loadOutsideAtStartup(walletDir);
  }

  /**
   * The start-up wallets (-wallet, settings.json) outside the wallet directory, which the child
   * leaves alone: each is loaded by a wallet process of its own, in order.
   */
  async #loadOutsideAtStartup(walletDir: string): Promise<void> {
    const { args, networkDir, logger } = this.#options;
    const fromArgs = args.isNegated("-wallet") ? [] : args.getAll("-wallet");
    // -nowallet hides settings.json's list, as in the child.
    const hidden = args.isSet("-wallet") && fromArgs.length === 0;
    this.#startupWallets ??= settingsFileWalletList(args, networkDir);
    const names = [...fromArgs, ...(hidden ? [] : this.#startupWallets.read())];
    const seen = new Set<string>();
    for (const name of names) {
      const directory = path.resolve(walletDir, name);
      if (within(directory, walletDir) || seen.has(directory)) continue;
      seen.add(directory);
      const loader = await this.#placeOutside("loadwallet", name);
      if (loader === undefined) {
        logger.warning(
          `Skipping -wallet path that doesn't exist. Failed to load database path '${directory}'. Path does not exist.`,
        );
        continue;
      }
      const reply = parseJson(
        await loader.executeRpc(
          writeJson({ method: "loadwallet", params: [name], id: 0 }),
          "/",
          "",
        ),
      ) as { error?: { message?: string } | null };
      if (reply.error) logger.warning(`Failed to load wallet ${name}: ${reply.error.message}`);
    }
  }
}
