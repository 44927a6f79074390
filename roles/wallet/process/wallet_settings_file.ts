/**
 * The start-up wallet list of a wallet process started on its own: it has its own wallet
 * directory, so it keeps its own list, in `<walletdir>/settings.json` (`{"wallet": [...]}`, the
 * shape of the node's file), written atomically.
 *
 * @module
 */
import * as path from "node:path";
import type { StartupWalletStore } from "../wallet_loader.ts";

/** The list in `<walletDir>/settings.json`; a missing or unreadable file is an empty list. */
export function walletDirStartupStore(walletDir: string): StartupWalletStore {
  const file = path.join(walletDir, "settings.json");
  const readObject = (): Record<string, unknown> => {
    try {
      const parsed: unknown = JSON.parse(Deno.readTextFileSync(file));
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
        ? parsed as Record<string, unknown>
        : {};
    } catch {
      return {};
    }
  };
  return {
    read(): Promise<string[]> {
      const value = readObject().wallet;
      const names = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
      return Promise.resolve(names.filter((name): name is string => typeof name === "string"));
    },
    write(names: string[]): Promise<void> {
      const object = readObject();
      if (names.length === 0) delete object.wallet;
      else object.wallet = [...names];
      const temporary = `${file}.tmp`;
      Deno.writeTextFileSync(temporary, JSON.stringify(object, null, 4) + "\n");
      Deno.renameSync(temporary, file);
      return Promise.resolve();
    },
  };
}
