/**
 * One transaction in the mempool (`CTxMemPoolEntry`, src/kernel/mempool_entry.h).
 *
 * @module
 */
import type { Transaction } from "../../../kernel/primitives/mod.ts";

/** BIP68 lock points of an entry, valid while the chain keeps the block they were computed at. */
export interface LockPoints {
  /** Minimum block height (-1 when none). */
  readonly height: number;
  /** Minimum median time past (-1 when none). */
  readonly time: number;
}

/** Fields of a new {@link MempoolEntry}. */
export interface MempoolEntryFields {
  readonly tx: Transaction;
  /** Fee at the transaction's lock_height (Σ present input values − Σ outputs). */
  readonly fee: bigint;
  /** Seconds since the epoch when it entered. */
  readonly time: number;
  /** Chain height when it entered. */
  readonly entryHeight: number;
  /** Entry order (0 for transactions resurrected from disconnected blocks). */
  readonly sequence: number;
  readonly spendsCoinbase: boolean;
  readonly sigOpCost: number;
  /** Virtual size (`GetVirtualTransactionSize` with the sigop adjustment). */
  readonly vsize: number;
  readonly lockPoints: LockPoints;
}

/**
 * A mempool entry: the transaction, its fee and size, and its in-mempool parents and
 * children. Fees are at the transaction's lock_height (its reference height); comparisons
 * between entries time-adjust to a common height (protocol.md §4.4).
 */
export class MempoolEntry {
  readonly tx: Transaction;
  /** Base fee at `tx.lockHeight`. */
  readonly fee: bigint;
  readonly time: number;
  readonly entryHeight: number;
  readonly sequence: number;
  readonly spendsCoinbase: boolean;
  readonly sigOpCost: number;
  readonly vsize: number;
  /** The fee delta from `prioritisetransaction`. */
  feeDelta = 0n;
  lockPoints: LockPoints;
  /** In-mempool transactions this one spends. */
  readonly parents: Set<MempoolEntry> = new Set();
  /** In-mempool transactions spending this one. */
  readonly children: Set<MempoolEntry> = new Set();

  /** Creates an entry. */
  constructor(fields: MempoolEntryFields) {
    this.tx = fields.tx;
    this.fee = fields.fee;
    this.time = fields.time;
    this.entryHeight = fields.entryHeight;
    this.sequence = fields.sequence;
    this.spendsCoinbase = fields.spendsCoinbase;
    this.sigOpCost = fields.sigOpCost;
    this.vsize = fields.vsize;
    this.lockPoints = fields.lockPoints;
  }

  /** Fee plus the prioritisation delta (`GetModifiedFee`). */
  get modifiedFee(): bigint {
    return this.fee + this.feeDelta;
  }

  /** The reference height of its fee: the transaction's lock_height. */
  get referenceHeight(): number {
    return this.tx.lockHeight;
  }

  /** Transaction weight. */
  get weight(): number {
    return this.tx.weight;
  }

  /** Display txid. */
  get txidHex(): string {
    return this.tx.txidHex;
  }

  /** A rough heap footprint in bytes, used for `-maxmempool` and `usage`. */
  get memoryUsage(): number {
    const tx = this.tx;
    // Entry and index overhead plus the transaction's own vectors (an estimate of
    // DynamicMemoryUsage, which counts allocator-rounded C++ objects).
    return 640 + tx.totalSize * 2 + tx.inputs.length * 160 + tx.outputs.length * 96;
  }
}
