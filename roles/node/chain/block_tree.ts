/**
 * The block tree in memory (`BlockManager::m_block_index` with the chainstate's candidate set):
 * every known header, which blocks could become the tip (`setBlockIndexCandidates`), blocks
 * waiting for their parents' data (`m_blocks_unlinked`), known-invalid blocks
 * (`m_failed_blocks`), the best header, and the entries changed since the last write.
 */

import type { BlockHeader } from "../../../kernel/primitives/block_header.ts";
import { BlockIndexEntry, BlockStatus } from "./block_index_entry.ts";
import type { FilePosition } from "./block_store.ts";
import { compareCandidates } from "./chain_state_types.ts";

/** The block tree. Mutated only under the chainstate's writer lock. */
export class BlockTree {
  readonly #entries = new Map<string, BlockIndexEntry>();
  readonly #candidates = new Set<BlockIndexEntry>();
  readonly #unlinked = new Map<BlockIndexEntry, BlockIndexEntry[]>();
  readonly #failed = new Set<BlockIndexEntry>();
  readonly #dirty = new Set<BlockIndexEntry>();
  #bestHeader: BlockIndexEntry | undefined;
  #bestInvalid: BlockIndexEntry | undefined;
  #nextSequenceId = 1;
  #nextOrdinal = 1;

  /** Every entry, keyed by display hash. */
  get entries(): ReadonlyMap<string, BlockIndexEntry> {
    return this.#entries;
  }

  /** The valid header with the most work (`m_best_header`). */
  get bestHeader(): BlockIndexEntry | undefined {
    return this.#bestHeader;
  }

  /** The entry with display hash `hashHex`. */
  get(hashHex: string): BlockIndexEntry | undefined {
    return this.#entries.get(hashHex);
  }

