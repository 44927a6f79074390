/**
 * The state of one call in each direction: a {@linkcode Question} we asked the peer, and an
 * {@linkcode Answer} we owe it.
 *
 * @module
 */
import {
  BrokenTarget,
  type CallOptions,
  type CapTarget,
  type InterfaceBinding,
  type MethodBinding,
} from "./interface.ts";
import { AnswerPipelineTarget, PipelineTarget, type TargetHost } from "./targets.ts";
import { capIndexAtPath } from "./payload.ts";
import { WireReader } from "./wire.ts";

function noop(): void {}

/** A call we made, from sending it until its Return has arrived and we sent Finish. */
export class Question {
  readonly id: number;
  /** The method called; null for Bootstrap. */
  readonly method: MethodBinding | null;
  readonly binding: InterfaceBinding<unknown> | null;
  /** The number shown in `-debug=ipc` lines. */
  readonly requestNo: number;
  resolve: (value: unknown) => void = noop;
  reject: (error: unknown) => void = noop;
  canceled = false;
  /** Pipelined targets on this question's results, by transform. */
  pipelines: Map<string, PipelineTarget> | null = null;
  /** The proxy a single-capability result resolves to (also usable before it arrives). */
  pipelineProxy: unknown = undefined;
  /** Export ids sent in the parameters (released if the peer says releaseParamCaps). */
  paramExports: number[] | null = null;
  abortCleanup: (() => void) | null = null;

  constructor(
    id: number,
    method: MethodBinding | null,
    binding: InterfaceBinding<unknown> | null,
    requestNo: number,
  ) {
    this.id = id;
    this.method = method;
    this.binding = binding;
    this.requestNo = requestNo;
  }

  /** The pipelined capability at `transform` in the results, with one reference. */
  pipelineTarget(host: TargetHost, transform: number[]): PipelineTarget {
    this.pipelines ??= new Map();
    const key = transform.join(".");
    let target = this.pipelines.get(key);
    if (target === undefined) {
      target = new PipelineTarget(host, this.id, transform);
      this.pipelines.set(key, target);
    } else {
      target.addRef();
    }
    return target;
  }

  /** Fails every pipelined capability on these results. */
  failPipelines(error: Error): void {
    if (this.pipelines) { for (const p of this.pipelines.values()) p.fail(error); }
  }
}

/** What a server method receives as its last argument: a signal made only if it is read. */
class ServerCallOptions implements CallOptions {
  readonly #answer: Answer;
  constructor(answer: Answer) {
    this.#answer = answer;
  }
  get signal(): AbortSignal {
    this.#answer.controller ??= new AbortController();
    return this.#answer.controller.signal;
  }
}

/** A call the peer made to us, from its arrival until we returned and it sent Finish. */
export class Answer {
  readonly id: number;
  readonly requestNo: number;
  readonly #traversalWords: number;
  state: "pending" | "returned" | "failed" | "canceled" = "pending";
  error: Error | null = null;
  /** Created only if the server method looks at its signal. */
  controller: AbortController | null = null;
  finished = false;
  /** The call said `sendResultsTo.yourself`: the results stay here (a tail call). */
  toYourself = false;
  /** Results kept for a later `takeFromOtherQuestion`, and how to let go of the call's lent
   * parameters once they are taken. */
  held: { value: unknown; release: () => void } | null = null;
  /** Export ids in our Return (released if the Finish says releaseResultCaps). */
  resultExports: number[] = [];
  /** The results' content and capabilities, kept for calls pipelined on them. */
  #resultSegment: ArrayBuffer | null = null;
  #resultTargets: CapTarget[] = [];
  #pipelines: Map<string, AnswerPipelineTarget> | null = null;
  #waiters: (() => void)[] | null = null;

  constructor(id: number, requestNo: number, traversalWords: number) {
    this.id = id;
    this.requestNo = requestNo;
    this.#traversalWords = traversalWords;
  }

  /** Options for the server method: its signal aborts if the caller cancels. */
  callOptions(): CallOptions {
    return new ServerCallOptions(this);
  }

  /** The capability at `transform` in the results (a queue while the call runs), one ref. */
  target(transform: number[]): CapTarget {
    if (this.state === "pending") {
      this.#pipelines ??= new Map();
      const key = transform.join(".");
      let target = this.#pipelines.get(key);
      if (target === undefined) {
        target = new AnswerPipelineTarget(transform);
        this.#pipelines.set(key, target);
      }
      target.addRef();
      return target;
    }
    if (this.state !== "returned") {
      return new BrokenTarget(this.error ?? new Error("call was canceled"));
    }
    return this.#resultTarget(transform);
  }

  /** The method returned these results (the segment and targets of our Return). */
  returned(segment: ArrayBuffer | null, targets: CapTarget[], exportIds: number[]): void {
    this.state = "returned";
    this.#resultSegment = segment;
    this.#resultTargets = targets;
    for (const t of targets) t.addRef();
    this.resultExports = exportIds;
    this.#settlePipelines();
  }

  /** The method returned, but the results stay here for a tail call. */
  heldForTailCall(value: unknown, release: () => void): void {
    this.state = "returned";
    this.held = { value, release };
    this.#settlePipelines();
  }

  /** The method failed. */
  failed(error: unknown): void {
    this.state = "failed";
    this.error = error instanceof Error ? error : new Error(String(error));
    this.#settlePipelines();
  }

  /** The caller canceled while the method ran: abort its signal. */
  canceled(reason: unknown): void {
    this.state = "canceled";
    if (reason instanceof Error) this.error = reason;
    this.controller?.abort(reason);
    this.#settlePipelines();
  }

  /** Runs `waiter` once this answer is no longer pending (see `notifySettled`). */
  whenSettled(waiter: () => void): void {
    (this.#waiters ??= []).push(waiter);
  }

  /** Lets go of the results kept for pipelining. */
  releaseResults(): void {
    this.#resultSegment = null;
    for (const t of this.#resultTargets) t.release();
    this.#resultTargets = [];
  }

  #resultTarget(transform: number[]): CapTarget {
    let index: number | null = null;
    if (this.#resultSegment !== null) {
      try {
        const reader = new WireReader([this.#resultSegment], this.#traversalWords);
        index = capIndexAtPath(reader, { seg: 0, pos: 0 }, transform);
      } catch {
        index = null;
      }
    }
    const target = index === null ? undefined : this.#resultTargets[index];
    if (target === undefined) {
      return new BrokenTarget(new Error("pipelined field is not a capability"));
    }
    target.addRef();
    return target;
  }

  #settlePipelines(): void {
    const pipelines = this.#pipelines;
    if (pipelines === null) return;
    this.#pipelines = null;
    for (const p of pipelines.values()) {
      p.settle(
        this.state === "returned"
          ? this.#resultTarget(p.transform)
          : new BrokenTarget(this.error ?? new Error("call was canceled")),
      );
    }
  }

  /** Runs the `whenSettled` waiters (after our Return went out). */
  notifySettled(): void {
    const waiters = this.#waiters;
    this.#waiters = null;
    if (waiters) { for (const w of waiters) w(); }
  }
}
