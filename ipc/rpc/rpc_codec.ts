/**
 * Encoding and decoding of rpc.capnp messages (the two-party subset), by hand on the fixed
 * layout that `capnp compile -ocapnp /usr/include/capnp/rpc.capnp` prints.
 *
 * Parameters and results stay in their message: a decoded payload carries the location of its
 * content pointer, and {@linkcode contentMessage} gives capnp-es a view of it.
 *
 * @module
 */
import { Message as CapnpMessage } from "capnp-es";
import { Message as RpcRoot } from "capnp-es/capnp/rpc";
import {
  type PointerLocation,
  type StructView,
  WireError,
  type WireReader,
  WireWriter,
} from "./wire.ts";

/** Message union tags (rpc.capnp `Message`). */
export const MessageTag = {
  unimplemented: 0,
  abort: 1,
  call: 2,
  return: 3,
  finish: 4,
  resolve: 5,
  release: 6,
  bootstrap: 8,
  disembargo: 13,
} as const;

/** rpc.capnp `Exception.Type`. */
export type ExceptionType = "failed" | "overloaded" | "disconnected" | "unimplemented";
const EXCEPTION_TYPES: readonly ExceptionType[] = [
  "failed",
  "overloaded",
  "disconnected",
  "unimplemented",
];

/** An exception as carried on the wire. */
export interface WireException {
  reason: string;
  type: ExceptionType;
}

/** What a call or disembargo is addressed to. */
export type MessageTarget =
  | { kind: "import"; id: number }
  | { kind: "answer"; questionId: number; transform: number[] };

/** One entry of a payload's capability table. */
export type CapDescriptor =
  | { kind: "none" }
  | { kind: "senderHosted"; id: number }
  | { kind: "senderPromise"; id: number }
  | { kind: "receiverHosted"; id: number }
  | { kind: "receiverAnswer"; questionId: number; transform: number[] }
  | { kind: "thirdPartyHosted" };

/** A received payload: where its content pointer is, and its capability table. */
export interface Payload {
  content: PointerLocation | null;
  caps: CapDescriptor[];
}

/** A decoded incoming message. */
export type RpcMessage =
  | { tag: "bootstrap"; questionId: number }
  | {
    tag: "call";
    questionId: number;
    target: MessageTarget;
    interfaceId: bigint;
    methodId: number;
    params: Payload;
    sendResultsToCaller: boolean;
  }
  | {
    tag: "return";
    answerId: number;
    releaseParamCaps: boolean;
    results: Payload | null;
    exception: WireException | null;
    canceled: boolean;
    /** Set when the results are those of a call we received with `sendResultsTo.yourself`. */
    takeFromOtherQuestion: number | null;
    /** Any other kind (results sent elsewhere, third party). */
    other: number | null;
  }
  | { tag: "finish"; questionId: number; releaseResultCaps: boolean }
  | {
    tag: "resolve";
    promiseId: number;
    cap: CapDescriptor | null;
    exception: WireException | null;
  }
  | { tag: "release"; id: number; referenceCount: number }
  | {
    tag: "disembargo";
    target: MessageTarget;
    context: "senderLoopback" | "receiverLoopback" | "other";
    embargoId: number;
  }
  | { tag: "abort"; exception: WireException }
  | { tag: "unimplemented"; inner: RpcMessage | null }
  | { tag: "unknown"; which: number };

/** Limits for decoding one message. */
export interface DecodeLimits {
  /** Words readable through pointers per message. */
  traversalLimitWords: number;
  /** Deepest struct nesting inside parameters and results (checked by capnp-es). */
  nestingLimit: number;
}

/** Decodes a framed message's segments; throws {@linkcode WireError} on malformed input. */
export function decodeRpcMessage(reader: WireReader): RpcMessage {
  return decodeMessageStruct(reader, reader.root(), 0);
}

