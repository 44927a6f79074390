/**
 * A first-come first-served async lock: one wallet change at a time, never interleaved across
 * an `await` (house style rule 18).
 *
 * @module
 */

/**
 * Runs functions one after another.
 *
 * @example
 * ```ts
 * import { AsyncLock } from "./async_lock.ts";
 * const lock = new AsyncLock();
 * await lock.run(() => 1); // 1
 * ```
 */
export class AsyncLock {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `body` after every earlier one has finished; resolves with its result. */
  run<T>(body: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(body);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
