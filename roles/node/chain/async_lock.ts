/**
 * A first-come, first-served async mutex: the chainstate's single-writer lock. Each holder
 * runs to completion before the next starts, so mutations never interleave across an await.
 */
export class AsyncLock {
  #tail: Promise<void> = Promise.resolve();
  #held = false;

  /** Whether some task holds the lock now. */
  get held(): boolean {
    return this.#held;
  }

  /** Runs `task` when every earlier task has finished; its result or error is passed on. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    return previous.then(async () => {
      this.#held = true;
      try {
        return await task();
      } finally {
        this.#held = false;
        release();
      }
    });
  }
}
