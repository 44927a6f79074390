/**
 * Spawning a role in its own sandboxed process, connected by an inherited socket.
 *
 * The parent creates an AF_UNIX socket pair through `node:child_process` (stdio slot 3,
 * `"pipe"`); the child finds its end at fd 3 and is told `-ipcfd 3`, and configuration then
 * travels over IPC. `Deno.Command` cannot pass extra fds, hence `node:child_process`.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import type { Socket } from "node:net";
import { fileURLToPath } from "node:url";
import type { ByteStream } from "./byte_stream.ts";
import type { Logger } from "../cli/logger.ts";
import { NULL_LOGGER } from "../cli/logger.ts";
import {
  detectSandboxMode,
  type Grant,
  permissionFlags,
  type PermissionSet,
  type Role,
  type SandboxMode,
} from "./permissions.ts";
import { socketToByteStream } from "./transport/socket_stream.ts";
import { INHERITED_IPC_FD } from "./transport/inherited_stream.ts";
import { openPipeChannel, type PipeChannel } from "./transport/spawn_channel.ts";

/** How a spawned process ended. */
export interface ExitStatus {
  /** The exit code, or `null` when a signal ended the process. */
  readonly code: number | null;
  /** The terminating signal's name, e.g. `SIGKILL`, or `null`. */
  readonly signal: string | null;
  /**
   * One number for logs, like the C++ reference's raw wait status: the exit code, or for a
   * signal its number (on POSIX a killed process's wait status is its signal number).
   */
  readonly status: number;
}

/** Options for {@linkcode spawnRole}. */
export interface SpawnRoleOptions {
  /** The child's permissions (used as `deno run` flags; see permissions.ts). */
  readonly permissions: PermissionSet;
  /** Where to log `Process ... launched/exited` (category `ipc`, debug). */
  readonly logger?: Logger;
  /** Extra arguments, after `<role> -ipcfd 3`. Prefer sending configuration over IPC. */
  readonly args?: readonly string[];
  /** The module to run; default the project's `mod.ts`. Tests pass their own child script. */
  readonly entry?: string | URL;
  /**
   * The child's stdin: `"ignore"` (default) or `"inherit"`; stdout/stderr are inherited. With
   * the pipe channel stdin carries the channel secret instead.
   */
  readonly stdin?: "ignore" | "inherit";
  /** Process name for logs; default `freicoin-<role>`. */
  readonly name?: string;
  /** Override the detected mode (tests). */
  readonly mode?: SandboxMode;
  /** The executable: default `Deno.execPath()` (the deno CLI, or the compiled binary). */
  readonly execPath?: string;
  /**
   * How the child gets its IPC stream: `"fd"` (an inherited socketpair at fd 3, `-ipcfd 3`) or
   * `"pipe"` (the child connects back to a private socket / named pipe, `-ipcpipe <path>`,
   * proving a secret it reads from stdin). Default `"fd"`, `"pipe"` on Windows, where a Deno
   * child cannot inherit extra fds.
   */
  readonly channel?: SpawnChannel;
  /** Pipe channel only: how long the child may take to connect back; default 30 s. */
  readonly connectTimeoutMs?: number;
  /**
   * V8 flags for the child (`--v8-flags=a,b` in deno-run mode), e.g. `--max-semi-space-size=1`
   * to keep a small child's memory flat. A compiled binary's flags are baked in: ignored there.
   */
  readonly v8Flags?: readonly string[];
}

/** See {@linkcode SpawnRoleOptions.channel}. */
export type SpawnChannel = "fd" | "pipe";

/** The default channel on this platform. */
export function defaultSpawnChannel(): SpawnChannel {
  return Deno.build.os === "windows" ? "pipe" : "fd";
}

/** A running child process. */
export interface SpawnedProcess extends AsyncDisposable {
  /** The IPC connection (the parent's end of the socket pair). */
  readonly stream: ByteStream;
  /** The operating-system process id. */
  readonly pid: number;
  /** Resolves when the process has ended (it never rejects). */
  readonly exited: Promise<ExitStatus>;
  /** Sends a signal (default `SIGTERM`; on Windows the process is terminated). */
  kill(signal?: NodeJS.Signals): void;
}

/** Raised when a process cannot be started. */
export class SpawnError extends Error {
  override name = "SpawnError";
}

/**
 * V8 flags of a node child when `v8Flags` is not given: the launchers' 16 MiB young generation
 * (≈ 50 MiB less peak RSS while syncing, same CPU; docs/performance.md).
 */
const NODE_V8_FLAGS: readonly string[] = ["--max-semi-space-size=16"];

/** The default module a child runs: this project's entry point. */
export const DEFAULT_ENTRY: URL = new URL("../mod.ts", import.meta.url);

/**
 * The command line for a child: `deno run <flags> <entry> <role> -ipcfd 3 [args]` in deno-run
 * mode, `<binary> <role> -ipcfd 3 [args]` for a compiled binary (whose permissions are baked in;
 * the child revokes what it does not need, see `enterSandbox`).
 */
