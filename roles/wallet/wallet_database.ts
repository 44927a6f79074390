/**
 * The wallet's SQLite file (see layout.ts): typed reads and writes, and one SQLite transaction
 * around every multi-row change.
 *
 * @module
 */
import { dirname } from "node:path";
import { backup, DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { type TxState, WALLET_PRAGMAS, WALLET_SCHEMA, WALLET_SCHEMA_VERSION } from "./layout.ts";

/** A stored descriptor row. */
export interface DescriptorRow {
  id: Uint8Array;
  descriptor: string;
  secret: Uint8Array | null;
  derivation: string | null;
  created: number;
  rangeStart: number;
  rangeEnd: number;
  nextIndex: number;
  activeType: string | null;
  internal: boolean;
}

/** A stored transaction row. */
export interface TransactionRow {
  txid: Uint8Array;
  tx: Uint8Array;
  state: TxState;
  blockHash: Uint8Array | null;
  blockHeight: number | null;
  blockIndex: number | null;
  blockTime: number | null;
  conflictHeight: number | null;
  timeReceived: number;
  timeSmart: number;
  orderPos: number;
  fromMe: boolean;
  comment: string | null;
  commentTo: string | null;
  replacedBy: string | null;
  replaces: string | null;
}

/** Thrown when the file is not a wallet of a schema we know. */
export class WalletDatabaseError extends Error {
  override name = "WalletDatabaseError";
  /** The file is held by another process (freicoind answers -4, not "not found"). */
  readonly locked: boolean;

  /** `message` is freicoind's text; `locked` marks the exclusive-lock failure. */
  constructor(message: string, options: { locked?: boolean } = {}) {
    super(message);
    this.locked = options.locked ?? false;
  }
}

type Row = Record<string, SQLInputValue>;

function bytes(value: SQLInputValue | undefined): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(0);
}

/** The open wallet file. */
export class WalletDatabase {
  readonly #db: DatabaseSync;
  #inTransaction = false;
  #closed = false;

  readonly #statements = new Map<string, StatementSync>();

  /** The database file. */
  readonly path: string;