  /** Takes over the entries read from the database (`LoadBlockIndex`), parents first. */
  load(entries: Iterable<BlockIndexEntry>): void {
    const sorted = [...entries].sort((a, b) => a.height - b.height);
    for (const entry of sorted) {
      entry.ordinal = this.#nextOrdinal++;
      this.#entries.set(entry.hashHex, entry);
      if (entry.txCount > 0) {
        if (!entry.prev) entry.chainTxCount = entry.txCount;
        else if (entry.prev.chainTxCount > 0) {
          entry.chainTxCount = entry.prev.chainTxCount + entry.txCount;
        } else this.#addUnlinked(entry);
      }
      if (!(entry.status & BlockStatus.FAILED_MASK) && entry.prev?.failed) {
        entry.status |= BlockStatus.FAILED_CHILD;
        this.#dirty.add(entry);
      }
      if (entry.status & BlockStatus.FAILED_VALID) this.#failed.add(entry);
      if (entry.isValid(BlockStatus.VALID_TRANSACTIONS) && entry.chainTxCount > 0) {
        this.#candidates.add(entry);
      }
      if (entry.failed) this.noteInvalidChain(entry);
      if (
        entry.isValid(BlockStatus.VALID_TREE) &&
        (!this.#bestHeader || compareCandidates(this.#bestHeader, entry) < 0)
      ) {
        this.#bestHeader = entry;
      }
    }
  }

  /** Adds a header under `prev` (`AddToBlockIndex`): valid to the tree level, dirty. */
  add(header: BlockHeader, prev: BlockIndexEntry | undefined): BlockIndexEntry {
    const entry = new BlockIndexEntry(header, prev);
    entry.ordinal = this.#nextOrdinal++;
    entry.raiseValidity(BlockStatus.VALID_TREE);
    this.#entries.set(entry.hashHex, entry);
    this.#dirty.add(entry);
    if (!this.#bestHeader || this.#bestHeader.chainWork < entry.chainWork) this.#bestHeader = entry;
    return entry;
  }

  /** Marks `entry` as changed since the last database write. */
  markDirty(entry: BlockIndexEntry): void {
    this.#dirty.add(entry);
  }

  /** Whether some entry changed since the last {@link BlockTree.takeDirty}. */
  get hasDirty(): boolean {
    return this.#dirty.size > 0;
  }

  /** The changed entries, forgetting them. */
  takeDirty(): BlockIndexEntry[] {
    const out = [...this.#dirty];
    this.#dirty.clear();
    return out;
  }

  #addUnlinked(entry: BlockIndexEntry): void {
    if (!entry.prev) return;
    const list = this.#unlinked.get(entry.prev);
    if (list) list.push(entry);
    else this.#unlinked.set(entry.prev, [entry]);
  }

  /**
   * `ReceivedBlockTransactions`: the block's data is stored at `position`. When every
   * ancestor has data, this block and any descendants waiting for it get their chain
   * transaction counts and sequence ids and become candidates.
   */
  receivedTransactions(
    entry: BlockIndexEntry,
    txCount: number,
    position: FilePosition,
    options: { witness: boolean; tip: BlockIndexEntry | undefined },
  ): void {
    entry.txCount = txCount;
    entry.chainTxCount = 0;
    entry.dataPos = position;
    entry.undoPos = undefined;
    entry.status = (entry.status | BlockStatus.HAVE_DATA) & ~BlockStatus.HAVE_UNDO;
    if (options.witness) entry.status |= BlockStatus.OPT_WITNESS;
    entry.raiseValidity(BlockStatus.VALID_TRANSACTIONS);
    this.#dirty.add(entry);
    if (!entry.prev || entry.prev.chainTxCount > 0) {
      const queue = [entry];
      while (queue.length > 0) {
        const next = queue.shift()!;
        next.chainTxCount = (next.prev?.chainTxCount ?? 0) + next.txCount;
        next.sequenceId = this.#nextSequenceId++;
        this.tryAddCandidate(next, options.tip);
        const children = this.#unlinked.get(next);
        if (children) {
          this.#unlinked.delete(next);
          queue.push(...children);
        }
      }
    } else if (entry.prev.isValid(BlockStatus.VALID_TREE)) {
      this.#addUnlinked(entry);
    }
  }

  /** `TryAddBlockIndexCandidate`: adds `entry` unless it is worse than `tip`. */
  tryAddCandidate(entry: BlockIndexEntry, tip: BlockIndexEntry | undefined): void {
    if (!tip || compareCandidates(entry, tip) >= 0) this.#candidates.add(entry);
  }

  /** Adds `entry` to the candidates unconditionally. */
  addCandidate(entry: BlockIndexEntry): void {
    this.#candidates.add(entry);
  }

  /** Removes `entry` from the candidates. */
  removeCandidate(entry: BlockIndexEntry): void {
    this.#candidates.delete(entry);
  }

  /** `PruneBlockIndexCandidates`: drops every candidate worse than `tip`. */
  pruneCandidates(tip: BlockIndexEntry | undefined): void {
    if (!tip) return;
    for (const candidate of this.#candidates) {
      if (compareCandidates(candidate, tip) < 0) this.#candidates.delete(candidate);
    }
  }

  /**
   * Every fully received, valid entry at least as good as `floor` (all of them when
   * undefined): the candidates to restore after an invalidation.
   */
  candidatesAtLeast(floor: BlockIndexEntry | undefined): BlockIndexEntry[] {
    const out: BlockIndexEntry[] = [];
    for (const entry of this.#entries.values()) {
      if (
        entry.isValid(BlockStatus.VALID_TRANSACTIONS) && entry.chainTxCount > 0 &&
        (!floor || compareCandidates(entry, floor) >= 0)
      ) {
        out.push(entry);
      }
    }
    return out;
  }

  /**
   * `FindMostWorkChain`: the best candidate whose path to the active chain is all valid and
   * stored. Candidates with a failed or missing ancestor are dropped on the way (descendants
   * of a failed block become FAILED_CHILD).
   */
  findMostWorkChain(contains: (entry: BlockIndexEntry) => boolean): BlockIndexEntry | undefined {
    for (;;) {
      let best: BlockIndexEntry | undefined;
      for (const candidate of this.#candidates) {
        if (!best || compareCandidates(best, candidate) < 0) best = candidate;
      }
      if (!best) return undefined;
      let test: BlockIndexEntry | undefined = best;
      let usable = true;
      while (test && !contains(test)) {
        const failedChain = test.failed;
        const missingData = !test.haveData;
        if (failedChain || missingData) {
          if (failedChain) this.noteInvalidChain(best);
          for (
            let walk: BlockIndexEntry | undefined = best;
            walk && walk !== test;
            walk = walk.prev
          ) {
            if (failedChain) {
              walk.status |= BlockStatus.FAILED_CHILD;
              this.#dirty.add(walk);
            } else {
              this.#addUnlinked(walk);
            }
            this.#candidates.delete(walk);
          }
          this.#candidates.delete(test);
          usable = false;
          break;
        }
        test = test.prev;
      }
      if (usable) return best;
    }
  }

  /**
   * Whether `prev` descends from a block known to be invalid (`m_failed_blocks`); if so the
   * blocks in between become FAILED_CHILD.
   */
  descendsFromFailed(prev: BlockIndexEntry): boolean {
    if (prev.isValid(BlockStatus.VALID_SCRIPTS)) return false;
    for (const failed of this.#failed) {
      if (prev.ancestor(failed.height) !== failed) continue;
      for (
        let walk: BlockIndexEntry | undefined = prev;
        walk && walk !== failed;
        walk = walk.prev
      ) {
        walk.status |= BlockStatus.FAILED_CHILD;
        this.#dirty.add(walk);
      }
      return true;
    }
    return false;
  }

  /** `InvalidBlockFound`: marks `entry` FAILED_VALID and drops it from the candidates. */
  markInvalid(entry: BlockIndexEntry): void {
    entry.status |= BlockStatus.FAILED_VALID;
    this.#failed.add(entry);
    this.#dirty.add(entry);
    this.#candidates.delete(entry);
    this.noteInvalidChain(entry);
  }

  /** `InvalidChainFound`'s bookkeeping: remembers the most-work invalid block. */
  noteInvalidChain(entry: BlockIndexEntry): void {
    if (!this.#bestInvalid || entry.chainWork > this.#bestInvalid.chainWork) {
      this.#bestInvalid = entry;
    }
  }

  /**
   * `ResetBlockFailureFlags`: clears the failure flags of `target`, its descendants and its
   * ancestors; descendants better than `tip` become candidates again.
   */
  resetFailureFlags(target: BlockIndexEntry, tip: BlockIndexEntry | undefined): void {
    for (const entry of this.#entries.values()) {
      if (!entry.failed || entry.ancestor(target.height) !== target) continue;
      entry.status &= ~BlockStatus.FAILED_MASK;
      this.#dirty.add(entry);
      if (
        entry.isValid(BlockStatus.VALID_TRANSACTIONS) && entry.chainTxCount > 0 &&
        (!tip || compareCandidates(tip, entry) < 0)
      ) {
        this.#candidates.add(entry);
      }
      if (entry === this.#bestInvalid) this.#bestInvalid = undefined;
      this.#failed.delete(entry);
    }
    for (let walk: BlockIndexEntry | undefined = target; walk; walk = walk.prev) {
      if (!walk.failed) continue;
      walk.status &= ~BlockStatus.FAILED_MASK;
      this.#dirty.add(walk);
      this.#failed.delete(walk);
    }
  }
}
