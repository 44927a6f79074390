/**
 * Keeps the `-debug=ipc` lines about a child's log forwarding (`LogSink.write`) out of the
 * node's log: each would repeat, cut short, the lines the child sends. (The echo child's
 * manager does the same; roles cannot share roles/child's copy.)
 *
 * @module
 */
import type { Logger, LogMessage } from "../../../cli/logger.ts";

/** `logger` without the ipc lines that mention `LogSink.` calls. */
export function withoutLogSinkLines(logger: Logger): Logger {
  const keep = (message: LogMessage): string | undefined => {
    const text = typeof message === "string" ? message : message();
    return text.includes(" LogSink.") ? undefined : text;
  };
  return {
    info: (message, category) => logger.info(message, category),
    warning: (message, category) => logger.warning(message, category),
    error: (message, category) => logger.error(message, category),
    debug(category, message) {
      if (!logger.willLog(category, "debug")) return;
      const text = category === "ipc" ? keep(message) : message;
      if (text !== undefined) logger.debug(category, text);
    },
    trace(category, message) {
      if (!logger.willLog(category, "trace")) return;
      const text = category === "ipc" ? keep(message) : message;
      if (text !== undefined) logger.trace(category, text);
    },
    willLog: (category, level) => logger.willLog(category, level),
  };
}