function decodeMessageStruct(r: WireReader, root: StructView, depth: number): RpcMessage {
  const which = r.u16(root, 0);
  const body = r.structField(root, 0);
  switch (which) {
    case MessageTag.bootstrap:
      return { tag: "bootstrap", questionId: r.u32(body, 0) };
    case MessageTag.call:
      return {
        tag: "call",
        questionId: r.u32(body, 0),
        target: decodeTarget(r, r.structField(body, 0)),
        interfaceId: r.u64(body, 8),
        methodId: r.u16(body, 4),
        params: decodePayload(r, r.structField(body, 1)),
        sendResultsToCaller: r.u16(body, 6) === 0,
      };
    case MessageTag.return: {
      const kind = r.u16(body, 6);
      return {
        tag: "return",
        answerId: r.u32(body, 0),
        releaseParamCaps: !r.bit(body, 32),
        results: kind === 0 ? decodePayload(r, r.structField(body, 0)) : null,
        exception: kind === 1 ? decodeException(r, r.structField(body, 0)) : null,
        canceled: kind === 2,
        takeFromOtherQuestion: kind === 4 ? r.u32(body, 8) : null,
        other: kind === 3 || kind > 4 ? kind : null,
      };
    }
    case MessageTag.finish:
      return { tag: "finish", questionId: r.u32(body, 0), releaseResultCaps: !r.bit(body, 32) };
    case MessageTag.resolve: {
      const kind = r.u16(body, 4);
      return {
        tag: "resolve",
        promiseId: r.u32(body, 0),
        cap: kind === 0 ? decodeCapDescriptor(r, r.structField(body, 0)) : null,
        exception: kind === 1 ? decodeException(r, r.structField(body, 0)) : null,
      };
    }
    case MessageTag.release:
      return { tag: "release", id: r.u32(body, 0), referenceCount: r.u32(body, 4) };
    case MessageTag.disembargo: {
      const kind = r.u16(body, 4);
      return {
        tag: "disembargo",
        target: decodeTarget(r, r.structField(body, 0)),
        context: kind === 0 ? "senderLoopback" : kind === 1 ? "receiverLoopback" : "other",
        embargoId: r.u32(body, 0),
      };
    }
    case MessageTag.abort:
      return { tag: "abort", exception: decodeException(r, body) };
    case MessageTag.unimplemented:
      return {
        tag: "unimplemented",
        inner: depth === 0 && !r.isNull(r.pointer(root, 0))
          ? decodeMessageStruct(r, body, depth + 1)
          : null,
      };
    default:
      return { tag: "unknown", which };
  }
}

function decodeTarget(r: WireReader, s: StructView): MessageTarget {
  const kind = r.u16(s, 4);
  if (kind === 0) return { kind: "import", id: r.u32(s, 0) };
  if (kind === 1) {
    const answer = r.structField(s, 0);
    return { kind: "answer", questionId: r.u32(answer, 0), transform: decodeTransform(r, answer) };
  }
  throw new WireError(`unknown message target ${kind}`);
}

function decodeTransform(r: WireReader, promisedAnswer: StructView): number[] {
  const ops = r.structList(r.pointer(promisedAnswer, 0));
  const out: number[] = [];
  for (const op of ops) {
    const kind = r.u16(op, 0);
    if (kind === 1) out.push(r.u16(op, 2));
    else if (kind !== 0) throw new WireError(`unknown pipeline op ${kind}`);
  }
  return out;
}

function decodePayload(r: WireReader, s: StructView): Payload {
  const content = r.pointer(s, 0);
  const caps = r.structList(r.pointer(s, 1)).map((d) => decodeCapDescriptor(r, d));
  return { content: r.isNull(content) ? null : content, caps };
}

function decodeCapDescriptor(r: WireReader, s: StructView): CapDescriptor {
  const kind = r.u16(s, 0);
  switch (kind) {
    case 0:
      return { kind: "none" };
    case 1:
      return { kind: "senderHosted", id: r.u32(s, 4) };
    case 2:
      return { kind: "senderPromise", id: r.u32(s, 4) };
    case 3:
      return { kind: "receiverHosted", id: r.u32(s, 4) };
    case 4: {
      const answer = r.structField(s, 0);
      return {
        kind: "receiverAnswer",
        questionId: r.u32(answer, 0),
        transform: decodeTransform(r, answer),
      };
    }
    case 5:
      return { kind: "thirdPartyHosted" };
    default:
      throw new WireError(`unknown capability descriptor ${kind}`);
  }
}

function decodeException(r: WireReader, s: StructView): WireException {
  const type = EXCEPTION_TYPES[r.u16(s, 4)] ?? "failed";
  return { reason: r.text(r.pointer(s, 0)), type };
}

/**
 * A capnp-es message over a received frame, for reading parameters or results with generated
 * classes. Its traversal limit is set from `limits`.
 */
