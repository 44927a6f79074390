/**
 * Our hand-written rpc.capnp envelope codec, checked against capnp-es's generated rpc.capnp
 * classes in both directions, plus far pointers and the traversal limit.
 */
import assert from "node:assert/strict";
import { Message, utils } from "capnp-es";
import * as R from "capnp-es/capnp/rpc";
import {
  decodeRpcMessage,
  encodeAbort,
  encodeBootstrap,
  encodeCall,
  encodeDisembargo,
  encodeFinish,
  encodeRelease,
  encodeReturnException,
  encodeReturnResults,
} from "./rpc_codec.ts";
import { WireError, WireReader } from "./wire.ts";
import { FrameReader } from "../framing.ts";
import { Echo_Echo$Params } from "../../schemas/gen/echo.ts";

/** Parses our encoded bytes with capnp-es. */
function viaCapnpEs(bytes: Uint8Array): R.Message {
  return new Message(bytes.slice().buffer, false).getRoot(R.Message);
}

/** Decodes capnp-es output with our codec. */
function viaOurs(m: Message) {
  const frames: ArrayBuffer[][] = [];
  new FrameReader((f) => frames.push(f)).push(new Uint8Array(m.toArrayBuffer()));
  return { message: decodeRpcMessage(new WireReader(frames[0], 1 << 20)), frame: frames[0] };
}

function echoContent(text: string): Uint8Array {
  const m = new Message();
  m.initRoot(Echo_Echo$Params).echo = text;
  const seg = m.getSegment(0);
  return new Uint8Array(seg.buffer, 0, seg.byteLength);
}

Deno.test("our Call reads back through capnp-es's generated classes", () => {
  const bytes = encodeCall(
    7,
    { kind: "answer", questionId: 3, transform: [0, 2] },
    0x1234567890abcdefn,
    5,
    {
      content: echoContent("hi there"),
      caps: [{ kind: "senderHosted", id: 9 }, {
        kind: "receiverAnswer",
        questionId: 4,
        transform: [1],
      }],
    },
  );
  const root = viaCapnpEs(bytes);
  assert.equal(root.which(), R.Message.CALL);
  const call = root.call;
  assert.equal(call.questionId, 7);
  assert.equal(call.interfaceId, 0x1234567890abcdefn);
  assert.equal(call.methodId, 5);
  assert.equal(call.sendResultsTo.which(), R.Call_SendResultsTo.CALLER);
  const pa = call.target.promisedAnswer;
  assert.equal(pa.questionId, 3);
  assert.deepEqual(pa.transform.map((op: R.PromisedAnswer_Op) => op.getPointerField), [0, 2]);
  const caps = call.params.capTable;
  assert.equal(caps.length, 2);
  assert.equal(caps.get(0).senderHosted, 9);
  assert.equal(caps.get(1).receiverAnswer.questionId, 4);
  assert.equal(caps.get(0).attachedFd, 255); // default kept
  const params = utils.getAs(Echo_Echo$Params, call.params.content);
  assert.equal(params.echo, "hi there");
});

Deno.test("our Return, Finish, Release, Bootstrap, Disembargo and Abort read back", () => {
  const ret = viaCapnpEs(encodeReturnResults(11, { content: echoContent("r"), caps: [] })).return;
  assert.equal(ret.answerId, 11);
  assert.equal(ret.releaseParamCaps, false);
  assert.equal(utils.getAs(Echo_Echo$Params, ret.results.content).echo, "r");

  const exc = viaCapnpEs(encodeReturnException(12, { reason: "bad thing", type: "overloaded" }))
    .return;
  assert.equal(exc.exception.reason, "bad thing");
  assert.equal(exc.exception.type, R.Exception_Type.OVERLOADED);

  const fin = viaCapnpEs(encodeFinish(13, false)).finish;
  assert.equal(fin.questionId, 13);
  assert.equal(fin.releaseResultCaps, false);
  assert.equal(viaCapnpEs(encodeFinish(13, true)).finish.releaseResultCaps, true);

  const rel = viaCapnpEs(encodeRelease(14, 3)).release;
  assert.deepEqual([rel.id, rel.referenceCount], [14, 3]);

  assert.equal(viaCapnpEs(encodeBootstrap(15)).bootstrap.questionId, 15);

  const dis = viaCapnpEs(encodeDisembargo({ kind: "import", id: 16 }, "receiverLoopback", 17))
    .disembargo;
  assert.equal(dis.target.importedCap, 16);
  assert.equal(dis.context.receiverLoopback, 17);

  assert.equal(viaCapnpEs(encodeAbort({ reason: "bye", type: "failed" })).abort.reason, "bye");
});

