/**
 * The process a role runs when it was spawned by another (`<role> -ipcfd 3`): it serves `Init`
 * to its parent over the inherited channel, sandboxed, and exits when the channel closes.
 *
 * @module
 */
export {
  childProcessName,
  isSpawnedChild,
  runChild,
  type RunChildOptions,
  spawnedRoleOf,
} from "./child_main.ts";
export { ChildConfigError, ChildInit, LocalEcho } from "./child_init.ts";
export { ForwardingLogOutput, MAX_PENDING_LOG_BYTES } from "./forwarding_log_output.ts";
export { withoutLogSinkTraffic } from "./ipc_log_filter.ts";
