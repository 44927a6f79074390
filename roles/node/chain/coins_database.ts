/**
 * The UTXO set on disk (`CCoinsViewDB`) in SQLite under `chainstate/`, keyed by
 * txid ‖ big-endian output index, plus the best-block marker, the block-final entry and the
 * head-blocks marker of an unfinished flush.
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { join } from "node:path";
import { ByteWriter } from "../../../kernel/encoding/byte_writer.ts";
import type { Coin } from "../../../kernel/consensus/coins.ts";
import type { BlockFinalTxEntry } from "../../../kernel/consensus/connect_block.ts";
import { OutPoint } from "../../../kernel/primitives/outpoint.ts";
import { ChainDatabaseError } from "./block_index_db.ts";
import { decodeCoin, type PublicKeyDecompressor, writeCoin } from "./coin_codec.ts";
import {
  CHAINSTATE_FILE,
  CHAINSTATE_SCHEMA,
  CHAINSTATE_SCHEMA_VERSION,
  DATABASE_PRAGMAS,
  MetaKey,
} from "./layout.ts";

/** One change of a flush: a coin to store, or null to erase it. */
export interface CoinChange {
  readonly outpoint: OutPoint;
  readonly coin: Coin | null;
}

/** The head-blocks marker of a flush that did not finish (`GetHeadBlocks`). */
export interface HeadBlocks {
  /** The tip the interrupted flush was writing. */
  readonly newTip: Uint8Array;
  /** The tip before it (all zero on the first flush). */
  readonly oldTip: Uint8Array;
  /** The block-final entry at the new tip. */
  readonly newFinalTx: BlockFinalTxEntry | null;
}

/** Options of {@link CoinsDatabase.writeBatch}. */
export interface CoinsBatchOptions {
  /** Tip the coins will reflect. */
  readonly bestBlock: Uint8Array;
  /** Block-final entry at that tip. */
  readonly finalTx: BlockFinalTxEntry | null;
  /** Changes per SQLite transaction; more changes are written in several. Default 200,000. */
  readonly chunkSize?: number;
  /** Test hook called after each partial transaction of a split batch commits. */
  readonly afterChunk?: (index: number) => void;
}

/** The 36-byte database key of an outpoint: txid (internal order) ‖ u32 big-endian index. */
export function coinKey(outpoint: OutPoint): Uint8Array {
  const key = new Uint8Array(36);
  key.set(outpoint.hash, 0);
  new DataView(key.buffer).setUint32(32, outpoint.n, false);
  return key;
}

/** The outpoint of a 36-byte database key. */
export function outpointFromKey(key: Uint8Array): OutPoint {
  const n = new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(32, false);
  return new OutPoint(key.slice(0, 32), n);
}

function encodeFinalTx(entry: BlockFinalTxEntry | null): Uint8Array {
  const writer = new ByteWriter(40);
  writer.writeU32LE(entry?.size ?? 0);
  if (entry && entry.size > 0) writer.writeBytes(entry.hash);
  return writer.toBytes();
}

function decodeFinalTx(bytes: Uint8Array | undefined): BlockFinalTxEntry | null {
  if (!bytes || bytes.length < 4) return null;
  const size = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  if (size === 0) return null;
  if (bytes.length !== 36) throw new ChainDatabaseError("bad block-final entry in chainstate");
  return { size, hash: bytes.slice(4, 36) };
}

/** The coins database. */
export class CoinsDatabase {
  readonly #db: DatabaseSync;
  readonly #get: StatementSync;
  readonly #put: StatementSync;
  readonly #delete: StatementSync;
  readonly #decompress: PublicKeyDecompressor | undefined;
  #closed = false;

