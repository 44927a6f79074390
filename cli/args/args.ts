/**
 * freicoind's argument manager: command line, config files and settings.json merged into one
 * view, with freicoind's precedence, network sections and error texts.
 *
 * @module
 */
import * as path from "node:path";
import type { OptionRegistry } from "./option_registry.ts";
import {
  emptySettings,
  getSetting,
  getSettingsList,
  onlyHasDefaultSectionSetting,
  type Settings,
  type SettingValue,
} from "./settings.ts";
import { parseConfigText, type SectionInfo } from "./config_file.ts";
import { atoi64, interpretBool } from "./number_parsing.ts";

/** The networks, by the name `-chain=` takes. */
export const CHAIN_NAMES = ["main", "test", "signet", "regtest"] as const;
/** A network name as `-chain=` takes it. */
export type ChainName = typeof CHAIN_NAMES[number];

/** An argument or configuration error; the message is freicoind's (without `Error: `). */
export class ArgsError extends Error {
  override name = "ArgsError";
}

/** The files the argument manager reads, injectable for tests. */
export interface ArgsFileSystem {
  /** The file's text, or `undefined` if it cannot be opened. */
  readTextFile(filePath: string): string | undefined;
  isDirectory(filePath: string): boolean;
}

interface KeyInfo {
  section: string;
  name: string;
  negated: boolean;
}

function interpretKey(key: string): KeyInfo {
  let section = "";
  const dot = key.indexOf(".");
  if (dot !== -1) {
    section = key.slice(0, dot);
    key = key.slice(dot + 1);
  }
  let negated = false;
  if (key.startsWith("no")) {
    key = key.slice(2);
    negated = true;
  }
  return { section, name: key, negated };
}

