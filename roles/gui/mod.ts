/**
 * freicoin-gui: a local web app on 127.0.0.1 over a node reached by IPC (a spawned node child,
 * or `-ipcconnect` to a running node's `-ipcbind` socket).
 *
 * @module
 */
export { runGui } from "./gui_main.ts";
export { type GuiServer, type GuiServerOptions, startGuiServer } from "./gui_server.ts";
export { NodeDownError, NodeLink, type NodeLinkState, type NodeTarget } from "./node_link.ts";
