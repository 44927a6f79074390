/**
 * One end of a two-party Cap'n Proto RPC connection over a {@linkcode ByteStream}.
 *
 * Implements the level-1 protocol of rpc.capnp for two parties: Bootstrap, Call, Return,
 * Finish, Release, Resolve (received), Disembargo, Abort and Unimplemented; capabilities in
 * parameters and results in both directions; promise pipelining with embargoes; cancellation.
 * We never export promises, so we never send Resolve; a capability returned before it exists
 * travels as `receiverAnswer`, which the peer resolves itself.
 *
 * @module
 */
import type { ByteStream, CloseReason } from "../byte_stream.ts";
import { type Frame, FrameReader, FramingError } from "../framing.ts";
import type { Logger } from "../../cli/logger.ts";
import { NULL_LOGGER } from "../../cli/logger.ts";
import {
  bindingForId,
  BrokenTarget,
  type CallOptions,
  type CapTarget,
  type InterfaceBinding,
  type MethodBinding,
  registerPipeline,
  targetOf,
} from "./interface.ts";
import { DisconnectedError, RemoteError } from "./errors.ts";
import {
  type CapDescriptor,
  decodeRpcMessage,
  encodeAbort,
  encodeBootstrap,
  encodeCall,
  encodeDisembargo,
  encodeFinish,
  encodeRelease,
  encodeReturnCanceled,
  encodeReturnException,
  encodeReturnResults,
  encodeReturnSentElsewhere,
  encodeUnimplemented,
  type MessageTarget,
  type OutgoingPayload,
  type RpcMessage,
  type WireException,
} from "./rpc_codec.ts";
import { WireError, WireReader } from "./wire.ts";
import { formatFields, formatResult } from "./text_format.ts";
import { ImportTarget, PipelineTarget, type TargetHost } from "./targets.ts";
import { ExportTable } from "./export_table.ts";
import { Answer, Question } from "./calls.ts";
import {
  type BuiltPayload,
  capIndexAtPath,
  capReader,
  exportIdsOf,
  PayloadCodec,
  releaseArgs,
} from "./payload.ts";
import { installFastText } from "./fast_text.ts";

/** Limits on what a peer may send. */
export interface RpcLimits {
  /** Largest message in bytes (default 64 MiB). */
  maxMessageBytes?: number;
  /** Most segments per message (default 512). */
  maxSegments?: number;
  /** Words readable through pointers per message (default 8 Mi words, like the C++ library). */
  traversalLimitWords?: number;
  /** Deepest struct nesting in parameters and results (default 64, like the C++ library). */
  nestingLimit?: number;
  /**
   * Most calls from the peer in progress at once (default 10,000); beyond it calls fail at
   * once as `overloaded`, so a peer cannot make us queue without bound.
   */
  maxCallsInProgress?: number;
}

/** Options for {@linkcode RpcConnection}. */
export interface RpcConnectionOptions<B = unknown> {
  /** The object we serve as the bootstrap capability, with its binding. */
  bootstrap?: { binding: InterfaceBinding<B>; impl: B };
  /** Where `-debug=ipc` lines and connection errors go (category `ipc`). */
  logger?: Logger;
  /** Limits on incoming messages. */
  limits?: RpcLimits;
  /** Renders parameters for the log; replaceable so tests can see when it runs. */
  formatParams?: (names: readonly string[], values: readonly unknown[]) => string;
  /** Renders results for the log. */
  formatResult?: (names: readonly string[], value: unknown) => string;
}

/** Sizes of the connection's tables (for leak checks and tests). */
export interface RpcTableSizes {
  /** Our calls awaiting their Return (or our Finish). */
  questions: number;
  /** The peer's calls not yet returned and finished. */
  answers: number;
  /** Capabilities the peer hosts that we hold. */
  imports: number;
  /** Capabilities we host that the peer holds. */
  exports: number;
  /** Embargoes waiting for their Disembargo to come back. */
  embargoes: number;
}

/** Microtask hops a lazy message waits for company (a caller's `await` takes one or two). */
const LAZY_FLUSH_HOPS = 3;

/**
 * A two-party RPC connection. Create one per stream; the side that bootstraps is the client,
 * the side with a `bootstrap` option serves. Both may call each other once capabilities flow.
 *
 * @example
 * ```ts ignore
 * const conn = new RpcConnection(stream, { logger });
 * using init = conn.bootstrap(INIT);
 * using echo = pipeline(ECHO, init.makeEcho());
 * console.log(await echo.echo("hello"));
 * ```
 */
