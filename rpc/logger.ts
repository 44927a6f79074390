/**
 * The part of the project's `Logger` (cli/logger.ts) the RPC layer writes to. Declared here
 * structurally so that `rpc/` imports nothing of ours and `cli/rpc_client` can use `rpc/json.ts`
 * without a cycle between folders; any cli `Logger` fits.
 *
 * @module
 */

/** A message, or a function that builds it only when it will be written. */
export type RpcLogMessage = string | (() => string);

/** Where the RPC server logs. */
export interface RpcLogger {
  /** An unconditional line. */
  info(message: RpcLogMessage): void;
  /** An unconditional error line. */
  error(message: RpcLogMessage): void;
  /** A line written only when the category is enabled. */
  debug(category: "http" | "rpc" | "libevent", message: RpcLogMessage): void;
}

/** A logger that writes nothing. */
export const SILENT_RPC_LOGGER: RpcLogger = { info() {}, error() {}, debug() {} };
