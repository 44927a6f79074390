/**
 * A spawned wallet child (`freicoin-wallet -ipcfd 3`): the generic child (roles/child, wired by
 * mod.ts) with the wallet's `makeWalletLoader` added to its Init; when the node closes the
 * channel (or dies), every wallet is flushed and closed before the process exits.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import type { Init } from "../../../schemas/mod.ts";
import { type ConfiguredInit, WalletProcessInit } from "./wallet_process_init.ts";

/**
 * Wraps a spawned child's Init into the wallet's (`runChild`'s `wrapInit` for the wallet).
 *
 * @example
 * ```ts ignore
 * await runChild("wallet", argv, { wrapInit: walletChildInit });
 * ```
 */
export function walletChildInit(
  base: ConfiguredInit,
  log: Logger,
): Init & { parentGone(): Promise<void> } {
  return new WalletProcessInit({ base, logger: log });
}
