/**
 * Reusable capnp-es messages for building call parameters and results.
 *
 * Creating a capnp-es message and its root struct costs several microseconds, more than the
 * rest of a call's encoding. Content is copied into the outgoing RPC message right after it is
 * built, so one message per struct type can be cleared and reused; a re-entrant build (rare)
 * gets a fresh message.
 *
 * @module
 */
import { Message, type Struct, type StructCtor } from "capnp-es";

/** capnp-es's per-message pointer budget (its default), restored on every reuse. */
const TRAVERSAL_LIMIT = 64 << 20;

/** The parts of capnp-es objects this reuse relies on. */
interface MessageInternals {
  _capnp: { traversalLimit: number };
}

/** A root struct ready to fill, in a message that can be cleared and filled again. */
export class ContentBuilder {
  readonly #message: Message;
  readonly #struct: Struct;
  /** End of the root pointer and the empty root struct: what a cleared message keeps. */
  readonly #base: number;
  #busy = false;
  /** A view of the segment's buffer (replaced when capnp-es grows the segment). */
  #bytes: Uint8Array = new Uint8Array(0);

  /** Creates a builder for root structs of type `ctor`. */
  constructor(ctor: StructCtor<Struct>) {
    this.#message = new Message();
    this.#struct = this.#message.initRoot(ctor);
    this.#base = this.#message.getSegment(0).byteLength;
  }

  /** Whether a build is in progress (a nested build must use another builder). */
  get busy(): boolean {
    return this.#busy;
  }

  /** Clears the message and returns its root struct, all fields at their defaults. */
  begin(): Struct {
    const segment = this.#message.getSegment(0);
    if (segment.byteLength > 8) {
      if (this.#bytes.buffer !== segment.buffer) this.#bytes = new Uint8Array(segment.buffer);
      this.#bytes.fill(0, 8, segment.byteLength);
      segment.byteLength = this.#base;
    }
    (this.#message as unknown as MessageInternals)._capnp.traversalLimit = TRAVERSAL_LIMIT;
    this.#busy = true;
    return this.#struct;
  }

  /** Ends the build: the segment bytes, valid until the next `begin`. */
  end(): Uint8Array {
    this.#busy = false;
    const segment = this.#message.getSegment(0);
    return new Uint8Array(segment.buffer, 0, segment.byteLength);
  }

  /** Abandons a build that threw. */
  abort(): void {
    this.#busy = false;
  }
}
