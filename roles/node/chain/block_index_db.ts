/**
 * The block tree database (`BlockTreeDB`) in SQLite under `blocks/index/`: one row per known
 * header with its status and file positions, plus blk/rev file bookkeeping.
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { join } from "node:path";
import { decodeBlockHeader } from "../../../kernel/primitives/block_header.ts";
import { BlockIndexEntry } from "./block_index_entry.ts";
import type { BlockFileInfo } from "./block_store.ts";
import {
  BLOCK_INDEX_FILE,
  BLOCK_INDEX_SCHEMA,
  BLOCK_INDEX_SCHEMA_VERSION,
  DATABASE_PRAGMAS,
  MetaKey,
} from "./layout.ts";

/** Raised when a database is unusable (wrong schema, broken rows). */
export class ChainDatabaseError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ChainDatabaseError";
  }
}

interface IndexRow {
  hash: Uint8Array;
  height: number;
  header: Uint8Array;
  status: number;
  tx_count: number;
  data_file: number | null;
  data_pos: number | null;
  undo_file: number | null;
  undo_pos: number | null;
}

/** Loaded contents of the block index database. */
export interface LoadedBlockIndex {
  /** Every entry, keyed by display hash. */
  readonly entries: Map<string, BlockIndexEntry>;
  readonly files: BlockFileInfo[];
  readonly reindexing: boolean;
}

/** Opens `dir/block_index.sqlite`, creating the directory and tables. */
export class BlockIndexDatabase {
  readonly #db: DatabaseSync;
  readonly #putEntry: StatementSync;
  readonly #putFile: StatementSync;
  #closed = false;

  /** Opens or creates the database in `dir` (the `blocks/index/` directory). */
  constructor(dir: string) {
    Deno.mkdirSync(dir, { recursive: true });
    this.#db = new DatabaseSync(join(dir, BLOCK_INDEX_FILE));
    this.#db.exec(DATABASE_PRAGMAS);
    this.#db.exec(BLOCK_INDEX_SCHEMA);
    const version = this.#getMeta(MetaKey.SCHEMA_VERSION);
    if (version === undefined) {
      this.#setMeta(MetaKey.SCHEMA_VERSION, String(BLOCK_INDEX_SCHEMA_VERSION));
    } else if (version !== String(BLOCK_INDEX_SCHEMA_VERSION)) {
      throw new ChainDatabaseError(`unsupported block index schema version ${version}`);
    }
    this.#putEntry = this.#db.prepare(
      "INSERT OR REPLACE INTO block_index VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.#putFile = this.#db.prepare(
      "INSERT OR REPLACE INTO block_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
  }

  #getMeta(key: string): string | undefined {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return row?.value === undefined ? undefined : String(row.value);
  }

  #setMeta(key: string, value: string | null): void {
    if (value === null) this.#db.prepare("DELETE FROM meta WHERE key = ?").run(key);
    else this.#db.prepare("INSERT OR REPLACE INTO meta VALUES (?, ?)").run(key, value);
  }

  /** Whether a -reindex was started and has not finished (`ReadReindexing`). */
  isReindexing(): boolean {
    return this.#getMeta(MetaKey.REINDEXING) === "1";
  }

  /** Marks or clears "reindex in progress" (`WriteReindexing`). */
  setReindexing(on: boolean): void {
    this.#setMeta(MetaKey.REINDEXING, on ? "1" : null);
  }

  /** Loads and links every entry (`LoadBlockIndexGuts`); parents precede children. */
  load(): LoadedBlockIndex {
    const rows = this.#db.prepare("SELECT * FROM block_index ORDER BY height")
      .all() as unknown as IndexRow[];
    const entries = new Map<string, BlockIndexEntry>();
    const byRawHash = new Map<string, BlockIndexEntry>();
    for (const row of rows) {
      let header;
      try {
        header = decodeBlockHeader(row.header);
      } catch (error) {
        throw new ChainDatabaseError("block index entry with an unreadable header", {
          cause: error,
        });
      }
      const prevKey = rawKey(header.hashPrevBlock);
      const prev = row.height === 0 ? undefined : byRawHash.get(prevKey);
      if (row.height > 0 && !prev) {
        throw new ChainDatabaseError(`block index entry ${header.hashHex} has no parent`);
      }
      const entry = new BlockIndexEntry(header, prev);
      if (entry.height !== row.height) {
        throw new ChainDatabaseError(`block index entry ${header.hashHex} has a wrong height`);
      }
      entry.status = row.status;
      entry.txCount = row.tx_count;
      if (row.data_file !== null && row.data_pos !== null) {
        entry.dataPos = { file: row.data_file, pos: row.data_pos };
      }
      if (row.undo_file !== null && row.undo_pos !== null) {
        entry.undoPos = { file: row.undo_file, pos: row.undo_pos };
      }
      entries.set(entry.hashHex, entry);
      byRawHash.set(rawKey(entry.hash), entry);
    }
    const files = (this.#db.prepare("SELECT * FROM block_files ORDER BY file").all() as unknown as {
      file: number;
      blocks: number;
      size: number;
      undo_size: number;
      height_first: number;
      height_last: number;
      time_first: number;
      time_last: number;
    }[]).map((row) => ({
      file: row.file,
      blocks: row.blocks,
      size: row.size,
      undoSize: row.undo_size,
      heightFirst: row.height_first,
      heightLast: row.height_last,
      timeFirst: row.time_first,
      timeLast: row.time_last,
    }));
    return { entries, files, reindexing: this.#getMeta(MetaKey.REINDEXING) === "1" };
  }

  /** Writes changed entries and file records in one transaction (`WriteBatchSync`). */
  writeBatch(files: readonly BlockFileInfo[], entries: Iterable<BlockIndexEntry>): void {
    this.#db.exec("BEGIN");
    try {
      for (const f of files) {
        this.#putFile.run(
          f.file,
          f.blocks,
          f.size,
          f.undoSize,
          f.heightFirst,
          f.heightLast,
          f.timeFirst,
          f.timeLast,
        );
      }
      for (const e of entries) {
        this.#putEntry.run(
          e.hash,
          e.height,
          e.header.toBytes(),
          e.status,
          e.txCount,
          e.dataPos?.file ?? null,
          e.dataPos?.pos ?? null,
          e.undoPos?.file ?? null,
          e.undoPos?.pos ?? null,
        );
      }
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Deletes everything (start of -reindex). */
  wipe(): void {
    this.#db.exec("BEGIN; DELETE FROM block_index; DELETE FROM block_files; COMMIT");
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

/** A map key for a raw 32-byte hash. */
export function rawKey(hash: Uint8Array): string {
  return String.fromCharCode(...hash);
}
