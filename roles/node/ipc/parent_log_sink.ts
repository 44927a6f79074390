/**
 * The parent's end of a child's log forwarding: lines a child sends (`LogSink.write`), already
 * formatted with its own timestamp and `[<process>-<pid>]` prefix, are appended to the parent's
 * debug.log (and printed with `-printtoconsole`) as they are.
 *
 * @module
 */
import type { LogOutput } from "../../../cli/debug_log.ts";
import type { LogSink } from "../../../schemas/mod.ts";

/** Largest batch accepted in one call; a child sends far less (its limit is 4 MiB). */
const MAX_BATCH_CHARS = 8 * 1024 * 1024;

const encoder = new TextEncoder();

/** A {@linkcode LogSink} writing into the parent's log destinations. */
export class ParentLogSink implements LogSink {
  readonly #output: LogOutput;
  readonly #toFile: boolean;
  readonly #toConsole: boolean;

  /**
   * @param output the parent's log output
   * @param where whether the parent writes a debug.log file and/or prints to the console
   */
  constructor(output: LogOutput, where: { file: boolean; console: boolean }) {
    this.#output = output;
    this.#toFile = where.file;
    this.#toConsole = where.console;
  }

  /** Appends the lines; text that does not end in a newline gets one. */
  write(lines: string): Promise<void> {
    if (lines.length > MAX_BATCH_CHARS) {
      return Promise.reject(new Error(`log batch too large (${lines.length} characters)`));
    }
    if (lines === "") return Promise.resolve();
    const bytes = encoder.encode(lines.endsWith("\n") ? lines : lines + "\n");
    if (this.#toConsole) this.#output.writeConsole(bytes);
    if (this.#toFile) this.#output.writeFile(bytes);
    return Promise.resolve();
  }
}
