/**
 * Raw block and undo storage in freicoind's flat files (src/node/blockstorage.cpp):
 * `blocks/blk?????.dat` holds `magic ‖ u32 size ‖ block` records and `blocks/rev?????.dat`
 * holds `magic ‖ u32 size ‖ undo ‖ sha256d(prev block hash ‖ undo)`. A position points at
 * the payload, just after the 8-byte record header.
 */

import { join } from "node:path";
import { bytesEqual } from "../../../kernel/encoding/bytes.ts";
import { sha256d } from "../../../kernel/hash/sha256.ts";

/** `MAX_BLOCKFILE_SIZE`: a block file is closed before it reaches 128 MiB. */
export const MAX_BLOCKFILE_SIZE = 0x8000000;
/** The -fastprune block file size (64 KiB). */
export const FAST_PRUNE_BLOCKFILE_SIZE = 0x10000;
/** Bytes before each payload: network magic and a little-endian size. */
export const STORAGE_HEADER_BYTES = 8;

/** Where a block or its undo data lies: file number and payload offset (`FlatFilePos`). */
export interface FilePosition {
  readonly file: number;
  readonly pos: number;
}

/** Bookkeeping of one blk/rev file pair (`CBlockFileInfo`). */
export interface BlockFileInfo {
  file: number;
  blocks: number;
  size: number;
  undoSize: number;
  heightFirst: number;
  heightLast: number;
  timeFirst: number;
  timeLast: number;
}

/** Raised when stored data is missing or does not match its framing or checksum. */
export class BlockStoreError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BlockStoreError";
  }
}

/** Options of {@link BlockStore}. */
export interface BlockStoreOptions {
  /** The `blocks/` directory (under -blocksdir when given). Created when missing. */
  readonly blocksDir: string;
  /** Network magic written before every record. */
  readonly messageStart: Uint8Array;
  /** -fastprune: 64 KiB block files. Default false. */
  readonly fastPrune?: boolean;
  /** File bookkeeping as last persisted (from the block index database). */
  readonly fileInfo?: readonly BlockFileInfo[];
}

function fileName(kind: "blk" | "rev", file: number): string {
  return `${kind}${String(file).padStart(5, "0")}.dat`;
}

function emptyInfo(file: number): BlockFileInfo {
  return {
    file,
    blocks: 0,
    size: 0,
    undoSize: 0,
    heightFirst: 0,
    heightLast: 0,
    timeFirst: 0,
    timeLast: 0,
  };
}

/**
 * Appends blocks and undo records to the flat files and reads them back. Writes go to the
 * position the persisted bookkeeping says is free, so bytes appended after the last index
 * flush (lost in a crash) are simply overwritten.
 */
export class BlockStore {
  readonly #dir: string;
  readonly #magic: Uint8Array;
  readonly #maxFileSize: number;
  readonly #fastPrune: boolean;
  readonly #info: BlockFileInfo[] = [];
  readonly #handles = new Map<string, Deno.FsFile>();
  readonly #dirtyInfo = new Set<number>();
  readonly #unsynced = new Set<string>();
  #lastFile = 0;

