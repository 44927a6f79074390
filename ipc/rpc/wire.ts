/**
 * Bounds-checked reading and writing of Cap'n Proto pointers, structs and lists, used for the
 * RPC envelope (rpc.capnp `Message` and friends), whose layout is fixed.
 *
 * The envelope is read and written by hand because it is on every call's path: going through
 * generated classes costs several microseconds per message. Call parameters and results, whose
 * shapes come from our schemas, are handled by capnp-es's generated classes.
 *
 * @module
 */

/** A message that breaks the encoding rules or a limit. */
export class WireError extends Error {
  /** Creates the error with a reason for the log. */
  constructor(message: string) {
    super(message);
    this.name = "WireError";
  }
}

/** Where a pointer word sits: a segment index and a byte offset within it. */
export interface PointerLocation {
  seg: number;
  pos: number;
}

/** A struct found in a message. */
export interface StructView {
  seg: number;
  /** Byte offset of the data section. */
  data: number;
  dataBytes: number;
  /** Byte offset of the pointer section. */
  ptrs: number;
  ptrCount: number;
}

const NULL_STRUCT: StructView = { seg: 0, data: 0, dataBytes: 0, ptrs: 0, ptrCount: 0 };

/** Where a pointer's target starts, with the tag word that describes it. */
interface Resolved {
  seg: number;
  content: number;
  lo: number;
  hi: number;
}

/** Reads a received message's segments with bounds, traversal and nesting checks. */
export class WireReader {
  readonly segments: readonly ArrayBuffer[];
  #views: DataView[];
  #budgetWords: number;

  /** `traversalLimitWords` caps the words read through pointers (amplification defence). */
  constructor(segments: readonly ArrayBuffer[], traversalLimitWords: number) {
    this.segments = segments;
    this.#views = segments.map((s) => new DataView(s));
    this.#budgetWords = traversalLimitWords;
  }

  /** The root struct of the message. */
  root(): StructView {
    if (this.#views.length === 0 || this.#views[0].byteLength < 8) {
      throw new WireError("message has no root pointer");
    }
    return this.structAt({ seg: 0, pos: 0 }) ?? NULL_STRUCT;
  }

  /** A u32 field at byte `offset` of the data section (0 when the struct is too short). */
  u32(s: StructView, offset: number): number {
    return offset + 4 <= s.dataBytes ? this.#views[s.seg].getUint32(s.data + offset, true) : 0;
  }

  /** A u16 field at byte `offset`. */
  u16(s: StructView, offset: number): number {
    return offset + 2 <= s.dataBytes ? this.#views[s.seg].getUint16(s.data + offset, true) : 0;
  }

  /** A u8 field at byte `offset`. */
  u8(s: StructView, offset: number): number {
    return offset + 1 <= s.dataBytes ? this.#views[s.seg].getUint8(s.data + offset) : 0;
  }

  /** A u64 field at byte `offset`. */
  u64(s: StructView, offset: number): bigint {
    return offset + 8 <= s.dataBytes ? this.#views[s.seg].getBigUint64(s.data + offset, true) : 0n;
  }

