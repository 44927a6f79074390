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
  permissionFlags,
  type PermissionSet,
  type Role,
  type SandboxMode,
} from "./permissions.ts";
import { socketToByteStream } from "./transport/socket_stream.ts";
import { INHERITED_IPC_FD } from "./transport/inherited_stream.ts";

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
  /** The child's stdin: `"ignore"` (default) or `"inherit"`. stdout/stderr are inherited. */
  readonly stdin?: "ignore" | "inherit";
  /** Process name for logs; default `freicoin-<role>`. */
  readonly name?: string;
  /** Override the detected mode (tests). */
  readonly mode?: SandboxMode;
  /** The executable: default `Deno.execPath()` (the deno CLI, or the compiled binary). */
  readonly execPath?: string;
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
): { command: string; args: string[] } {
  const mode = options.mode ?? detectSandboxMode(options.execPath);
  const command = options.execPath ?? Deno.execPath();
  const roleArgs = [role, "-ipcfd", String(INHERITED_IPC_FD), ...(options.args ?? [])];
  if (mode === "compiled") return { command, args: roleArgs };
  const entry = options.entry ?? DEFAULT_ENTRY;
  const entryPath = entry instanceof URL ? fileURLToPath(entry) : entry;
  return {
    command,
    args: ["run", ...permissionFlags(options.permissions), entryPath, ...roleArgs],
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
  const { command, args } = childCommandLine(role, options);
  logger.trace("ipc", () => `Spawning ${name}: ${[command, ...args].join(" ")}`);
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      stdio: [options.stdin ?? "ignore", "inherit", "inherit", "pipe"],
      windowsHide: true,
    });
  } catch (error) {
    throw new SpawnError(`Unable to start ${name}: ${(error as Error).message}`, { cause: error });
  }
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once("exit", (code, signal) => resolve(exitStatus(code, signal)));
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error) => {
      reject(new SpawnError(`Unable to start ${name}: ${error.message}`, { cause: error }));
    });
  });
  const pid = child.pid!;
  logger.debug("ipc", `Process ${name} pid ${pid} launched`);
  exited.then((status) => {
    logger.debug("ipc", `Process ${name} pid ${pid} exited with status ${status.status}`);
  });
  const socket = child.stdio[INHERITED_IPC_FD] as Socket;
  const stream = socketToByteStream(socket, `fd ${INHERITED_IPC_FD} of ${name} pid ${pid}`);
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

function exitStatus(code: number | null, signal: string | null): ExitStatus {
  const signals = osConstants.signals as Record<string, number>;
  const status = code ?? (signal !== null ? signals[signal] ?? -1 : -1);
  return { code, signal, status };
}
