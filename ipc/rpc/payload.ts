/**
 * Call parameters and results: building them with capnp-es (collecting the capabilities they
 * carry), reading them from received messages, and the capabilities inside.
 *
 * @module
 */
import { Message, type Struct, type StructCtor, utils } from "capnp-es";
import {
  capIndexAt,
  type CapReader,
  type CapTarget,
  type CapWriter,
  type InterfaceBinding,
  isProxy,
  setCapIndexAt,
  targetOf,
} from "./interface.ts";
import { type CapDescriptor, contentMessage, type OutgoingPayload } from "./rpc_codec.ts";
import { type PointerLocation, WireError, type WireReader } from "./wire.ts";
import { ContentBuilder } from "./content_builder.ts";

const EMPTY_CAPS: readonly CapDescriptor[] = [];
/** Content larger than this is built in a message of its own, not kept for reuse. */
const MAX_REUSED_BYTES = 64 * 1024;

/** Built content, ready to embed in a Call or Return. */
export interface BuiltPayload extends OutgoingPayload {
  /** A copy of the content kept for pipelined calls on results (null without capabilities). */
  segment: ArrayBuffer | null;
  /** The capabilities in the content, in capability-table order. */
  targets: CapTarget[];
}

/** Builds and reads payloads for one connection. */
export class PayloadCodec {
  readonly #builders = new Map<StructCtor<Struct>, ContentBuilder>();
  readonly #describe: (target: CapTarget) => CapDescriptor;
  readonly #traversalWords: number;
  readonly #nestingLimit: number;

  /** `describe` turns a capability we send into a descriptor (exporting it if needed). */
  constructor(
    describe: (target: CapTarget) => CapDescriptor,
    limits: { traversalWords: number; nestingLimit: number },
  ) {
    this.#describe = describe;
    this.#traversalWords = limits.traversalWords;
    this.#nestingLimit = limits.nestingLimit;
  }

  /** Builds content of type `ctor` with `fill`, collecting capabilities as descriptors. */
  build(ctor: StructCtor<Struct>, fill: (struct: Struct, caps: CapWriter) => void): BuiltPayload {
    let builder = this.#builders.get(ctor);
    if (builder === undefined || builder.busy) {
      builder = new ContentBuilder(ctor);
      if (!this.#builders.has(ctor)) this.#builders.set(ctor, builder);
    }
    const struct = builder.begin();
    let caps: CapDescriptor[] | null = null;
    let targets: CapTarget[] | null = null;
    const writer: CapWriter = {
      write: (s, index, cap, binding) => {
        const target = targetOf(cap, binding);
        if (target === null) return;
        caps ??= [];
        targets ??= [];
        setCapIndexAt(s, index, caps.length);
        caps.push(this.#describe(target));
        targets.push(target);
      },
    };
    try {
      fill(struct, writer);
    } catch (error) {
      builder.abort();
      throw error;
    }
    const content = builder.end();
    // Keep reusing only small messages: a builder holds on to the largest buffer it grew to.
    if (content.length > MAX_REUSED_BYTES) this.#builders.delete(ctor);
    return {
      content,
      caps: caps ?? EMPTY_CAPS,
      segment: caps === null ? null : content.slice().buffer,
      targets: targets ?? [],
    };
  }

  /** A generated struct over received content (all defaults when the pointer is null). */
  read(reader: WireReader, content: PointerLocation | null, ctor: StructCtor<Struct>): Struct {
    if (content === null) return new Message().initRoot(ctor);
    // Checks kind and bounds before capnp-es reads it, and gives the sizes.
    const view = reader.structAt(content);
    const message = contentMessage(reader.segments, this.#traversalWords);
    const struct = new ctor(message.getSegment(content.seg), content.pos, this.#nestingLimit);
    const want = ctor._capnp.size;
    // An older peer's smaller struct reads as defaults beyond its end, as capnp-es's getRoot does.
    if (
      view === null || view.dataBytes < want.dataByteLength || view.ptrCount < want.pointerLength
    ) {
      utils.resize(want, struct);
    }
    return struct;
  }
}

const NO_CAPS_READER: CapReader = {
  read: <T>(struct: Struct, index: number): T | null => {
    const capIndex = capIndexAt(struct, index);
    if (capIndex === null) return null;
    throw new WireError(`capability index ${capIndex} out of range`);
  },
};

/** Reads capabilities from received content; each proxy takes its own reference. */
export function capReader(targets: readonly CapTarget[]): CapReader {
  if (targets.length === 0) return NO_CAPS_READER;
  return {
    read: <T>(struct: Struct, index: number, binding: InterfaceBinding<T>): T | null => {
      const capIndex = capIndexAt(struct, index);
      if (capIndex === null) return null;
      const target = targets[capIndex];
      if (target === undefined) throw new WireError(`capability index ${capIndex} out of range`);
      target.addRef();
      return binding.wrap(target);
    },
  };
}

/** The export ids among descriptors we sent. */
export function exportIdsOf(caps: readonly CapDescriptor[]): number[] {
  const ids: number[] = [];
  for (const c of caps) if (c.kind === "senderHosted") ids.push(c.id);
  return ids;
}

/** Releases the proxies in a call's arguments (parameters are lent for the call). */
export function releaseArgs(args: readonly unknown[], count: number): void {
  for (let i = 0; i < count; i++) {
    const a = args[i];
    if (a !== null && typeof a === "object") releaseDeep(a, 0);
  }
}

function releaseDeep(value: object, depth: number): void {
  if (isProxy(value)) {
    value[Symbol.dispose]();
    return;
  }
  if (depth > 8 || value instanceof Uint8Array) return;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === "object") releaseDeep(v, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return;
  for (const v of Object.values(value)) {
    if (v !== null && typeof v === "object") releaseDeep(v, depth + 1);
  }
}

/** Follows a transform from a content pointer to a capability index (null if not a cap). */
export function capIndexAtPath(
  reader: WireReader,
  content: PointerLocation | null,
  transform: readonly number[],
): number | null {
  let at: PointerLocation | null = content;
  for (const field of transform) {
    const s = reader.structAt(at);
    if (s === null) return null;
    at = reader.pointer(s, field);
  }
  return reader.capability(at);
}
