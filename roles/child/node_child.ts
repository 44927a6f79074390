/**
 * A full node as a spawned child (`freicoin-node -ipcfd 3`, spawned by freicoin-gui): besides
 * the child's usual Init (`configure`, `makeEcho`), `startNode(args)` runs the real node
 * start-up (datadir, lock, chainstate, mempool, P2P, its own wallet child, the HTTP RPC server
 * when asked) inside this process, and `makeRpc` then serves the node's RPC methods. Closing
 * the channel stops the node, which stops its wallet child.
 *
 * An echoipc child is configured and never gets `startNode`, so it stays the small echo child.
 *
 * @module
 */
import type { DebugLog } from "../../cli/debug_log.ts";
import { ShutdownController } from "../../cli/shutdown.ts";
import type { RpcRegistry } from "../../rpc/mod.ts";
import type { Echo, Init, LogSink, Rpc } from "../../schemas/mod.ts";
import type { ChildInit } from "./child_init.ts";

/** Runs the node start-up until `program.shutdown` is requested (node_main.ts's `runNode`). */
export type RunNodeFunction = (
  argv: readonly string[],
  program: {
    name: "freicoin-node";
    shutdown: ShutdownController;
    onStarted: (registry: RpcRegistry<unknown> | undefined) => void;
  },
) => Promise<number>;

/** Turns a registry into the Rpc served over IPC (roles/node/ipc's `RegistryRpc`). */
export type MakeRegistryRpc = (registry: RpcRegistry<unknown>, log: DebugLog) => Rpc;

/** What the node child needs from the node role (passed in by mod.ts, keeping layers apart). */
export interface NodeChildHooks {
  readonly runNode: RunNodeFunction;
  readonly makeRpc: MakeRegistryRpc;
}

/** Raised when the node cannot be started, or is asked for twice. */
export class NodeChildError extends Error {
  override name = "NodeChildError";
}

/** The Init of a spawned node child: the child's Init plus `startNode`. */
export class NodeChildInit implements Init {
  readonly #base: ChildInit;
  readonly #log: DebugLog;
  readonly #hooks: NodeChildHooks;
  readonly #shutdown = new ShutdownController();
  #running: Promise<number> | null = null;
  #rpc: Rpc | null = null;

  /** Wraps `base` (the child's Init) with the node start-up from `hooks`. */
  constructor(base: ChildInit, log: DebugLog, hooks: NodeChildHooks) {
    this.#base = base;
    this.#log = log;
    this.#hooks = hooks;
  }

  /** See {@linkcode ChildInit.makeEcho}. */
  makeEcho(): Promise<Echo> {
    return this.#base.makeEcho();
  }

  /** See {@linkcode ChildInit.configure}. */
  configure(args: readonly string[], sink: LogSink | null): Promise<void> {
    return this.#base.configure(args, sink);
  }

  /**
   * Starts the node with `args` (node command-line arguments) and resolves once it runs.
   * @throws {NodeChildError} when it is already started or its start-up fails (the node has
   *   written the reason to stderr and its debug.log, as freicoind does)
   */
  startNode(args: readonly string[]): Promise<void> {
    if (this.#running !== null) {
      return Promise.reject(new NodeChildError("the node is already started"));
    }
    return new Promise<void>((resolve, reject) => {
      this.#running = this.#hooks.runNode(args, {
        name: "freicoin-node",
        shutdown: this.#shutdown,
        onStarted: (registry) => {
          if (registry) this.#rpc = this.#hooks.makeRpc(registry, this.#log);
          resolve();
        },
      });
      this.#running.then((code) => {
        reject(new NodeChildError(`the node stopped during start-up (exit code ${code})`));
      }, (error) => reject(error));
    });
  }

  /** The running node's RPC methods; before `startNode`, the child's (none). */
  makeRpc(): Promise<Rpc> {
    if (this.#rpc !== null) return Promise.resolve(this.#rpc);
    if (this.#running !== null) {
      return Promise.reject(new NodeChildError("the node's JSON-RPC server is disabled"));
    }
    return this.#base.makeRpc();
  }

  /** The parent hung up: stop the node (and with it its wallet child), then the log. */
  async parentGone(): Promise<void> {
    this.#shutdown.request("the parent closed the IPC channel");
    await this.#running?.catch(() => 1);
    await this.#base.close();
  }
}