export class RpcConnection {
  readonly #stream: ByteStream;
  readonly #log: Logger;
  readonly #reader: FrameReader;
  readonly #traversalWords: number;
  readonly #nestingLimit: number;
  readonly #maxCallsInProgress: number;
  readonly #formatParams: (names: readonly string[], values: readonly unknown[]) => string;
  readonly #formatResult: (names: readonly string[], value: unknown) => string;
  readonly #bootstrapTarget: CapTarget | null;

  readonly #questions = new Map<number, Question>();
  readonly #freeQuestionIds: number[] = [];
  #nextQuestionId = 0;
  readonly #answers = new Map<number, Answer>();
  readonly #imports = new Map<number, ImportTarget>();
  readonly #embargoes = new Map<number, () => void>();
  /** What this connection's targets may ask of it (kept off the public surface). */
  readonly #host: TargetHost = {
    sendCall: (target, method, args, binding) => this.#sendCall(target, method, args, binding),
    releaseImport: (imp) => this.#releaseImport(imp),
    startEmbargo: (target, lift) => this.#startEmbargo(target, lift),
  };
  readonly #exports = new ExportTable(this.#host);
  readonly #payloads: PayloadCodec;
  #nextEmbargoId = 0;
  #requestCounter = 0;

  #outbox: Uint8Array[] = [];
  #flushScheduled = false;
  #lazyPending = false;
  #error: DisconnectedError | null = null;
  readonly #closeListeners: ((error: DisconnectedError) => void)[] = [];

  /** Starts serving and reading `stream`. */
  constructor(stream: ByteStream, options: RpcConnectionOptions = {}) {
    installFastText();
    this.#stream = stream;
    this.#log = options.logger ?? NULL_LOGGER;
    const limits = options.limits ?? {};
    this.#traversalWords = limits.traversalLimitWords ?? 8 * 1024 * 1024;
    this.#nestingLimit = limits.nestingLimit ?? 64;
    this.#maxCallsInProgress = limits.maxCallsInProgress ?? 10_000;
    this.#payloads = new PayloadCodec((t) => this.#exports.describe(t), {
      traversalWords: this.#traversalWords,
      nestingLimit: this.#nestingLimit,
    });
    this.#formatParams = options.formatParams ?? formatFields;
    this.#formatResult = options.formatResult ?? formatResult;
    const boot = options.bootstrap;
    this.#bootstrapTarget = boot
      ? targetOf(boot.impl, boot.binding as InterfaceBinding<unknown>)
      : null;
    this.#reader = new FrameReader((frame) => this.#onFrame(frame), {
      maxMessageBytes: limits.maxMessageBytes,
      maxSegments: limits.maxSegments,
    });
    stream.onData((chunk) => this.#onData(chunk));
    stream.onClose((reason) => this.#onStreamClosed(reason));
  }

  /** A short description of the stream, for logs. */
  get description(): string {
    return this.#stream.description;
  }

  /** Whether the connection has ended. */
  get closed(): boolean {
    return this.#error !== null;
  }

  /** Registers a listener run once when the connection ends, with the error calls now get. */
  onDisconnect(listener: (error: DisconnectedError) => void): void {
    if (this.#error !== null) listener(this.#error);
    else this.#closeListeners.push(listener);
  }

  /** Current table sizes. */
  tableSizes(): RpcTableSizes {
    return {
      questions: this.#questions.size,
      answers: this.#answers.size,
      imports: this.#imports.size,
      exports: this.#exports.size,
      embargoes: this.#embargoes.size,
    };
  }

  /**
   * The peer's bootstrap capability as a `T` proxy, usable at once (calls are pipelined on the
   * Bootstrap question). Dispose it when done.
   */
  bootstrap<T>(binding: InterfaceBinding<T>): T & Disposable {
    const b = binding as InterfaceBinding<unknown>;
    if (this.#error !== null) return b.wrap(new BrokenTarget(this.#error)) as T & Disposable;
    const question = this.#newQuestion(null, b);
    const target = question.pipelineTarget(this.#host, []);
    const proxy = b.wrap(target);
    question.pipelineProxy = proxy;
    question.resolve = () => {};
    question.reject = () => {};
    this.#send(encodeBootstrap(question.id));
    return proxy as T & Disposable;
  }

  /**
   * Closes the connection: messages already queued are written, pending calls fail, the
   * stream is closed. Idempotent.
   */
  close(): void {
    if (this.#error === null) this.#guarded(() => this.#flush()); // what is queued still goes
    this.#disconnect(new DisconnectedError("IPC connection closed"));
    this.#stream.close();
  }

  /** Same as {@linkcode close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  // -------------------------------------------------------------------------------------------
  // Input

  #onData(chunk: Uint8Array): void {
    if (this.#error !== null) return;
    try {
      this.#reader.push(chunk);
    } catch (error) {
      this.#protocolError(error);
    }
  }

  #onFrame(frame: Frame): void {
    if (this.#error !== null) return;
    const reader = new WireReader(frame, this.#traversalWords);
    let message: RpcMessage;
    try {
      message = decodeRpcMessage(reader);
    } catch (error) {
      this.#protocolError(error);
      return;
    }
    try {
      this.#handle(message, reader);
    } catch (error) {
      this.#protocolError(error);
    }
  }

  #handle(m: RpcMessage, reader: WireReader): void {
    switch (m.tag) {
      case "call":
        return this.#handleCall(m, reader);
      case "return":
        return this.#handleReturn(m, reader);
      case "finish":
        return this.#handleFinish(m.questionId, m.releaseResultCaps);
      case "release":
        return this.#exports.release(m.id, m.referenceCount);
      case "bootstrap":
        return this.#handleBootstrap(m.questionId);
      case "disembargo":
        return this.#handleDisembargo(m.target, m.context, m.embargoId);
      case "resolve":
        return this.#handleResolve(m.promiseId, m.cap, m.exception);
      case "abort":
        this.#log.warning(`IPC peer aborted the connection: ${m.exception.reason}`, "ipc");
        this.#disconnect(new DisconnectedError(`IPC peer disconnected: ${m.exception.reason}`));
        this.#stream.close();
        return;
      case "unimplemented":
        return this.#handleUnimplemented(m.inner);
      case "unknown":
        this.#send(encodeUnimplemented(reader.segments));
        return;
    }
  }

  #protocolError(error: unknown): void {
    if (this.#error !== null) return;
    this.#guarded(() => this.#endWithProtocolError(error));
    // Whatever failed above, the connection is over.
    this.#disconnect(new DisconnectedError(`IPC peer disconnected: ${errorText(error)}`));
    this.#guarded(() => this.#stream.close());
  }

  #endWithProtocolError(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const kind = error instanceof FramingError || error instanceof WireError ||
        error instanceof RangeError
      ? "malformed message"
      : "protocol error";
    this.#log.warning(
      `IPC connection ${this.#stream.description} ended: ${kind}: ${reason}`,
      "ipc",
    );
    this.#sendNow(encodeAbort({ reason: `${kind}: ${reason}`, type: "failed" }));
    this.#disconnect(new DisconnectedError(`IPC peer disconnected: ${kind}: ${reason}`));
    this.#stream.close();
  }

  #onStreamClosed(reason: CloseReason): void {
    if (this.#error !== null) return;
    const detail = reason ? `: ${reason.message}` : "";
    this.#debug(() => `IPC connection ${this.#stream.description} closed${detail}`);
    this.#disconnect(new DisconnectedError(`IPC peer disconnected${detail}`, { cause: reason }));
  }

  /** Fails everything pending and empties the tables. */
  #disconnect(error: DisconnectedError): void {
    if (this.#error !== null) return;
    this.#error = error;
    this.#outbox = [];
    const questions = [...this.#questions.values()];
    this.#questions.clear();
    for (const q of questions) {
      q.abortCleanup?.();
      q.reject(error);
      q.failPipelines(error);
    }
    const answers = [...this.#answers.values()];
    this.#answers.clear();
    for (const a of answers) a.canceled(error); // a method finishing later answers nothing
    for (const imp of this.#imports.values()) imp.fail(error);
    this.#imports.clear();
    this.#exports.clear();
    for (const lift of this.#embargoes.values()) lift();
    this.#embargoes.clear();
    for (const listener of this.#closeListeners.splice(0)) {
      try {
        listener(error);
      } catch (e) {
        this.#log.error(`IPC disconnect listener failed: ${e}`, "ipc");
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Output

  #send(bytes: Uint8Array): void {
    if (this.#error !== null) return;
    this.#outbox.push(bytes);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  /**
   * Queues a message that may wait a little (a Finish after its Return) so that it leaves with
   * the caller's next call, which usually follows within a few microtasks: one write instead
   * of two. If nothing follows, it is written after those few microtasks anyway.
   */
  #sendLazy(bytes: Uint8Array): void {
    if (this.#error !== null) return;
    this.#outbox.push(bytes);
    if (this.#flushScheduled || this.#lazyPending) return;
    this.#lazyPending = true;
    let hops = LAZY_FLUSH_HOPS;
    const hop = () => {
      if (--hops > 0) {
        queueMicrotask(hop);
        return;
      }
      this.#lazyPending = false;
      if (!this.#flushScheduled) this.#flush();
    };
    queueMicrotask(hop);
  }

  /** Writes everything queued as one chunk: many small messages, one system call. */
  #flush(): void {
    this.#flushScheduled = false;

    const out = this.#outbox;
    if (out.length === 0) return;
    this.#outbox = [];
    if (out.length === 1) {
      this.#stream.write(out[0]);
      return;
    }
    let total = 0;
    for (const b of out) total += b.length;
    const joined = new Uint8Array(total);
    let at = 0;
    for (const b of out) {
      joined.set(b, at);
      at += b.length;
    }
    this.#stream.write(joined);
  }

  #sendNow(bytes: Uint8Array): void {
    this.#flush();
    this.#stream.write(bytes);
  }

  // -------------------------------------------------------------------------------------------
  // Questions (our calls)

  #newQuestion(method: MethodBinding | null, binding: InterfaceBinding<unknown> | null): Question {
    const id = this.#freeQuestionIds.pop() ?? this.#nextQuestionId++;
    const question = new Question(id, method, binding, ++this.#requestCounter);
    this.#questions.set(id, question);
    return question;
  }

  #freeQuestion(q: Question): void {
    // Whatever still holds the question (an abort listener, say) must not keep the proxy
    // alive: a forgotten proxy is only released once it can be collected.
    q.pipelineProxy = undefined;
    if (this.#questions.get(q.id) === q) {
      this.#questions.delete(q.id);
      this.#freeQuestionIds.push(q.id);
    }
  }

  /** Sends a call to a capability the peer hosts (an import or a promised answer). */
  #sendCall(
    target: MessageTarget,
    method: MethodBinding,
    args: readonly unknown[],
    binding: InterfaceBinding<unknown>,
  ): Promise<unknown> {
    if (this.#error !== null) return Promise.reject(this.#error);
    const options = args.length > method.paramNames.length
      ? args[method.paramNames.length] as CallOptions | undefined
      : undefined;
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);

    const question = this.#newQuestion(method, binding);
    let params: OutgoingPayload;
    try {
      params = this.#payloads.build(method.params, (s, caps) => method.writeParams(s, args, caps));
    } catch (error) {
      this.#freeQuestion(question);
      return Promise.reject(error);
    }
    if (params.caps.length > 0) question.paramExports = exportIdsOf(params.caps);
    const promise = new Promise<unknown>((resolve, reject) => {
      question.resolve = resolve;
      question.reject = reject;
    });
    if (method.resultCap) {
      const capBinding = method.resultCap.binding();
      const proxy = capBinding.wrap(
        question.pipelineTarget(this.#host, [method.resultCap.pointer]),
      );
      question.pipelineProxy = proxy;
      registerPipeline(promise, proxy);
      // Pipelining callers often never await the promise itself; its failure also reaches
      // them through the proxy's calls, so it must not count as an unhandled rejection.
      promise.catch(noop);
    }
    if (signal) {
      const onAbort = () => this.#cancelQuestion(question, signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      question.abortCleanup = () => signal.removeEventListener("abort", onAbort);
    }
    if (this.#log.willLog("ipc", "debug")) {
      this.#debug(() =>
        `IPC client send request #${question.requestNo} ${binding.name}.${method.name}$Params ${
          this.#formatParams(method.paramNames, args)
        }`
      );
    }
    this.#send(
      encodeCall(question.id, target, binding.id, method.ordinal, params),
    );
    return promise;
  }

  #cancelQuestion(q: Question, reason: unknown): void {
    if (q.canceled || this.#questions.get(q.id) !== q) return;
    q.canceled = true;
    q.abortCleanup = null;
    this.#debug(() => `IPC client cancel request #${q.requestNo}`);
    this.#send(encodeFinish(q.id, true));
    const error = reason instanceof Error ? reason : new DOMException("aborted", "AbortError");
    q.reject(error);
    q.failPipelines(error);
  }

  #handleReturn(m: Extract<RpcMessage, { tag: "return" }>, reader: WireReader): void {
    const q = this.#questions.get(m.answerId);
    if (q === undefined) throw new Error(`Return for unknown question ${m.answerId}`);
    q.abortCleanup?.();
    q.abortCleanup = null;
    if (m.releaseParamCaps && q.paramExports) {
      for (const id of q.paramExports) this.#exports.release(id, 1);
    }
    if (q.canceled) {
      // We sent Finish with releaseResultCaps, so nothing in these results is ours to release.
      this.#freeQuestion(q);
      return;
    }
    if (m.takeFromOtherQuestion !== null) {
      this.#takeFromOtherQuestion(q, m.takeFromOtherQuestion);
      return;
    }
    if (m.results === null) {
      const error = m.exception
        ? new RemoteError(m.exception.reason, m.exception.type)
        : new RemoteError(
          m.canceled ? "call canceled" : `unsupported Return kind ${m.other} for ${q.method?.name}`,
        );
      this.#logClientResponse(q, () => `exception: ${error.message}`);
      this.#sendLazy(encodeFinish(q.id, false));
      this.#freeQuestion(q);
      q.reject(error);
      q.failPipelines(error);
      return;
    }
    const targets = this.#importCaps(m.results.caps);
    try {
      if (q.pipelines) {
        for (const p of q.pipelines.values()) {
          const index = capIndexAtPath(reader, m.results.content, p.transform);
          const resolved = index === null ? null : targets[index] ?? null;
          p.resolveTo(
            resolved ?? new BrokenTarget(new Error("pipelined field is not a capability")),
          );
        }
        q.pipelines = null;
      }
      let value: unknown;
      let failure: unknown = null;
      if (q.method === null) {
        value = q.pipelineProxy;
      } else if (q.method.resultCap) {
        value = q.pipelineProxy;
        this.#logClientResponse(q, () => this.#formatResult(q.method!.resultNames, value));
      } else {
        try {
          const struct = this.#payloads.read(reader, m.results.content, q.method.results);
          value = q.method.readResults(struct, capReader(targets));
          this.#logClientResponse(q, () => this.#formatResult(q.method!.resultNames, value));
        } catch (error) {
          failure = error;
        }
      }
      this.#sendLazy(encodeFinish(q.id, false));
      this.#freeQuestion(q);
      if (failure !== null) q.reject(failure);
      else q.resolve(value);
    } finally {
      for (const t of targets) t.release();
    }
  }

  /** Our question's results are those of a call the peer forwarded back to us. */
  #takeFromOtherQuestion(q: Question, answerId: number): void {
    if (q.canceled) {
      // Canceled while waiting for the forwarded call: our Finish has gone already.
      this.#freeQuestion(q);
      return;
    }
    const answer = this.#answers.get(answerId);
    if (answer !== undefined && answer.toYourself && answer.state === "pending") {
      // The forwarded call is still running here: take its results when it finishes.
      answer.whenSettled(() => this.#takeFromOtherQuestion(q, answerId));
      return;
    }
    if (answer === undefined || !answer.toYourself) {
      const error = new RemoteError(`takeFromOtherQuestion names no finished call ${answerId}`);
      this.#failQuestion(q, answer?.error ?? error);
      return;
    }
    if (answer.state !== "returned" || answer.held === null) {
      this.#failQuestion(q, answer.error ?? new Error("call was canceled"));
      return;
    }
    const held = answer.held;
    answer.held = null;
    const value = held.value;
    const resultCap = q.method?.resultCap;
    if (q.pipelines) {
      for (const p of q.pipelines.values()) {
        let target: CapTarget | null = null;
        if (resultCap && p.transform.length === 1 && p.transform[0] === resultCap.pointer) {
          try {
            target = targetOf(value, resultCap.binding());
          } catch {
            target = null;
          }
        }
        p.resolveTo(target ?? new BrokenTarget(new Error("pipelined field is not a capability")));
      }
      q.pipelines = null;
    }
    const result = resultCap ? q.pipelineProxy : value;
    this.#logClientResponse(q, () => this.#formatResult(q.method!.resultNames, result));
    this.#sendLazy(encodeFinish(q.id, false));
    this.#freeQuestion(q);
    q.resolve(result);
    // The pipelines hold their own references now.
    held.release();
  }

  #failQuestion(q: Question, error: Error): void {
    this.#sendLazy(encodeFinish(q.id, false));
    this.#freeQuestion(q);
    q.reject(error);
    q.failPipelines(error);
  }

  #logClientResponse(q: Question, text: () => string): void {
    if (q.method === null || q.binding === null) return;
    this.#debug(
      () =>
        `IPC client recv response #${q.requestNo} ${q.binding!.name}.${
          q.method!.name
        }$Results ${text()}`,
    );
  }

  #handleUnimplemented(inner: RpcMessage | null): void {
    if (inner === null) return;
    if (inner.tag === "call") {
      const q = this.#questions.get(inner.questionId);
      if (q) {
        const error = new RemoteError("peer does not implement this call", "unimplemented");
        this.#freeQuestion(q);
        q.reject(error);
        q.failPipelines(error);
      }
      return;
    }
    this.#debug(() => `IPC peer did not understand a ${inner.tag} message`);
  }

  // -------------------------------------------------------------------------------------------
  // Answers (the peer's calls)

  #handleBootstrap(questionId: number): void {
    const answer = this.#newAnswer(questionId);
    if (this.#bootstrapTarget === null) {
      this.#failAnswer(answer, new Error("no bootstrap capability is served here"));
      return;
    }
    const segment = new ArrayBuffer(8);
    new DataView(segment).setUint32(0, 3, true); // capability pointer, index 0
    const targets = [this.#bootstrapTarget];
    const caps = targets.map((t) => this.#exports.describe(t));
    this.#returnBuilt(answer, { content: new Uint8Array(segment), caps, segment, targets });
  }

  #newAnswer(questionId: number): Answer {
    if (this.#answers.has(questionId)) throw new Error(`question id ${questionId} reused`);
    const answer = new Answer(questionId, ++this.#requestCounter, this.#traversalWords);
    this.#answers.set(questionId, answer);
    return answer;
  }

  #handleCall(m: Extract<RpcMessage, { tag: "call" }>, reader: WireReader): void {
    const answer = this.#newAnswer(m.questionId);
    if (this.#answers.size > this.#maxCallsInProgress) {
      this.#failAnswer(answer, new RemoteError("too many calls in progress", "overloaded"));
      return;
    }
    // `yourself`: the peer forwarded a call back to us (a tail call) and will tell us, in the
    // Return of one of our own questions, to use these results there.
    answer.toYourself = !m.sendResultsToCaller;
    const binding = bindingForId(m.interfaceId);
    const method = binding?.methods[m.methodId];
    if (binding === undefined || method === undefined) {
      const name = binding
        ? `${binding.name} method ${m.methodId}`
        : `interface 0x${m.interfaceId.toString(16)} method ${m.methodId}`;
      this.#failAnswer(answer, new RemoteError(`method not implemented: ${name}`, "unimplemented"));
      return;
    }
    const target = this.#callTarget(m.target);
    const targets = this.#importCaps(m.params.caps);
    let args: unknown[];
    try {
      const struct = this.#payloads.read(reader, m.params.content, method.params);
      args = method.readParams(struct, capReader(targets));
    } catch (error) {
      for (const t of targets) t.release();
      target.release();
      throw error;
    }
    for (const t of targets) t.release();
    if (this.#log.willLog("ipc", "debug")) {
      this.#debug(() =>
        `IPC server recv request #${answer.requestNo} ${binding.name}.${method.name}$Params ${
          this.#formatParams(method.paramNames, args)
        }`
      );
    }
    const paramCount = method.paramNames.length;
    args.length = paramCount;
    args.push(answer.callOptions());
    let promise: Promise<unknown>;
    try {
      promise = target.call(method, args, binding);
    } catch (error) {
      promise = Promise.reject(error);
    }
    target.release();
    promise.then(
      (value) => {
        try {
          this.#completeAnswer(answer, value, method, binding, args);
        } catch (error) {
          this.#internalError(error);
        }
      },
      (error) => {
        try {
          this.#completeAnswerError(answer, error, method, binding, args);
        } catch (internal) {
          this.#internalError(internal);
        }
      },
    );
  }

  /** A server method resolved: send its results (or keep them, for `yourself`). */
  #completeAnswer(
    answer: Answer,
    value: unknown,
    method: MethodBinding,
    binding: InterfaceBinding<unknown>,
    args: unknown[],
  ): void {
    const paramCount = method.paramNames.length;
    if (answer.state !== "pending") {
      releaseArgs(args, paramCount);
      return;
    }
    if (answer.toYourself) {
      // The results may be (or hold) lent parameters: keep those until the results are taken.
      answer.heldForTailCall(value, () => releaseArgs(args, paramCount));
      this.#send(encodeReturnSentElsewhere(answer.id));
      this.#answerReturned(answer);
      answer.notifySettled();
      return;
    }
    let built: BuiltPayload;
    try {
      built = this.#payloads.build(
        method.results,
        (s, caps) => method.writeResults(s, value, caps),
      );
    } catch (error) {
      releaseArgs(args, paramCount);
      this.#failAnswer(answer, error);
      return;
    }
    this.#debug(
      () =>
        `IPC server send response #${answer.requestNo} ${binding.name}.${method.name}$Results ${
          this.#formatResult(method.resultNames, value)
        }`,
    );
    this.#returnBuilt(answer, built);
    // Parameters are lent for the call; results may reuse them, so release after.
    releaseArgs(args, paramCount);
  }

  /** A server method failed: send the exception with its message. */
  #completeAnswerError(
    answer: Answer,
    error: unknown,
    method: MethodBinding,
    binding: InterfaceBinding<unknown>,
    args: unknown[],
  ): void {
    releaseArgs(args, method.paramNames.length);
    if (answer.state !== "pending") return;
    this.#debug(
      () =>
        `IPC server send response #${answer.requestNo} ${binding.name}.${method.name} exception: ${
          errorText(error)
        }`,
    );
    this.#failAnswer(answer, error);
  }

  /** A `-debug=ipc` line; building or writing it can never break a call. */
  #debug(text: () => string): void {
    try {
      this.#log.debug("ipc", text);
    } catch (error) {
      this.#guarded(() => this.#log.error(`IPC log line failed: ${errorText(error)}`, "ipc"));
    }
  }

  /**
   * Runs work from a promise callback: nothing thrown there (a logger, a formatter) may become
   * an unhandled rejection, which would end the process.
   */
  #guarded(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#internalError(error);
    }
  }

  /** Logs a failure in our own code (or a logger's); never throws. */
  #internalError(error: unknown): void {
    try {
      this.#log.error(`IPC internal error: ${errorText(error)}`, "ipc");
    } catch {
      // nothing more we can do
    }
  }

  /** The target of an incoming call or disembargo, with one reference. */
  #callTarget(target: MessageTarget): CapTarget {
    if (target.kind === "import") {
      const exported = this.#exports.get(target.id);
      if (exported === undefined) {
        return new BrokenTarget(new RemoteError(`no capability with export id ${target.id}`));
      }
      exported.addRef();
      return exported;
    }
    const answer = this.#answers.get(target.questionId);
    if (answer === undefined) {
      return new BrokenTarget(new RemoteError(`no answer with id ${target.questionId}`));
    }
    return answer.target(target.transform);
  }

  #returnBuilt(answer: Answer, built: BuiltPayload): void {
    answer.returned(built.segment, built.targets, exportIdsOf(built.caps));
    this.#send(encodeReturnResults(answer.id, built));
    this.#answerReturned(answer);
  }

  #failAnswer(answer: Answer, error: unknown): void {
    answer.failed(error);
    const type = error instanceof RemoteError ? error.type : "failed";
    this.#send(encodeReturnException(answer.id, { reason: errorText(error), type }));
    this.#answerReturned(answer);
    answer.notifySettled();
  }

  #answerReturned(answer: Answer): void {
    if (answer.finished) this.#dropAnswer(answer);
  }

  #dropAnswer(answer: Answer): void {
    if (this.#answers.get(answer.id) === answer) this.#answers.delete(answer.id);
    answer.releaseResults();
    if (answer.held !== null) {
      // Tail-call results nobody took.
      answer.held.release();
      answer.held = null;
    }
  }

  #handleFinish(questionId: number, releaseResultCaps: boolean): void {
    const answer = this.#answers.get(questionId);
    if (answer === undefined) throw new Error(`Finish for unknown question ${questionId}`);
    if (answer.finished) throw new Error(`duplicate Finish for question ${questionId}`);
    answer.finished = true;
    if (answer.state === "pending") {
      // Canceled by the caller while running: tell the server through its signal.
      this.#debug(() => `IPC server request #${answer.requestNo} canceled`);
      answer.canceled(new DOMException("call canceled by the caller", "AbortError"));
      this.#send(encodeReturnCanceled(answer.id));
      this.#dropAnswer(answer);
      answer.notifySettled();
      return;
    }
    if (releaseResultCaps) {
      for (const id of answer.resultExports) this.#exports.release(id, 1);
    }
    this.#dropAnswer(answer);
  }

  // -------------------------------------------------------------------------------------------
  // Capability tables

  /** Turns received descriptors into targets, one reference each. */
  #importCaps(caps: readonly CapDescriptor[]): CapTarget[] {
    if (caps.length === 0) return [];
    return caps.map((d) => this.#importCap(d));
  }

  #importCap(d: CapDescriptor): CapTarget {
    switch (d.kind) {
      case "none":
        return new BrokenTarget(new Error("null capability"));
      case "senderHosted":
      case "senderPromise": {
        let imp = this.#imports.get(d.id);
        if (imp === undefined) {
          imp = new ImportTarget(this.#host, d.id, d.kind === "senderPromise");
          this.#imports.set(d.id, imp);
        }
        imp.remoteRefs++;
        imp.addRef();
        return imp;
      }
      case "receiverHosted": {
        const target = this.#exports.get(d.id);
        if (target === undefined) throw new Error(`receiverHosted names unknown export ${d.id}`);
        target.addRef();
        return target;
      }
      case "receiverAnswer": {
        const answer = this.#answers.get(d.questionId);
        if (answer === undefined) {
          throw new Error(`receiverAnswer names unknown question ${d.questionId}`);
        }
        return answer.target(d.transform);
      }
      case "thirdPartyHosted":
        throw new Error("third-party capabilities are not supported in a two-party connection");
    }
  }

  /** Called by an import when its last local reference goes. */
  #releaseImport(imp: ImportTarget): void {
    if (this.#imports.get(imp.id) !== imp) return;
    this.#imports.delete(imp.id);
    if (this.#error === null) this.#send(encodeRelease(imp.id, imp.remoteRefs));
  }

  #handleResolve(
    promiseId: number,
    cap: CapDescriptor | null,
    exception: WireException | null,
  ): void {
    const imp = this.#imports.get(promiseId);
    let resolved: CapTarget;
    if (cap !== null) resolved = this.#importCap(cap);
    else {resolved = new BrokenTarget(
        new RemoteError(exception?.reason ?? "broken promise", exception?.type),
      );}
    if (imp === undefined || !imp.isPromise) {
      // Already released by us: drop what the Resolve handed over.
      resolved.release();
      return;
    }
    imp.resolveTo(resolved);
  }

  /** Sends a Disembargo loopback for a promise that resolved to something we host. */
  #startEmbargo(target: MessageTarget, lift: () => void): void {
    const id = this.#nextEmbargoId++;
    this.#embargoes.set(id, lift);
    this.#send(encodeDisembargo(target, "senderLoopback", id));
  }

  #handleDisembargo(target: MessageTarget, context: string, embargoId: number): void {
    if (context === "receiverLoopback") {
      const lift = this.#embargoes.get(embargoId);
      if (lift === undefined) throw new Error(`Disembargo for unknown embargo ${embargoId}`);
      this.#embargoes.delete(embargoId);
      lift();
      return;
    }
    if (context !== "senderLoopback") {
      this.#send(encodeUnimplementedDisembargo());
      return;
    }
    // Calls we forwarded toward this target were sent before this point (we forward at once),
    // so the loopback can go straight back, addressed to where the target now points.
    const resolved = this.#callTarget(target);
    const settled = resolved.settled();
    resolved.release();
    let back: MessageTarget;
    if (settled instanceof ImportTarget && settled.conn === this.#host) {
      back = { kind: "import", id: settled.id };
    } else if (settled instanceof PipelineTarget && settled.conn === this.#host) {
      back = { kind: "answer", questionId: settled.questionId, transform: settled.transform };
    } else {
      throw new Error(
        "Disembargo senderLoopback for a target that does not point back to the peer",
      );
    }
    this.#send(encodeDisembargo(back, "receiverLoopback", embargoId));
  }

  // -------------------------------------------------------------------------------------------
}

function encodeUnimplementedDisembargo(): Uint8Array {
  return encodeAbort({ reason: "unsupported Disembargo context", type: "unimplemented" });
}

function noop(): void {}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
