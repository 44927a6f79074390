/**
 * The `wallet` list of the node's settings.json (wallets loaded at start-up, changed by
 * `load_on_startup`): the node owns the file, so wallets read and write the list through
 * `Chain.getStartupWallets` / `setStartupWallets`.
 *
 * @module
 */
import * as path from "node:path";
import type { Args } from "../../../cli/args/args.ts";
import { writeSettingsFile } from "../../../cli/startup.ts";

/** Where the list is kept. */
export interface StartupWalletList {
  read(): string[];
  write(names: readonly string[]): void;
}

/**
 * The list in `args`' read-write settings, written to `-settings` (default
 * `<network datadir>/settings.json`) on every change; with `-nosettings` it lives in memory only.
 */
export function settingsFileWalletList(args: Args, networkDir: string): StartupWalletList {
  const settingsPath = args.isNegated("-settings")
    ? undefined
    : path.resolve(networkDir, args.getPath("-settings", "settings.json"));
  return {
    read(): string[] {
      const value = args.settings.readWrite.get("wallet");
      if (typeof value === "string") return [value];
      if (!Array.isArray(value)) return [];
      return value.filter((name): name is string => typeof name === "string");
    },
    write(names: readonly string[]): void {
      if (names.length === 0) args.settings.readWrite.delete("wallet");
      else args.settings.readWrite.set("wallet", [...names]);
      if (settingsPath !== undefined) writeSettingsFile(args, settingsPath);
    },
  };
}
