/**
 * `-txindex` (src/index/txindex.cpp): txid → block hash for every transaction of the active
 * chain (the genesis coinbase excepted), in SQLite under `<network dir>/indexes/txindex/`.
 * getrawtransaction and gettxoutproof read it through the context's `txIndexLookup`;
 * getindexinfo reports it.
 *
 * @module
 */
import { join } from "node:path";
import type { StatementSync } from "node:sqlite";
import { hashToHex } from "../../../kernel/encoding/mod.ts";
import type { Block } from "../../../kernel/primitives/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import { ChainIndex, type ChainIndexOptions } from "./chain_index.ts";
import type { IndexedTransaction } from "./node_rpc_extras.ts";

/** Where the index lives inside the network directory. */
export const TX_INDEX_DIR = join("indexes", "txindex");

/** Options of {@link TxIndex.open}. */
export type TxIndexOptions = ChainIndexOptions;

/** The transaction index. */
export class TxIndex extends ChainIndex {
  readonly #insert: StatementSync;
  readonly #select: StatementSync;

  private constructor(options: TxIndexOptions) {
    super(
      options,
      { dir: TX_INDEX_DIR, file: "txindex.sqlite" },
      "CREATE TABLE IF NOT EXISTS txindex (txid BLOB PRIMARY KEY, block BLOB NOT NULL) WITHOUT ROWID;",
      "txindex",
    );
    this.#insert = this.db.prepare("INSERT OR REPLACE INTO txindex (txid, block) VALUES (?, ?)");
    this.#select = this.db.prepare("SELECT block FROM txindex WHERE txid = ?");
  }

  /** Opens (or creates) the index and starts catching up in the background. */
  static open(options: TxIndexOptions): TxIndex {
    const index = new TxIndex(options);
    index.start();
    return index;
  }

  /** The transaction and the block holding it, when indexed and still readable. */
  lookup(txidHex: string): IndexedTransaction | undefined {
    if (this.closed || !/^[0-9a-f]{64}$/.test(txidHex)) return undefined;
    const row = this.#select.get(hexToInternal(txidHex)) as { block: Uint8Array } | undefined;
    if (!row) return undefined;
    const block = this.chain.readBlock(row.block);
    const tx = block?.transactions.find((t) => t.txidHex === txidHex);
    return tx ? { tx, blockHash: hashToHex(row.block) } : undefined;
  }

  protected writeBlock(block: Block, entry: BlockIndexEntry): void {
    // The genesis coinbase cannot be spent, so it is not indexed (as in freicoind).
    if (entry.height === 0) return;
    for (const tx of block.transactions) this.#insert.run(tx.txid, entry.hash);
  }
}

function hexToInternal(hex: string): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[31 - i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
