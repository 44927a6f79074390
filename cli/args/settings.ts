/**
 * The settings model behind freicoind's arguments: values from the command line, the
 * read-only config file (by section) and the read-write `settings.json`, merged with
 * freicoind's precedence rules.
 *
 * @module
 */

/** One value: a string from `-foo=bar`, `""` from `-foo`, `false` from `-nofoo`. */
export type SettingValue = string | boolean | number | null | SettingValue[] | {
  [key: string]: SettingValue;
};

/** Every source of settings, keyed by option name without its dash. */
export interface Settings {
  /** Values forced by the program (`ForceSetArg`); win over everything. */
  forced: Map<string, SettingValue>;
  /** Values from argv, in order. */
  commandLine: Map<string, SettingValue[]>;
  /** `settings.json` values. */
  readWrite: Map<string, SettingValue>;
  /** Config file values: section name (`""` for the top level) to option to values, in order. */
  config: Map<string, Map<string, SettingValue[]>>;
}

/** An empty settings store. */
export function emptySettings(): Settings {
  return { forced: new Map(), commandLine: new Map(), readWrite: new Map(), config: new Map() };
}

type Source = "forced" | "commandLine" | "readWrite" | "networkSection" | "defaultSection";

/**
 * A run of values for one option from one source, seen the way freicoind sees it: a negation
 * (`false`) erases everything before it.
 */
class ValueRun {
  readonly values: readonly SettingValue[];
  constructor(values: readonly SettingValue[]) {
    this.values = values;
  }
  /** How many leading values a negation erased. */
  get negatedCount(): number {
    for (let i = this.values.length - 1; i >= 0; i--) {
      if (this.values[i] === false) return i + 1;
    }
    return 0;
  }
  get lastNegated(): boolean {
    return this.values.length > 0 && this.values[this.values.length - 1] === false;
  }
  /** The values after the last negation. */
  get effective(): readonly SettingValue[] {
    return this.values.slice(this.negatedCount);
  }
  get isEmpty(): boolean {
    return this.values.length === 0 || this.lastNegated;
  }
}

function mergeSources(
  settings: Settings,
  section: string,
  name: string,
  visit: (run: ValueRun, source: Source) => void,
): void {
  const forced = settings.forced.get(name);
  if (forced !== undefined) visit(new ValueRun([forced]), "forced");
  const commandLine = settings.commandLine.get(name);
  if (commandLine) visit(new ValueRun(commandLine), "commandLine");
  const readWrite = settings.readWrite.get(name);
  if (readWrite !== undefined) visit(new ValueRun([readWrite]), "readWrite");
  if (section !== "") {
    const values = settings.config.get(section)?.get(name);
    if (values) visit(new ValueRun(values), "networkSection");
  }
  const values = settings.config.get("")?.get(name);
  if (values) visit(new ValueRun(values), "defaultSection");
}

/** How {@linkcode getSetting} reads the sources. */
export interface GetSettingOptions {
  /** Skip top-level config values (network-only options on a test network). */
  ignoreDefaultSection?: boolean;
  /** Skip command-line and forced values (for what gets written to settings.json). */
  ignoreNonPersistent?: boolean;
  /** The chain-selection rules: config files keep last-wins, negated argv is skipped. */
  forChainType?: boolean;
}

/**
 * The single effective value of an option, or `undefined` if it is not set.
 *
 * The command line is searched first and its last value wins; in config files the first value
 * wins. A trailing negation yields `false`.
 */
export function getSetting(
  settings: Settings,
  section: string,
  name: string,
  options: GetSettingOptions = {},
): SettingValue | undefined {
  let result: SettingValue | undefined;
  let done = false;
  mergeSources(settings, section, name, (run, source) => {
    if (done) return;
    const fromConfig = source === "networkSection" || source === "defaultSection";
    const firstWins = fromConfig && !options.forChainType;
    if (options.ignoreDefaultSection && source === "defaultSection" && !run.lastNegated) return;
    if (options.ignoreNonPersistent && (source === "commandLine" || source === "forced")) return;
    if (options.forChainType && run.lastNegated) return;
    if (!run.isEmpty) {
      const effective = run.effective;
      result = firstWins ? effective[0] : effective[effective.length - 1];
      done = true;
    } else if (run.lastNegated) {
      result = false;
      done = true;
    }
  });
  return result;
}

/**
 * Every effective value of a multi-value option such as `-addnode`, in precedence order.
 *
 * A negation on the command line stops lower sources from adding values, except that config
 * values still count unless a negation left the list empty (freicoind's "zombie" config values).
 */
export function getSettingsList(
  settings: Settings,
  section: string,
  name: string,
  ignoreDefaultSection: boolean,
): SettingValue[] {
  const result: SettingValue[] = [];
  let done = false;
  let previousNegatedEmpty = false;
  mergeSources(settings, section, name, (run, source) => {
    const fromConfig = source === "networkSection" || source === "defaultSection";
    const addZombieConfigValues = fromConfig && !previousNegatedEmpty;
    if (ignoreDefaultSection && source === "defaultSection") return;
    if (!done || addZombieConfigValues) {
      for (const value of run.effective) {
        if (Array.isArray(value)) result.push(...value);
        else result.push(value);
      }
    }
    done ||= run.negatedCount > 0 || source === "forced";
    previousNegatedEmpty ||= run.lastNegated && result.length === 0;
  });
  return result;
}

/** True when the only values of an option come from the top level of the config file. */
export function onlyHasDefaultSectionSetting(
  settings: Settings,
  section: string,
  name: string,
): boolean {
  let hasDefault = false;
  let hasOther = false;
  mergeSources(settings, section, name, (run, source) => {
    if (run.isEmpty) return;
    if (source === "defaultSection") hasDefault = true;
    else hasOther = true;
  });
  return hasDefault && !hasOther;
}
