/**
 * One place to ask for and wait on a clean shutdown: signals, the `stop` RPC, a dead parent.
 *
 * @module
 */

/**
 * A one-shot shutdown request.
 *
 * @example
 * ```ts
 * import { ShutdownController } from "./shutdown.ts";
 * const shutdown = new ShutdownController();
 * setTimeout(() => shutdown.request("stop RPC"), 1);
 * await shutdown.requested; // "stop RPC"
 * ```
 */
export class ShutdownController {
  readonly #abort = new AbortController();
  #resolve!: (reason: string) => void;
  /** Resolves with the reason once a shutdown is requested. */
  readonly requested: Promise<string> = new Promise((resolve) => this.#resolve = resolve);

  /** Aborted when shutdown is requested, for loops and waits that take a signal. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get isRequested(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Requests shutdown; later requests are ignored. */
  request(reason: string): void {
    if (this.isRequested) return;
    this.#abort.abort(reason);
    this.#resolve(reason);
  }

  /** Turns SIGINT and SIGTERM (SIGINT and SIGBREAK on Windows) into a request. */
  listenForSignals(): Disposable {
    const signals: Deno.Signal[] = Deno.build.os === "windows"
      ? ["SIGINT", "SIGBREAK"]
      : ["SIGINT", "SIGTERM"];
    const handlers = signals.map((signal) => {
      const handler = () => this.request(signal);
      Deno.addSignalListener(signal, handler);
      return [signal, handler] as const;
    });
    return {
      [Symbol.dispose]() {
        for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
      },
    };
  }
}
