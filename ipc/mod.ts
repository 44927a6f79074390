/**
 * Inter-process communication: Cap'n Proto two-party RPC over byte streams.
 *
 * @module
 */
export type { ByteStream, CloseReason } from "./byte_stream.ts";
export { encodeFrame, FrameReader, FramingError } from "./framing.ts";
export type { FrameLimits } from "./framing.ts";
export { RpcConnection } from "./rpc/connection.ts";
export type { RpcConnectionOptions, RpcLimits, RpcTableSizes } from "./rpc/connection.ts";
export { DisconnectedError, RemoteError } from "./rpc/errors.ts";
export { defineInterface, pipeline, release, retain } from "./rpc/interface.ts";
export type {
  CallOptions,
  CapReader,
  CapWriter,
  InterfaceBinding,
  MethodBinding,
} from "./rpc/interface.ts";
export * from "./transport/mod.ts";
export * from "./endpoint.ts";
export * from "./permissions.ts";
export * from "./spawn.ts";
