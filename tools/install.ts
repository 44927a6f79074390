/**
 * `deno task install [DIR]`: writes launchers named freicoin, freicoind, freicoin-node,
 * freicoin-wallet, freicoin-gui, freicoin-qt and freicoin-cli into DIR (default `./.bin`).
 *
 * Each launcher `exec`s Deno on this checkout's mod.ts with the role as first argument, so tools
 * that need an executable path (the reference's functional tests: FREICOIND=<DIR>/freicoind)
 * can start it, and signals reach the Deno process itself.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { writeStdout } from "../cli/console.ts";

const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Launcher name to the role argument it passes (empty: the `freicoin` command itself). */
const LAUNCHERS: Record<string, string> = {
  "freicoin": "",
  "freicoind": "freicoind",
  "freicoin-node": "freicoin-node",
  "freicoin-wallet": "freicoin-wallet",
  "freicoin-gui": "freicoin-gui",
  "freicoin-qt": "freicoin-gui",
  "freicoin-cli": "freicoin-cli",
};

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

function denoCommand(): string[] {
  return [
    Deno.execPath(),
    "run",
    "--quiet",
    "--no-prompt",
    "--allow-all",
    // A 16 MiB young generation: ≈ 50 MiB less peak RSS for a syncing node at the same CPU
    // (docs/performance.md, chainstate and node).
    "--v8-flags=--max-semi-space-size=16",
    `--config=${path.join(PROJECT_DIR, "deno.json")}`,
    path.join(PROJECT_DIR, "mod.ts"),
  ];
}

function posixLauncher(role: string): string {
  const words = [...denoCommand(), ...(role ? [role] : [])].map(shellQuote);
  return `#!/bin/sh\n# Written by 'deno task install'.\nexec ${words.join(" ")} "$@"\n`;
}

function windowsLauncher(role: string): string {
  const words = [...denoCommand(), ...(role ? [role] : [])].map((word) => `"${word}"`);
  return `@echo off\r\nrem Written by 'deno task install'.\r\n${words.join(" ")} %*\r\n`;
}

/** Writes the launchers into `dir` and returns their paths. */
export function installLaunchers(dir: string): string[] {
  Deno.mkdirSync(dir, { recursive: true });
  const windows = Deno.build.os === "windows";
  const written: string[] = [];
  for (const [name, role] of Object.entries(LAUNCHERS)) {
    const file = path.join(dir, windows ? `${name}.cmd` : name);
    Deno.writeTextFileSync(file, windows ? windowsLauncher(role) : posixLauncher(role));
    if (!windows) Deno.chmodSync(file, 0o755);
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  const dir = path.resolve(Deno.args[0] ?? path.join(PROJECT_DIR, ".bin"));
  for (const file of installLaunchers(dir)) writeStdout(file + "\n");
}
