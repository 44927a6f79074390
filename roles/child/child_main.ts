/**
 * A spawned role's process (`mod.ts <role> -ipcfd 3`, or `-ipcpipe <path>` where fds cannot be
 * inherited): open the channel to the parent, enter the sandbox, serve `Init` on it, and exit
 * cleanly when the parent hangs up.
 *
 * Like the reference's `checkSpawned`, a process is a spawned child only when its arguments are
 * exactly the channel option and its value: the parent controls the child through IPC, so its
 * configuration arrives over IPC (`Init.configure`), never on the command line.
 *
 * @module
 */
import { DebugLog } from "../../cli/debug_log.ts";
import { writeStderr } from "../../cli/console.ts";
import { openParentChannel } from "../../ipc/transport/spawn_channel.ts";
import { enterSandbox, type Role as SandboxRole } from "../../ipc/permissions.ts";
import { RpcConnection } from "../../ipc/rpc/connection.ts";
import { INIT, type Init } from "../../schemas/mod.ts";
import { ChildInit } from "./child_init.ts";
import { withoutLogSinkTraffic } from "./ipc_log_filter.ts";

/** The channel options a spawned child is started with. */
const CHANNEL_OPTIONS = ["-ipcfd", "-ipcpipe"];

/**
 * Whether `argv` (the role's arguments) marks a spawned child: exactly `-ipcfd <n>` or
 * `-ipcpipe <path>`, as two entries.
 */
export function isSpawnedChild(argv: readonly string[]): boolean {
  return argv.length === 2 && CHANNEL_OPTIONS.includes(argv[0]);
}

/**
 * The sandbox role a program runs as when spawned: `freicoind`/`freicoin-node` → node, and so
 * on; undefined for programs that are never spawned (`freicoin-cli`).
 */
export function spawnedRoleOf(program: string): SandboxRole | undefined {
  switch (program) {
    case "freicoind":
    case "freicoin-node":
      return "node";
    case "freicoin-wallet":
      return "wallet";
    case "freicoin-gui":
      return "gui";
    default:
      return undefined;
  }
}

/** The executable-style name of a spawned role, for logs (`freicoin-node`). */
export function childProcessName(role: SandboxRole): string {
  return `freicoin-${role}`;
}

/** Role-specific additions to a spawned child (plugged in by mod.ts). */
export interface RunChildOptions {
  /**
   * Wraps the child's Init, e.g. to add the wallet's `makeWalletLoader`. `parentGone` runs
   * after the channel closed (the wallet flushes there).
   */
  readonly wrapInit?: (
    init: ChildInit,
    log: DebugLog,
  ) => Init & { parentGone?(): Promise<void> };
}

/**
 * Runs a spawned child of `role` until the parent closes the channel.
 *
 * @returns 0 after the parent hung up; 1 when the channel could not be opened (the one case
 *   where the child writes to stderr: there is nobody else to tell).
 */
export async function runChild(
  role: SandboxRole,
  argv: readonly string[],
  options: RunChildOptions = {},
): Promise<number> {
  const threadName = `${childProcessName(role)}-${Deno.pid}`;
  // Lines wait in the log's buffer until the parent says (configure) where they go.
  const log = new DebugLog({ timestamps: true }, { writeFile() {}, writeConsole() {} });
  let connection: RpcConnection;
  const base = new ChildInit(log, threadName);
  const init = options.wrapInit?.(base, log) ?? base;
  try {
    const stream = await openParentChannel(argv);
    await enterSandbox(role, { logger: log });
    connection = new RpcConnection(stream, {
      bootstrap: { binding: INIT, impl: init },
      logger: withoutLogSinkTraffic(log),
    });
  } catch (error) {
    writeStderr(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  // A terminal's Ctrl-C (or a SIGTERM to the whole process group) reaches the children too; the
  // parent shuts them down in order by closing the channel, so the signals are ignored here.
  using _signals = ignoreShutdownSignals();
  // Closing the channel is the shutdown signal; the parent may be gone, so log nothing more.
  await new Promise<void>((resolve) => connection.onDisconnect(() => resolve()));
  if ("parentGone" in init) await init.parentGone?.();
  return 0;
}

/** Keeps SIGINT/SIGTERM from ending a spawned child while its parent is alive. */
function ignoreShutdownSignals(): Disposable {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const ignore = () => {};
  for (const signal of signals) Deno.addSignalListener(signal, ignore);
  return {
    [Symbol.dispose]() {
      for (const signal of signals) Deno.removeSignalListener(signal, ignore);
    },
  };
}
