/**
 * freicoind's debug log: `debug.log` and/or stdout, line-flushed, with its prefixes,
 * categories and levels.
 *
 * @module
 */
import {
  isLogCategory,
  isLogLevel,
  LOG_CATEGORIES,
  LOG_LEVELS,
  type LogCategory,
  type LogLevel,
} from "./log_categories.ts";
import type { Logger, LogMessage } from "./logger.ts";

/** How lines are decorated and where they go. */
export interface DebugLogOptions {
  /** Path of debug.log, or `undefined` for no file (`-nodebuglogfile`). */
  filePath?: string;
  /** Also write to stdout (`-printtoconsole`). */
  printToConsole?: boolean;
  /** Prefix an ISO 8601 timestamp (`-logtimestamps`, default true). */
  timestamps?: boolean;
  /** Microsecond timestamps (`-logtimemicros`). */
  timeMicros?: boolean;
  /** Prefix `[<thread name>]` (`-logthreadnames`); here the name is `<role>-<pid>`. */
  threadName?: string;
  /** Prefix the calling source location (`-logsourcelocations`). */
  sourceLocations?: boolean;
  /** Always print `[category:level]` (`-loglevelalways`). */
  alwaysPrintCategoryLevel?: boolean;
}

/** Where finished lines go; replaceable for tests. */
export interface LogOutput {
  writeFile(bytes: Uint8Array): void;
  writeConsole(bytes: Uint8Array): void;
}

const encoder = new TextEncoder();
const NONE = 0n;
const ALL_CATEGORIES = (1n << BigInt(LOG_CATEGORIES.length)) - 1n;

function categoryBit(category: LogCategory): bigint {
  return 1n << BigInt(LOG_CATEGORIES.indexOf(category));
}

function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

/** An unsupported `-debug`, `-debugexclude` or `-loglevel` value; the message is freicoind's. */
export class LogConfigError extends Error {
  override name = "LogConfigError";
}

/** freicoind's `-debug` category list, as shown in help and errors. */
export function logCategoriesString(): string {
  return [...LOG_CATEGORIES].sort().join(", ");
}

// deno-lint-ignore no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f]/g;

/** Escapes control characters other than newline, as freicoind does. */
function escapeControlCharacters(text: string): string {
  return text.replace(
    CONTROL_CHARACTERS,
    (character) => "\\x" + character.charCodeAt(0).toString(16).padStart(2, "0"),
  );
}

/** `2026-11-24T03:00:00Z`, or with `.123456` before the Z. */
export function formatLogTimestamp(epochMicros: bigint, micros: boolean): string {
  const seconds = epochMicros / 1_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  if (!micros) return iso + "Z";
  const fraction = (epochMicros % 1_000_000n).toString().padStart(6, "0");
  return `${iso}.${fraction}Z`;
}

/**
 * The debug log. Lines logged before {@linkcode DebugLog.start} are buffered, as freicoind does
 * until the log file is opened.
 *
 * @example
 * ```ts
 * import { DebugLog } from "./debug_log.ts";
 * const lines: string[] = [];
 * const decoder = new TextDecoder();
 * const log = new DebugLog({ timestamps: false }, {
 *   writeFile: () => {},
 *   writeConsole: (bytes) => lines.push(decoder.decode(bytes)),
 * });
 * log.configure({ timestamps: false, printToConsole: true });
 * log.enableCategory("net");
 * log.start();
 * log.debug("net", "hello"); // lines: ["[net] hello\n"]
 * ```
 */