Deno.test("capnp-es-built Call, Return, Resolve and Disembargo decode with our codec", () => {
  {
    const m = new Message();
    const call = m.initRoot(R.Message)._initCall();
    call.questionId = 21;
    call.interfaceId = 0xfeedn;
    call.methodId = 3;
    call._initTarget().importedCap = 22;
    const caps = call._initParams()._initCapTable(1);
    caps.get(0).senderPromise = 23;
    const { message } = viaOurs(m);
    assert.equal(message.tag, "call");
    if (message.tag !== "call") return;
    assert.deepEqual(message.target, { kind: "import", id: 22 });
    assert.equal(message.interfaceId, 0xfeedn);
    assert.equal(message.methodId, 3);
    assert.deepEqual(message.params.caps, [{ kind: "senderPromise", id: 23 }]);
    assert.equal(message.sendResultsToCaller, true);
  }
  {
    const m = new Message();
    const ret = m.initRoot(R.Message)._initReturn();
    ret.answerId = 31;
    ret._initException().reason = "nope";
    const { message } = viaOurs(m);
    assert.equal(message.tag, "return");
    if (message.tag !== "return") return;
    assert.equal(message.releaseParamCaps, true); // the schema default
    assert.deepEqual(message.exception, { reason: "nope", type: "failed" });
  }
  {
    const m = new Message();
    const res = m.initRoot(R.Message)._initResolve();
    res.promiseId = 41;
    res._initCap().receiverHosted = 42;
    const { message } = viaOurs(m);
    assert.deepEqual(message, {
      tag: "resolve",
      promiseId: 41,
      cap: { kind: "receiverHosted", id: 42 },
      exception: null,
    });
  }
  {
    const m = new Message();
    const dis = m.initRoot(R.Message)._initDisembargo();
    const pa = dis._initTarget()._initPromisedAnswer();
    pa.questionId = 51;
    pa._initTransform(1).get(0).getPointerField = 4;
    dis._initContext().senderLoopback = 52;
    const { message } = viaOurs(m);
    assert.deepEqual(message, {
      tag: "disembargo",
      target: { kind: "answer", questionId: 51, transform: [4] },
      context: "senderLoopback",
      embargoId: 52,
    });
  }
});

/** A Release message whose root is reached through a far pointer (single or double). */
function farRelease(double: boolean): ArrayBuffer[] {
  // Segment 0: one far pointer. Segment 1: landing pad(s), Message struct, Release struct.
  const seg0 = new ArrayBuffer(8);
  const s0 = new DataView(seg0);
  const seg1 = new ArrayBuffer(8 * 6);
  const s1 = new DataView(seg1);
  if (!double) {
    s0.setUint32(0, (0 << 3) | 2, true); // far, landing pad at word 0 of segment 1
    s0.setUint32(4, 1, true);
    // Landing pad: struct pointer to the Message struct right after it (offset 0).
    s1.setUint32(0, 0, true);
    s1.setUint32(4, 1 | (1 << 16), true);
    s1.setUint16(8, 6, true); // Message.which = release
    s1.setUint32(16, 0, true); // pointer to Release struct at word 3: offset 0
    s1.setUint32(20, 1, true); // 1 data word, 0 pointers
    s1.setUint32(24, 61, true);
    s1.setUint32(28, 2, true);
  } else {
    s0.setUint32(0, (0 << 3) | 4 | 2, true); // double far, pad at word 0 of segment 1
    s0.setUint32(4, 1, true);
    s1.setUint32(0, (2 << 3) | 2, true); // content starts at word 2 of segment 1
    s1.setUint32(4, 1, true);
    s1.setUint32(8, 0, true); // tag: struct, offset unused
    s1.setUint32(12, 1 | (1 << 16), true);
    s1.setUint16(16, 6, true);
    s1.setUint32(24, 0, true); // pointer at word 3 to Release at word 4
    s1.setUint32(28, 1, true);
    s1.setUint32(32, 61, true);
    s1.setUint32(36, 2, true);
  }
  return [seg0, seg1];
}

Deno.test("follows single and double far pointers", () => {
  for (const double of [false, true]) {
    const m = decodeRpcMessage(new WireReader(farRelease(double), 1000));
    assert.deepEqual(m, { tag: "release", id: 61, referenceCount: 2 }, `double=${double}`);
  }
});

Deno.test("rejects pointers out of bounds and lists beyond the traversal limit", () => {
  // A Call whose params pointer points past the segment.
  const seg = new ArrayBuffer(8 * 4);
  const v = new DataView(seg);
  v.setUint32(4, 1 | (1 << 16), true); // root: Message, 1 data word, 1 pointer
  v.setUint16(8, 2, true); // call
  v.setUint32(16, (100 << 2) >>> 0, true); // pointer to a struct 100 words away
  v.setUint32(20, 3 | (3 << 16), true);
  assert.throws(() => decodeRpcMessage(new WireReader([seg], 1000)), WireError);

  // A capability table claiming a million zero-sized entries in one word.
  const m = new Message();
  const call = m.initRoot(R.Message)._initCall();
  call._initTarget().importedCap = 0;
  const payload = call._initParams();
  const frames: ArrayBuffer[][] = [];
  new FrameReader((f) => frames.push(f)).push(new Uint8Array(m.toArrayBuffer()));
  // Patch the capTable pointer (payload pointer 1) into a composite list of zero-size structs.
  const segment = frames[0][0];
  const free = segment.byteLength;
  const grown = new ArrayBuffer(free + 8);
  new Uint8Array(grown).set(new Uint8Array(segment));
  const g = new DataView(grown);
  const ptrPos = payload.byteOffset; // the Payload pointer's location in the Call struct
  // Find the Payload struct's pointer section and write a list pointer to the new tag word.
  const payloadPtrLo = g.getUint32(ptrPos, true);
  const payloadAt = ptrPos + 8 + ((payloadPtrLo | 0) >> 2) * 8;
  const capTablePtr = payloadAt + 8;
  const offset = (free - capTablePtr - 8) / 8;
  g.setUint32(capTablePtr, ((offset << 2) | 1) >>> 0, true);
  g.setUint32(capTablePtr + 4, 7 | (0 << 3), true); // composite, 0 words
  g.setUint32(free, (1_000_000 << 2) >>> 0, true); // tag: a million elements of size 0
  g.setUint32(free + 4, 0, true);
  assert.throws(() => decodeRpcMessage(new WireReader([grown], 10_000)), /traversal limit/);
});
