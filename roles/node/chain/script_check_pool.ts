/**
 * Parallel script verification (`CCheckQueue` with -par threads): a block's transactions are
 * packed into one shared buffer and claimed one by one through a shared atomic counter by
 * the workers and, once it is free, the calling thread, which then blocks on `Atomics.wait`
 * until all are done. The result is only "all valid" or "some input failed", which is what a
 * multi-threaded freicoind reports ("block-validation-failed").
 *
 * Handing a block over costs a few atomic stores and one futex wake: the workers sleep in
 * `Atomics.wait` on a generation counter and read the jobs from a growable
 * SharedArrayBuffer they were given once at start-up. (An earlier version posted every block
 * with `postMessage`, which cost the calling thread about a millisecond of CPU per block:
 * more than the checks it handed over for a typical block of ~50 inputs.)
 */

import type { ScriptVerifier, SpentOutputInfo } from "../../../kernel/consensus/script_check.ts";
import type { Transaction } from "../../../kernel/primitives/transaction.ts";
import { packJobsInto, type ScriptCheckJob } from "./script_check_jobs.ts";

export type { ScriptCheckJob } from "./script_check_jobs.ts";

/** The one message a worker gets: the shared control words and the job buffer. */
export interface ScriptCheckInit {
  readonly kind: "init";
  /** {@link Control} words, shared by the pool and every worker. */
  readonly control: SharedArrayBuffer;
  /** The packed jobs of the current batch (growable). */
  readonly jobs: SharedArrayBuffer;
  /** This worker's slot: `Control.READY + slot` becomes 1 once it is ready. */
  readonly slot: number;
  /** Use libsecp256k1 (else the TypeScript backend). */
  readonly native: boolean;
}

/** Script checks under way; `finish()` or `cancel()` must be called exactly once. */
export interface PendingScriptChecks {
  /** Checks the calling thread's share, waits for the workers; true when all are valid. */
  finish(): boolean;
  /** Abandons the checks: the workers skip the jobs not yet started. */
  cancel(): void;
}

/**
 * Words of the shared control block. A batch is open while `NEXT` is below `CLOSED`; the
 * pool closes it (sets `NEXT` to `CLOSED`) and waits until no worker is `ACTIVE` before it
 * writes the next batch, so a worker never reads a job buffer that is being rewritten.
 */
export const Control = {
  /** Incremented (and notified) when a batch opens; workers sleep on it. */
  GENERATION: 0,
  /** Index of the next unclaimed job; `CLOSED` or more between batches. */
  NEXT: 1,
  /** Number of finished jobs of the batch (waited on). */
  DONE: 2,
  /** Set to 1 when some input failed or the batch was cancelled; later jobs are skipped. */
  FAILED: 3,
  /** Number of jobs in the batch (read after a successful claim). */
  COUNT: 4,
  /** Script verification flags of the batch. */
  FLAGS: 5,
  /** Workers between waking and going back to sleep (waited on before a rewrite). */
  ACTIVE: 6,
  /** Set to 1 when the pool closes: workers return. */
  STOP: 7,
  /** First of one word per worker, set to 1 when the worker has loaded. */
  READY: 8,
} as const;

/** A claim index that is never below a job count: the batch is closed. */
export const CLOSED = 0x40000000;
/** At most this many workers (freicoind's MAX_SCRIPTCHECK_THREADS is 15). */
const MAX_WORKERS = 15;
const CONTROL_WORDS = Control.READY + MAX_WORKERS;
/** Initial and largest size of the job buffer; a bigger batch runs on the calling thread. */
const INITIAL_JOB_BYTES = 1 << 20;
const MAX_JOB_BYTES = 256 << 20;

/** Blocks with fewer inputs than this are checked on the calling thread alone. */
const MIN_PARALLEL_INPUTS = 16;
/** A worker that has not answered after this long is treated as failed (ms). */
const WORKER_TIMEOUT_MS = 120_000;

/** Worker threads for script checks. `close()` terminates them. */
export class ScriptCheckPool {
  readonly #workers: Worker[] = [];
  readonly #verify: ScriptVerifier;
  readonly #minParallelInputs: number;
  readonly #threads: number;
  readonly #native: boolean;
  readonly #control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
  readonly #jobs = new SharedArrayBuffer(INITIAL_JOB_BYTES, { maxByteLength: MAX_JOB_BYTES });
  /** Jobs of the open batch (the calling thread checks its share from these objects). */
  #batch: readonly ScriptCheckJob[] = [];
  #generation = 0;
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
    this.#threads = Math.min(threads, MAX_WORKERS);
    this.#native = native;
    this.#minParallelInputs = options.minParallelInputs ?? MIN_PARALLEL_INPUTS;
    Atomics.store(this.#control, Control.NEXT, CLOSED);
  }

