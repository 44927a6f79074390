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

  /**
   * Heap footprint in bytes, modelled on freicoind's `DynamicMemoryUsage` on 64-bit builds: the
   * entry and its index nodes, the spent-outpoint map, and the transaction's vectors and
   * heap-allocated scripts and witness items (used for `-maxmempool` and `usage`).
   */
  get memoryUsage(): number {
    const tx = this.tx;
    let usage = mallocUsage(ENTRY_SIZE + 15 * 8) + // mapTx node
      tx.inputs.length * mallocUsage(48) + // mapNextTx nodes
      40 + // txns_randomized slot
      mallocUsage(TRANSACTION_SIZE) + mallocUsage(16) + // shared_ptr<const CTransaction>
      mallocUsage(tx.inputs.length * TXIN_SIZE) + mallocUsage(tx.outputs.length * TXOUT_SIZE);
    for (const input of tx.inputs) {
      usage += scriptUsage(input.scriptSig);
      if (input.witness.length > 0) {
        usage += mallocUsage(input.witness.length * 24);
        for (const item of input.witness) usage += mallocUsage(item.length);
      }
    }
    for (const output of tx.outputs) usage += scriptUsage(output.scriptPubKey);
    return usage;
  }
}

/** `sizeof(CTxMemPoolEntry)` (approximate). */
const ENTRY_SIZE = 264;
/** `sizeof(CTransaction)` with Freicoin's lock_height. */
const TRANSACTION_SIZE = 128;
/** `sizeof(CTxIn)`: outpoint, prevector script, nSequence, witness vector. */
const TXIN_SIZE = 104;
/** `sizeof(CTxOut)`: value and prevector script. */
const TXOUT_SIZE = 40;

/** `memusage::MallocUsage` on 64-bit: allocations round up to 16 bytes plus 16 of overhead. */
function mallocUsage(bytes: number): number {
  return bytes === 0 ? 0 : ((bytes + 31) >> 4) << 4;
}

/** A script's heap use: prevector<28> keeps up to 28 bytes inline. */
function scriptUsage(script: Uint8Array): number {
  return script.length > 28 ? mallocUsage(script.length) : 0;
}
