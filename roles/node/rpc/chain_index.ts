/**
 * What the optional indexes share (`BaseIndex`, src/index/base.cpp): a SQLite database under
 * `<network dir>/indexes/<name>/`, a best block, a background catch-up from it (rewinding to the
 * fork point after a reorganisation) and then the chain's block notifications.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { join } from "node:path";
import type { Block } from "../../../kernel/primitives/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import type { ChainSubscription } from "../chain/chain_events.ts";
import type { IndexSummary } from "./node_rpc_extras.ts";

/** Blocks written per database transaction while catching up. */
const SYNC_BATCH = 200;

/** Options of an index. */
export interface ChainIndexOptions {
  readonly chain: ChainState;
  /** The node's network directory (`<datadir>/regtest` …). */
  readonly networkDir: string;
}

/** An index that follows the active chain block by block. */
export abstract class ChainIndex implements AsyncDisposable {
  protected readonly chain: ChainState;
  protected readonly db: DatabaseSync;
  readonly #setBest: StatementSync;
  readonly #subscription: ChainSubscription;
  #best: BlockIndexEntry | undefined;
  #synced = false;
  #closed = false;
  #syncing: Promise<void> | undefined;

  /** Opens `<networkDir>/<dir>/<file>` with `schema`; call {@link start} once constructed. */
  protected constructor(
    options: ChainIndexOptions,
    location: { dir: string; file: string },
    schema: string,
    readonly name: string,
  ) {
    this.chain = options.chain;
    const dir = join(options.networkDir, location.dir);
    Deno.mkdirSync(dir, { recursive: true });
    this.db = new DatabaseSync(join(dir, location.file));
    this.db.exec(`
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
${schema}`);
    this.#setBest = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('best', ?)");
    const best = this.db.prepare("SELECT value FROM meta WHERE key = 'best'").get() as
      | { value: Uint8Array }
      | undefined;
    this.#best = best ? this.chain.lookupBlockIndex(best.value) : undefined;
    this.#subscription = this.chain.subscribe({
      blockConnected: (block, entry) => this.#onBlockConnected(block, entry),
    });
  }

  /** Records one block of the active chain (inside a database transaction). */
  protected abstract writeBlock(block: Block, entry: BlockIndexEntry): void;

  /** Starts catching up in the background. */
  protected start(): void {
    this.#startSync();
  }

  /** Whether the index has reached the tip (`m_synced`). */
  get synced(): boolean {
    return this.#synced;
  }

  /** Whether {@link close} was called. */
  protected get closed(): boolean {
    return this.#closed;
  }

  /** Resolves once the index has caught up with the tip. */
  async whenSynced(): Promise<void> {
    while (!this.#synced && !this.#closed) {
      this.#startSync();
      await this.#syncing;
    }
  }

  /** getindexinfo's view of the index. */
  summary(): IndexSummary {
    return { name: this.name, synced: this.#synced, bestBlockHeight: this.#best?.height ?? 0 };
  }

  #record(block: Block, entry: BlockIndexEntry): void {
    this.writeBlock(block, entry);
    this.#setBest.run(entry.hash);
    this.#best = entry;
  }

  #onBlockConnected(block: Block, entry: BlockIndexEntry): void {
    if (this.#closed) return;
    if (this.#synced && this.#best === entry.prev) {
      this.db.exec("BEGIN");
      try {
        this.#record(block, entry);
        this.db.exec("COMMIT");
      } catch (error) {
        this.db.exec("ROLLBACK");
        throw error;
      }
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
      const chain = this.chain;
      if (this.#best && !chain.contains(this.#best)) this.#best = chain.findFork(this.#best);
      const from = this.#best ? this.#best.height + 1 : 0;
      if (from > chain.height) {
        this.#synced = true;
        return;
      }
      const to = Math.min(chain.height, from + SYNC_BATCH - 1);
      this.db.exec("BEGIN");
      try {
        for (let height = from; height <= to; height++) {
          const entry = chain.getBlockEntry(height);
          const block = entry ? chain.readBlock(entry) : undefined;
          if (!entry || !block) break;
          this.#record(block, entry);
        }
        this.db.exec("COMMIT");
      } catch (error) {
        this.db.exec("ROLLBACK");
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
    this.db.close();
  }

  /** {@inheritDoc ChainIndex.close} */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