  /** Opens (and creates) the blocks directory. */
  constructor(options: BlockStoreOptions) {
    this.#dir = options.blocksDir;
    this.#magic = options.messageStart;
    this.#fastPrune = options.fastPrune ?? false;
    this.#maxFileSize = this.#fastPrune ? FAST_PRUNE_BLOCKFILE_SIZE : MAX_BLOCKFILE_SIZE;
    Deno.mkdirSync(this.#dir, { recursive: true });
    for (const info of options.fileInfo ?? []) {
      this.#info[info.file] = { ...info };
      this.#lastFile = Math.max(this.#lastFile, info.file);
    }
    for (let i = 0; i <= this.#lastFile; i++) this.#info[i] ??= emptyInfo(i);
  }

  /** The blocks directory. */
  get directory(): string {
    return this.#dir;
  }

  /** Current bookkeeping of every file. */
  fileInfo(): readonly BlockFileInfo[] {
    return this.#info;
  }

  /** Bookkeeping changed since the last {@link BlockStore.takeDirtyFileInfo}, then cleared. */
  takeDirtyFileInfo(): BlockFileInfo[] {
    const out = [...this.#dirtyInfo].map((file) => ({ ...this.#info[file] }));
    this.#dirtyInfo.clear();
    return out;
  }

  #handle(kind: "blk" | "rev", file: number): Deno.FsFile {
    const name = fileName(kind, file);
    let handle = this.#handles.get(name);
    if (!handle) {
      handle = Deno.openSync(join(this.#dir, name), { read: true, write: true, create: true });
      this.#handles.set(name, handle);
    }
    return handle;
  }

  #writeRecord(
    kind: "blk" | "rev",
    file: number,
    at: number,
    payload: Uint8Array,
    tail?: Uint8Array,
  ) {
    const record = new Uint8Array(STORAGE_HEADER_BYTES + payload.length + (tail?.length ?? 0));
    record.set(this.#magic, 0);
    new DataView(record.buffer).setUint32(4, payload.length, true);
    record.set(payload, STORAGE_HEADER_BYTES);
    if (tail) record.set(tail, STORAGE_HEADER_BYTES + payload.length);
    const handle = this.#handle(kind, file);
    handle.seekSync(at, Deno.SeekMode.Start);
    let written = 0;
    while (written < record.length) written += handle.writeSync(record.subarray(written));
    this.#unsynced.add(fileName(kind, file));
  }

  /** Appends a block (`WriteBlockToDisk` with `FindBlockPos`) and returns its position. */
  writeBlock(bytes: Uint8Array, height: number, time: number): FilePosition {
    const addSize = bytes.length + STORAGE_HEADER_BYTES;
    const maxSize = this.#fastPrune && addSize >= this.#maxFileSize
      ? addSize + 1
      : this.#maxFileSize;
    let file = this.#lastFile;
    while (this.#info[file].size + addSize >= maxSize && this.#info[file].size > 0) {
      file++;
      this.#info[file] ??= emptyInfo(file);
    }
    this.#lastFile = file;
    const info = this.#info[file];
    const at = info.size;
    this.#writeRecord("blk", file, at, bytes);
    if (info.blocks === 0 || height < info.heightFirst) info.heightFirst = height;
    if (info.blocks === 0 || time < info.timeFirst) info.timeFirst = time;
    info.heightLast = Math.max(info.heightLast, height);
    info.timeLast = Math.max(info.timeLast, time);
    info.blocks++;
    info.size = at + addSize;
    this.#dirtyInfo.add(file);
    return { file, pos: at + STORAGE_HEADER_BYTES };
  }

  /**
   * Records a block found in place by -reindex (`FindBlockPos` with a known position): the
   * file's used size grows to cover it, nothing is written.
   */
  noteKnownBlock(position: FilePosition, size: number, height: number, time: number): void {
    const file = position.file;
    for (let i = 0; i <= file; i++) this.#info[i] ??= emptyInfo(i);
    const info = this.#info[file];
    if (info.blocks === 0 || height < info.heightFirst) info.heightFirst = height;
    if (info.blocks === 0 || time < info.timeFirst) info.timeFirst = time;
    info.heightLast = Math.max(info.heightLast, height);
    info.timeLast = Math.max(info.timeLast, time);
    info.blocks++;
    info.size = Math.max(info.size, position.pos + size);
    this.#lastFile = Math.max(this.#lastFile, file);
    this.#dirtyInfo.add(file);
  }

  /**
   * Appends undo data to the rev file paired with the block's file (`WriteUndoDataForBlock`);
   * the checksum covers the parent block's hash and the undo bytes.
   */
  writeUndo(bytes: Uint8Array, file: number, prevHash: Uint8Array): FilePosition {
    const info = this.#info[file] ?? (this.#info[file] = emptyInfo(file));
    const at = info.undoSize;
    const checksum = undoChecksum(prevHash, bytes);
    this.#writeRecord("rev", file, at, bytes, checksum);
    info.undoSize = at + STORAGE_HEADER_BYTES + bytes.length + 32;
    this.#dirtyInfo.add(file);
    return { file, pos: at + STORAGE_HEADER_BYTES };
  }

  #readRecord(kind: "blk" | "rev", position: FilePosition, extra: number): Uint8Array {
    if (position.pos < STORAGE_HEADER_BYTES) throw new BlockStoreError("bad file position");
    const name = fileName(kind, position.file);
    // Opened for each read, as freicoind's OpenBlockFile/OpenUndoFile: a file removed or
    // moved away is missing data, not something an open handle keeps alive.
    let handle: Deno.FsFile;
    try {
      handle = Deno.openSync(join(this.#dir, name), { read: true });
    } catch (error) {
      throw new BlockStoreError(`${name}: cannot open`, { cause: error });
    }
    try {
      const header = new Uint8Array(STORAGE_HEADER_BYTES);
      this.#readExact(handle, position.pos - STORAGE_HEADER_BYTES, header);
      if (!bytesEqual(header.subarray(0, 4), this.#magic)) {
        throw new BlockStoreError(`${name}: bad magic at offset ${position.pos - 8}`);
      }
      const size = new DataView(header.buffer).getUint32(4, true);
      const fileSize = handle.statSync().size;
      if (position.pos + size + extra > fileSize) {
        throw new BlockStoreError(`${name}: record past end of file`);
      }
      const out = new Uint8Array(size + extra);
      this.#readExact(handle, position.pos, out);
      return out;
    } finally {
      handle.close();
    }
  }

  #readExact(handle: Deno.FsFile, at: number, into: Uint8Array): void {
    handle.seekSync(at, Deno.SeekMode.Start);
    let done = 0;
    while (done < into.length) {
      const n = handle.readSync(into.subarray(done));
      if (n === null || n === 0) throw new BlockStoreError("unexpected end of file");
      done += n;
    }
  }

  /** Reads the raw bytes of the block stored at `position` (`ReadRawBlockFromDisk`). */
  readBlockBytes(position: FilePosition): Uint8Array {
    return this.#readRecord("blk", position, 0);
  }

  /** Reads undo data and checks its checksum against the parent block's hash. */
  readUndoBytes(position: FilePosition, prevHash: Uint8Array): Uint8Array {
    const record = this.#readRecord("rev", position, 32);
    const bytes = record.subarray(0, record.length - 32);
    if (!bytesEqual(record.subarray(record.length - 32), undoChecksum(prevHash, bytes))) {
      throw new BlockStoreError("UndoReadFromDisk: Checksum mismatch");
    }
    return bytes;
  }

  /** Forces written data to stable storage (`FlushBlockFile`), before the index refers to it. */
  sync(): void {
    for (const name of this.#unsynced) this.#handles.get(name)?.syncDataSync();
    this.#unsynced.clear();
  }

  /** Forgets all bookkeeping (for -reindex, which rewrites the index from the files). */
  resetFileInfo(): void {
    this.#info.length = 0;
    this.#info[0] = emptyInfo(0);
    this.#lastFile = 0;
    this.#dirtyInfo.add(0);
  }

  /** Numbers of the blk files present on disk, ascending. */
  listBlockFiles(): number[] {
    const files: number[] = [];
    for (const entry of Deno.readDirSync(this.#dir)) {
      const match = /^blk(\d{5})\.dat$/.exec(entry.name);
      if (match) files.push(Number(match[1]));
    }
    return files.sort((a, b) => a - b);
  }

  /**
   * Scans one blk file for framed records (`LoadExternalBlockFile`): yields each payload
   * and its position, skipping bytes until the next magic after damage.
   */
  *scanBlockFile(file: number): Generator<{ bytes: Uint8Array; position: FilePosition }> {
    let data: Uint8Array;
    try {
      data = Deno.readFileSync(join(this.#dir, fileName("blk", file)));
    } catch {
      return;
    }
    for (const { bytes, offset } of scanFramedRecords(data, this.#magic)) {
      yield { bytes, position: { file, pos: offset } };
    }
  }

  /** Closes every open file. Idempotent. */
  close(): void {
    for (const handle of this.#handles.values()) {
      try {
        handle.close();
      } catch {
        // Already closed.
      }
    }
    this.#handles.clear();
  }
}

/** `sha256d(prevHash ‖ undo)`: the checksum after each undo record. */
export function undoChecksum(prevHash: Uint8Array, undo: Uint8Array): Uint8Array {
  const buffer = new Uint8Array(32 + undo.length);
  buffer.set(prevHash, 0);
  buffer.set(undo, 32);
  return sha256d(buffer);
}

/**
 * The `magic ‖ u32 size ‖ payload` records in `data` (a blk file or a -loadblock file), each
 * with the offset of its payload. Bytes that do not start a plausible record are skipped one
 * at a time, so a damaged region costs only itself.
 */
export function* scanFramedRecords(
  data: Uint8Array,
  magic: Uint8Array,
): Generator<{ bytes: Uint8Array; offset: number }> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + STORAGE_HEADER_BYTES <= data.length) {
    if (
      data[at] !== magic[0] || data[at + 1] !== magic[1] || data[at + 2] !== magic[2] ||
      data[at + 3] !== magic[3]
    ) {
      at++;
      continue;
    }
    const size = view.getUint32(at + 4, true);
    const start = at + STORAGE_HEADER_BYTES;
    // A block is at least an 80-byte header; a size past the end is damage.
    if (size < 80 || start + size > data.length) {
      at++;
      continue;
    }
    yield { bytes: data.subarray(start, start + size), offset: start };
    at = start + size;
  }
}
