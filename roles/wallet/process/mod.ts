/**
 * The wallet as a process: its `Init` (`makeWalletLoader` over the node's Chain), the spawned
 * child's wiring, `freicoin wallet` started on its own (`-ipcconnect`, `-server`), and the
 * loader factory the in-process wallet of `freicoind` uses too.
 *
 * @module
 */
export { walletChildInit } from "./wallet_child_main.ts";
export {
  type ConfiguredInit,
  WalletProcessInit,
  type WalletProcessInitOptions,
} from "./wallet_process_init.ts";
export {
  makeWalletLoader,
  walletArgsSource,
  type WalletLoaderFactoryOptions,
} from "./wallet_loader_factory.ts";
export { runWallet } from "./standalone_wallet.ts";
export {
  catalogMethods,
  startWalletRpcServer,
  type WalletRpcServerOptions,
} from "./wallet_rpc_server.ts";
export { walletDirStartupStore } from "./wallet_settings_file.ts";
