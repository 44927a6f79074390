/**
 * The capabilities we host for the peer, by export id, with the peer's reference counts.
 *
 * @module
 */
import type { CapTarget } from "./interface.ts";
import type { CapDescriptor } from "./rpc_codec.ts";
import { ImportTarget, isRemoteOn, PipelineTarget, type TargetHost } from "./targets.ts";

interface ExportEntry {
  target: CapTarget;
  refs: number;
}

/** Export ids (reused once freed, like the C++ library) and reference counts. */
export class ExportTable {
  readonly #host: TargetHost;
  readonly #entries = new Map<number, ExportEntry>();
  readonly #ids = new Map<CapTarget, number>();
  readonly #free: number[] = [];
  #next = 0;

  /** `host` identifies the connection, to recognise the peer's own capabilities. */
  constructor(host: TargetHost) {
    this.#host = host;
  }

  /** Number of exported capabilities. */
  get size(): number {
    return this.#entries.size;
  }

  /** The exported target with this id. */
  get(id: number): CapTarget | undefined {
    return this.#entries.get(id)?.target;
  }

  /**
   * Describes a capability we send. The peer's own capabilities go back as receiverHosted or
   * receiverAnswer; anything else is exported (one more reference on its id).
   */
  describe(target: CapTarget): CapDescriptor {
    const settled = target.settled();
    if (isRemoteOn(settled, this.#host)) {
      if (settled instanceof ImportTarget && !settled.failed) {
        return { kind: "receiverHosted", id: settled.id };
      }
      if (settled instanceof PipelineTarget && !settled.failed) {
        const { questionId, transform } = settled;
        return { kind: "receiverAnswer", questionId, transform };
      }
    }
    let id = this.#ids.get(settled);
    if (id !== undefined) {
      this.#entries.get(id)!.refs++;
    } else {
      id = this.#free.pop() ?? this.#next++;
      settled.addRef();
      this.#entries.set(id, { target: settled, refs: 1 });
      this.#ids.set(settled, id);
    }
    return { kind: "senderHosted", id };
  }

  /** The peer dropped `count` references (Release); the last one frees the id. */
  release(id: number, count: number): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) throw new Error(`Release of unknown export ${id}`);
    entry.refs -= count;
    if (entry.refs > 0) return;
    this.#entries.delete(id);
    this.#ids.delete(entry.target);
    this.#free.push(id);
    entry.target.release();
  }

  /** Drops everything (the connection ended). */
  clear(): void {
    for (const entry of this.#entries.values()) entry.target.release();
    this.#entries.clear();
    this.#ids.clear();
  }
}