  /** A bool field at bit `bit` (raw: XOR with the default is the caller's job). */
  bit(s: StructView, bit: number): boolean {
    const byte = bit >>> 3;
    return byte < s.dataBytes &&
      (this.#views[s.seg].getUint8(s.data + byte) & (1 << (bit & 7))) !== 0;
  }

  /** The location of pointer `index` of a struct, or null when the struct has fewer pointers. */
  pointer(s: StructView, index: number): PointerLocation | null {
    return index < s.ptrCount ? { seg: s.seg, pos: s.ptrs + 8 * index } : null;
  }

  /** Whether a pointer is null (or absent). */
  isNull(p: PointerLocation | null): boolean {
    if (p === null) return true;
    const v = this.#views[p.seg];
    return v.getUint32(p.pos, true) === 0 && v.getUint32(p.pos + 4, true) === 0;
  }

  /** The capability-table index in a capability pointer; null for a null pointer. */
  capability(p: PointerLocation | null): number | null {
    if (p === null) return null;
    const v = this.#segment(p.seg);
    if (p.pos + 8 > v.byteLength) throw new WireError("pointer out of bounds");
    const lo = v.getUint32(p.pos, true);
    const hi = v.getUint32(p.pos + 4, true);
    if (lo === 0 && hi === 0) return null;
    if (lo !== 3) throw new WireError("expected a capability pointer");
    return hi;
  }

  /** The struct a pointer points to; null for a null pointer. */
  structAt(p: PointerLocation | null): StructView | null {
    if (p === null) return null;
    const r = this.#resolve(p);
    if (r === null) return null;
    if ((r.lo & 3) !== 0) throw new WireError("expected a struct pointer");
    const dataWords = r.hi & 0xffff;
    const ptrCount = r.hi >>> 16;
    this.#checkRange(r.seg, r.content, dataWords + ptrCount);
    return {
      seg: r.seg,
      data: r.content,
      dataBytes: dataWords * 8,
      ptrs: r.content + dataWords * 8,
      ptrCount,
    };
  }

  /** The struct in field `index`, or an empty struct when the pointer is null. */
  structField(s: StructView, index: number): StructView {
    return this.structAt(this.pointer(s, index)) ?? NULL_STRUCT;
  }

  /** The elements of a struct list (composite or a compatible primitive encoding). */
  structList(p: PointerLocation | null): StructView[] {
    if (p === null) return [];
    const r = this.#resolve(p);
    if (r === null) return [];
    if ((r.lo & 3) !== 1) throw new WireError("expected a list pointer");
    const elementSize = r.hi & 7;
    const count = r.hi >>> 3;
    if (elementSize === 7) {
      this.#checkRange(r.seg, r.content, 1 + count);
      const v = this.#views[r.seg];
      const tagLo = v.getUint32(r.content, true);
      const tagHi = v.getUint32(r.content + 4, true);
      if ((tagLo & 3) !== 0) throw new WireError("bad composite list tag");
      const length = tagLo >>> 2;
      const dataWords = tagHi & 0xffff;
      const ptrCount = tagHi >>> 16;
      const stride = dataWords + ptrCount;
      if (length * stride > count) throw new WireError("composite list overruns its words");
      // A list of zero-sized structs is cheap to declare and costly to walk: charge for it.
      if (stride === 0) this.#charge(length);
      const out: StructView[] = new Array(length);
      for (let i = 0; i < length; i++) {
        const data = r.content + 8 + i * stride * 8;
        out[i] = {
          seg: r.seg,
          data,
          dataBytes: dataWords * 8,
          ptrs: data + dataWords * 8,
          ptrCount,
        };
      }
      return out;
    }
    if (elementSize === 1) throw new WireError("a bit list cannot hold structs");
    const bytes = [0, 0, 1, 2, 4, 8, 8][elementSize];
    const isPointer = elementSize === 6;
    const totalBytes = bytes * count;
    this.#checkRange(r.seg, r.content, Math.ceil(totalBytes / 8));
    if (bytes === 0) this.#charge(count);
    const out: StructView[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const at = r.content + i * bytes;
      out[i] = isPointer
        ? { seg: r.seg, data: at, dataBytes: 0, ptrs: at, ptrCount: 1 }
        : { seg: r.seg, data: at, dataBytes: bytes, ptrs: at + bytes, ptrCount: 0 };
    }
    return out;
  }

  /** A Text field's value ("" for null). */
  text(p: PointerLocation | null): string {
    if (p === null) return "";
    const r = this.#resolve(p);
    if (r === null) return "";
    if ((r.lo & 3) !== 1 || (r.hi & 7) !== 2) throw new WireError("expected a byte list");
    const count = r.hi >>> 3;
    this.#checkRange(r.seg, r.content, Math.ceil(count / 8));
    const bytes = new Uint8Array(this.segments[r.seg], r.content, count);
    const end = count > 0 && bytes[count - 1] === 0 ? count - 1 : count;
    return TEXT_DECODER.decode(bytes.subarray(0, end));
  }

  #charge(words: number): void {
    this.#budgetWords -= words;
    if (this.#budgetWords < 0) throw new WireError("message exceeds the traversal limit");
  }

  #checkRange(seg: number, pos: number, words: number): void {
    if (pos < 0 || pos + words * 8 > this.#views[seg].byteLength) {
      throw new WireError("pointer out of bounds");
    }
    this.#charge(words);
  }

  #segment(id: number): DataView {
    const v = this.#views[id];
    if (v === undefined) throw new WireError(`far pointer to missing segment ${id}`);
    return v;
  }

  /** Follows a pointer (and far pointers) to its target; null for a null pointer. */
  #resolve(p: PointerLocation): Resolved | null {
    const v = this.#segment(p.seg);
    if (p.pos + 8 > v.byteLength) throw new WireError("pointer out of bounds");
    const lo = v.getUint32(p.pos, true);
    const hi = v.getUint32(p.pos + 4, true);
    if (lo === 0 && hi === 0) return null;
    const kind = lo & 3;
    if (kind === 3) throw new WireError("unexpected capability pointer");
    if (kind !== 2) return { seg: p.seg, content: p.pos + 8 + ((lo | 0) >> 2) * 8, lo, hi };
    const padSeg = hi;
    const pad = this.#segment(padSeg);
    const padPos = (lo >>> 3) * 8;
    const double = (lo & 4) !== 0;
    if (padPos + (double ? 16 : 8) > pad.byteLength) {
      throw new WireError("far pointer out of bounds");
    }
    const tagLo = pad.getUint32(padPos, true);
    const tagHi = pad.getUint32(padPos + 4, true);
    if (!double) {
      if ((tagLo & 3) === 2) throw new WireError("far pointer lands on a far pointer");
      return { seg: padSeg, content: padPos + 8 + ((tagLo | 0) >> 2) * 8, lo: tagLo, hi: tagHi };
    }
    if ((tagLo & 7) !== 2) throw new WireError("bad double-far landing pad");
    const contentSeg = tagHi;
    this.#segment(contentSeg);
    const kindLo = pad.getUint32(padPos + 8, true);
    const kindHi = pad.getUint32(padPos + 12, true);
    return { seg: contentSeg, content: (tagLo >>> 3) * 8, lo: kindLo, hi: kindHi };
  }
}

