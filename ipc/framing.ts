/**
 * Cap'n Proto stream framing (the unpacked "segment table" format) over a byte stream.
 *
 * A frame is: u32 LE (segment count - 1), one u32 LE size in words per segment, 4 bytes of
 * padding when that table is not word-aligned, then the segments. Chunks from a stream arrive
 * with arbitrary boundaries, so {@linkcode FrameReader} reassembles them; it checks the limits
 * before allocating anything from a length it read off the wire.
 *
 * @module
 */

/** Limits applied to every incoming frame. */
export interface FrameLimits {
  /** Largest accepted frame in bytes, table included. Default 64 MiB. */
  maxMessageBytes?: number;
  /** Most segments accepted in one frame. Default 512, like the C++ library. */
  maxSegments?: number;
}

/** Default largest frame: 64 MiB, the C++ library's default traversal limit. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Default segment count limit, the C++ library's value. */
export const DEFAULT_MAX_SEGMENTS = 512;

/** A frame that breaks the stream format or a limit; the connection cannot continue. */
export class FramingError extends Error {
  /** Creates the error with a reason for the log. */
  constructor(message: string) {
    super(message);
    this.name = "FramingError";
  }
}

/** One decoded frame: its segments, each in its own word-aligned ArrayBuffer. */
export type Frame = ArrayBuffer[];

/**
 * Reassembles frames from stream chunks.
 *
 * @example
 * ```ts
 * import { encodeFrame, FrameReader } from "./framing.ts";
 * const frames: ArrayBuffer[][] = [];
 * const reader = new FrameReader((f) => frames.push(f));
 * reader.push(encodeFrame([new Uint8Array(8)]));
 * ```
 */
export class FrameReader {
  #onFrame: (frame: Frame) => void;
  #maxBytes: number;
  #maxSegments: number;
  /** Chunks of an incomplete frame, carried until enough bytes arrive to make progress. */
  #chunks: Uint8Array[] = [];
  #chunkBytes = 0;
  /** Bytes needed (from the start of the buffered data) before parsing can advance. */
  #need = 0;
  #failed = false;

  /** Creates a reader that calls `onFrame` for each complete frame, in order. */
  constructor(onFrame: (frame: Frame) => void, limits: FrameLimits = {}) {
    this.#onFrame = onFrame;
    this.#maxBytes = limits.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#maxSegments = limits.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  }

  /** Bytes buffered toward the next frame. */
  get bufferedBytes(): number {
    return this.#chunkBytes;
  }

  /**
   * Feeds a chunk; emits every frame it completes. Throws {@linkcode FramingError} on a bad
   * frame, after which the reader refuses further input.
   */
  push(chunk: Uint8Array): void {
    if (this.#failed) throw new FramingError("stream already failed");
    if (chunk.length === 0) return;
    let data = chunk;
    if (this.#chunks.length > 0) {
      this.#chunks.push(chunk);
      this.#chunkBytes += chunk.length;
      // Joining only once enough has arrived keeps a large frame in many chunks linear.
      if (this.#chunkBytes < this.#need) return;
      data = new Uint8Array(this.#chunkBytes);
      let at = 0;
      for (const part of this.#chunks) {
        data.set(part, at);
        at += part.length;
      }
      this.#chunks = [];
      this.#chunkBytes = 0;
    }
    let offset = 0;
    try {
      while (offset < data.length) {
        const used = this.#tryFrame(data, offset);
        if (used < 0) {
          this.#need = -used;
          break;
        }
        offset += used;
      }
    } catch (error) {
      this.#failed = true;
      throw error;
    }
    if (offset < data.length) {
      const rest = data.slice(offset);
      this.#chunks.push(rest);
      this.#chunkBytes = rest.length;
    }
  }

  /**
   * Emits the frame starting at `offset` if it is complete and returns the bytes it used;
   * otherwise returns minus the number of bytes needed before trying again.
   */
  #tryFrame(data: Uint8Array, offset: number): number {
    const available = data.length - offset;
    if (available < 4) return -4;
    const count = u32(data, offset) + 1;
    if (count > this.#maxSegments) {
      throw new FramingError(`frame has ${count} segments, limit ${this.#maxSegments}`);
    }
    const tableBytes = (4 + 4 * count + 7) & ~7;
    if (tableBytes > this.#maxBytes) throw new FramingError("frame table exceeds size limit");
    if (available < tableBytes) return -tableBytes;
    let total = tableBytes;
    for (let i = 0; i < count; i++) {
      total += u32(data, offset + 4 + 4 * i) * 8;
      if (total > this.#maxBytes) {
        throw new FramingError(`frame exceeds size limit of ${this.#maxBytes} bytes`);
      }
    }
    if (available < total) return -total;
    const frame: Frame = new Array(count);
    let segmentStart = data.byteOffset + offset + tableBytes;
    for (let i = 0; i < count; i++) {
      const size = u32(data, offset + 4 + 4 * i) * 8;
      frame[i] = data.buffer.slice(segmentStart, segmentStart + size) as ArrayBuffer;
      segmentStart += size;
    }
    this.#onFrame(frame);
    return total;
  }
}

/** A little-endian u32 (cheaper than a DataView per frame). */
function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** Encodes segments (each a whole number of words) as one frame. */
export function encodeFrame(segments: readonly Uint8Array[]): Uint8Array {
  const tableBytes = (4 + 4 * segments.length + 7) & ~7;
  let total = tableBytes;
  for (const segment of segments) total += segment.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, segments.length - 1, true);
  let offset = tableBytes;
  for (let i = 0; i < segments.length; i++) {
    view.setUint32(4 + 4 * i, segments[i].length >>> 3, true);
    out.set(segments[i], offset);
    offset += segments[i].length;
  }
  return out;
}
