/**
 * `freicoin-node`'s wallet process: `freicoin-wallet -ipcfd 3` spawned with the wallet's
 * permission set (read and write on the wallet directory, nothing else), configured over IPC,
 * then asked for its `WalletLoader` (`Init.makeWalletLoader`, handing it the node's `Chain`).
 *
 * If the process dies, the node logs it, wallet RPCs answer -18 "Wallet process is not
 * running", validation goes on, and a new process is started after a pause (doubling up to a
 * minute while it keeps dying); the new one loads its wallets and catches up from the chain.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { walletPermissions } from "../../../ipc/permissions.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import { release } from "../../../ipc/rpc/interface.ts";
import { type SpawnedProcess, spawnRole } from "../../../ipc/spawn.ts";
import { withoutLogSinkLines } from "./log_sink_filter.ts";
import { type Chain, INIT, type LogSink, type WalletLoader } from "../../../schemas/mod.ts";

/** The process name the wallet child is logged under. */
export const WALLET_CHILD_NAME = "freicoin-wallet";

/** First pause before starting a new wallet process after one died. */
export const FIRST_RESPAWN_DELAY_MS = 3000;
/** Longest pause between restarts. */
export const MAX_RESPAWN_DELAY_MS = 60_000;
/** How long the node waits for the wallet process to close its wallets at shutdown. */
export const SHUTDOWN_TIMEOUT_MS = 60_000;
/** How long a child that lost its channel may take to exit before it is killed. */
const EXIT_GRACE_MS = 10_000;

/** Options for {@linkcode WalletChild}. */
export interface WalletChildOptions {
  readonly logger: Logger;
  /** The wallet directory: the child's only readable and writable path. */
  readonly walletDir: string;
  /**
   * Arguments handed over by `Init.configure` (logging, network, wallet options), computed for
   * each new process (settings.json's `wallet` list may have changed since the last one).
   */
  readonly settings: () => readonly string[];
  /** Where the child's log lines go (the node's debug.log), or null. */
  readonly logSink: LogSink | null;
  /** Makes the Chain served to one wallet process (named for logs). */
  readonly makeChain: (name: string) => Chain;
  /** Called with each new process's loader once its start-up wallets are loaded. */
  readonly onLoader: (loader: WalletLoader, name: string) => Promise<void>;
  /** Called with a new process's loader before it loads its wallets (e.g. to set mock time). */
  readonly beforeLoad?: (loader: WalletLoader) => Promise<void>;
  /** Called when a process's loader is gone. */
  readonly onLoaderGone: (loader: WalletLoader, name: string, reason: string) => void;
  /** The module the child runs; default the project's mod.ts. */
  readonly entry?: string | URL;
  /** Pause before the first restart; default {@linkcode FIRST_RESPAWN_DELAY_MS}. */
  readonly respawnDelayMs?: number;
  /**
   * Whether each new process loads the start-up wallets (-wallet, settings.json); default true.
   * A process kept for one wallet outside the wallet directory loads nothing by itself.
   */
  readonly loadAtStartup?: boolean;
}

interface LiveWallet {
  readonly process: SpawnedProcess;
  readonly connection: RpcConnection;
  loader: WalletLoader | null;
  readonly startedAt: number;
}

/** Keeps one wallet process running. */
export class WalletChild {
  readonly #options: WalletChildOptions;
  #live: LiveWallet | null = null;
  #closed = false;
  #delay: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #exits = new Set<Promise<unknown>>();

  /** Creates the manager; call {@linkcode start}. */
  constructor(options: WalletChildOptions) {
    this.#options = options;
    this.#delay = options.respawnDelayMs ?? FIRST_RESPAWN_DELAY_MS;
  }

  /** The running wallet process's loader, once made. */
  get loader(): WalletLoader | null {
    return this.#live?.loader ?? null;
  }

  /** The running wallet process's pid, if any. */
  get pid(): number | undefined {
    return this.#live?.process.pid;
  }

