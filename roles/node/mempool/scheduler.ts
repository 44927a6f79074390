/**
 * A tiny task scheduler (freicoind's `CScheduler`): tasks due at a time on a monotonic clock,
 * run by a periodic tick, and `mockForward` (the `mockscheduler` RPC) to bring them forward.
 *
 * @module
 */

/** One scheduled task. */
interface ScheduledTask {
  /** When it is due, in milliseconds of the scheduler's clock. */
  due: number;
  readonly run: () => void;
}

/** Runs tasks once they are due; a failing task is reported and does not stop the others. */
export class Scheduler {
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #tasks: ScheduledTask[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param now monotonic milliseconds (default `performance.now`)
   * @param onError receives what a task throws
   */
  constructor(
    now: () => number = () => performance.now(),
    onError: (error: unknown) => void = () => {},
  ) {
    this.#now = now;
    this.#onError = onError;
  }

  /** Number of tasks waiting. */
  get pending(): number {
    return this.#tasks.length;
  }

  /** Schedules `run` in `delayMs` milliseconds (`scheduleFromNow`). */
  scheduleFromNow(run: () => void, delayMs: number): void {
    this.#tasks.push({ due: this.#now() + delayMs, run });
  }

  /** Runs every task that is due now, earliest first (tasks scheduled meanwhile wait). */
  runDue(): void {
    const now = this.#now();
    const due = this.#tasks.filter((task) => task.due <= now).sort((a, b) => a.due - b.due);
    if (due.length === 0) return;
    this.#tasks = this.#tasks.filter((task) => task.due > now);
    for (const task of due) {
      try {
        task.run();
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  /** `MockForward`: every task becomes due `deltaMs` sooner, then the due ones run. */
  mockForward(deltaMs: number): void {
    for (const task of this.#tasks) task.due -= deltaMs;
    this.runDue();
  }

  /** Starts the periodic tick (an unref'd timer, so it never keeps the process alive). */
  start(tickMs = 1000): void {
    if (this.#timer !== undefined) return;
    const timer = setInterval(() => this.runDue(), tickMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  /** Stops the tick and drops the waiting tasks. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#tasks = [];
  }
}
