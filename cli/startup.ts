/**
 * The start-up steps every long-running role shares, in freicoind's order and with its error
 * texts: arguments, config, datadir layout, settings.json, logging, lock and pid file.
 *
 * @module
 */
import * as path from "node:path";
import { Args, ArgsError, type ChainName } from "./args/args.ts";
import type { OptionRegistry } from "./args/option_registry.ts";
import type { SettingValue } from "./args/settings.ts";
import { ConfigParseError } from "./args/config_file.ts";
import {
  createDataDirectories,
  currentDataDirEnvironment,
  defaultDataDir,
  isDirectory,
} from "./datadir.ts";
import { type DebugLog, LogConfigError } from "./debug_log.ts";
import { DirectoryLock } from "./directory_lock.ts";
import { writeStderr, writeStdout } from "./console.ts";

/**
 * A start-up failure; the entry point prints `<caption><message>` and exits 1. The caption is
 * "Error: " (freicoind's InitError), or ": " for the non-interactive answer to one of its
 * start-up questions (e.g. "Do you want to rebuild the block database now?").
 */
export class StartupError extends Error {
  override name = "StartupError";
  /** What precedes the message on stderr and in debug.log. */
  readonly caption: string;

  /** Creates the error; `options.caption` defaults to "Error: ". */
  constructor(message: string, options: ErrorOptions & { caption?: string } = {}) {
    super(message, options);
    this.caption = options.caption ?? "Error: ";
  }
}

/** The arguments after config files are read and the network is chosen. */
export interface LoadedArguments {
  args: Args;
  chain: ChainName;
  defaultDataDir: string;
  dataDir: string;
  networkDir: string;
}

/** Reads files for the argument manager; unreadable files are `undefined`. */
const realFileSystem = {
  readTextFile(filePath: string): string | undefined {
    try {
      return Deno.readTextFileSync(filePath);
    } catch {
      return undefined;
    }
  },
  isDirectory,
};

/**
 * Parses argv and the config files, creates the datadir layout and reads settings.json, as
 * freicoind's `ParseArgs` + `InitConfig` do.
 *
 * @throws {StartupError} with freicoind's message
 */
export function loadArguments(
  argv: readonly string[],
  registry: OptionRegistry,
  log: DebugLog,
  programName: string,
): LoadedArguments {
  const args = new Args(registry);
  args.logLine = (line) => log.info(line);
  try {
    args.parseCommandLine(argv);
  } catch (error) {
    if (error instanceof ArgsError) {
      throw new StartupError(`Error parsing command line arguments: ${error.message}`);
    }
    throw error;
  }
  const fallbackDataDir = defaultDataDir(currentDataDirEnvironment());
  const datadirArg = args.getPath("-datadir");
  if (datadirArg !== "" && !isDirectory(path.resolve(datadirArg))) {
    throw new StartupError(`Specified data directory "${args.get("-datadir")}" does not exist.`);
  }
  const dataDirBeforeConfig = args.dataDirBase(fallbackDataDir);
  try {
    args.readConfigFiles(
      realFileSystem,
      fallbackDataDir,
      (warning) => writeStderr(warning + "\n"),
      (line) => log.info(line),
    );
  } catch (error) {
    if (error instanceof ArgsError || error instanceof ConfigParseError) {
      const message = error.message;
      const isChainError = message.startsWith("Invalid combination") ||
        message.startsWith("Unknown chain");
      throw new StartupError(
        isChainError ? message : `Error reading configuration file: ${message}`,
      );
    }
    throw error;
  }
  const chain = args.chainName();
  const dataDir = args.dataDirBase(fallbackDataDir);
  const networkDir = args.dataDirNet(fallbackDataDir);
  createDataDirectories(dataDir, networkDir);
  checkIgnoredConfigFile(args, dataDirBeforeConfig, dataDir, log);
  readWriteSettingsFile(args, networkDir);
  if (args.positional.length > 0) {
    throw new StartupError(
      `Command line contains unexpected token '${
        args.positional[0]
      }', see ${programName} -h for a list of options.`,
    );
  }
  return { args, chain, defaultDataDir: fallbackDataDir, dataDir, networkDir };
}