export class DebugLog implements Logger {
  #options: DebugLogOptions;
  #output: LogOutput;
  #categories = NONE;
  #globalLevel: LogLevel = "debug";
  #categoryLevels = new Map<LogCategory, LogLevel>();
  #buffer: string[] | undefined = [];
  #mockTime: () => bigint = () => 0n;
  #clock: () => bigint = () =>
    BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));

  constructor(options: DebugLogOptions, output: LogOutput) {
    this.#options = options;
    this.#output = output;
  }

  /** Replaces the decoration and destination options (before {@linkcode DebugLog.start}). */
  configure(options: DebugLogOptions): void {
    this.#options = options;
  }

  /** Supplies the mock time (seconds, 0 when off) shown after timestamps, as `setmocktime` sets it. */
  useMockTime(mockTime: () => bigint): void {
    this.#mockTime = mockTime;
  }

  /** Supplies the wall clock in microseconds since the epoch (for tests). */
  useClock(clock: () => bigint): void {
    this.#clock = clock;
  }

  /** Writes the buffered lines to `output` and from now on writes lines as they come. */
  start(output: LogOutput = this.#output): void {
    this.#output = output;
    const buffered = this.#buffer ?? [];
    this.#buffer = undefined;
    if (this.#options.filePath !== undefined) this.#output.writeFile(encoder.encode("\n\n\n\n\n"));
    for (const line of buffered) this.#emit(line);
  }

  /** Enables a category, or all of them for `""`, `1` or `all`; returns false if unknown. */
  enableCategory(name: string): boolean {
    const bits = categoryBits(name);
    if (bits === undefined) return false;
    this.#categories |= bits;
    return true;
  }

  /** Disables a category (or all); returns false if unknown. */
  disableCategory(name: string): boolean {
    const bits = categoryBits(name);
    if (bits === undefined) return false;
    this.#categories &= ~bits;
    return true;
  }

  /** Whether any category is enabled (freicoind shrinks debug.log by default only when none is). */
  get anyCategoryEnabled(): boolean {
    return this.#categories !== NONE;
  }

  /** The enabled state of every category, sorted by name (for the `logging` RPC). */
  categoryStates(): Array<{ category: LogCategory; active: boolean }> {
    return [...LOG_CATEGORIES].sort().map((category) => ({
      category,
      active: (this.#categories & categoryBit(category)) !== NONE,
    }));
  }

  /**
   * Applies `-debug` and `-debugexclude` values.
   * @throws {LogConfigError} `Unsupported logging category -debug=abc.`
   */
  applyCategoryOptions(debug: readonly string[], debugExclude: readonly string[]): void {
    if (!debug.some((value) => value === "0" || value === "none")) {
      for (const value of debug) {
        if (!this.enableCategory(value)) {
          throw new LogConfigError(`Unsupported logging category -debug=${value}.`);
        }
      }
    }
    for (const value of debugExclude) {
      if (!this.disableCategory(value)) {
        throw new LogConfigError(`Unsupported logging category -debugexclude=${value}.`);
      }
    }
  }

  /**
   * Applies `-loglevel` values: `<level>` or `<category>:<level>`.
   * @throws {LogConfigError} with freicoind's message
   */
  applyLevelOptions(values: readonly string[]): void {
    const levels = "info, debug, trace";
    for (const value of values) {
      if (value.indexOf(":", 3) === -1) {
        if (!isUserSettableLevel(value)) {
          throw new LogConfigError(
            `Unsupported global logging level -loglevel=${value}. Valid values: ${levels}.`,
          );
        }
        this.#globalLevel = value;
        continue;
      }
      const [category, level, ...rest] = value.split(":");
      const valid = rest.length === 0 && isLogCategory(category) && isUserSettableLevel(level);
      if (!valid) {
        throw new LogConfigError(
          `Unsupported category-specific logging level -loglevel=${value}. Expected -loglevel=<category>:<loglevel>. Valid categories: ${logCategoriesString()}. Valid loglevels: ${levels}.`,
        );
      }
      this.#categoryLevels.set(category, level as LogLevel);
    }
  }

  willLog(category: LogCategory, level: LogLevel): boolean {
    if (levelRank(level) >= levelRank("info")) return true;
    if ((this.#categories & categoryBit(category)) === NONE) return false;
    const threshold = this.#categoryLevels.get(category) ?? this.#globalLevel;
    return levelRank(level) >= levelRank(threshold);
  }

  info(message: LogMessage, category?: LogCategory): void {
    this.#log(category, "info", message);
  }

  warning(message: LogMessage, category?: LogCategory): void {
    this.#log(category, "warning", message);
  }

  error(message: LogMessage, category?: LogCategory): void {
    this.#log(category, "error", message);
  }

  debug(category: LogCategory, message: LogMessage): void {
    if (!this.willLog(category, "debug")) return;
    this.#log(category, "debug", message);
  }

  trace(category: LogCategory, message: LogMessage): void {
    if (!this.willLog(category, "trace")) return;
    this.#log(category, "trace", message);
  }

  #log(category: LogCategory | undefined, level: LogLevel, message: LogMessage): void {
    let text = typeof message === "string" ? message : message();
    if (!text.endsWith("\n")) text += "\n";
    let line = this.#prefix(category, level) + escapeControlCharacters(text);
    if (this.#options.sourceLocations) line = sourceLocation() + line;
    if (this.#options.threadName !== undefined) line = `[${this.#options.threadName}] ${line}`;
    if (this.#options.timestamps ?? true) line = this.#timestamp() + " " + line;
    if (this.#buffer) this.#buffer.push(line);
    else this.#emit(line);
  }

  #prefix(category: LogCategory | undefined, level: LogLevel): string {
    const always = this.#options.alwaysPrintCategoryLevel ?? false;
    const hasCategory = always || category !== undefined;
    if (!hasCategory && level === "info") return "";
    let prefix = "[";
    if (hasCategory) prefix += category ?? "all";
    // With a category, debug is implied; without one, info is.
    if (always || !hasCategory || level !== "debug") {
      if (hasCategory) prefix += ":";
      prefix += level;
    }
    return prefix + "] ";
  }

  #timestamp(): string {
    let stamp = formatLogTimestamp(this.#clock(), this.#options.timeMicros ?? false);
    const mock = this.#mockTime();
    if (mock > 0n) stamp += ` (mocktime: ${formatLogTimestamp(mock * 1_000_000n, false)})`;
    return stamp;
  }

  #emit(line: string): void {
    const bytes = encoder.encode(line);
    if (this.#options.printToConsole) this.#output.writeConsole(bytes);
    if (this.#options.filePath !== undefined) this.#output.writeFile(bytes);
  }
}

function isUserSettableLevel(level: string): level is LogLevel {
  return isLogLevel(level) && levelRank(level) <= levelRank("info");
}

function categoryBits(name: string): bigint | undefined {
  if (name === "" || name === "1" || name === "all") return ALL_CATEGORIES;
  if (name === "0") return NONE;
  return isLogCategory(name) ? categoryBit(name) : undefined;
}

/** `[file.ts:line] [function] ` of the code that called the logger. */
function sourceLocation(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  const caller = frames.find((frame) => !frame.includes("debug_log.ts")) ?? "";
  const match = /at (?:(\S+) \()?(?:file:\/\/)?([^():]+):(\d+):\d+\)?/.exec(caller);
  if (!match) return "[unknown:0] [unknown] ";
  const file = match[2].split("/").slice(-2).join("/");
  return `[${file}:${match[3]}] [${match[1] ?? "anonymous"}] `;
}
