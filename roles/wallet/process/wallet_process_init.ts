/**
 * The `Init` a wallet process serves: `makeWalletLoader(chain)` builds its loader over the
 * node's Chain. Spawned by a node, it wraps the generic child Init (which takes the node's
 * settings through `configure`); started on its own, it has its settings from the command line.
 *
 * @module
 */
import * as path from "node:path";
import type { Args } from "../../../cli/args/args.ts";
import type { Logger } from "../../../cli/logger.ts";
import { retain } from "../../../ipc/rpc/interface.ts";
import type { Chain, Echo, Init, LogSink, Rpc, WalletLoader } from "../../../schemas/mod.ts";
import { makeWalletLoader } from "./wallet_loader_factory.ts";
import { walletDirStartupStore } from "./wallet_settings_file.ts";

/** An Init that received its settings from a parent (the spawned child's). */
export interface ConfiguredInit extends Init {
  /** The parent's settings, once `configure` ran. */
  readonly settings: Args | null;
}

/** Options for {@linkcode WalletProcessInit}. */
export interface WalletProcessInitOptions {
  readonly logger: Logger;
  /** Spawned: the child's Init, whose `configure` brings the settings. */
  readonly base?: ConfiguredInit;
  /** Started on its own: the command line's settings. */
  readonly settings?: Args;
  /** Started on its own: the wallet directory (spawned: `-walletdir` from the parent). */
  readonly walletDir?: string;
}

class LocalEcho implements Echo {
  echo(text: string): Promise<string> {
    return Promise.resolve(text);
  }
}

/** A wallet process's Init. */
export class WalletProcessInit implements Init {
  readonly #options: WalletProcessInitOptions;
  readonly #loaders: WalletLoader[] = [];
  #gone = false;

  /** Creates the Init. */
  constructor(options: WalletProcessInitOptions) {
    this.#options = options;
  }

  /** The loaders made so far (one per node connection). */
  get loaders(): readonly WalletLoader[] {
    return this.#loaders;
  }

  /** A new Echo. */
  makeEcho(): Promise<Echo> {
    return this.#options.base?.makeEcho() ?? Promise.resolve(new LocalEcho());
  }

  /** The parent's settings (spawned only). */
  configure(args: readonly string[], log: LogSink | null): Promise<void> {
    const base = this.#options.base;
    if (base === undefined) {
      return Promise.reject(new Error("this wallet process was started on its own"));
    }
    return base.configure(args, log);
  }

  /** A wallet process serves its RPC through the node (or its own -server). */
  makeRpc(): Promise<Rpc> {
    return Promise.reject(new Error("this wallet process has no JSON-RPC dispatcher over IPC"));
  }

  /** Builds the wallet loader over the node's `chain`. */
  makeWalletLoader(chain: Chain): Promise<WalletLoader> {
    if (this.#gone) return Promise.reject(new Error("the wallet process is shutting down"));
    const settings = this.#options.settings ?? this.#options.base?.settings ?? null;
    if (settings === null) {
      return Promise.reject(new Error("the wallet process is not configured yet"));
    }
    const walletDir = this.#options.walletDir ?? path.resolve(settings.getPath("-walletdir"));
    if (walletDir === "") return Promise.reject(new Error("no wallet directory was given"));
    const loader = makeWalletLoader({
      chain: retain(chain),
      walletDir,
      args: settings,
      logger: this.#options.logger,
      // Spawned, the node's settings.json holds the list (through the Chain); on its own, the
      // process keeps its own next to its wallets.
      startupWallets: this.#options.base ? undefined : walletDirStartupStore(walletDir),
    });
    this.#loaders.push(loader);
    return Promise.resolve(loader);
  }

  /** Only a node registers wallets. */
  registerWallet(): Promise<void> {
    return Promise.reject(new Error("this is a wallet process, not a node"));
  }

  /** The node is gone: flush and close every wallet. Idempotent. */
  async parentGone(): Promise<void> {
    if (this.#gone) return;
    this.#gone = true;
    for (const loader of this.#loaders) {
      try {
        await loader.shutdown();
      } catch (error) {
        this.#options.logger.error(`Closing the wallets failed: ${(error as Error).message}`);
      }
    }
  }
}
