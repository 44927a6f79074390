/**
 * `-txindex` (src/index/txindex.cpp): txid → block hash for every transaction of the active
 * chain (the genesis coinbase excepted), in SQLite under `<network dir>/indexes/txindex/`.
 * It syncs in the background from its best block (rewinding to the fork point after a
 * reorganisation), then follows the chain's block notifications. getrawtransaction and
 * gettxoutproof read it through the context's `txIndexLookup`; getindexinfo reports it.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { join } from "node:path";
import { hashToHex } from "../../../kernel/encoding/mod.ts";
import type { Block } from "../../../kernel/primitives/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import type { ChainSubscription } from "../chain/chain_events.ts";
import type { IndexedTransaction, IndexSummary } from "./node_rpc_extras.ts";

/** Where the index lives inside the network directory. */
export const TX_INDEX_DIR = join("indexes", "txindex");
/** Blocks written per transaction while catching up. */
const SYNC_BATCH = 200;

const SCHEMA = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS txindex (txid BLOB PRIMARY KEY, block BLOB NOT NULL) WITHOUT ROWID;
`;

/** Options of {@link TxIndex.open}. */
export interface TxIndexOptions {
  readonly chain: ChainState;
  /** The node's network directory (`<datadir>/regtest` …). */
  readonly networkDir: string;
}

/** The transaction index. */
export class TxIndex implements AsyncDisposable {
  readonly #chain: ChainState;
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #select: StatementSync;
  readonly #setBest: StatementSync;
  readonly #subscription: ChainSubscription;
  #best: BlockIndexEntry | undefined;
  #synced = false;
  #closed = false;
  #syncing: Promise<void> | undefined;

  private constructor(options: TxIndexOptions) {
    this.#chain = options.chain;
    const dir = join(options.networkDir, TX_INDEX_DIR);
    Deno.mkdirSync(dir, { recursive: true });
    this.#db = new DatabaseSync(join(dir, "txindex.sqlite"));
    this.#db.exec(SCHEMA);
    this.#insert = this.#db.prepare("INSERT OR REPLACE INTO txindex (txid, block) VALUES (?, ?)");
    this.#select = this.#db.prepare("SELECT block FROM txindex WHERE txid = ?");
    this.#setBest = this.#db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('best', ?)");
    const best = this.#db.prepare("SELECT value FROM meta WHERE key = 'best'").get() as
      | { value: Uint8Array }
      | undefined;
    this.#best = best ? this.#chain.lookupBlockIndex(best.value) : undefined;
    this.#subscription = this.#chain.subscribe({
      blockConnected: (block, entry) => this.#onBlockConnected(block, entry),
    });
  }

  /** Opens (or creates) the index and starts catching up in the background. */
  static open(options: TxIndexOptions): TxIndex {
    const index = new TxIndex(options);
    index.#startSync();
    return index;
  }

  /** Resolves once the index has caught up with the tip it saw last. */
  async whenSynced(): Promise<void> {
    while (!this.#synced && !this.#closed) {
      await (this.#syncing ?? Promise.resolve());
      if (!this.#synced) this.#startSync();
    }
  }

  /** The transaction and the block holding it, when indexed and still readable. */
  lookup(txidHex: string): IndexedTransaction | undefined {
    if (this.#closed || !/^[0-9a-f]{64}$/.test(txidHex)) return undefined;
    const row = this.#select.get(hexToInternal(txidHex)) as { block: Uint8Array } | undefined;
    if (!row) return undefined;
    const block = this.#chain.readBlock(row.block);
    const tx = block?.transactions.find((t) => t.txidHex === txidHex);
    return tx ? { tx, blockHash: hashToHex(row.block) } : undefined;
  }

  /** getindexinfo's view of the index. */
  summary(): IndexSummary {
    return { name: "txindex", synced: this.#synced, bestBlockHeight: this.#best?.height ?? 0 };
  }

  #write(block: Block, entry: BlockIndexEntry): void {
    // The genesis coinbase cannot be spent, so it is not indexed (as in freicoind).
    if (entry.height > 0) {
      for (const tx of block.transactions) this.#insert.run(tx.txid, entry.hash);
    }
    this.#setBest.run(entry.hash);
    this.#best = entry;
  }

  #onBlockConnected(block: Block, entry: BlockIndexEntry): void {
    if (this.#closed) return;
    if (this.#synced && this.#best === entry.prev) {
      this.#write(block, entry);
      return;
    }
    this.#synced = false;
    this.#startSync();
  }

  #startSync(): void {
    if (this.#syncing || this.#closed) return;
    this.#syncing = this.#sync().finally(() => {
      this.#syncing = undefined;
    });
  }

  async #sync(): Promise<void> {
    while (!this.#closed) {
      const chain = this.#chain;
      if (this.#best && !chain.contains(this.#best)) this.#best = chain.findFork(this.#best);
      const from = this.#best ? this.#best.height + 1 : 0;
      if (from > chain.height) {
        this.#synced = true;
        return;
      }
      const to = Math.min(chain.height, from + SYNC_BATCH - 1);
      this.#db.exec("BEGIN");
      try {
        for (let height = from; height <= to; height++) {
          const entry = chain.getBlockEntry(height);
          const block = entry ? chain.readBlock(entry) : undefined;
          if (!entry || !block) break;
          this.#write(block, entry);
        }
        this.#db.exec("COMMIT");
      } catch (error) {
        this.#db.exec("ROLLBACK");
        throw error;
      }
      // Let RPC calls and block processing run between batches.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Stops following the chain and closes the database. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#subscription.disconnect();
    await this.#syncing?.catch(() => {});
    this.#db.close();
  }

  /** {@inheritDoc TxIndex.close} */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function hexToInternal(hex: string): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[31 - i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
