/**
 * The wallet role: descriptor wallets in SQLite, kept current from the node's chain
 * notifications, with demurrage-aware balances, spending and freicoind's wallet RPCs.
 *
 * The wallet sees the node only through `schemas/chain_interfaces.ts` (`Chain`); it serves
 * `WalletLoader` (load/create/unload wallets, run wallet RPCs) and one `ChainNotifications`
 * per loaded wallet. The process entry and IPC plumbing live in `process/`.
 *
 * @example
 * ```ts ignore
 * import { createWalletLoader, walletSettingsFromArgs } from "./mod.ts";
 * const loader = createWalletLoader({
 *   chain, walletDir, network: "regtest", logger, settings: walletSettingsFromArgs(args),
 * });
 * await loader.loadWalletsAtStartup();
 * const reply = await loader.executeRpc('{"method":"getbalance","id":1}', "/wallet/w", "user");
 * ```
 *
 * @module
 */
export {
  createWalletLoader,
  type StartupWalletStore,
  type WalletLoaderOptions,
  WalletLoadError,
  WalletLoaderService,
} from "./wallet_loader.ts";
export {
  DEFAULT_WALLET_SETTINGS,
  type WalletArgsSource,
  type WalletSettings,
  WalletSettingsError,
  walletSettingsFromArgs,
} from "./wallet_settings.ts";
export { type CreateWalletFlags, Wallet, type WalletOptions } from "./wallet.ts";
export { type Balance, getBalance } from "./balances.ts";
export { WALLET_FILE, WALLET_SCHEMA_VERSION } from "./layout.ts";
export { walletRpcMethods } from "./rpc/mod.ts";
