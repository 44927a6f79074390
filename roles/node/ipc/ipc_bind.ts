/**
 * `-ipcbind`: the node listens on each address given and serves its `Init` to any number of
 * peers, logging (category `ipc`) who connected and disconnected.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { StartupError } from "../../../cli/startup.ts";
import { EndpointError, formatEndpoint, parseBindEndpoint } from "../../../ipc/endpoint.ts";
import { BindError, type IpcListener, listen } from "../../../ipc/transport/listen.ts";
import { defaultCookiePath } from "../../../ipc/transport/cookie.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import { INIT, type Init } from "../../../schemas/mod.ts";

/** What the listeners need. */
export interface IpcBindOptions {
  /** The network data directory: default socket path, relative paths, the TCP cookie. */
  readonly networkDir: string;
  readonly logger: Logger;
  /** What every peer gets as the bootstrap capability. */
  readonly init: Init;
}

/** The node's IPC listeners and the connections they accepted. */
export class IpcListeners {
  readonly #listeners: IpcListener[];
  readonly #connections: Set<RpcConnection>;

  private constructor(listeners: IpcListener[], connections: Set<RpcConnection>) {
    this.#listeners = listeners;
    this.#connections = connections;
  }

  /**
   * Listens on every `-ipcbind` value (`unix`, `unix:<path>`, `tcp:<host>:<port>`).
   * @throws {StartupError} freicoind-style, for a malformed value or an address it cannot bind
   */
  static async start(values: readonly string[], options: IpcBindOptions): Promise<IpcListeners> {
    const { logger } = options;
    const connections = new Set<RpcConnection>();
    const listeners: IpcListener[] = [];
    let peers = 0;
    try {
      for (const value of values) {
        const endpoint = parseBindEndpoint(value, { datadirNet: options.networkDir });
        const where = formatEndpoint(endpoint);
        const listener = await listen(endpoint, (stream) => {
          const peer = ++peers;
          const connection = new RpcConnection(stream, {
            bootstrap: { binding: INIT, impl: options.init },
            logger,
          });
          connections.add(connection);
          const from = stream.description === where ? "" : ` from ${stream.description}`;
          logger.debug("ipc", `IPC peer ${peer} connected to ${where}${from}`);
          connection.onDisconnect((error) => {
            connections.delete(connection);
            logger.debug("ipc", `IPC peer ${peer} disconnected from ${where}: ${error.message}`);
          });
        }, { logger, cookiePath: defaultCookiePath(options.networkDir) });
        listeners.push(listener);
      }
    } catch (error) {
      await Promise.all(listeners.map((listener) => listener.close()));
      if (error instanceof EndpointError || error instanceof BindError) {
        throw new StartupError(error.message);
      }
      throw error;
    }
    return new IpcListeners(listeners, connections);
  }

  /** The bound endpoints, as `unix:<path>` / `tcp:<host>:<port>` (with the port chosen). */
  get addresses(): string[] {
    return this.#listeners.map((listener) => formatEndpoint(listener.endpoint));
  }

  /** Number of peers connected now. */
  get peerCount(): number {
    return this.#connections.size;
  }

  /**
   * Disconnects every peer and stops listening. Replies already computed (such as `stop`'s,
   * whose call started the shutdown) get a moment to leave first; calls still running fail.
   */
  async close(): Promise<void> {
    if (this.#connections.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const connection of [...this.#connections]) connection.close();
    await Promise.all(this.#listeners.map((listener) => listener.close()));
  }
}
