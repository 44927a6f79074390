/**
 * `freicoin rpc -ipcconnect=...`: freicoin-cli's requests sent over IPC to the node's `Rpc`
 * interface instead of HTTP. Only the transport changes: the same request text goes in and the
 * same reply text comes out, so freicoin-cli prints exactly what it prints over HTTP.
 *
 * @module
 */
import type { PostOptions, PostReply } from "../../../cli/rpc_client/mod.ts";
import { parseConnectEndpoint } from "../../../ipc/endpoint.ts";
import { connect, connectAuto } from "../../../ipc/transport/connect.ts";
import { defaultCookiePath } from "../../../ipc/transport/cookie.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import { pipeline, release } from "../../../ipc/rpc/interface.ts";
import { INIT, RPC } from "../../../schemas/mod.ts";

/** An open IPC connection carrying JSON-RPC requests. */
export interface IpcRpcTransport {
  /** Sends one request (the POST freicoin-cli would make) and returns the node's reply. */
  post(request: PostOptions): Promise<PostReply>;
  /** Closes the connection. */
  close(): void;
}

/**
 * Connects to the node at an `-ipcconnect` value (`unix`, `unix:<path>`, `tcp:<host>:<port>`
 * with the cookie `<networkDir>/.ipccookie`, or `auto`).
 *
 * @returns the transport, or undefined for `auto` when no node listens (use HTTP then)
 * @throws {EndpointError | ConnectError} for a malformed value or a failed connection
 */
export async function openIpcRpcTransport(
  value: string,
  networkDir: string,
): Promise<IpcRpcTransport | undefined> {
  const endpoint = parseConnectEndpoint(value, { datadirNet: networkDir });
  const stream = endpoint.kind === "auto"
    ? await connectAuto(endpoint)
    : await connect(endpoint, { cookiePath: defaultCookiePath(networkDir) });
  if (stream === undefined) return undefined;
  const connection = new RpcConnection(stream);
  const init = connection.bootstrap(INIT);
  const made = init.makeRpc();
  made.catch(() => {/* reported by the first request */});
  const rpc = pipeline(RPC, made);
  return {
    async post(request: PostOptions): Promise<PostReply> {
      const user = request.userColonPass.split(":")[0];
      const signal = request.timeoutSeconds > 0
        ? AbortSignal.timeout(request.timeoutSeconds * 1000)
        : undefined;
      const body = await rpc.executeRpc(request.body, request.path, user, { signal });
      return { status: 200, body: body + "\n" };
    },
    close(): void {
      release(rpc);
      release(init);
      connection.close();
    },
  };
}
