/**
 * One block in the block tree (`CBlockIndex`, src/chain.h): header fields, height, chain
 * work, validation status flags, where the data and undo lie, and a skip pointer for fast
 * ancestor lookup.
 */

import type { AuxPowSummary, ChainEntry } from "../../../kernel/chain/chain_entry.ts";
import { headerFilteredTime } from "../../../kernel/chain/aux_pow.ts";
import { getBlockProof } from "../../../kernel/chain/pow.ts";
import type { BlockHeader } from "../../../kernel/primitives/block_header.ts";
import type { FilePosition } from "./block_store.ts";

/** Block status flags (`BlockStatus`, src/chain.h; Freicoin moved ASSUMED_VALID to 512). */
export const BlockStatus = {
  VALID_UNKNOWN: 0,
  /** Parsed, version ok, hash satisfies claimed PoW, timestamp not in future. */
  VALID_RESERVED: 1,
  /** All parent headers found, difficulty matches, timestamp ≥ MTP: the header is valid. */
  VALID_TREE: 2,
  /** CheckBlock and ContextualCheckBlock passed. */
  VALID_TRANSACTIONS: 3,
  /** Outputs do not overspend inputs, no double spends, coinbase ok. */
  VALID_CHAIN: 4,
  /** Scripts and signatures ok. */
  VALID_SCRIPTS: 5,
  VALID_MASK: 7,
  HAVE_DATA: 8,
  HAVE_UNDO: 16,
  FAILED_VALID: 32,
  FAILED_CHILD: 64,
  FAILED_MASK: 96,
  OPT_WITNESS: 128,
  OPT_MERGE_MINING: 256,
  ASSUMED_VALID: 512,
} as const;

function invertLowestOne(n: number): number {
  return n & (n - 1);
}

/** `GetSkipHeight`: the height the skip pointer of a block at `height` points to. */
export function skipHeight(height: number): number {
  if (height < 2) return 0;
  return height & 1 ? invertLowestOne(invertLowestOne(height - 1)) + 1 : invertLowestOne(height);
}

/** A node of the block tree. Mutable fields change only under the chainstate's writer lock. */
export class BlockIndexEntry implements ChainEntry {
  readonly hash: Uint8Array;
  /** Display hex of the hash (also the key of the in-memory index). */
  readonly hashHex: string;
  readonly header: BlockHeader;
  readonly height: number;
  readonly prev: BlockIndexEntry | undefined;
  readonly skip: BlockIndexEntry | undefined;
  /** Total work of the chain up to and including this block (`nChainWork`). */
  readonly chainWork: bigint;
  readonly auxPow: AuxPowSummary | undefined;
  /** Maximum header time of this block and its ancestors (`nTimeMax`). */
  readonly timeMax: number;
  status: number;
  /** Where the block's bytes lie, once stored. */
  dataPos: FilePosition | undefined;
  /** Where the undo data lies, once connected. */
  undoPos: FilePosition | undefined;
  /** Number of transactions, once the block's data was seen (`nTx`). */
  txCount = 0;
  /** Transactions in the chain up to this block, when all ancestors have data (`nChainTx`). */
  chainTxCount = 0;
  /** Order in which block data arrived, for tie-breaks (`nSequenceId`); 0 = not yet. */
  sequenceId = 0;
  /** Creation order, the last tie-break between equal-work blocks (the reference uses addresses). */
  ordinal = 0;

  /** Creates an entry under `prev` (undefined for genesis). */
  constructor(header: BlockHeader, prev: BlockIndexEntry | undefined) {
    this.header = header;
    this.hash = header.hash;
    this.hashHex = header.hashHex;
    this.prev = prev;
    this.height = prev ? prev.height + 1 : 0;
    this.skip = prev ? prev.ancestor(skipHeight(this.height)) : undefined;
    this.auxPow = header.auxPow
      ? { commitBits: header.auxPow.commitBits, filteredTime: headerFilteredTime(header) }
      : undefined;
    this.chainWork = (prev?.chainWork ?? 0n) + getBlockProof(header.bits, this.auxPow?.commitBits);
    this.timeMax = Math.max(prev?.timeMax ?? 0, header.time);
    this.status = header.auxPow ? BlockStatus.OPT_MERGE_MINING : 0;
  }

  /** Header nVersion. */
  get version(): number {
    return this.header.version;
  }

  /** Header nTime. */
  get time(): number {
    return this.header.time;
  }

  /** Header nBits (aux-pow format bit cleared). */
  get bits(): number {
    return this.header.bits;
  }

  /** `GetAncestor`: the ancestor at `height`, using skip pointers. */
  ancestor(height: number): BlockIndexEntry | undefined {
    if (height > this.height || height < 0) return undefined;
    if (height === this.height) return this;
    let walk: BlockIndexEntry = this.prev!;
    let walkHeight = this.height - 1;
    while (walkHeight > height) {
      const skipTo = skipHeight(walkHeight);
      const prevSkip = skipHeight(walkHeight - 1);
      if (
        walk.skip !== undefined &&
        (skipTo === height ||
          (skipTo > height && !(prevSkip < skipTo - 2 && prevSkip >= height)))
      ) {
        walk = walk.skip;
        walkHeight = skipTo;
      } else {
        walk = walk.prev!;
        walkHeight--;
      }
    }
    return walk;
  }

  /** `IsValid(upTo)`: not failed and validated at least to `level`. */
  isValid(level: number = BlockStatus.VALID_TRANSACTIONS): boolean {
    if (this.status & BlockStatus.FAILED_MASK) return false;
    return (this.status & BlockStatus.VALID_MASK) >= level;
  }

  /** `RaiseValidity(upTo)`: true when the level went up. */
  raiseValidity(level: number): boolean {
    if (this.status & BlockStatus.FAILED_MASK) return false;
    if ((this.status & BlockStatus.VALID_MASK) < level) {
      this.status = (this.status & ~BlockStatus.VALID_MASK) | level;
      return true;
    }
    return false;
  }

  /** Whether the block's data is stored. */
  get haveData(): boolean {
    return (this.status & BlockStatus.HAVE_DATA) !== 0;
  }

  /** Whether this block or an ancestor failed validation. */
  get failed(): boolean {
    return (this.status & BlockStatus.FAILED_MASK) !== 0;
  }
}

/** `LastCommonAncestor` of two entries. */
export function lastCommonAncestor(
  a: BlockIndexEntry,
  b: BlockIndexEntry,
): BlockIndexEntry | undefined {
  let x: BlockIndexEntry | undefined = a.height > b.height ? a.ancestor(b.height) : a;
  let y: BlockIndexEntry | undefined = b.height > a.height ? b.ancestor(a.height) : b;
  while (x && y && x !== y) {
    x = x.prev;
    y = y.prev;
  }
  return x === y ? x : undefined;
}