export function childCommandLine(
  role: Role,
  options: SpawnRoleOptions,
  pipePath?: string,
): { command: string; args: string[] } {
  const mode = options.mode ?? detectSandboxMode(options.execPath);
  const command = options.execPath ?? Deno.execPath();
  const channelArgs = pipePath === undefined
    ? ["-ipcfd", String(INHERITED_IPC_FD)]
    : ["-ipcpipe", pipePath];
  const roleArgs = [role, ...channelArgs, ...(options.args ?? [])];
  if (mode === "compiled") return { command, args: roleArgs };
  const entry = options.entry ?? DEFAULT_ENTRY;
  const entryPath = entry instanceof URL ? fileURLToPath(entry) : entry;
  const permissions = pipePath === undefined
    ? options.permissions
    : withSocketAccess(options.permissions, pipePath);
  const v8Flags = options.v8Flags ?? (role === "node" ? NODE_V8_FLAGS : []);
  const v8 = v8Flags.length ? [`--v8-flags=${v8Flags.join(",")}`] : [];
  return { command, args: ["run", ...permissionFlags(permissions), ...v8, entryPath, ...roleArgs] };
}

/** Adds what connecting to the unix socket at `path` needs (net `unix:<path>`, read, write). */
export function withSocketAccess(set: PermissionSet, path: string): PermissionSet {
  const add = (grant: Grant, item: string): Grant => grant === "all" ? "all" : [...grant, item];
  return {
    ...set,
    read: add(set.read, path),
    write: add(set.write, path),
    net: Deno.build.os === "windows" ? set.net : add(set.net, `unix:${path}`),
  };
}

/**
 * Starts `role` in a child process and returns its IPC stream.
 *
 * Closing the stream is the shutdown signal: a role exits when its stream closes. When the
 * child dies, the stream closes and `exited` resolves; the parent keeps running.
 *
 * @example
 * ```ts ignore
 * const child = await spawnRole("wallet", {
 *   permissions: walletPermissions({ walletDir }),
 *   logger,
 * });
 * child.stream.onClose(() => logger.info("wallet gone"));
 * child.stream.close(); // ask it to exit
 * await child.exited;
 * ```
 */
export async function spawnRole(role: Role, options: SpawnRoleOptions): Promise<SpawnedProcess> {
  const logger = options.logger ?? NULL_LOGGER;
  const name = options.name ?? `freicoin-${role}`;
  const channel = options.channel ?? defaultSpawnChannel();
  const pipe = channel === "pipe" ? await openPipeChannel() : undefined;
  const { command, args } = childCommandLine(role, options, pipe?.path);
  logger.trace("ipc", () => `Spawning ${name}: ${[command, ...args].join(" ")}`);
  if (Deno.permissions.querySync({ name: "run", command }).state !== "granted") {
    await pipe?.close();
    throw new SpawnError(`Unable to start ${name}: this process lacks --allow-run=${command}`);
  }
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      stdio: pipe
        ? ["pipe", "inherit", "inherit"]
        : [options.stdin ?? "ignore", "inherit", "inherit", "pipe"],
      windowsHide: true,
    });
  } catch (error) {
    await pipe?.close();
    throw new SpawnError(`Unable to start ${name}: ${(error as Error).message}`, { cause: error });
  }
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once("exit", (code, signal) => resolve(exitStatus(code, signal)));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (error) => {
        reject(new SpawnError(`Unable to start ${name}: ${error.message}`, { cause: error }));
      });
    });
  } catch (error) {
    await pipe?.close();
    throw error;
  }
  const pid = child.pid!;
  logger.debug("ipc", `Process ${name} pid ${pid} launched`);
  exited.then((status) => {
    logger.debug("ipc", `Process ${name} pid ${pid} exited with status ${status.status}`);
  });
  let stream: ByteStream;
  if (pipe) {
    child.stdin!.on("error", () => {/* the child died before reading: seen below */});
    child.stdin!.end(pipe.secretLine);
    try {
      stream = await acceptChild(pipe, exited, options.connectTimeoutMs ?? 30_000);
    } catch (error) {
      child.kill("SIGKILL");
      await exited;
      throw new SpawnError(`${name} pid ${pid} did not connect: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      await pipe.close();
    }
  } else {
    const socket = child.stdio[INHERITED_IPC_FD] as Socket;
    stream = socketToByteStream(socket, `fd ${INHERITED_IPC_FD} of ${name} pid ${pid}`);
  }
  return {
    stream,
    pid,
    exited,
    kill(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async [Symbol.asyncDispose]() {
      stream.close();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits for the child to connect back, failing if it exits or takes too long. */
async function acceptChild(
  pipe: PipeChannel,
  exited: Promise<ExitStatus>,
  timeoutMs: number,
): Promise<ByteStream> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      pipe.accept(),
      exited.then((status) => {
        throw new Error(`it exited with status ${status.status}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function exitStatus(code: number | null, signal: string | null): ExitStatus {
  const signals = osConstants.signals as Record<string, number>;
  const status = code ?? (signal !== null ? signals[signal] ?? -1 : -1);
  return { code, signal, status };
}