export function contentMessage(
  segments: readonly ArrayBuffer[],
  traversalWords: number,
): CapnpMessage {
  let message: CapnpMessage;
  if (segments.length === 1) {
    message = new CapnpMessage(segments[0], false, true);
  } else {
    // Rare (large messages): rebuild the framed form capnp-es parses.
    const table = (4 + 4 * segments.length + 7) & ~7;
    let total = table;
    for (const s of segments) total += s.byteLength;
    const framed = new Uint8Array(total);
    const view = new DataView(framed.buffer);
    view.setUint32(0, segments.length - 1, true);
    let at = table;
    segments.forEach((s, i) => {
      view.setUint32(4 + 4 * i, s.byteLength / 8, true);
      framed.set(new Uint8Array(s), at);
      at += s.byteLength;
    });
    message = new CapnpMessage(framed.buffer, false);
  }
  message._capnp.traversalLimit = traversalWords * 8;
  return message;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Parameters or results ready to embed: a capnp-es single-segment message and its caps. */
export interface OutgoingPayload {
  /** The content message's segment bytes (root pointer first), or null for no content. */
  content: Uint8Array | null;
  caps: readonly CapDescriptor[];
}

function beginMessage(tag: number, bodyData: number, bodyPtrs: number, hint = 64): {
  w: WireWriter;
  body: StructView;
} {
  const w = new WireWriter(hint);
  const rootPtr = w.alloc(1);
  const root = w.struct(rootPtr, 1, 1);
  w.setU16(root.data, tag);
  const body = w.struct(root.ptrs, bodyData, bodyPtrs);
  return { w, body };
}

function writeTarget(w: WireWriter, ptrPos: number, target: MessageTarget): void {
  const s = w.struct(ptrPos, 1, 1);
  if (target.kind === "import") {
    w.setU32(s.data, target.id);
    return;
  }
  w.setU16(s.data + 4, 1);
  writePromisedAnswer(w, s.ptrs, target.questionId, target.transform);
}

function writePromisedAnswer(
  w: WireWriter,
  ptrPos: number,
  questionId: number,
  transform: readonly number[],
): void {
  const answer = w.struct(ptrPos, 1, 1);
  w.setU32(answer.data, questionId);
  if (transform.length === 0) return;
  const ops = w.structList(answer.ptrs, transform.length, 1, 0);
  for (let i = 0; i < transform.length; i++) {
    w.setU16(ops[i].data, 1);
    w.setU16(ops[i].data + 2, transform[i]);
  }
}

function writePayload(w: WireWriter, ptrPos: number, payload: OutgoingPayload): void {
  const s = w.struct(ptrPos, 0, 2);
  if (payload.content !== null) w.embed(s.ptrs, payload.content);
  const caps = payload.caps;
  if (caps.length === 0) return;
  const list = w.structList(s.ptrs + 8, caps.length, 1, 1);
  for (let i = 0; i < caps.length; i++) writeCapDescriptor(w, list[i], caps[i]);
}

function writeCapDescriptor(w: WireWriter, s: StructView, cap: CapDescriptor): void {
  switch (cap.kind) {
    case "none":
      return;
    case "senderHosted":
      w.setU16(s.data, 1);
      w.setU32(s.data + 4, cap.id);
      return;
    case "senderPromise":
      w.setU16(s.data, 2);
      w.setU32(s.data + 4, cap.id);
      return;
    case "receiverHosted":
      w.setU16(s.data, 3);
      w.setU32(s.data + 4, cap.id);
      return;
    case "receiverAnswer":
      w.setU16(s.data, 4);
      writePromisedAnswer(w, s.ptrs, cap.questionId, cap.transform);
      return;
    case "thirdPartyHosted":
      throw new Error("third-party capabilities are not supported");
  }
}

function writeException(w: WireWriter, s: StructView, e: WireException): void {
  w.setU16(s.data + 4, Math.max(0, EXCEPTION_TYPES.indexOf(e.type)));
  w.text(s.ptrs, e.reason);
}

/** Encodes `Bootstrap`. */
export function encodeBootstrap(questionId: number): Uint8Array {
  const { w, body } = beginMessage(MessageTag.bootstrap, 1, 1);
  w.setU32(body.data, questionId);
  return w.finish();
}

/** Encodes `Call` (results go to the caller). */
export function encodeCall(
  questionId: number,
  target: MessageTarget,
  interfaceId: bigint,
  methodId: number,
  params: OutgoingPayload,
): Uint8Array {
  const hint = 120 + (params.content?.length ?? 0) + params.caps.length * 24;
  const { w, body } = beginMessage(MessageTag.call, 3, 3, hint);
  w.setU32(body.data, questionId);
  w.setU16(body.data + 4, methodId);
  w.setU64(body.data + 8, interfaceId);
  writeTarget(w, body.ptrs, target);
  writePayload(w, body.ptrs + 8, params);
  return w.finish();
}

/** Encodes `Return` with results; we always release parameter caps one by one. */
export function encodeReturnResults(answerId: number, results: OutgoingPayload): Uint8Array {
  const hint = 72 + (results.content?.length ?? 0) + results.caps.length * 24;
  const { w, body } = beginMessage(MessageTag.return, 2, 1, hint);
  w.setU32(body.data, answerId);
  w.setBit(body.data, 32, true); // releaseParamCaps = false (stored XOR its default, true)
  writePayload(w, body.ptrs, results);
  return w.finish();
}

/** Encodes `Return` with an exception. */
export function encodeReturnException(answerId: number, e: WireException): Uint8Array {
  const { w, body } = beginMessage(MessageTag.return, 2, 1, 96 + e.reason.length * 3);
  w.setU32(body.data, answerId);
  w.setBit(body.data, 32, true);
  w.setU16(body.data + 6, 1);
  writeException(w, w.struct(body.ptrs, 1, 2), e);
  return w.finish();
}

/** Encodes `Return` for a call whose results we keep (`sendResultsTo.yourself`). */
export function encodeReturnSentElsewhere(answerId: number): Uint8Array {
  const { w, body } = beginMessage(MessageTag.return, 2, 1);
  w.setU32(body.data, answerId);
  w.setBit(body.data, 32, true);
  w.setU16(body.data + 6, 3);
  return w.finish();
}

/** Encodes `Return` for a call the caller canceled. */
export function encodeReturnCanceled(answerId: number): Uint8Array {
  const { w, body } = beginMessage(MessageTag.return, 2, 1);
  w.setU32(body.data, answerId);
  w.setBit(body.data, 32, true);
  w.setU16(body.data + 6, 2);
  return w.finish();
}

/** Encodes `Finish`. */
export function encodeFinish(questionId: number, releaseResultCaps: boolean): Uint8Array {
  const { w, body } = beginMessage(MessageTag.finish, 1, 0, 32);
  w.setU32(body.data, questionId);
  w.setBit(body.data, 32, !releaseResultCaps);
  return w.finish();
}

/** Encodes `Release`. */
export function encodeRelease(id: number, referenceCount: number): Uint8Array {
  const { w, body } = beginMessage(MessageTag.release, 1, 0, 32);
  w.setU32(body.data, id);
  w.setU32(body.data + 4, referenceCount);
  return w.finish();
}

/** Encodes `Disembargo` with a loopback context. */
export function encodeDisembargo(
  target: MessageTarget,
  context: "senderLoopback" | "receiverLoopback",
  embargoId: number,
): Uint8Array {
  const { w, body } = beginMessage(MessageTag.disembargo, 1, 1, 96);
  w.setU32(body.data, embargoId);
  w.setU16(body.data + 4, context === "senderLoopback" ? 0 : 1);
  writeTarget(w, body.ptrs, target);
  return w.finish();
}

/** Encodes `Abort`. */
export function encodeAbort(e: WireException): Uint8Array {
  const w = new WireWriter(96 + e.reason.length * 3);
  const rootPtr = w.alloc(1);
  const root = w.struct(rootPtr, 1, 1);
  w.setU16(root.data, MessageTag.abort);
  writeException(w, w.struct(root.ptrs, 1, 2), e);
  return w.finish();
}

/**
 * Encodes `Unimplemented` echoing a received message's root (copied by capnp-es, as this is a
 * rare path).
 */
export function encodeUnimplemented(received: readonly ArrayBuffer[]): Uint8Array {
  const source = contentMessage(received, 1 << 20);
  const out = new CapnpMessage();
  const root = out.initRoot(RpcRoot);
  root.unimplemented = source.getRoot(RpcRoot);
  return new Uint8Array(out.toArrayBuffer());
}
