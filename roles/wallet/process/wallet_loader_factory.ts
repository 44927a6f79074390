/**
 * Makes the wallet's loader from a node's settings: the same call for the wallet inside
 * `freicoind`, the wallet child of `freicoin-node`, and a wallet started on its own.
 *
 * @module
 */
import type { Args } from "../../../cli/args/args.ts";
import type { Logger } from "../../../cli/logger.ts";
import type { ChainName } from "../../../kernel/address/mod.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import {
  type Chain,
  hasStartupWalletSettings,
  type WalletLoader,
  type WalletNotifyEvent,
} from "../../../schemas/mod.ts";
import { createWalletLoader, type StartupWalletStore } from "../wallet_loader.ts";
import { type WalletArgsSource, walletSettingsFromArgs } from "../wallet_settings.ts";

/** What {@linkcode makeWalletLoader} needs. */
export interface WalletLoaderFactoryOptions {
  /** The node's Chain (a local object or a proxy). */
  readonly chain: Chain;
  /** The wallet directory, existing. */
  readonly walletDir: string;
  /** The settings: network and wallet options. */
  readonly args: Args;
  readonly logger: Logger;
  /** settings.json access for `load_on_startup`; default: through the node's Chain. */
  readonly startupWallets?: StartupWalletStore;
  /** Signing backend: the node's native one in process; default pure TypeScript (no FFI). */
  readonly secp?: Secp256k1;
}

/** The wallet's view of `args` (it names options without the dash). */
export function walletArgsSource(args: Args): WalletArgsSource {
  return {
    get: (name) => args.get(`-${name}`),
    getAll: (name) => args.getAll(`-${name}`),
    isSet: (name) => args.isSet(`-${name}`),
  };
}

/**
 * The wallet loader for `options`.
 * @throws {WalletSettingsError} freicoind's init error for a bad wallet option
 */
export function makeWalletLoader(options: WalletLoaderFactoryOptions): WalletLoader {
  return createWalletLoader({
    chain: options.chain,
    walletDir: options.walletDir,
    network: options.args.chainName() as ChainName,
    settings: walletSettingsFromArgs(walletArgsSource(options.args)),
    logger: options.logger,
    startupWallets: options.startupWallets ?? startupWalletsThroughNode(options.chain),
    transactionNotify: walletNotifyThroughNode(options),
    secp: options.secp,
  });
}

/**
 * With -walletnotify set, each changed transaction is reported to the node, which runs its own
 * -walletnotify command (a sandboxed wallet cannot start programs, and a wallet never chooses
 * what the node runs). The report is not awaited: a slow node never holds the wallet up.
 */
function walletNotifyThroughNode(
  options: WalletLoaderFactoryOptions,
): ((event: WalletNotifyEvent) => void) | undefined {
  const command = options.args.get("-walletnotify");
  if (command === undefined || command === "" || options.args.isNegated("-walletnotify")) {
    return undefined;
  }
  return (event) => {
    options.chain.walletNotify(event).catch((error) => {
      options.logger.error(`walletnotify: ${String(error)}`);
    });
  };
}

/** settings.json's start-up list, kept by the node and reached through its Chain. */
function startupWalletsThroughNode(chain: Chain): StartupWalletStore | undefined {
  if (!hasStartupWalletSettings(chain)) return undefined;
  return {
    read: () => chain.getStartupWallets(),
    write: (names) => chain.setStartupWallets(names),
  };
}