function settingToString(value: SettingValue): string {
  if (value === false) return "0";
  if (value === true) return "1";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** Renders a value as freicoind's `UniValue::write` does, for `LogArgs` lines. */
function writeValue(value: SettingValue): string {
  return JSON.stringify(value);
}

/**
 * freicoind's `ArgsManager`.
 *
 * @example
 * ```ts
 * import { Args } from "./args.ts";
 * import { nodeOptionRegistry } from "./option_registry.ts";
 * const args = new Args(nodeOptionRegistry());
 * args.parseCommandLine(["-regtest", "-debug=net", "-debug=ipc", "-nolisten"]);
 * args.getAll("-debug"); // ["net", "ipc"]
 * args.getBool("-listen", true); // false
 * ```
 */
export class Args {
  readonly registry: OptionRegistry;
  readonly settings: Settings = emptySettings();
  #network = "";
  #configSections: SectionInfo[] = [];
  #configPath = "";
  /** Non-option tokens after the options (freicoin-cli's method and parameters). */
  positional: string[] = [];
  /** Receives the lines freicoind logs while reading arguments (e.g. double negatives). */
  logLine: (line: string) => void = () => {};

  constructor(registry: OptionRegistry) {
    this.registry = registry;
  }

  /**
   * Reads argv (without the program name).
   *
   * Parsing stops at the first token that does not start with `-`; it and everything after it
   * land in {@linkcode Args.positional}.
   * @throws {ArgsError} e.g. `Invalid parameter -foo`
   */
  parseCommandLine(argv: readonly string[]): void {
    this.settings.commandLine.clear();
    this.positional = [];
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i];
      if (token === "-") break;
      let key = token;
      let value: string | undefined;
      const equals = key.indexOf("=");
      if (equals !== -1) {
        value = key.slice(equals + 1);
        key = key.slice(0, equals);
      }
      if (!key.startsWith("-")) {
        this.positional = argv.slice(i);
        break;
      }
      if (key.length > 1 && key[1] === "-") key = key.slice(1);
      const info = interpretKey(key.slice(1));
      const spec = this.registry.lookup("-" + info.name);
      if (!spec || info.section !== "") throw new ArgsError(`Invalid parameter ${token}`);
      const interpreted = this.#interpretValue(info, value);
      const values = this.settings.commandLine.get(info.name) ?? [];
      values.push(interpreted);
      this.settings.commandLine.set(info.name, values);
    }
    const includes = this.settings.commandLine.get("includeconf");
    if (includes) {
      const effective = includes.slice(lastNegationEnd(includes));
      if (effective.length > 0) {
        throw new ArgsError(
          `-includeconf cannot be used from commandline; -includeconf=${writeValue(effective[0])}`,
        );
      }
    }
  }

  #interpretValue(info: KeyInfo, value: string | undefined): SettingValue {
    const spec = this.registry.lookup("-" + info.name);
    if (info.negated) {
      if (spec?.disallowNegation) {
        throw new ArgsError(`Negating of -${info.name} is meaningless and therefore forbidden`);
      }
      // A double negative such as -nofoo=0 means foo=1.
      if (value !== undefined && !interpretBool(value)) {
        this.logLine(
          `Warning: parsed potentially confusing double-negative -${info.name}=${value}`,
        );
        return true;
      }
      return false;
    }
    if (value === undefined && spec?.disallowElision) {
      throw new ArgsError(
        `Can not set -${info.name} with no value. Please specify value with -${info.name}=value.`,
      );
    }
    return value ?? "";
  }

  /** Where `-datadir` points (absolute), or the platform default when it is not set. */
  dataDirBase(defaultDataDir: string): string {
    const datadir = this.getPath("-datadir");
    return datadir === "" ? defaultDataDir : path.resolve(datadir);
  }

  /** The network's own directory: the base for main, `<base>/<subdir>` otherwise. */
  dataDirNet(defaultDataDir: string): string {
    const base = this.dataDirBase(defaultDataDir);
    const subdir = networkSubdirectory(this.chainName());
    return subdir === "" ? base : path.join(base, subdir);
  }

  /** The config file path in use (valid after {@linkcode Args.readConfigFiles}). */
  get configPath(): string {
    return this.#configPath;
  }

  /**
   * Reads `freicoin.conf` (or `-conf`) and the files it includes, then selects the network.
   *
   * Unknown keys are ignored (freicoind logs them); `warnings` receives what freicoind prints
   * to stderr while reading, such as nested `-includeconf`.
   * @throws {ArgsError} with freicoind's message
   */
  readConfigFiles(
    files: ArgsFileSystem,
    defaultDataDir: string,
    warnings: (line: string) => void,
    log: (line: string) => void,
  ): void {
    this.settings.config.clear();
    this.#configSections = [];
    const base = this.dataDirBase(defaultDataDir);
    const confArg = this.getPath("-conf");
    this.#configPath = absoluteConfigPath(base, confArg === "" ? "freicoin.conf" : confArg);
    const text = files.readTextFile(this.#configPath);
    if (this.isSet("-conf") && text === undefined) {
      throw new ArgsError(`specified config file "${this.#configPath}" could not be opened.`);
    }
    if (text !== undefined) {
      this.#readConfigText(text, this.#configPath, log);
      // -noincludeconf on the command line disables includes entirely.
      if (!this.settings.commandLine.has("includeconf")) {
        this.#readIncludedFiles(files, base, warnings, log);
      }
    }
    const datadir = this.getPath("-datadir");
    if (datadir !== "" && !files.isDirectory(path.resolve(datadir))) {
      throw new ArgsError(
        `specified data directory "${this.get("-datadir") ?? ""}" does not exist.`,
      );
    }
    this.selectNetwork(this.chainName());
  }

  #readIncludedFiles(
    files: ArgsFileSystem,
    base: string,
    warnings: (line: string) => void,
    log: (line: string) => void,
  ): void {
    const chain = this.chainName();
    const includesOf = (section: string, skip = 0): string[] => {
      const values = this.settings.config.get(section)?.get("includeconf") ?? [];
      const start = Math.max(skip, lastNegationEnd(values));
      return values.slice(start).map(settingToString);
    };
    const chainCount = this.settings.config.get(chain)?.get("includeconf")?.length ?? 0;
    const defaultCount = this.settings.config.get("")?.get("includeconf")?.length ?? 0;
    for (const name of [...includesOf(chain), ...includesOf("")]) {
      const text = files.readTextFile(absoluteConfigPath(base, name));
      if (text === undefined) throw new ArgsError(`Failed to include configuration file ${name}`);
      this.#readConfigText(text, name, log);
      log(`Included configuration file ${name}`);
    }
    // Included files may not include further files: warn about any they tried to add.
    const nested = [...includesOf(chain, chainCount), ...includesOf("", defaultCount)];
    const finalChain = this.chainName();
    if (finalChain !== chain) nested.push(...includesOf(finalChain));
    for (const name of nested) {
      warnings(
        `warning: -includeconf cannot be used from included files; ignoring -includeconf=${name}`,
      );
    }
  }

  #readConfigText(text: string, filePath: string, log: (line: string) => void): void {
    const parsed = parseConfigText(text, filePath);
    this.#configSections.push(...parsed.sections);
    for (const [qualifiedName, value] of parsed.options) {
      const info = interpretKey(qualifiedName);
      if (info.name === "conf") {
        throw new ArgsError(
          "conf cannot be set in the configuration file; use includeconf= if you want to include additional config files",
        );
      }
      if (info.name === "reindex") {
        log(
          "Warning: reindex=1 is set in the configuration file, which will significantly slow down startup. Consider removing or commenting out this option for better performance, unless there is currently a condition which makes rebuilding the indexes necessary",
        );
      }
      if (!this.registry.lookup("-" + info.name)) {
        log(`Ignoring unknown configuration value ${qualifiedName}`);
        continue;
      }
      const interpreted = this.#interpretValue(info, value);
      let section = this.settings.config.get(info.section);
      if (!section) this.settings.config.set(info.section, section = new Map());
      const values = section.get(info.name) ?? [];
      values.push(interpreted);
      section.set(info.name, values);
    }
  }

  /** Makes network sections of the config apply; called once the network is known. */
  selectNetwork(network: string): void {
    this.#network = network;
  }

  /** The selected network's name as `-chain=` takes it. */
  get network(): string {
    return this.#network;
  }

  /**
   * The network the arguments select.
   * @throws {ArgsError} on a contradictory combination or an unknown `-chain`
   */
  chainName(): ChainName {
    const flag = (name: string): boolean => {
      const value = getSetting(this.settings, "", name, { forChainType: true });
      if (value === undefined || value === null) return false;
      if (typeof value === "boolean") return value;
      return interpretBool(settingToString(value));
    };
    const regtest = flag("regtest");
    const signet = flag("signet");
    const testnet = flag("testnet");
    const chain = this.get("-chain");
    const count = Number(chain !== undefined) + Number(regtest) + Number(signet) +
      Number(testnet);
    if (count > 1) {
      throw new ArgsError(
        "Invalid combination of -regtest, -signet, -testnet and -chain. Can use at most one.",
      );
    }
    if (chain !== undefined) {
      if ((CHAIN_NAMES as readonly string[]).includes(chain)) return chain as ChainName;
      throw new ArgsError(`Unknown chain ${chain}.`);
    }
    if (regtest) return "regtest";
    if (signet) return "signet";
    if (testnet) return "test";
    return "main";
  }

  #useDefaultSection(name: string): boolean {
    return this.#network === "main" || !this.registry.lookup(name)?.networkOnly;
  }

  #setting(name: string): SettingValue | undefined {
    return getSetting(this.settings, this.#network, name.slice(1), {
      ignoreDefaultSection: !this.#useDefaultSection(name),
    });
  }

  /** Whether the option has a value (a negation counts). */
  isSet(name: string): boolean {
    const value = this.#setting(name);
    return value !== undefined && value !== null;
  }

  /** Whether the option's effective value is a negation (`-nofoo`). */
  isNegated(name: string): boolean {
    return this.#setting(name) === false;
  }

  /** The option's value as a string, or `undefined` when unset. */
  get(name: string): string | undefined {
    const value = this.#setting(name);
    return value === undefined || value === null ? undefined : settingToString(value);
  }

  /** The option's value, or `fallback` when unset. */
  getString(name: string, fallback: string): string {
    return this.get(name) ?? fallback;
  }

  /** The option read as an integer with `atoi` leniency, or `fallback` when unset. */
  getInt(name: string, fallback: number): number {
    const value = this.#setting(name);
    if (value === undefined || value === null) return fallback;
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return Math.trunc(value);
    return Number(atoi64(settingToString(value)));
  }

  /** The option read as a boolean (`-foo`, `-foo=1` true; `-nofoo`, `-foo=0` false). */
  getBool(name: string, fallback: boolean): boolean {
    const value = this.#setting(name);
    if (value === undefined || value === null) return fallback;
    if (typeof value === "boolean") return value;
    return interpretBool(settingToString(value));
  }

  /** A path option: `""` when unset or negated; one trailing separator removed. */
  getPath(name: string, fallback = ""): string {
    if (this.isNegated(name)) return "";
    const value = this.get(name) ?? "";
    if (value === "") return fallback;
    return value.length > 1 && /[\\/]$/.test(value) ? value.slice(0, -1) : value;
  }

  /** Every value of a multi-value option such as `-debug` or `-addnode`. */
  getAll(name: string): string[] {
    const values = getSettingsList(
      this.settings,
      this.#network,
      name.slice(1),
      !this.#useDefaultSection(name),
    );
    return values.map(settingToString);
  }

  /** Sets the option unless the user set it; returns whether it did. */
  softSet(name: string, value: string): boolean {
    if (this.isSet(name)) return false;
    this.forceSet(name, value);
    return true;
  }

  /** Sets the option, overriding every source. */
  forceSet(name: string, value: string): void {
    this.settings.forced.set(name.slice(1), value);
  }

  /** Network-only options set only at the top level of the config on a test network. */
  unsuitableSectionOnlyArgs(): string[] {
    if (this.#network === "" || this.#network === "main") return [];
    return this.registry.networkOnlyNames()
      .filter((name) => onlyHasDefaultSectionSetting(this.settings, this.#network, name))
      .map((name) => "-" + name);
  }

  /** Config sections that are not a network name, for freicoind's warning. */
  unrecognizedSections(): SectionInfo[] {
    return this.#configSections.filter((section) =>
      !(CHAIN_NAMES as readonly string[]).includes(section.name)
    );
  }

  /** The lines freicoind's `LogArgs` writes to debug.log at start-up. */
  describe(): string[] {
    const lines: string[] = [];
    const render = (prefix: string, section: string, values: Map<string, SettingValue[]>) => {
      const sectionText = section === "" ? "" : `[${section}] `;
      for (const name of [...values.keys()].sort()) {
        const spec = this.registry.lookup("-" + name);
        if (!spec) continue;
        for (const value of values.get(name)!) {
          const shown = spec.sensitive ? "****" : writeValue(value);
          lines.push(`${prefix} ${sectionText}${name}=${shown}`);
        }
      }
    };
    for (const section of [...this.settings.config.keys()].sort()) {
      render("Config file arg:", section, this.settings.config.get(section)!);
    }
    for (const [name, value] of this.settings.readWrite) {
      lines.push(`Setting file arg: ${name} = ${writeValue(value)}`);
    }
    render("Command-line arg:", "", this.settings.commandLine);
    return lines;
  }
}

function lastNegationEnd(values: readonly SettingValue[]): number {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] === false) return i + 1;
  return 0;
}

function absoluteConfigPath(base: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(base, file);
}

/** The directory name a network's data lives in under the datadir (`""` for main). */
export function networkSubdirectory(chain: ChainName): string {
  switch (chain) {
    case "main":
      return "";
    case "test":
      return "testnet";
    case "signet":
      return "signet";
    case "regtest":
      return "regtest";
  }
}