const TEXT_DECODER = new TextDecoder("utf-8", { fatal: false });
const TEXT_ENCODER = new TextEncoder();

/**
 * Builds a single-segment message behind an 8-byte frame header, so the finished buffer is
 * ready to send without another copy.
 */
export class WireWriter {
  #bytes: Uint8Array;
  #view: DataView;
  /** Next free byte (absolute, frame header included). */
  #end = 8;

  /** `sizeHint` is the expected segment size in bytes. */
  constructor(sizeHint = 128) {
    this.#bytes = new Uint8Array(8 + ((sizeHint + 7) & ~7));
    this.#view = new DataView(this.#bytes.buffer);
  }

  /** Allocates `words` zeroed words; returns the segment byte offset. */
  alloc(words: number): number {
    const need = this.#end + words * 8;
    if (need > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, this.#end));
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    const at = this.#end - 8;
    this.#end = need;
    return at;
  }

  /** Allocates a struct and points the pointer at `ptrPos` to it; returns the struct. */
  struct(ptrPos: number, dataWords: number, ptrCount: number): StructView {
    const at = this.alloc(dataWords + ptrCount);
    this.#pointer(ptrPos, at, 0, dataWords | (ptrCount << 16));
    return { seg: 0, data: at, dataBytes: dataWords * 8, ptrs: at + dataWords * 8, ptrCount };
  }

  /** Allocates a composite list of `count` structs at `ptrPos`; returns the elements. */
  structList(ptrPos: number, count: number, dataWords: number, ptrCount: number): StructView[] {
    const stride = dataWords + ptrCount;
    const at = this.alloc(1 + count * stride);
    this.#pointer(ptrPos, at, 1, 7 | ((count * stride) << 3));
    this.setU32(at, (count << 2) >>> 0);
    this.setU32(at + 4, dataWords | (ptrCount << 16));
    const out: StructView[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const data = at + 8 + i * stride * 8;
      out[i] = { seg: 0, data, dataBytes: dataWords * 8, ptrs: data + dataWords * 8, ptrCount };
    }
    return out;
  }

  /** Writes a Text value at `ptrPos`. */
  text(ptrPos: number, value: string): void {
    const encoded = TEXT_ENCODER.encode(value);
    const at = this.alloc(Math.ceil((encoded.length + 1) / 8));
    this.#bytes.set(encoded, 8 + at);
    this.#pointer(ptrPos, at, 1, 2 | ((encoded.length + 1) << 3));
  }

  /**
   * Copies a single-segment message's content (its segment bytes, root pointer first) and
   * points the pointer at `ptrPos` to its root. Pointers inside are relative, so they stay valid.
   */
  embed(ptrPos: number, segment: Uint8Array): void {
    if (segment.length < 8) return;
    const rootLo = new DataView(segment.buffer, segment.byteOffset, 8).getUint32(0, true);
    const rootHi = new DataView(segment.buffer, segment.byteOffset, 8).getUint32(4, true);
    if (rootLo === 0 && rootHi === 0) return;
    const at = this.alloc((segment.length - 8) / 8);
    this.#bytes.set(segment.subarray(8), 8 + at);
    const kind = rootLo & 3;
    if (kind === 3 || kind === 2) {
      this.setU32(ptrPos, rootLo);
      this.setU32(ptrPos + 4, rootHi);
      return;
    }
    const target = at + ((rootLo | 0) >> 2) * 8;
    this.#pointer(ptrPos, target, kind, rootHi);
  }

  /** Sets a u32 at segment byte offset `pos`. */
  setU32(pos: number, value: number): void {
    this.#view.setUint32(8 + pos, value, true);
  }

  /** Sets a u16 at segment byte offset `pos`. */
  setU16(pos: number, value: number): void {
    this.#view.setUint16(8 + pos, value, true);
  }

  /** Sets a u8 at segment byte offset `pos`. */
  setU8(pos: number, value: number): void {
    this.#view.setUint8(8 + pos, value);
  }

  /** Sets a u64 at segment byte offset `pos`. */
  setU64(pos: number, value: bigint): void {
    this.#view.setBigUint64(8 + pos, value, true);
  }

  /** Sets bit `bit` of the data section starting at `data`. */
  setBit(data: number, bit: number, value: boolean): void {
    const at = 8 + data + (bit >>> 3);
    const mask = 1 << (bit & 7);
    this.#bytes[at] = value ? this.#bytes[at] | mask : this.#bytes[at] & ~mask;
  }

  /** Finishes the frame: header plus segment, as one buffer ready to write. */
  finish(): Uint8Array {
    this.#view.setUint32(0, 0, true);
    this.#view.setUint32(4, (this.#end - 8) / 8, true);
    return this.#bytes.subarray(0, this.#end);
  }

  #pointer(ptrPos: number, target: number, kind: number, hi: number): void {
    const offset = (target - ptrPos - 8) / 8;
    this.setU32(ptrPos, ((offset << 2) | kind) >>> 0);
    this.setU32(ptrPos + 4, hi >>> 0);
  }
}
