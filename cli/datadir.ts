/**
 * Where freicoind keeps its data, and the directories it creates on start-up.
 *
 * @module
 */
import * as path from "node:path";

/** What the default datadir depends on: the platform and a few environment variables. */
export interface DataDirEnvironment {
  os: typeof Deno.build.os;
  home?: string;
  appData?: string;
}

/**
 * freicoind's default data directory: `~/.freicoin` on Linux and BSDs,
 * `~/Library/Application Support/Freicoin` on macOS, `%APPDATA%\Freicoin` on Windows.
 *
 * @example
 * ```ts
 * import { defaultDataDir } from "./datadir.ts";
 * defaultDataDir({ os: "linux", home: "/home/alice" }); // "/home/alice/.freicoin"
 * ```
 */
export function defaultDataDir(environment: DataDirEnvironment): string {
  if (environment.os === "windows") {
    return path.win32.join(environment.appData ?? "", "Freicoin");
  }
  const home = environment.home ? environment.home : "/";
  if (environment.os === "darwin") {
    return path.posix.join(home, "Library/Application Support/Freicoin");
  }
  return path.posix.join(home, ".freicoin");
}

/** Reads the default datadir's inputs from this process's environment. */
export function currentDataDirEnvironment(): DataDirEnvironment {
  return {
    os: Deno.build.os,
    home: Deno.env.get("HOME"),
    appData: Deno.env.get("APPDATA"),
  };
}

/** Whether `dir` exists and is a directory. */
export function isDirectory(dir: string): boolean {
  try {
    return Deno.statSync(dir).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Creates the base and network directories as freicoind does: whenever one of them is new, it
 * gets an empty `wallets/` subdirectory (even with `-disablewallet`).
 */
export function createDataDirectories(baseDir: string, networkDir: string): void {
  for (const dir of [baseDir, networkDir]) {
    if (!exists(dir)) Deno.mkdirSync(path.join(dir, "wallets"), { recursive: true });
  }
}

function exists(file: string): boolean {
  try {
    Deno.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