/** A `freicoin.conf` in the datadir that a different `-conf` file shadows is an error. */
function checkIgnoredConfigFile(
  args: Args,
  originalDataDir: string,
  dataDir: string,
  log: DebugLog,
): void {
  const baseConfigPath = path.join(dataDir, "freicoin.conf");
  if (!fileExists(baseConfigPath) || sameFile(args.configPath, baseConfigPath)) return;
  const cliConfigPath = args.getString("-conf", "");
  const source = cliConfigPath === ""
    ? `data directory "${originalDataDir}"`
    : `command line argument "-conf=${cliConfigPath}"`;
  const message = `Data directory "${dataDir}" contains a "freicoin.conf" file which is ignored, ` +
    `because a different configuration file "${args.configPath}" from ${source} is being used ` +
    `instead. Possible ways to address this would be to:\n` +
    `- Delete or rename the "freicoin.conf" file in data directory "${dataDir}".\n` +
    `- Change datadir= or conf= options to specify one configuration file, not two, and use ` +
    `includeconf= to include any other configuration files.\n` +
    `- Set allowignoredconf=1 option to treat this condition as a warning, not an error.`;
  if (args.getBool("-allowignoredconf", false)) log.info(`Warning: ${message}`);
  else throw new StartupError(message);
}

function fileExists(filePath: string): boolean {
  try {
    Deno.statSync(filePath);
    return true;
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const statA = Deno.statSync(a);
    const statB = Deno.statSync(b);
    return statA.dev === statB.dev && statA.ino === statB.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** Reads `settings.json` into the read-write settings and writes it back, as freicoind does. */
function readWriteSettingsFile(args: Args, networkDir: string): void {
  if (args.isNegated("-settings")) return;
  const settingsPath = path.resolve(networkDir, args.getPath("-settings", "settings.json"));
  let text: string | undefined;
  try {
    text = Deno.readTextFileSync(settingsPath);
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new StartupError(
        `Settings file could not be read\nUnable to parse settings file ${settingsPath}`,
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new StartupError(
        `Settings file could not be read\nFound non-object value in settings file ${settingsPath}`,
      );
    }
    for (const [key, value] of Object.entries(parsed as Record<string, SettingValue>)) {
      args.settings.readWrite.set(key, value);
    }
  }
  writeSettingsFile(args, settingsPath);
}

/** Writes the read-write settings atomically (temporary file, then rename). */
export function writeSettingsFile(args: Args, settingsPath: string): void {
  const object = Object.fromEntries(args.settings.readWrite);
  const body = Object.keys(object).length === 0 ? "{\n}\n" : JSON.stringify(object, null, 4) + "\n";
  const temporary = settingsPath + ".tmp";
  try {
    Deno.writeTextFileSync(temporary, body);
    Deno.renameSync(temporary, settingsPath);
  } catch (error) {
    throw new StartupError(
      `Settings file could not be written\nFailed renaming settings file ${temporary} to ${settingsPath}: ${error}`,
    );
  }
}

/** Options that decorate and route log lines, read from the arguments. */
export function configureDebugLog(
  log: DebugLog,
  loaded: LoadedArguments,
  threadName: string,
): void {
  const { args, networkDir } = loaded;
  const filePath = args.isNegated("-debuglogfile")
    ? undefined
    : path.resolve(networkDir, args.getPath("-debuglogfile", "debug.log"));
  log.configure({
    filePath,
    printToConsole: args.getBool("-printtoconsole", !args.getBool("-daemon", false)),
    timestamps: args.getBool("-logtimestamps", true),
    timeMicros: args.getBool("-logtimemicros", false),
    threadName: args.getBool("-logthreadnames", false) ? threadName : undefined,
    sourceLocations: args.getBool("-logsourcelocations", false),
    alwaysPrintCategoryLevel: args.getBool("-loglevelalways", false),
  });
}

/**
 * Applies `-debug`, `-debugexclude` and `-loglevel`.
 * @throws {StartupError} `Unsupported logging category -debug=abc.` and the like
 */
export function applyLogCategories(log: DebugLog, args: Args): void {
  try {
    if (args.isSet("-debug")) log.applyCategoryOptions(args.getAll("-debug"), []);
    log.applyCategoryOptions([], args.getAll("-debugexclude"));
    if (args.isSet("-loglevel")) log.applyLevelOptions(args.getAll("-loglevel"));
  } catch (error) {
    if (error instanceof LogConfigError) throw new StartupError(error.message);
    throw error;
  }
}

/**
 * Takes the datadir lock.
 * @throws {StartupError} freicoind's lock or permission message
 */
export async function lockDataDirectory(networkDir: string): Promise<DirectoryLock> {
  const result = await DirectoryLock.acquire(networkDir);
  if (result === "write") {
    throw new StartupError(`Cannot write to data directory '${networkDir}'; check permissions.`);
  }
  if (result === "lock") {
    throw new StartupError(
      `Cannot obtain a lock on data directory ${networkDir}. Freicoin is probably already running.`,
    );
  }
  return result;
}

/** The pid file freicoind writes: created at start, removed at a clean exit. */
export class PidFile {
  readonly path: string;
  #created = false;

  constructor(args: Args, networkDir: string) {
    this.path = path.resolve(networkDir, args.getPath("-pid", "freicoind.pid"));
  }

  /** @throws {StartupError} `Unable to create the PID file ...` */
  create(): void {
    try {
      Deno.writeTextFileSync(this.path, `${Deno.pid}\n`);
      this.#created = true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StartupError(`Unable to create the PID file '${this.path}': ${reason}`);
    }
  }

  /** Removes the file if this process created it; logs why it could not. */
  remove(log: DebugLog): void {
    if (!this.#created) return;
    this.#created = false;
    try {
      Deno.removeSync(this.path);
    } catch (error) {
      const reason = error instanceof Deno.errors.NotFound ? "File does not exist" : String(error);
      log.info(`Unable to remove PID file (${this.path}): ${reason}`);
    }
  }
}

/** Writes freicoind's start-up lines about the data directory and config file. */
export function logStartupPaths(log: DebugLog, loaded: LoadedArguments): void {
  const { args } = loaded;
  if (!args.getBool("-logtimestamps", true)) {
    log.info(`Startup time: ${new Date().toISOString().slice(0, 19)}Z`);
  }
  log.info(`Default data directory ${loaded.defaultDataDir}`);
  log.info(`Using data directory ${loaded.networkDir}`);
  if (fileExists(args.configPath)) {
    log.info(`Config file: ${args.configPath}`);
  } else if (args.isSet("-conf")) {
    const message = `The specified config file ${args.configPath} does not exist`;
    writeStderr(`Warning: ${message}\n`);
    log.info(`Warning: ${message}`);
  } else {
    log.info(`Config file: ${args.configPath} (not found, skipping)`);
  }
  for (const line of args.describe()) log.info(line);
}

/** Prints `Warning: <text>` on stderr and logs it, as freicoind's `InitWarning` does. */
export function initWarning(log: DebugLog, message: string): void {
  writeStderr(`Warning: ${message}\n`);
  log.info(`Warning: ${message}`);
}

/** Prints help or version text when asked; returns whether it did. */
export function printHelpOrVersion(
  args: Args,
  text: { help: () => string; version: () => string },
): boolean {
  const helpRequested = args.isSet("-?") || args.isSet("-h") || args.isSet("-help") ||
    args.isSet("-help-debug");
  if (args.isSet("-version")) {
    writeStdout(text.version());
    return true;
  }
  if (helpRequested) {
    writeStdout(text.help());
    return true;
  }
  return false;
}
