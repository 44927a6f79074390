/**
 * The logging interface every component receives.
 *
 * Components never format a debug message unless it will be written: they pass a function
 * that builds the text, or check {@linkcode Logger.willLog} first.
 *
 * @module
 */
import type { LogCategory, LogLevel } from "./log_categories.ts";

/** A message, or a function that builds it only when it will be written. */
export type LogMessage = string | (() => string);

/**
 * Where components send their log lines.
 *
 * @example
 * ```ts
 * import { NULL_LOGGER } from "./logger.ts";
 * const log = NULL_LOGGER;
 * log.debug("net", () => `received ${1 + 1} bytes`); // the function is never called
 * ```
 */
export interface Logger {
  /** An unconditional line, like freicoind's LogPrintf. */
  info(message: LogMessage, category?: LogCategory): void;
  /** An unconditional warning line, prefixed `[warning]` or `[category:warning]`. */
  warning(message: LogMessage, category?: LogCategory): void;
  /** An unconditional error line, prefixed `[error]` or `[category:error]`. */
  error(message: LogMessage, category?: LogCategory): void;
  /** A line written only when the category is enabled at debug level or below. */
  debug(category: LogCategory, message: LogMessage): void;
  /** A line written only when the category is enabled at trace level. */
  trace(category: LogCategory, message: LogMessage): void;
  /** Whether a line of this category and level would be written. */
  willLog(category: LogCategory, level: LogLevel): boolean;
}

/** A logger that drops everything and never calls a message function. */
export const NULL_LOGGER: Logger = {
  info() {},
  warning() {},
  error() {},
  debug() {},
  trace() {},
  willLog: () => false,
};
