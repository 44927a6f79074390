/**
 * The child process behind `freicoin-node`'s `echoipc`: a `freicoin-node -ipcfd 3` spawned with
 * no permissions at all, configured over IPC, and kept for the next call.
 *
 * The reference spawns a new process for every call (116 ms each); we keep one child alive and
 * reuse it, and spawn a new one when it has died (the call that was in flight fails with an error
 * saying so). Closing the node closes the channel, which is the child's signal to exit.
 *
 * @module
 */
import type { Logger, LogMessage } from "../../../cli/logger.ts";
import { DisconnectedError } from "../../../ipc/rpc/errors.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import { pipeline, release } from "../../../ipc/rpc/interface.ts";
import type { PermissionSet } from "../../../ipc/permissions.ts";
import { type SpawnedProcess, spawnRole } from "../../../ipc/spawn.ts";
import { ECHO, type Echo, INIT, type Init, type LogSink } from "../../../schemas/mod.ts";

/** The echo child needs nothing: no files, no network, no processes, no environment. */
export const ECHO_CHILD_PERMISSIONS: PermissionSet = {
  read: [],
  write: [],
  net: [],
  run: [],
  env: [],
  ffi: [],
  sys: [],
};

/**
 * V8 flags of the echo child: a 1 MiB young generation. With V8's default it grows while calls
 * stream in and the child's RSS climbs from ~60 to ~140 MB over the first 60,000 calls before
 * levelling off (its heap after a GC stays at ~7 MB); with it, RSS stays close to flat.
 */
export const ECHO_CHILD_V8_FLAGS: readonly string[] = ["--max-semi-space-size=1"];

/** The process name the echo child is logged under (the reference spawns `freicoin-node`). */
export const ECHO_CHILD_NAME = "freicoin-node";

/** How long a child that lost its channel may take to exit before it is killed. */
const EXIT_GRACE_MS = 5000;

/** Options for {@linkcode EchoChild}. */
export interface EchoChildOptions {
  /** The parent's log: `Process ... launched/exited`, the `-debug=ipc` lines, disconnects. */
  readonly logger: Logger;
  /** The settings handed to the child by `Init.configure` (see `childSettingsArgs`). */
  readonly settings: readonly string[];
  /** Where the child's log lines go (the parent's debug.log), or null to drop them. */
  readonly logSink: LogSink | null;
  /** The module the child runs; default the project's `mod.ts` (tests may pass their own). */
  readonly entry?: string | URL;
}

/** Raised when the echo child is gone in the middle of a call, or cannot be started. */
export class EchoChildError extends Error {
  override name = "EchoChildError";
}

interface LiveChild {
  readonly process: SpawnedProcess;
  readonly connection: RpcConnection;
  readonly init: Init & Disposable;
  readonly echo: Echo & Disposable;
}

/** A kept-alive echo child, respawned on demand. */
export class EchoChild {
  readonly #options: EchoChildOptions;
  readonly #logger: Logger;
  #live: Promise<LiveChild> | null = null;
  #closed = false;
  readonly #exits = new Set<Promise<unknown>>();

  /** Creates the manager; no process is started before the first call. */
  constructor(options: EchoChildOptions) {
    this.#options = options;
    this.#logger = withoutLogSinkTraffic(options.logger);
  }

  /** The pid of the running child, if one is running. */
  async pid(): Promise<number | undefined> {
    const live = await this.#live?.catch(() => null);
    return live && !live.connection.closed ? live.process.pid : undefined;
  }

