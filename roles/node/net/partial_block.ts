/**
 * Reconstructing a block from a compact announcement (`PartiallyDownloadedBlock`,
 * src/blockencodings.cpp): prefilled transactions, then the mempool by short id, then the
 * peer's blocktxn answer for whatever is still missing.
 *
 * @module
 */
import { bytesEqual } from "../../../kernel/encoding/mod.ts";
import { blockMerkleRoot } from "../../../kernel/merkle/merkle_root.ts";
import { Block, type BlockHeader, type Transaction } from "../../../kernel/primitives/mod.ts";
import { shortId, shortIdKey } from "./compact_block.ts";
import type { CompactBlock } from "./messages.ts";

/** Upper bound on transactions in a compact block (`MAX_BLOCK_WEIGHT / MIN_SERIALIZABLE_TRANSACTION_WEIGHT`). */
const MAX_COMPACT_TX_COUNT = 4_000_000 / 40;

/** `ReadStatus`. */
export type ReadStatus = "ok" | "invalid" | "failed";

/** A block being rebuilt from its compact form. */
export class PartialBlock {
  readonly header: BlockHeader;
  readonly #slots: (Transaction | undefined)[];

  private constructor(header: BlockHeader, count: number) {
    this.header = header;
    this.#slots = new Array(count).fill(undefined);
  }

  /**
   * `InitData`: places the prefilled transactions and those of `pool` whose short ids
   * match. "invalid" for a malformed compact block (the peer misbehaved), "failed" for short
   * id collisions (fetch the whole block instead).
   */
  static init(
    compact: CompactBlock,
    pool: Iterable<Transaction>,
  ): { status: "ok"; partial: PartialBlock } | { status: "invalid" | "failed" } {
    const count = compact.shortIds.length + compact.prefilled.length;
    if (compact.header.isNull() || count === 0 || count > MAX_COMPACT_TX_COUNT) {
      return { status: "invalid" };
    }
    const partial = new PartialBlock(compact.header, count);
    for (const { index, tx } of compact.prefilled) {
      if (index >= count || tx.isNull()) return { status: "invalid" };
      partial.#slots[index] = tx;
    }
    // Short ids fill the remaining slots in order.
    const slotOfId = new Map<number, number>();
    let next = 0;
    for (const id of compact.shortIds) {
      while (partial.#slots[next] !== undefined) next++;
      if (slotOfId.has(id)) return { status: "failed" };
      slotOfId.set(id, next++);
    }
    const key = shortIdKey(compact.header, compact.nonce);
    const claimed = new Set<number>();
    for (const tx of pool) {
      const slot = slotOfId.get(shortId(key, tx.wtxid));
      if (slot === undefined) continue;
      if (claimed.has(slot)) {
        // Two pool transactions with one short id: we cannot tell which one is meant.
        partial.#slots[slot] = undefined;
        continue;
      }
      claimed.add(slot);
      partial.#slots[slot] = tx;
    }
    return { status: "ok", partial };
  }

  /** Indexes of the transactions still missing. */
  missing(): number[] {
    const out: number[] = [];
    this.#slots.forEach((tx, i) => {
      if (tx === undefined) out.push(i);
    });
    return out;
  }

  /**
   * `FillBlock`: the block with `extra` filling the missing slots in order. "invalid" when the
   * count does not match, "failed" when the result does not match the header's Merkle root
   * (a short id collision: fetch the whole block).
   */
  fill(extra: readonly Transaction[]): { status: "ok"; block: Block } | { status: ReadStatus } {
    const missing = this.missing();
    if (missing.length !== extra.length) return { status: "invalid" };
    const transactions = this.#slots.slice();
    missing.forEach((slot, i) => transactions[slot] = extra[i]);
    const block = new Block(this.header, transactions as Transaction[]);
    const root = blockMerkleRoot(block);
    if (!bytesEqual(root.root, this.header.hashMerkleRoot)) return { status: "failed" };
    return { status: "ok", block };
  }
}
