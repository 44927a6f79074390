/**
 * Capability targets that live on a connection: imports from the peer, pipelined results of
 * our pending calls, and pipelined results of calls we are still answering. Each holds a
 * reference count; proxies hold one reference each.
 *
 * @module
 */
import {
  BrokenTarget,
  type CapTarget,
  type InterfaceBinding,
  type MethodBinding,
} from "./interface.ts";
import { DisconnectedError } from "./errors.ts";
import type { MessageTarget } from "./rpc_codec.ts";

/** What targets need from their connection. */
export interface TargetHost {
  /** Sends a call to a capability the peer hosts. */
  sendCall(
    target: MessageTarget,
    method: MethodBinding,
    args: readonly unknown[],
    binding: InterfaceBinding<unknown>,
  ): Promise<unknown>;
  /** The import's last local reference is gone: send Release. */
  releaseImport(imp: ImportTarget): void;
  /** Sends a Disembargo loopback; `lift` runs when it comes back. */
  startEmbargo(target: MessageTarget, lift: () => void): void;
}

interface QueuedCall {
  method: MethodBinding;
  args: readonly unknown[];
  binding: InterfaceBinding<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Whether `target` is hosted by the peer on `host`'s connection. */
export function isRemoteOn(target: CapTarget, host: TargetHost): boolean {
  return (target instanceof ImportTarget || target instanceof PipelineTarget) &&
    target.conn === host;
}

/** Calls made while an embargo holds, replayed in order when it lifts. */
export class EmbargoQueue {
  calls: QueuedCall[] = [];
  push(
    method: MethodBinding,
    args: readonly unknown[],
    binding: InterfaceBinding<unknown>,
  ): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.calls.push({ method, args, binding, resolve, reject })
    );
  }
  flush(target: CapTarget): void {
    for (const c of this.calls.splice(0)) {
      target.call(c.method, c.args, c.binding).then(c.resolve, c.reject);
    }
  }
}

/** A capability the peer hosts, known by its export id. */
export class ImportTarget implements CapTarget {
  readonly conn: TargetHost;
  readonly id: number;
  readonly isPromise: boolean;
  /** Descriptors received for this id (sent back in Release). */
  remoteRefs = 0;
  #localRefs = 0;
  #resolved: CapTarget | null = null;
  #embargo: EmbargoQueue | null = null;
  #callsSent = false;
  failed: DisconnectedError | null = null;

  constructor(conn: TargetHost, id: number, isPromise: boolean) {
    this.conn = conn;
    this.id = id;
    this.isPromise = isPromise;
  }

  call(
    method: MethodBinding,
    args: readonly unknown[],
    binding: InterfaceBinding<unknown>,
  ): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.#embargo) return this.#embargo.push(method, args, binding);
    if (this.#resolved) return this.#resolved.call(method, args, binding);
    this.#callsSent = true;
    return this.conn.sendCall({ kind: "import", id: this.id }, method, args, binding);
  }

  addRef(): void {
    this.#localRefs++;
  }

  /** Calls reached this import by way of a promised answer that resolved to it. */
  noteCallsSent(): void {
    this.#callsSent = true;
  }

