/**
 * `-walletnotify`, run by the node for its wallets: the wallet reports which transaction
 * changed (`Chain.walletNotify`) and the node fills its own configured command with `%s`
 * (txid), `%b` (block hash or "unconfirmed"), `%h` (height or -1) and `%w` (the wallet name,
 * shell-quoted) and runs it through `/bin/sh -c`, as freicoind's `runCommand` does. A wallet
 * never supplies the command, so a compromised wallet process cannot make the node run
 * anything else.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import type { WalletNotifyEvent } from "../../../schemas/mod.ts";
import { runShellCommand } from "../notify_commands.ts";

/** `ShellEscape`: the text as one single-quoted shell word. */
export function shellEscape(text: string): string {
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

/**
 * The command line for `event` from the `-walletnotify` template, substituted in freicoind's
 * order: `%s`, then `%b` and `%h`, then `%w` (the only field that can itself contain `%`).
 *
 * @example
 * ```ts
 * import { walletNotifyCommand } from "./wallet_notify.ts";
 * const line = walletNotifyCommand("echo %h > /tmp/%w_%s", {
 *   txid: "ab", walletName: "w", blockHash: "unconfirmed", blockHeight: -1,
 * });
 * console.assert(line === "echo -1 > /tmp/'w'_ab");
 * ```
 */
export function walletNotifyCommand(template: string, event: WalletNotifyEvent): string {
  return template
    .replaceAll("%s", hexOnly(event.txid))
    .replaceAll("%b", event.blockHash === "unconfirmed" ? "unconfirmed" : hexOnly(event.blockHash))
    .replaceAll("%h", String(Math.trunc(event.blockHeight)))
    .replaceAll("%w", shellEscape(event.walletName));
}

/** A hash from the wallet goes into a shell line unquoted: anything but hex digits is dropped. */
function hexOnly(text: string): string {
  return text.replace(/[^0-9a-fA-F]/g, "");
}

/**
 * Starts `command` with `/bin/sh -c` without waiting for it (freicoind's detached
 * `runCommand` thread); a non-zero exit is logged as freicoind logs it.
 */
export function runNotifyCommand(command: string, logger: Logger): void {
  void runShellCommand(command, logger);
}
