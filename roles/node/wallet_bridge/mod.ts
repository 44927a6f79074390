/**
 * The node's side of its wallets: the `Chain` it serves them, per-wallet notification queues,
 * wallet RPC routing through the node's JSON-RPC server, and the wallet child process of
 * `freicoin-node`.
 *
 * @module
 */
export {
  type LocalWalletLoaderFactory,
  type LocalWalletLoaderOptions,
  resolveWalletDir,
  WalletBridge,
  type WalletBridgeOptions,
} from "./wallet_bridge.ts";
export {
  blockInfoOf,
  ChainService,
  type ChainServiceOptions,
  type MempoolAccess,
  NO_MEMPOOL_ERROR,
} from "./chain_service.ts";
export { ChainNotificationHub, type NotificationSources } from "./chain_notification_hub.ts";
export {
  DEFAULT_MAX_QUEUED_BYTES,
  NotificationQueue,
  type NotificationQueueOptions,
  type QueuedNotification,
} from "./notification_queue.ts";
export {
  parseWalletCatalog,
  replyResult,
  WALLET_NOT_RUNNING,
  WALLET_NOT_SPECIFIED,
  type WalletAttachment,
  walletCatalogJson,
  type WalletMethodDeclaration,
  WalletRpcRouter,
} from "./wallet_rpc_router.ts";
export { walletChildArgs } from "./wallet_child_args.ts";
export {
  FIRST_RESPAWN_DELAY_MS,
  MAX_RESPAWN_DELAY_MS,
  WALLET_CHILD_NAME,
  WalletChild,
  type WalletChildOptions,
} from "./wallet_child.ts";
export { MAX_FEE_EXCEEDED, mempoolAccess, type MempoolAccessOptions } from "./mempool_access.ts";
export { settingsFileWalletList, type StartupWalletList } from "./startup_wallet_store.ts";
export { runNotifyCommand, shellEscape, walletNotifyCommand } from "./wallet_notify.ts";