  private constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.path = path;
  }

  /** A prepared statement, prepared once per database. */
  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, statement = this.#db.prepare(sql));
    return statement;
  }

  /**
   * Opens (or with `create`, creates) the wallet file at `path`. Throws
   * {@linkcode WalletDatabaseError} for a file of another schema version.
   */
  static open(path: string, options: { create: boolean }): WalletDatabase {
    const db = new DatabaseSync(path);
    try {
      // One process at a time (freicoind's SQLiteDatabase::Open): take the file's lock now and
      // keep it until close.
      db.exec("PRAGMA locking_mode = EXCLUSIVE");
      try {
        db.exec("BEGIN EXCLUSIVE TRANSACTION");
        db.exec("COMMIT");
      } catch (error) {
        const message = (error as Error).message;
        if (/locked|busy/i.test(message)) {
          throw new WalletDatabaseError(
            "SQLiteDatabase: Unable to obtain an exclusive lock on the database, is it being used by another instance of Freicoin?",
            { locked: true },
          );
        }
        if (/not a database/i.test(message)) {
          throw new WalletDatabaseError(
            `Failed to load database path '${dirname(path)}'. Data is not in recognized format.`,
          );
        }
        throw error;
      }
      db.exec(WALLET_PRAGMAS);
      const hasMeta = db.prepare(
        "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'",
      ).get();
      if (!hasMeta && !options.create) {
        throw new WalletDatabaseError("Wallet file verification failed: not a wallet database");
      }
      db.exec(WALLET_SCHEMA);
      const database = new WalletDatabase(db, path);
      const version = database.getMeta("version");
      if (version === null) {
        database.setMeta("version", new TextEncoder().encode(String(WALLET_SCHEMA_VERSION)));
      } else if (new TextDecoder().decode(version) !== String(WALLET_SCHEMA_VERSION)) {
        throw new WalletDatabaseError(
          `Unsupported wallet schema version ${new TextDecoder().decode(version)}`,
        );
      }
      return database;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Runs `body` inside one SQLite transaction (nested calls join the outer one). */
  transaction<T>(body: () => T): T {
    if (this.#inTransaction) return body();
    this.#db.exec("BEGIN IMMEDIATE");
    this.#inTransaction = true;
    try {
      const result = body();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    } finally {
      this.#inTransaction = false;
    }
  }

  /** A `meta` value, or null. */
  getMeta(key: string): Uint8Array | null {
    const row = this.#statement("SELECT value FROM meta WHERE key = ?").get(key) as
      | Row
      | undefined;
    return row ? bytes(row.value) : null;
  }

  /** A `meta` value as text, or null. */
  getMetaText(key: string): string | null {
    const value = this.getMeta(key);
    return value === null ? null : new TextDecoder().decode(value);
  }

  /** Sets a `meta` value. */
  setMeta(key: string, value: Uint8Array | string): void {
    const data = typeof value === "string" ? new TextEncoder().encode(value) : value;
    this.#statement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, data);
  }

  /** Removes a `meta` value. */
  deleteMeta(key: string): void {
    this.#statement("DELETE FROM meta WHERE key = ?").run(key);
  }

  /** Every descriptor row. */
  descriptors(): DescriptorRow[] {
    const rows = this.#statement("SELECT * FROM descriptors").all() as Row[];
    return rows.map((row) => ({
      id: bytes(row.id),
      descriptor: String(row.descriptor),
      secret: row.secret instanceof Uint8Array ? row.secret : null,
      derivation: row.derivation === null ? null : String(row.derivation),
      created: Number(row.created),
      rangeStart: Number(row.range_start),
      rangeEnd: Number(row.range_end),
      nextIndex: Number(row.next_index),
      activeType: row.active_type === null ? null : String(row.active_type),
      internal: Number(row.internal) !== 0,
    }));
  }

  /** Inserts or replaces a descriptor row. */
  putDescriptor(row: DescriptorRow): void {
    this.#statement(
      `INSERT OR REPLACE INTO descriptors (id, descriptor, secret, derivation, created,
       range_start, range_end, next_index, active_type, internal)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.id,
      row.descriptor,
      row.secret,
      row.derivation,
      row.created,
      row.rangeStart,
      row.rangeEnd,
      row.nextIndex,
      row.activeType,
      row.internal ? 1 : 0,
    );
  }

  /** Derived scripts as `[script, descriptor id, position]`. */
  scripts(): [Uint8Array, Uint8Array, number][] {
    const rows = this.#statement("SELECT * FROM scripts").all() as Row[];
    return rows.map((row) => [bytes(row.script), bytes(row.descriptor_id), Number(row.position)]);
  }

  /** Records a derived script. */
  putScript(script: Uint8Array, descriptorId: Uint8Array, position: number): void {
    this.#statement(
      "INSERT OR IGNORE INTO scripts (script, descriptor_id, position) VALUES (?, ?, ?)",
    ).run(script, descriptorId, position);
  }

  /** Every transaction row. */
  transactions(): TransactionRow[] {
    const rows = this.#statement("SELECT * FROM transactions").all() as Row[];
    return rows.map((row) => ({
      txid: bytes(row.txid),
      tx: bytes(row.tx),
      state: String(row.state) as TxState,
      blockHash: row.block_hash instanceof Uint8Array ? row.block_hash : null,
      blockHeight: row.block_height === null ? null : Number(row.block_height),
      blockIndex: row.block_index === null ? null : Number(row.block_index),
      blockTime: row.block_time === null ? null : Number(row.block_time),
      conflictHeight: row.conflict_height === null ? null : Number(row.conflict_height),
      timeReceived: Number(row.time_received),
      timeSmart: Number(row.time_smart),
      orderPos: Number(row.order_pos),
      fromMe: Number(row.from_me) !== 0,
      comment: row.comment === null ? null : String(row.comment),
      commentTo: row.comment_to === null ? null : String(row.comment_to),
      replacedBy: row.replaced_by === null ? null : String(row.replaced_by),
      replaces: row.replaces === null ? null : String(row.replaces),
    }));
  }

  /** Inserts or replaces a transaction row. */
  putTransaction(row: TransactionRow): void {
    this.#statement(
      `INSERT OR REPLACE INTO transactions (txid, tx, state, block_hash, block_height,
       block_index, block_time, conflict_height, time_received, time_smart, order_pos, from_me,
       comment, comment_to, replaced_by, replaces)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.txid,
      row.tx,
      row.state,
      row.blockHash,
      row.blockHeight,
      row.blockIndex,
      row.blockTime,
      row.conflictHeight,
      row.timeReceived,
      row.timeSmart,
      row.orderPos,
      row.fromMe ? 1 : 0,
      row.comment,
      row.commentTo,
      row.replacedBy,
      row.replaces,
    );
  }

  /** Removes a transaction row. */
  deleteTransaction(txid: Uint8Array): void {
    this.#statement("DELETE FROM transactions WHERE txid = ?").run(txid);
  }

  /** Address book entries as `[address, label, purpose]`. */
  addressBook(): [string, string, string][] {
    const rows = this.#statement("SELECT * FROM address_book").all() as Row[];
    return rows.map((row) => [String(row.address), String(row.label), String(row.purpose)]);
  }

  /** Sets an address book entry. */
  putAddress(address: string, label: string, purpose: string): void {
    this.#statement(
      "INSERT OR REPLACE INTO address_book (address, label, purpose) VALUES (?, ?, ?)",
    ).run(address, label, purpose);
  }

  /** Persistently locked outpoints (36 bytes each). */
  lockedCoins(): Uint8Array[] {
    const rows = this.#statement("SELECT outpoint FROM locked_coins").all() as Row[];
    return rows.map((row) => bytes(row.outpoint));
  }

  /** Adds or removes a persistent coin lock. */
  setCoinLocked(outpoint: Uint8Array, locked: boolean): void {
    if (locked) {
      this.#statement("INSERT OR IGNORE INTO locked_coins (outpoint) VALUES (?)").run(outpoint);
    } else {
      this.#statement("DELETE FROM locked_coins WHERE outpoint = ?").run(outpoint);
    }
  }

  /**
   * Makes sure deleted records are gone from the file: checkpoints the WAL into the main file
   * and rewrites it. `secure_delete` already zeroes freed pages, so when VACUUM is refused (it
   * attaches a scratch database, which the wallet process's sandbox forbids: "too many
   * attached databases - max 0") the checkpoint alone still leaves no clear key in the file.
   */
  wipeFreePages(): void {
    this.#db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    try {
      this.#db.exec("VACUUM");
    } catch {
      // sandboxed: freed pages are already zeroed by secure_delete
    }
    this.#db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  /**
   * Writes a consistent copy of the database to `path` with SQLite's online backup (VACUUM INTO
   * needs ATTACH, which the wallet process's sandbox forbids).
   */
  async backupTo(path: string): Promise<void> {
    await backup(this.#db, path);
  }

  /** Closes the file; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}