  /**
   * Echoes `text` through the child, starting one if none is running.
   * @throws {EchoChildError} when the child cannot be started or dies during the call
   */
  async echo(text: string): Promise<string> {
    if (this.#closed) throw new EchoChildError("the node is shutting down");
    const live = await this.#current();
    try {
      return await live.echo.echo(text);
    } catch (error) {
      if (!(error instanceof DisconnectedError)) throw error;
      throw new EchoChildError(
        `${ECHO_CHILD_NAME} child process pid ${live.process.pid} went away during the call ` +
          `(${error.message}); the next call starts a new one`,
        { cause: error },
      );
    }
  }

  /** Closes the channel to the child and waits until every child process has exited. */
  async close(): Promise<void> {
    this.#closed = true;
    const live = await this.#live?.catch(() => null);
    this.#live = null;
    if (live) this.#shutDown(live);
    await Promise.all([...this.#exits]);
  }

  #current(): Promise<LiveChild> {
    if (this.#live === null) {
      const starting = this.#start();
      this.#live = starting;
      starting.catch(() => {
        if (this.#live === starting) this.#live = null;
      });
    }
    return this.#live;
  }

  async #start(): Promise<LiveChild> {
    let process: SpawnedProcess;
    try {
      process = await spawnRole("node", {
        permissions: ECHO_CHILD_PERMISSIONS,
        logger: this.#options.logger,
        name: ECHO_CHILD_NAME,
        entry: this.#options.entry,
        v8Flags: ECHO_CHILD_V8_FLAGS,
      });
    } catch (error) {
      throw new EchoChildError(`Unable to start the echoipc child: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#track(process);
    const connection = new RpcConnection(process.stream, { logger: this.#logger });
    const init = connection.bootstrap(INIT);
    const configured = init.configure(this.#options.settings, this.#options.logSink);
    const made = init.makeEcho();
    made.catch(() => {/* seen by the first echo call */});
    const echo = pipeline(ECHO, made);
    const live: LiveChild = { process, connection, init, echo };
    const starting = this.#live;
    connection.onDisconnect((error) => {
      if (this.#live === starting) this.#live = null;
      this.#logger.debug(
        "ipc",
        () => `IPC client: ${ECHO_CHILD_NAME} pid ${process.pid} disconnected: ${error.message}`,
      );
      this.#shutDown(live);
    });
    try {
      await configured;
    } catch (error) {
      this.#shutDown(live);
      throw new EchoChildError(
        `The echoipc child pid ${process.pid} refused its configuration: ${
          (error as Error).message
        }`,
        { cause: error },
      );
    }
    return live;
  }

  /** Remembers a process until it has exited, so that close() can wait for it. */
  #track(process: SpawnedProcess): void {
    const exited: Promise<unknown> = process.exited.then(() => this.#exits.delete(exited));
    this.#exits.add(exited);
  }

  /** Releases the proxies, closes the channel, and kills the child if it lingers. */
  #shutDown(live: LiveChild): void {
    release(live.echo);
    release(live.init);
    live.connection.close();
    const timer = setTimeout(() => live.process.kill("SIGKILL"), EXIT_GRACE_MS);
    Deno.unrefTimer(timer as unknown as number);
    live.process.exited.then(() => clearTimeout(timer));
  }
}

/**
 * Drops the `-debug=ipc` lines about the child's log forwarding (`LogSink.write`): they would
 * repeat, cut short, every line the child sends.
 */
function withoutLogSinkTraffic(logger: Logger): Logger {
  const keep = (message: LogMessage) => {
    const text = typeof message === "string" ? message : message();
    return text.includes(" LogSink.") ? undefined : text;
  };
  return {
    info: (message, category) => logger.info(message, category),
    warning: (message, category) => logger.warning(message, category),
    error: (message, category) => logger.error(message, category),
    debug(category, message) {
      if (!logger.willLog(category, "debug")) return;
      const text = category === "ipc" ? keep(message) : message;
      if (text !== undefined) logger.debug(category, text);
    },
    trace(category, message) {
      if (!logger.willLog(category, "trace")) return;
      const text = category === "ipc" ? keep(message) : message;
      if (text !== undefined) logger.trace(category, text);
    },
    willLog: (category, level) => logger.willLog(category, level),
  };
}
