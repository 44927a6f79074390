/**
 * The gui's link to its node: a spawned `freicoin-node -ipcfd 3` child running the full node
 * (`Init.startNode`), or a running node's `-ipcbind` socket (`-ipcconnect`). Every request goes
 * through the node's `Rpc` over IPC. When the node goes away the link says so and can be
 * started (or connected) again; the gui keeps running.
 *
 * @module
 */
import type { Logger } from "../../cli/logger.ts";
import { parseConnectEndpoint } from "../../ipc/endpoint.ts";
import type { PermissionSet } from "../../ipc/permissions.ts";
import { RpcConnection } from "../../ipc/rpc/connection.ts";
import { pipeline, release } from "../../ipc/rpc/interface.ts";
import { type SpawnedProcess, spawnRole } from "../../ipc/spawn.ts";
import { connect } from "../../ipc/transport/connect.ts";
import { defaultCookiePath } from "../../ipc/transport/cookie.ts";
import { INIT, type Init, RPC, type Rpc } from "../../schemas/mod.ts";

/** Where the link stands, as the page shows it. */
export interface NodeLinkState {
  /** `starting`, `up`, `down` (died, refused, or disconnected) or `stopped` (gui exiting). */
  readonly state: "starting" | "up" | "down" | "stopped";
  /** `spawned` (a child of this gui) or `connected` (-ipcconnect). */
  readonly mode: "spawned" | "connected";
  /** The node child's pid, when spawned. */
  readonly pid?: number;
  /** Why the node is down. */
  readonly reason?: string;
}

/** How to reach the node. */
export type NodeTarget =
  | {
    readonly kind: "spawn";
    /** The node's command-line arguments (handed over by `Init.startNode`). */
    readonly nodeArgs: readonly string[];
    /** The settings for `Init.configure` (chain and logging). */
    readonly settings: readonly string[];
    readonly permissions: PermissionSet;
    /** The module the child runs; default the project's mod.ts. */
    readonly entry?: string | URL;
  }
  | {
    readonly kind: "connect";
    /** The -ipcconnect value. */
    readonly address: string;
    readonly networkDir: string;
  };

/** Raised for a request while the node is not up. */
export class NodeDownError extends Error {
  override name = "NodeDownError";
}

interface Live {
  readonly connection: RpcConnection;
  readonly init: Init & Disposable;
  readonly rpc: Rpc & Disposable;
  readonly process?: SpawnedProcess;
}

/** How long a node child may take to stop after its channel closed before it is killed. */
const STOP_GRACE_MS = 30_000;

/** The gui's node. */
export class NodeLink {
  readonly #target: NodeTarget;
  readonly #logger: Logger;
  #live: Live | null = null;
  #state: NodeLinkState;
  #starting: Promise<void> | null = null;

  /** Creates the link; {@linkcode start} starts or connects. */
  constructor(target: NodeTarget, logger: Logger) {
    this.#target = target;
    this.#logger = logger;
    this.#state = { state: "down", mode: this.#mode, reason: "not started" };
  }

