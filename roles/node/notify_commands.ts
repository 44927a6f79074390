/**
 * The node's shell notifications: `-blocknotify` (the best block changed after initial block
 * download, `%s` = its hash), `-startupnotify` (start-up finished) and `-shutdownnotify`
 * (shutdown begins; the node waits for those commands). Commands run through `/bin/sh -c`
 * without being awaited, as freicoind's detached `runCommand` threads; a non-zero exit is
 * logged as freicoind logs it. (`-walletnotify` is in wallet_bridge/wallet_notify.ts.)
 *
 * @module
 */
import type { Args } from "../../cli/args/args.ts";
import type { Logger } from "../../cli/logger.ts";
import type { ChainState, ChainSubscription } from "./chain/mod.ts";

/**
 * Runs `command` with `/bin/sh -c` (`runCommand`); resolves when it has ended. A command that
 * cannot start or ends non-zero is logged (`runCommand error: system(<cmd>) returned <n>`).
 */
export async function runShellCommand(command: string, logger: Logger): Promise<void> {
  if (command === "") return;
  try {
    const status = await new Deno.Command("/bin/sh", {
      args: ["-c", command],
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
    // system() reports the exit code in the high byte of its status.
    if (status.code !== 0) {
      logger.info(`runCommand error: system(${command}) returned ${status.code << 8}`);
    }
  } catch (error) {
    logger.info(`runCommand error: system(${command}) returned ${String(error)}`);
  }
}

/** The running notifications; `close` stops `-blocknotify`. */
export interface NodeNotifyCommands {
  /** Runs `-startupnotify` (not awaited). */
  startupNotify(): void;
  /** Runs every `-shutdownnotify` and resolves once all have ended (`ShutdownNotify`). */
  shutdownNotify(): Promise<void>;
  close(): void;
}

/** The node's notification commands for `args`, `-blocknotify` listening on `chain`. */
export function startNodeNotifyCommands(
  args: Args,
  chain: ChainState,
  logger: Logger,
): NodeNotifyCommands {
  const setting = (name: string) => args.isNegated(name) ? "" : args.get(name) ?? "";
  const blockNotify = setting("-blocknotify");
  let subscription: ChainSubscription | undefined;
  if (blockNotify !== "") {
    subscription = chain.subscribe({
      updatedTip(tip, _fork, initialDownload) {
        // Only once synced (`SynchronizationState::POST_INIT`).
        if (initialDownload) return;
        void runShellCommand(blockNotify.replaceAll("%s", tip.hashHex), logger);
      },
    });
  }
  return {
    startupNotify() {
      const command = setting("-startupnotify");
      if (command !== "") void runShellCommand(command, logger);
    },
    async shutdownNotify() {
      const commands = args.isNegated("-shutdownnotify") ? [] : args.getAll("-shutdownnotify");
      await Promise.all(commands.map((command) => runShellCommand(command, logger)));
    },
    close() {
      subscription?.disconnect();
      subscription = undefined;
    },
  };
}