  release(): void {
    if (--this.#localRefs > 0) return;
    this.#resolved?.release();
    this.#resolved = null;
    this.conn.releaseImport(this);
  }

  /**
   * What this import now is. During an embargo that is already the resolution: the embargo
   * only orders our own calls, while an id naming this promise may no longer be valid.
   */
  settled(): CapTarget {
    return this.#resolved ? this.#resolved.settled() : this;
  }

  /** A promise import resolved (Resolve message); embargo if it now points back at us. */
  resolveTo(target: CapTarget): void {
    this.#resolved?.release();
    this.#resolved = target;
    const settled = target.settled();
    const pointsHome = !isRemoteOn(settled, this.conn);
    if (pointsHome && this.#callsSent && !(settled instanceof BrokenTarget)) {
      const queue = new EmbargoQueue();
      this.#embargo = queue;
      this.conn.startEmbargo({ kind: "import", id: this.id }, () => {
        this.#embargo = null;
        queue.flush(this.#resolved ?? new BrokenTarget(new DisconnectedError()));
      });
    }
  }

  fail(error: DisconnectedError): void {
    this.failed = error;
    this.#embargo?.flush(new BrokenTarget(error));
    this.#embargo = null;
  }
}

/** A capability in the results of one of our calls that has not returned yet. */
export class PipelineTarget implements CapTarget {
  readonly conn: TargetHost;
  /** The question's id (only used while unresolved, when the question is still live). */
  readonly questionId: number;
  readonly transform: number[];
  #refs = 1;
  #resolved: CapTarget | null = null;
  #embargo: EmbargoQueue | null = null;
  #callsSent = false;
  failed: Error | null = null;

  constructor(conn: TargetHost, questionId: number, transform: number[]) {
    this.conn = conn;
    this.questionId = questionId;
    this.transform = transform;
  }

  call(
    method: MethodBinding,
    args: readonly unknown[],
    binding: InterfaceBinding<unknown>,
  ): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.#embargo) return this.#embargo.push(method, args, binding);
    if (this.#resolved) return this.#resolved.call(method, args, binding);
    this.#callsSent = true;
    return this.conn.sendCall(
      { kind: "answer", questionId: this.questionId, transform: this.transform },
      method,
      args,
      binding,
    );
  }

  addRef(): void {
    this.#refs++;
  }

  release(): void {
    if (--this.#refs > 0) return;
    this.#resolved?.release();
    this.#resolved = null;
  }

  /**
   * What this pipelined capability now is. Once the Return came, that is the resolution even
   * during an embargo: the question may already be finished, so it can no longer be named.
   */
  settled(): CapTarget {
    return this.#resolved ? this.#resolved.settled() : this;
  }

  /** The question returned: calls now go to `target` (after an embargo if it is ours). */
  resolveTo(target: CapTarget): void {
    target.addRef();
    if (this.#refs <= 0) {
      target.release();
      return;
    }
    this.#resolved = target;
    const settled = target.settled();
    const remote = isRemoteOn(settled, this.conn);
    // Calls sent to this answer went into whatever the peer resolves it to: if that is a
    // promise the peer resolves later, it must embargo as if we had called it directly.
    if (this.#callsSent && settled instanceof ImportTarget) settled.noteCallsSent();
    if (!remote && this.#callsSent && !(settled instanceof BrokenTarget)) {
      // Calls already sent to the peer will come back to us; new calls must wait for them.
      const queue = new EmbargoQueue();
      this.#embargo = queue;
      this.conn.startEmbargo(
        { kind: "answer", questionId: this.questionId, transform: this.transform },
        () => {
          this.#embargo = null;
          queue.flush(this.#resolved ?? new BrokenTarget(new DisconnectedError()));
        },
      );
    }
  }

  fail(error: Error): void {
    if (this.#resolved) return;
    this.failed = error;
    this.#embargo?.flush(new BrokenTarget(error));
    this.#embargo = null;
  }
}

/** A capability in the results of a call we are still answering: calls wait in a queue. */
export class AnswerPipelineTarget implements CapTarget {
  readonly transform: number[];
  #refs = 0;
  #queue: EmbargoQueue | null = new EmbargoQueue();
  #resolved: CapTarget | null = null;

  constructor(transform: number[]) {
    this.transform = transform;
  }

  call(
    method: MethodBinding,
    args: readonly unknown[],
    binding: InterfaceBinding<unknown>,
  ): Promise<unknown> {
    if (this.#resolved) return this.#resolved.call(method, args, binding);
    return this.#queue!.push(method, args, binding);
  }

  addRef(): void {
    this.#refs++;
  }

  release(): void {
    if (--this.#refs > 0) return;
    this.#resolved?.release();
    this.#resolved = null;
  }

  settled(): CapTarget {
    return this.#resolved ? this.#resolved.settled() : this;
  }

  /** The answer settled (`target` comes with one reference): replay queued calls in order. */
  settle(target: CapTarget): void {
    this.#resolved = target;
    const queue = this.#queue;
    this.#queue = null;
    queue?.flush(target);
    // Nobody holds this pipeline any more: the reference it was handed is not needed.
    if (this.#refs <= 0) target.release();
  }
}