  get #mode(): NodeLinkState["mode"] {
    return this.#target.kind === "spawn" ? "spawned" : "connected";
  }

  /** The current state. */
  get state(): NodeLinkState {
    return this.#state;
  }

  /** Starts the node child (or connects); resolves once it answers, rejects if it cannot. */
  start(): Promise<void> {
    if (this.#state.state === "up" || this.#state.state === "stopped") return Promise.resolve();
    this.#starting ??= this.#open().finally(() => this.#starting = null);
    return this.#starting;
  }

  /**
   * Runs one JSON-RPC request (text) against `uri` (`/` or `/wallet/<name>`) and returns the
   * node's reply text.
   * @throws {NodeDownError} when the node is not up
   */
  async execute(request: string, uri: string): Promise<string> {
    const live = this.#live;
    if (live === null || this.#state.state !== "up") {
      throw new NodeDownError(`the node is ${this.#state.state}`);
    }
    try {
      return await live.rpc.executeRpc(request, uri, "freicoin-gui");
    } catch (error) {
      if (live.connection.closed) throw new NodeDownError(`the node went away: ${error}`);
      throw error;
    }
  }

  /** Closes the channel (a spawned node stops, and stops its wallet) and waits for it. */
  async close(): Promise<void> {
    const live = this.#live;
    this.#live = null;
    this.#state = { state: "stopped", mode: this.#mode };
    await this.#starting?.catch(() => {});
    if (live) await this.#hangUp(live);
    if (this.#live) await this.#hangUp(this.#live);
  }

  async #open(): Promise<void> {
    this.#state = { state: "starting", mode: this.#mode };
    let live: Live;
    try {
      live = this.#target.kind === "spawn"
        ? await this.#spawn(this.#target)
        : await this.#connect(this.#target);
    } catch (error) {
      this.#setDown(`${error instanceof Error ? error.message : error}`);
      throw error;
    }
    if (this.#state.state === "stopped") {
      await this.#hangUp(live);
      return;
    }
    this.#live = live;
    this.#state = { state: "up", mode: this.#mode, pid: live.process?.pid };
    live.connection.onDisconnect((error) => {
      if (this.#live !== live) return;
      this.#live = null;
      this.#logger.info(`freicoin-gui: lost the node: ${error.message}`);
      this.#setDown(`disconnected: ${error.message}`, live.process?.pid);
      void this.#hangUp(live);
    });
  }

  async #spawn(target: Extract<NodeTarget, { kind: "spawn" }>): Promise<Live> {
    const process = await spawnRole("node", {
      permissions: target.permissions,
      logger: this.#logger,
      entry: target.entry,
    });
    process.exited.then((status) => {
      if (this.#state.state !== "stopped" && this.#live?.process === process) {
        this.#setDown(`the node process exited with status ${status.status}`, process.pid);
      }
    });
    const connection = new RpcConnection(process.stream, {});
    const init = connection.bootstrap(INIT);
    try {
      await init.configure(target.settings, null);
      if (!init.startNode) throw new Error("this Init has no startNode");
      await init.startNode(target.nodeArgs);
      const rpc = await init.makeRpc();
      return { connection, init, rpc: rpc as Rpc & Disposable, process };
    } catch (error) {
      release(init);
      connection.close();
      const status = await Promise.race([process.exited, delay(5000).then(() => undefined)]);
      if (status === undefined) process.kill("SIGKILL");
      const exit = status ? ` (it exited with status ${status.status})` : "";
      throw new Error(`The node did not start: ${(error as Error).message}${exit}`);
    }
  }

  async #connect(target: Extract<NodeTarget, { kind: "connect" }>): Promise<Live> {
    const endpoint = parseConnectEndpoint(target.address, { datadirNet: target.networkDir });
    if (endpoint.kind === "auto") throw new Error("-ipcconnect=auto is resolved at start-up");
    const stream = await connect(endpoint, { cookiePath: defaultCookiePath(target.networkDir) });
    const connection = new RpcConnection(stream);
    const init = connection.bootstrap(INIT);
    const rpc = pipeline(RPC, init.makeRpc());
    // A first request proves the node answers (and that it has an RPC server).
    await rpc.executeRpc('{"method":"getblockcount","id":0}', "/", "freicoin-gui");
    return { connection, init, rpc };
  }

  #setDown(reason: string, pid?: number): void {
    if (this.#state.state === "stopped") return;
    this.#state = { state: "down", mode: this.#mode, reason, pid };
  }

  async #hangUp(live: Live): Promise<void> {
    release(live.rpc);
    release(live.init);
    live.connection.close();
    if (live.process === undefined) return;
    const timer = setTimeout(() => live.process?.kill("SIGKILL"), STOP_GRACE_MS);
    await live.process.exited;
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
