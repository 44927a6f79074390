/**
 * The node's IPC side: `echoipc`, the `-ipcbind` listeners serving `Init` (and `Rpc` over the
 * node's method registry), and the client end of that `Rpc` for `freicoin rpc -ipcconnect`.
 *
 * @module
 */
export { type NodeIpc, type NodeIpcOptions, startNodeIpc } from "./node_ipc.ts";
export {
  ECHO_CHILD_NAME,
  ECHO_CHILD_PERMISSIONS,
  ECHO_CHILD_V8_FLAGS,
  EchoChild,
  EchoChildError,
  type EchoChildOptions,
} from "./echo_child.ts";
export { type EchoFunction, echoIpcMethod } from "./echo_ipc_method.ts";
export { childSettingsArgs } from "./child_settings.ts";
export { type IpcBindOptions, IpcListeners } from "./ipc_bind.ts";
export { NodeInit } from "./node_init.ts";
export { ParentLogSink } from "./parent_log_sink.ts";
export { executeJsonRpcText, IPC_PEER_ADDRESS, RegistryRpc } from "./registry_rpc.ts";
export { type IpcRpcTransport, openIpcRpcTransport } from "./rpc_over_ipc.ts";
