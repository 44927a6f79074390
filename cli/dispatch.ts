/**
 * Choosing the role: from the executable's name, or from the first argument.
 *
 * @module
 */
import { FULL_VERSION, LICENSE_INFO } from "./version.ts";
import { formatParagraph } from "./args/help.ts";

/** The programs this single program can be. */
export const ROLES = [
  "freicoind",
  "freicoin-node",
  "freicoin-wallet",
  "freicoin-gui",
  "freicoin-cli",
] as const;

/** One of the programs. */
export type Role = typeof ROLES[number];

/** What to do: run a role with these arguments, print something, or fail. */
export type DispatchResult =
  | { kind: "role"; role: Role; argv: readonly string[] }
  | { kind: "print"; stdout: string }
  | { kind: "error"; message: string };

const EXECUTABLE_ROLES: Record<string, Role> = {
  "freicoind": "freicoind",
  "freicoin-node": "freicoin-node",
  "freicoin-wallet": "freicoin-wallet",
  "freicoin-gui": "freicoin-gui",
  "freicoin-qt": "freicoin-gui",
  "freicoin-cli": "freicoin-cli",
};

const SUBCOMMAND_ROLES: Record<string, Role> = {
  "node": "freicoin-node",
  "wallet": "freicoin-wallet",
  "gui": "freicoin-gui",
  "rpc": "freicoin-cli",
  "cli": "freicoin-cli",
  // The executable names work as subcommands too, for launchers that exec Deno.
  ...EXECUTABLE_ROLES,
};

/** `freicoin help`. */
export const USAGE = `Freicoin version ${FULL_VERSION}

Usage:  freicoin <command> [options]

Commands:
  node      Start the node; its wallet runs in a separate, sandboxed process (freicoin-node)
  wallet    Start a wallet process (freicoin-wallet)
  gui       Start the graphical interface (freicoin-gui)
  rpc, cli  Send a JSON-RPC command to a node (freicoin-cli)
  help      Print this help message
  version   Print the version

The same program also runs as freicoind (node and wallet in one process), freicoin-node,
freicoin-wallet, freicoin-gui, freicoin-qt and freicoin-cli when started under those names.
Run 'freicoin <command> -help' for the options of a command.
`;

function executableName(argv0: string): string {
  const base = argv0.split(/[\\/]/).pop() ?? argv0;
  return base.toLowerCase().replace(/\.exe$/, "");
}

/**
 * Picks what to run.
 *
 * @example
 * ```ts
 * import { dispatch } from "./dispatch.ts";
 * dispatch("/usr/local/bin/freicoind", ["-regtest"]); // { kind: "role", role: "freicoind", argv: ["-regtest"] }
 * dispatch("freicoin", ["node", "-regtest"]); // { kind: "role", role: "freicoin-node", argv: ["-regtest"] }
 * ```
 */
export function dispatch(argv0: string, argv: readonly string[]): DispatchResult {
  const byName = EXECUTABLE_ROLES[executableName(argv0)];
  if (byName) return { kind: "role", role: byName, argv };
  const [command, ...rest] = argv;
  if (command === undefined) {
    return { kind: "error", message: USAGE.trimEnd() };
  }
  if (command === "help" || command === "-h" || command === "-help" || command === "--help") {
    return { kind: "print", stdout: USAGE };
  }
  if (command === "version" || command === "-version" || command === "--version") {
    return {
      kind: "print",
      stdout: `Freicoin version ${FULL_VERSION}\n${formatParagraph(LICENSE_INFO)}`,
    };
  }
  const role = SUBCOMMAND_ROLES[command];
  if (role) return { kind: "role", role, argv: rest };
  return {
    kind: "error",
    message: `Error: unknown command '${command}'. Run 'freicoin help' for the list of commands.`,
  };
}
