/**
 * A spawned child's debug.log destination: finished lines go to the parent over IPC
 * (`LogSink.write`), which appends them to its own debug.log.
 *
 * Why forward rather than write a file: a sandboxed child may write nothing outside its own
 * directory (the echo child may write nothing at all), and one debug.log holding both processes'
 * lines, each with its `[<process>-<pid>]` prefix, is what a user reading it wants. Lines are
 * batched: one `write` call carries everything logged while the previous one was in flight.
 *
 * @module
 */
import type { LogOutput } from "../../cli/debug_log.ts";
import type { LogSink } from "../../schemas/mod.ts";

/** Most text held while the parent is slow to accept it; older lines are dropped beyond it. */
export const MAX_PENDING_LOG_BYTES = 4 * 1024 * 1024;

const decoder = new TextDecoder();

/** A {@linkcode LogOutput} that sends its file lines to a {@linkcode LogSink}. */
export class ForwardingLogOutput implements LogOutput {
  readonly #sink: LogSink;
  #pending: string[] = [];
  #pendingBytes = 0;
  #dropped = 0;
  #sending: Promise<void> | null = null;
  #closed = false;

  /** Forwards to `sink` (a capability the output now uses until {@linkcode close}). */
  constructor(sink: LogSink) {
    this.#sink = sink;
  }

  /** Queues finished lines; they leave in the next batch. */
  writeFile(bytes: Uint8Array): void {
    if (this.#closed) return;
    const text = decoder.decode(bytes);
    // DebugLog.start separates runs in a log file with blank lines; the parent's file has its own.
    if (text.trim() === "") return;
    this.#pending.push(text);
    this.#pendingBytes += text.length;
    while (this.#pendingBytes > MAX_PENDING_LOG_BYTES && this.#pending.length > 1) {
      this.#pendingBytes -= this.#pending.shift()!.length;
      this.#dropped++;
    }
    if (this.#sending === null) this.#sending = this.#send();
  }

  /** A child never prints to the console: its stdout is the parent's. */
  writeConsole(): void {}

  /** Resolves once everything queued so far was sent (or could not be). */
  async flushed(): Promise<void> {
    while (this.#sending !== null) await this.#sending;
  }

  /** Stops forwarding; later lines are dropped. */
  close(): void {
    this.#closed = true;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  async #send(): Promise<void> {
    // Let the lines of the current turn of the event loop gather into one batch.
    await Promise.resolve();
    while (this.#pending.length > 0 && !this.#closed) {
      let text = this.#pending.join("");
      if (this.#dropped > 0) {
        text = `[${this.#dropped} log lines dropped: the parent did not keep up]\n` + text;
        this.#dropped = 0;
      }
      this.#pending = [];
      this.#pendingBytes = 0;
      try {
        await this.#sink.write(text);
      } catch {
        // The parent is gone (or refused the lines): nobody is left to tell.
        this.close();
      }
    }
    this.#sending = null;
  }
}
