/**
 * The two-party Cap'n Proto RPC runtime.
 *
 * @module
 */
export { RpcConnection } from "./connection.ts";
export type { RpcConnectionOptions, RpcLimits, RpcTableSizes } from "./connection.ts";
export { DisconnectedError, RemoteError } from "./errors.ts";
export { defineInterface, pipeline, release, retain } from "./interface.ts";
export type {
  CallOptions,
  CapReader,
  CapWriter,
  InterfaceBinding,
  MethodBinding,
} from "./interface.ts";
export { formatFields, formatResult, MAX_LOG_TEXT } from "./text_format.ts";