  /**
   * Starts a wallet process and waits until its loader is attached.
   * @throws {Error} when the process cannot be started or refuses its configuration
   */
  async start(): Promise<void> {
    const logger = this.#options.logger;
    const process = await spawnRole("wallet", {
      permissions: walletPermissions({ walletDir: this.#options.walletDir }),
      logger,
      name: WALLET_CHILD_NAME,
      entry: this.#options.entry,
    });
    this.#track(process);
    const name = `${WALLET_CHILD_NAME} pid ${process.pid}`;
    logger.info(`Started ${name} (wallet directory ${this.#options.walletDir})`);
    const connection = new RpcConnection(process.stream, { logger: withoutLogSinkLines(logger) });
    const live: LiveWallet = { process, connection, loader: null, startedAt: Date.now() };
    this.#live = live;
    connection.onDisconnect((error) => this.#lost(live, name, error.message));
    using init = connection.bootstrap(INIT);
    try {
      await init.configure(this.#options.settings(), this.#options.logSink);
      const loader = await init.makeWalletLoader!(this.#options.makeChain(name));
      live.loader = loader;
      await this.#options.beforeLoad?.(loader);
      if (this.#options.loadAtStartup ?? true) await loader.loadWalletsAtStartup();
      await this.#options.onLoader(loader, name);
    } catch (error) {
      // Not a loss to recover from here: the caller decides (start-up fails, or a retry).
      if (this.#live === live) this.#live = null;
      this.#shutDown(live);
      const message = error instanceof Error ? error.message : String(error);
      logger.info(`${name} failed to start: ${message}`);
      // The wallet's own words (e.g. a -wallet that cannot be loaded), as freicoind prints them.
      throw new Error(message, { cause: error });
    }
  }

  /** Asks the wallet to flush and close, closes the channel, and waits for the process. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const live = this.#live;
    this.#live = null;
    if (live !== null) {
      if (live.loader !== null && !live.connection.closed) {
        try {
          await withTimeout(live.loader.shutdown(), SHUTDOWN_TIMEOUT_MS, "closing the wallets");
        } catch (error) {
          this.#options.logger.warning(`Wallet shutdown failed: ${(error as Error).message}`);
        }
      }
      this.#shutDown(live);
    }
    await Promise.all([...this.#exits]);
  }

  #lost(live: LiveWallet, name: string, reason: string): void {
    if (live.loader !== null) {
      this.#options.onLoaderGone(live.loader, name, reason);
      release(live.loader);
      live.loader = null;
    }
    if (this.#live !== live) return;
    this.#live = null;
    this.#shutDown(live);
    live.process.exited.then((status) => {
      this.#options.logger.info(
        `${name} exited with status ${status.status}; wallet RPCs answer "Wallet process is ` +
          `not running" until it is restarted`,
      );
    });
    if (this.#closed) return;
    if (Date.now() - live.startedAt > MAX_RESPAWN_DELAY_MS) {
      this.#delay = this.#options.respawnDelayMs ?? FIRST_RESPAWN_DELAY_MS;
    }
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * 2, MAX_RESPAWN_DELAY_MS);
    this.#timer = setTimeout(() => this.#respawn(), delay);
  }

  async #respawn(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.start();
    } catch (error) {
      this.#options.logger.error(
        `Restarting the wallet process failed: ${(error as Error).message}`,
      );
      if (!this.#closed && this.#live === null) {
        const delay = this.#delay;
        this.#delay = Math.min(this.#delay * 2, MAX_RESPAWN_DELAY_MS);
        this.#timer = setTimeout(() => this.#respawn(), delay);
      }
    }
  }

  #track(process: SpawnedProcess): void {
    const exited: Promise<unknown> = process.exited.then(() => this.#exits.delete(exited));
    this.#exits.add(exited);
  }

  #shutDown(live: LiveWallet): void {
    if (live.loader !== null) {
      release(live.loader);
      live.loader = null;
    }
    live.connection.close();
    const timer = setTimeout(() => live.process.kill("SIGKILL"), EXIT_GRACE_MS);
    Deno.unrefTimer(timer as unknown as number);
    live.process.exited.then(() => clearTimeout(timer));
  }
}

/** `promise`, or a rejection once `ms` have passed (a stuck wallet must not hold the node). */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
