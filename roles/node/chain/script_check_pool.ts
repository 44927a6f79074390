/**
 * Parallel script verification (`CCheckQueue` with -par threads): a block's transactions are
 * split by input count between the calling thread and worker threads; the caller verifies its
 * share, then blocks on `Atomics.wait` until every worker has answered. The result is only
 * "all valid" or "some input failed", which is what a multi-threaded freicoind reports
 * ("block-validation-failed").
 */

import type { ScriptVerifier, SpentOutputInfo } from "../../../kernel/consensus/script_check.ts";
import type { Transaction } from "../../../kernel/primitives/transaction.ts";

/** Messages to a worker. */
export type ScriptCheckMessage =
  | { readonly kind: "init"; readonly control: SharedArrayBuffer; readonly native: boolean }
  | {
    readonly kind: "check";
    readonly control: SharedArrayBuffer;
    readonly flags: number;
    readonly txs: readonly {
      readonly bytes: Uint8Array;
      readonly spent: readonly { value: bigint; script: Uint8Array; refheight: number }[];
    }[];
  };

/** A transaction to check with the outputs its inputs spend. */
export interface ScriptCheckJob {
  readonly tx: Transaction;
  readonly spent: readonly SpentOutputInfo[];
}

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

  /**
   * Starts `threads` workers (the calling thread is one more checker). `native` selects
   * libsecp256k1 in the workers (falling back to the TS backend if it does not load).
   * Blocks with fewer than `minParallelInputs` inputs (default 16) stay on the calling thread.
   */
  constructor(
    threads: number,
    verify: ScriptVerifier,
    native: boolean,
    options: { minParallelInputs?: number } = {},
  ) {
    this.#verify = verify;
    this.#minParallelInputs = options.minParallelInputs ?? MIN_PARALLEL_INPUTS;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL("./script_check_worker.ts", import.meta.url), {
        type: "module",
      });
      const control = new SharedArrayBuffer(8);
      worker.postMessage({ kind: "init", control, native } satisfies ScriptCheckMessage);
      this.#workers.push({ worker, init: new Int32Array(control) });
    }
  }

  /** Blocks until every worker has loaded, or `timeoutMs` passed; true when all are ready. */
  waitUntilReady(timeoutMs: number): boolean {
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
    let total = 0;
    for (const job of jobs) total += job.tx.inputs.length;
    const ready = this.#workers.filter((w) => Atomics.load(w.init, 1) === 1);
    if (ready.length === 0 || total < this.#minParallelInputs) return this.#checkHere(jobs, flags);
    // Greedy split by input count; share 0 is the calling thread's.
    const shares: ScriptCheckJob[][] = Array.from({ length: ready.length + 1 }, () => []);
    const loads = new Array<number>(shares.length).fill(0);
    for (const job of jobs) {
      let least = 0;
      for (let i = 1; i < loads.length; i++) if (loads[i] < loads[least]) least = i;
      shares[least].push(job);
      loads[least] += job.tx.inputs.length;
    }
    const pending: Int32Array[] = [];
    for (let i = 0; i < ready.length; i++) {
      const share = shares[i + 1];
      if (share.length === 0) continue;
      const control = new SharedArrayBuffer(8);
      ready[i].worker.postMessage(
        {
          kind: "check",
          control,
          flags,
          txs: share.map((job) => ({
            bytes: job.tx.toBytes(),
            spent: job.spent.map((s) => ({
              value: s.output.value,
              script: s.output.scriptPubKey,
              refheight: s.refheight,
            })),
          })),
        } satisfies ScriptCheckMessage,
      );
      pending.push(new Int32Array(control));
    }
    let ok = this.#checkHere(shares[0], flags);
    for (const control of pending) {
      if (Atomics.wait(control, 0, 0, WORKER_TIMEOUT_MS) === "timed-out") {
        throw new Error("script check worker did not answer");
      }
      if (Atomics.load(control, 0) !== 1) ok = false;
    }
    return ok;
  }

  #checkHere(jobs: readonly ScriptCheckJob[], flags: number): boolean {
    for (const { tx, spent } of jobs) {
      for (let i = 0; i < tx.inputs.length; i++) {
        if (!this.#verify(tx, i, flags, spent).ok) return false;
      }
    }
    return true;
  }

  /** Terminates the workers. Idempotent. */
  close(): void {
    for (const { worker } of this.#workers) worker.terminate();
    this.#workers.length = 0;
  }
}
