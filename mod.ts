/**
 * freicoin for Deno: a Freicoin full node whose node, wallet and GUI run as separate,
 * sandboxed processes that talk Cap'n Proto.
 *
 * Run as a program, this module picks the role from the executable name (`freicoind`,
 * `freicoin-node`, `freicoin-wallet`, `freicoin-gui`, `freicoin-qt`, `freicoin-cli`) or from
 * the first argument (`freicoin node|wallet|gui|rpc|cli|help|version`) and hands over to it.
 *
 * @example
 * ```sh
 * deno run -A mod.ts node -regtest -datadir=/tmp/frc
 * deno run -A mod.ts freicoind -version
 * ```
 * @module
 */
import process from "node:process";
import { dispatch } from "./cli/dispatch.ts";
import { runNode } from "./roles/node/node_main.ts";
import { runCli } from "./cli/cli_main.ts";
import { writeStderr } from "./cli/console.ts";
import { isSpawnedChild, runChild, spawnedRoleOf } from "./roles/child/mod.ts";
import { openIpcRpcTransport, RegistryRpc } from "./roles/node/ipc/mod.ts";
import { NodeChildInit } from "./roles/child/node_child.ts";
import { runGui } from "./roles/gui/mod.ts";
import { makeWalletLoader, runWallet, walletChildInit } from "./roles/wallet/process/mod.ts";

export { dispatch, type Role } from "./cli/dispatch.ts";
export { runNode } from "./roles/node/node_main.ts";

/** Runs the program for `argv0` and `argv` and returns its exit code. */
export async function main(argv0: string, argv: readonly string[]): Promise<number> {
  const choice = dispatch(argv0, argv);
  switch (choice.kind) {
    case "error":
      writeStderr(choice.message + "\n");
      return 1;
    case "print":
      if (choice.stdout) Deno.stdout.writeSync(new TextEncoder().encode(choice.stdout));
      return 0;
    case "role": {
      // Spawned by another process (`<role> -ipcfd 3`): serve it over IPC, nothing else.
      const spawned = isSpawnedChild(choice.argv) ? spawnedRoleOf(choice.role) : undefined;
      if (spawned === "wallet") {
        return await runChild(spawned, choice.argv, { wrapInit: walletChildInit });
      }
      if (spawned === "node") {
        // freicoin-gui's node child: Init.startNode runs the full node in this process.
        return await runChild(spawned, choice.argv, {
          wrapInit: (base, log) =>
            new NodeChildInit(base, log, {
              runNode,
              makeRpc: (registry, logger) => new RegistryRpc(registry, logger),
            }),
        });
      }
      if (spawned !== undefined) return await runChild(spawned, choice.argv);
      switch (choice.role) {
        case "freicoind":
          return await runNode(choice.argv, {
            name: "freicoind",
            localWalletLoader: makeWalletLoader,
          });
        case "freicoin-node":
          return await runNode(choice.argv, { name: "freicoin-node" });
        case "freicoin-wallet":
          return await runWallet(choice.argv, "freicoin-wallet");
        case "freicoin-gui":
          return await runGui(choice.argv);
        case "freicoin-cli":
          return await runCli(choice.argv, { openIpcTransport: openIpcRpcTransport });
        default:
          writeStderr(`Error: ${choice.role} is not implemented yet.\n`);
          return 1;
      }
    }
  }
}

if (import.meta.main) {
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    writeStderr(`Error: A fatal internal error occurred: ${event.reason}\n`);
    Deno.exit(1);
  });
  Deno.exit(await main(process.argv0, Deno.args));
}
