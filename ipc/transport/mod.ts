/**
 * IPC transports: every kind of connection becomes a {@linkcode ByteStream}.
 *
 * @module
 */
export { CLOSE_GRACE_MS, socketToByteStream } from "./socket_stream.ts";
export { createMemoryStreamPair } from "./memory_stream.ts";
export { adoptInheritedStream, INHERITED_IPC_FD, InheritedFdError } from "./inherited_stream.ts";
export {
  openParentChannel,
  openPipeChannel,
  ParentChannelError,
  type PipeChannel,
} from "./spawn_channel.ts";
export { BindError, type IpcListener, listen, type ListenOptions } from "./listen.ts";
export { connect, connectAuto, ConnectError, type ConnectOptions } from "./connect.ts";
export {
  authenticateAsClient,
  authenticateAsListener,
  AuthenticationError,
  type HandshakeOptions,
} from "./authenticated_stream.ts";
export {
  CookieError,
  defaultCookiePath,
  IPC_COOKIE_NAME,
  readCookie,
  removeCookie,
  writeCookie,
} from "./cookie.ts";
export { pipeNameForPath, SocketPathError } from "./unix_path.ts";
export type { ByteStream, CloseReason } from "../byte_stream.ts";
