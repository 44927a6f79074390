/**
 * Keeps a connection's own log forwarding out of its `-debug=ipc` lines.
 *
 * A spawned child sends its debug.log lines to the parent through `LogSink.write` calls on the
 * same connection. Logged like any other call, each of those would produce new lines to forward,
 * without end; so both sides drop the lines about `LogSink` calls (and only those).
 *
 * @module
 */
import type { Logger, LogMessage } from "../../cli/logger.ts";

/** Marks the lines about log forwarding (`... LogSink.write$Params ...`). */
const LOG_SINK_CALL = " LogSink.";

/**
 * A logger that passes everything to `logger` except `ipc` debug/trace lines about `LogSink`
 * calls. Nothing is formatted unless `logger` would write the line anyway.
 */
export function withoutLogSinkTraffic(logger: Logger): Logger {
  const filtered = (message: LogMessage): string | undefined => {
    const text = typeof message === "string" ? message : message();
    return text.includes(LOG_SINK_CALL) ? undefined : text;
  };
  return {
    info: (message, category) => logger.info(message, category),
    warning: (message, category) => logger.warning(message, category),
    error: (message, category) => logger.error(message, category),
    debug(category, message) {
      if (!logger.willLog(category, "debug")) return;
      const text = category === "ipc" ? filtered(message) : message;
      if (text !== undefined) logger.debug(category, text);
    },
    trace(category, message) {
      if (!logger.willLog(category, "trace")) return;
      const text = category === "ipc" ? filtered(message) : message;
      if (text !== undefined) logger.trace(category, text);
    },
    willLog: (category, level) => logger.willLog(category, level),
  };
}