  /** Opens or creates `dir/chainstate.sqlite`. */
  constructor(dir: string, options: { decompress?: PublicKeyDecompressor } = {}) {
    Deno.mkdirSync(dir, { recursive: true });
    this.#decompress = options.decompress;
    this.#db = new DatabaseSync(join(dir, CHAINSTATE_FILE));
    this.#db.exec(DATABASE_PRAGMAS);
    this.#db.exec(CHAINSTATE_SCHEMA);
    const version = this.#getMeta(MetaKey.SCHEMA_VERSION);
    if (version === undefined) {
      this.#setMeta(
        MetaKey.SCHEMA_VERSION,
        new TextEncoder().encode(String(CHAINSTATE_SCHEMA_VERSION)),
      );
    } else if (new TextDecoder().decode(version) !== String(CHAINSTATE_SCHEMA_VERSION)) {
      throw new ChainDatabaseError("unsupported chainstate schema version");
    }
    this.#get = this.#db.prepare("SELECT coin FROM coins WHERE outpoint = ?");
    this.#put = this.#db.prepare("INSERT OR REPLACE INTO coins VALUES (?, ?)");
    this.#delete = this.#db.prepare("DELETE FROM coins WHERE outpoint = ?");
  }

  #getMeta(key: string): Uint8Array | undefined {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      | { value: Uint8Array }
      | undefined;
    return row?.value;
  }

  #setMeta(key: string, value: Uint8Array | null): void {
    if (value === null) this.#db.prepare("DELETE FROM meta WHERE key = ?").run(key);
    else this.#db.prepare("INSERT OR REPLACE INTO meta VALUES (?, ?)").run(key, value);
  }

  /** The coin at `outpoint` on disk. */
  getCoin(outpoint: OutPoint): Coin | undefined {
    const row = this.#get.get(coinKey(outpoint)) as { coin: Uint8Array } | undefined;
    return row ? decodeCoin(row.coin, this.#decompress) : undefined;
  }

  /** The block the stored coins reflect (`GetBestBlock`), or null for an empty database. */
  bestBlock(): Uint8Array | null {
    return this.#getMeta(MetaKey.BEST_BLOCK) ?? null;
  }

  /** The block-final entry at the best block. */
  finalTx(): BlockFinalTxEntry | null {
    return decodeFinalTx(this.#getMeta(MetaKey.FINAL_TX));
  }

  /** The head-blocks marker, present only when a flush was interrupted. */
  headBlocks(): HeadBlocks | null {
    const heads = this.#getMeta(MetaKey.HEAD_BLOCKS);
    if (!heads) return null;
    if (heads.length !== 64) throw new ChainDatabaseError("bad head-blocks marker");
    return {
      newTip: heads.slice(0, 32),
      oldTip: heads.slice(32, 64),
      newFinalTx: decodeFinalTx(this.#getMeta(MetaKey.HEAD_FINAL_TX)),
    };
  }

  /**
   * Writes `changes` (`BatchWrite`). A batch that fits in one chunk is one transaction that
   * moves the best block atomically. A larger one first records the head-blocks marker
   * (new tip, old tip) and erases the best block, then writes chunk by chunk, and finally sets
   * the best block and erases the marker: a crash in between leaves the marker, and start-up
   * replays the blocks between the two tips.
   */
  writeBatch(changes: readonly CoinChange[], options: CoinsBatchOptions): void {
    const chunkSize = options.chunkSize ?? 200_000;
    const oldTip = this.bestBlock() ?? new Uint8Array(32);
    const split = changes.length > chunkSize;
    if (split) {
      this.#transaction(() => {
        const heads = new Uint8Array(64);
        heads.set(options.bestBlock, 0);
        heads.set(oldTip, 32);
        this.#setMeta(MetaKey.HEAD_BLOCKS, heads);
        this.#setMeta(MetaKey.HEAD_FINAL_TX, encodeFinalTx(options.finalTx));
        this.#setMeta(MetaKey.BEST_BLOCK, null);
      });
    }
    let chunk = 0;
    for (let start = 0; start < changes.length || start === 0; start += chunkSize) {
      const last = start + chunkSize >= changes.length;
      this.#transaction(() => {
        const end = Math.min(changes.length, start + chunkSize);
        for (let i = start; i < end; i++) {
          const { outpoint, coin } = changes[i];
          if (coin === null) {
            this.#delete.run(coinKey(outpoint));
          } else {
            const encoded = new ByteWriter(64);
            writeCoin(encoded, coin);
            this.#put.run(coinKey(outpoint), encoded.toBytes());
          }
        }
        if (last) {
          this.#setMeta(MetaKey.BEST_BLOCK, options.bestBlock);
          this.#setMeta(MetaKey.FINAL_TX, encodeFinalTx(options.finalTx));
          this.#setMeta(MetaKey.HEAD_BLOCKS, null);
          this.#setMeta(MetaKey.HEAD_FINAL_TX, null);
        }
      });
      if (split) options.afterChunk?.(chunk++);
      if (last) break;
    }
  }

  #transaction(body: () => void): void {
    this.#db.exec("BEGIN");
    try {
      body();
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Every coin in key order (txid bytes, then output index): freicoind's iteration order. */
  *entries(): Generator<{ key: Uint8Array; coin: Coin }> {
    const rows = this.#db.prepare("SELECT outpoint, coin FROM coins ORDER BY outpoint").iterate();
    for (const row of rows as Iterable<{ outpoint: Uint8Array; coin: Uint8Array }>) {
      yield { key: row.outpoint, coin: decodeCoin(row.coin, this.#decompress) };
    }
  }

  /** Approximate size of the database file in bytes. */
  diskSize(): number {
    const row = this.#db.prepare(
      "SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()",
    ).get() as { size: number } | undefined;
    return row?.size ?? 0;
  }

  /** Deletes every coin and marker (start of -reindex / -reindex-chainstate). */
  wipe(): void {
    this.#transaction(() => {
      this.#db.exec("DELETE FROM coins");
      for (
        const key of [
          MetaKey.BEST_BLOCK,
          MetaKey.FINAL_TX,
          MetaKey.HEAD_BLOCKS,
          MetaKey.HEAD_FINAL_TX,
        ]
      ) {
        this.#setMeta(key, null);
      }
    });
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}
