/**
 * Parallel script verification (`CCheckQueue` with -par threads): a block's transactions go
 * to every worker at once and are claimed one by one through a shared atomic counter by the
 * workers and, once it is free, the calling thread, which then blocks on `Atomics.wait` until
 * all are done. The result is only
 * "all valid" or "some input failed", which is what a multi-threaded freicoind reports
 * ("block-validation-failed").
 */

import type { ScriptVerifier, SpentOutputInfo } from "../../../kernel/consensus/script_check.ts";
import type { Transaction } from "../../../kernel/primitives/transaction.ts";
import { packJobs, type ScriptCheckJob } from "./script_check_jobs.ts";

export type { ScriptCheckJob } from "./script_check_jobs.ts";

/** Messages to a worker. */
export type ScriptCheckMessage =
  | { readonly kind: "init"; readonly control: SharedArrayBuffer; readonly native: boolean }
  | {
    readonly kind: "check";
    readonly control: SharedArrayBuffer;
    readonly flags: number;
    /** The jobs, packed by {@link packJobs}. */
    readonly jobs: SharedArrayBuffer;
  };

/** Script checks under way; `finish()` must be called exactly once. */
export interface PendingScriptChecks {
  /** Checks the calling thread's share, waits for the workers; true when all are valid. */
  finish(): boolean;
  /** Abandons the checks: the workers skip the jobs not yet started. */
  cancel(): void;
}

/** Words of a check's shared control block. */
export const Control = {
  /** Index of the next unclaimed job. */
  NEXT: 0,
  /** Number of finished jobs (waited on). */
  DONE: 1,
  /** Set to 1 when some input failed; later jobs are skipped. */
  FAILED: 2,
} as const;
const CONTROL_WORDS = 3;

/** Blocks with fewer inputs than this are checked on the calling thread alone. */
const MIN_PARALLEL_INPUTS = 16;
/** A worker that has not answered after this long is treated as failed (ms). */
const WORKER_TIMEOUT_MS = 120_000;

interface PoolWorker {
  readonly worker: Worker;
  readonly init: Int32Array;
}

/** Worker threads for script checks. `close()` terminates them. */
export class ScriptCheckPool {
  readonly #workers: PoolWorker[] = [];
  readonly #verify: ScriptVerifier;
  readonly #minParallelInputs: number;
  readonly #threads: number;
  readonly #native: boolean;
  #started = false;

  /**
   * A pool of `threads` workers (the calling thread is one more checker), started on the
   * first block big enough to share, so that a chainstate that never sees one pays nothing.
   * `native` selects libsecp256k1 in the workers (falling back to the TS backend if it does
   * not load). Blocks with fewer than `minParallelInputs` inputs (default 16) stay on the
   * calling thread.
   */
  constructor(
    threads: number,
    verify: ScriptVerifier,
    native: boolean,
    options: { minParallelInputs?: number } = {},
  ) {
    this.#verify = verify;
    this.#threads = threads;
    this.#native = native;
    this.#minParallelInputs = options.minParallelInputs ?? MIN_PARALLEL_INPUTS;
  }

  /** Starts the workers once. Without permission to start them the pool stays empty. */
  #start(): void {
    if (this.#started) return;
    this.#started = true;
    try {
      for (let i = 0; i < this.#threads; i++) {
        const worker = new Worker(new URL("./script_check_worker.ts", import.meta.url), {
          type: "module",
        });
        // A worker that fails to load never becomes ready and is simply not used.
        worker.onerror = (event) => event.preventDefault();
        const control = new SharedArrayBuffer(8);
        const native = this.#native;
        worker.postMessage({ kind: "init", control, native } satisfies ScriptCheckMessage);
        this.#workers.push({ worker, init: new Int32Array(control) });
      }
    } catch {
      // No worker permission (a sandbox): the calling thread checks every script.
      this.close();
    }
  }

  /** Blocks until every worker has loaded, or `timeoutMs` passed; true when all are ready. */
  waitUntilReady(timeoutMs: number): boolean {
    this.#start();
    if (this.#workers.length < this.#threads) return false;
    const deadline = performance.now() + timeoutMs;
    for (const { init } of this.#workers) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(init, 1, 0, left) === "timed-out") return false;
    }
    return true;
  }

  /** Number of worker threads. */
  get threads(): number {
    return this.#workers.length;
  }

  /** Verifies every input of every job under `flags`; true when all are valid. */
  check(jobs: readonly ScriptCheckJob[], flags: number): boolean {
    return this.dispatch(jobs, flags).finish();
  }

  /**
   * Hands the jobs to the workers at once and returns a handle whose `finish()` makes the
   * calling thread check jobs too, then waits until all are done. The caller can do other
   * work in between. Jobs are claimed one at a time through a shared counter, so a busy or
   * descheduled thread simply takes fewer of them.
   */
  dispatch(jobs: readonly ScriptCheckJob[], flags: number): PendingScriptChecks {
    let total = 0;
    for (const job of jobs) total += job.tx.inputs.length;
    if (total >= this.#minParallelInputs) this.#start();
    const ready = this.#workers.filter((w) => Atomics.load(w.init, 1) === 1);
    if (ready.length === 0 || total < this.#minParallelInputs) {
      return { finish: () => this.#checkHere(jobs, flags), cancel: () => {} };
    }
    const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
    const packed = packJobs(jobs);
    for (const { worker } of ready) {
      worker.postMessage(
        {
          kind: "check",
          control: control.buffer as SharedArrayBuffer,
          flags,
          jobs: packed,
        } satisfies ScriptCheckMessage,
      );
    }
    return {
      finish: () => {
        const count = jobs.length;
        for (;;) {
          const index = Atomics.add(control, Control.NEXT, 1);
          if (index >= count) break;
          if (Atomics.load(control, Control.FAILED) === 0) {
            const { tx, spent } = jobs[index];
            if (!this.#checkTx(tx, spent, flags)) Atomics.store(control, Control.FAILED, 1);
          }
          Atomics.add(control, Control.DONE, 1);
        }
        const deadline = performance.now() + WORKER_TIMEOUT_MS;
        for (;;) {
          const done = Atomics.load(control, Control.DONE);
          if (done >= count) break;
          const left = deadline - performance.now();
          if (left <= 0 || Atomics.wait(control, Control.DONE, done, left) === "timed-out") {
            if (Atomics.load(control, Control.DONE) >= count) break;
            throw new Error("script check worker did not answer");
          }
        }
        return Atomics.load(control, Control.FAILED) === 0;
      },
      cancel: () => void Atomics.store(control, Control.FAILED, 1),
    };
  }

  #checkTx(tx: Transaction, spent: readonly SpentOutputInfo[], flags: number): boolean {
    for (let i = 0; i < tx.inputs.length; i++) {
      if (!this.#verify(tx, i, flags, spent).ok) return false;
    }
    return true;
  }

  #checkHere(jobs: readonly ScriptCheckJob[], flags: number): boolean {
    for (const { tx, spent } of jobs) if (!this.#checkTx(tx, spent, flags)) return false;
    return true;
  }

  /** Terminates the workers. Idempotent. */
  close(): void {
    for (const { worker } of this.#workers) worker.terminate();
    this.#workers.length = 0;
  }
}