  /**
   * Starts the workers (once; otherwise the first block big enough to share does). Without
   * permission to start them the pool stays empty.
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    try {
      for (let slot = 0; slot < this.#threads; slot++) {
        const worker = new Worker(new URL("./script_check_worker.ts", import.meta.url), {
          type: "module",
        });
        // A worker that fails to load never becomes ready and is simply not used.
        worker.onerror = (event) => event.preventDefault();
        const init: ScriptCheckInit = {
          kind: "init",
          control: this.#control.buffer as SharedArrayBuffer,
          jobs: this.#jobs,
          slot,
          native: this.#native,
        };
        worker.postMessage(init);
        this.#workers.push(worker);
      }
    } catch {
      // No worker permission (a sandbox): the calling thread checks every script.
      this.close();
    }
  }

  /** Blocks until every worker has loaded, or `timeoutMs` passed; true when all are ready. */
  waitUntilReady(timeoutMs: number): boolean {
    this.start();
    if (this.#workers.length < this.#threads) return false;
    const deadline = performance.now() + timeoutMs;
    for (let slot = 0; slot < this.#workers.length; slot++) {
      const left = deadline - performance.now();
      const word = Control.READY + slot;
      if (left <= 0 || Atomics.wait(this.#control, word, 0, left) === "timed-out") return false;
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
   * descheduled thread simply takes fewer of them. A new dispatch abandons a batch that was
   * neither finished nor cancelled.
   */
  dispatch(jobs: readonly ScriptCheckJob[], flags: number): PendingScriptChecks {
    let total = 0;
    for (const job of jobs) total += job.tx.inputs.length;
    if (total >= this.#minParallelInputs) this.start();
    const ready = this.#readyWorkers();
    if (ready === 0 || total < this.#minParallelInputs || jobs.length < 2) {
      return this.#onCallingThread(jobs, flags);
    }
    try {
      this.#closeBatch();
    } catch {
      // A worker stopped answering: give up on the workers, check here from now on.
      this.close();
      return this.#onCallingThread(jobs, flags);
    }
    if (!packJobsInto(jobs, this.#jobs)) return this.#onCallingThread(jobs, flags);
    const control = this.#control;
    this.#batch = jobs;
    const generation = ++this.#generation;
    Atomics.store(control, Control.COUNT, jobs.length);
    Atomics.store(control, Control.FLAGS, flags);
    Atomics.store(control, Control.DONE, 0);
    Atomics.store(control, Control.FAILED, 0);
    Atomics.store(control, Control.NEXT, 0);
    Atomics.store(control, Control.GENERATION, generation);
    Atomics.notify(control, Control.GENERATION);
    let settled = false;
    return {
      finish: () => {
        if (settled) throw new Error("script checks already settled");
        settled = true;
        return this.#finish(generation);
      },
      cancel: () => {
        if (settled) return;
        settled = true;
        if (this.#generation === generation) Atomics.store(control, Control.FAILED, 1);
      },
    };
  }

  #readyWorkers(): number {
    let ready = 0;
    for (let slot = 0; slot < this.#workers.length; slot++) {
      if (Atomics.load(this.#control, Control.READY + slot) === 1) ready++;
    }
    return ready;
  }

  #onCallingThread(jobs: readonly ScriptCheckJob[], flags: number): PendingScriptChecks {
    return { finish: () => this.#checkHere(jobs, flags), cancel: () => {} };
  }

  /** Claims the calling thread's share of the open batch, then waits for the workers. */
  #finish(generation: number): boolean {
    const control = this.#control;
    if (this.#generation !== generation) throw new Error("script check batch was replaced");
    const jobs = this.#batch;
    const count = jobs.length;
    const flags = Atomics.load(control, Control.FLAGS);
    for (;;) {
      const index = Atomics.add(control, Control.NEXT, 1);
      if (index >= count) break;
      if (Atomics.load(control, Control.FAILED) === 0) {
        const { tx, spent } = jobs[index];
        if (!this.#checkTx(tx, spent, flags)) Atomics.store(control, Control.FAILED, 1);
      }
      Atomics.add(control, Control.DONE, 1);
    }
    try {
      this.#waitWhile(Control.DONE, (done) => done < count);
    } catch (error) {
      // Which jobs the silent worker held is unknown: this block fails to check, and later
      // blocks are checked on the calling thread.
      this.close();
      throw error;
    }
    // Every job is claimed, so the workers are done with this batch; the next dispatch
    // closes it.
    this.#batch = [];
    return Atomics.load(control, Control.FAILED) === 0;
  }

  /**
   * Closes the open batch (if any) and waits until every worker has put down the job it was
   * checking, so that the job buffer can be rewritten.
   */
  #closeBatch(): void {
    const control = this.#control;
    Atomics.store(control, Control.FAILED, 1);
    Atomics.store(control, Control.NEXT, CLOSED);
    this.#waitWhile(Control.ACTIVE, (active) => active > 0);
    this.#batch = [];
  }

  /** Blocks while `busy(value of word)` holds, up to the worker timeout. */
  #waitWhile(word: number, busy: (value: number) => boolean): void {
    const control = this.#control;
    const deadline = performance.now() + WORKER_TIMEOUT_MS;
    for (;;) {
      const value = Atomics.load(control, word);
      if (!busy(value)) return;
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(control, word, value, left) === "timed-out") {
        if (!busy(Atomics.load(control, word))) return;
        throw new Error("script check worker did not answer");
      }
    }
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

  /** Stops and terminates the workers. Idempotent. */
  close(): void {
    Atomics.store(this.#control, Control.STOP, 1);
    Atomics.store(this.#control, Control.NEXT, CLOSED);
    Atomics.add(this.#control, Control.GENERATION, 1);
    Atomics.notify(this.#control, Control.GENERATION);
    for (const worker of this.#workers) worker.terminate();
    this.#workers.length = 0;
  }
}
