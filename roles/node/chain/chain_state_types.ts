/**
 * Options, results and errors of `ChainState`, and the candidate order of the block
 * tree.
 */

import type { Logger } from "../../../cli/logger.ts";
import type { ChainParams } from "../../../kernel/chain/chain_params.ts";
import type { UtxoStats } from "../../../kernel/consensus/utxo_stats.ts";
import type {
  BlockValidationFailure,
  BlockValidationResult,
} from "../../../kernel/consensus/validation_result.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/secp256k1.ts";
import type { BlockIndexEntry } from "./block_index_entry.ts";

/** `DEFAULT_DB_CACHE`: -dbcache default, MiB. */
export const DEFAULT_DBCACHE_MIB = 450;

/** Options of `ChainState.open`. */
export interface ChainStateOptions {
  /** The network's parameters. */
  readonly params: ChainParams;
  /** The network directory, e.g. `<datadir>/regtest`. `blocks/index` and `chainstate` go here. */
  readonly networkDir: string;
  /**
   * -blocksdir: blk/rev files go to `<blocksDir>/<net subdir>/blocks`. Default: the network
   * directory's `blocks/`.
   */
  readonly blocksDir?: string;
  /** -dbcache in MiB (fractions allowed for tests). Default 450. */
  readonly dbcacheMiB?: number;
  /** Logger; default drops everything. */
  readonly logger?: Logger;
  /** secp256k1 backend for script checks (native when available, else the TS one). */
  readonly secp256k1: Secp256k1;
  /** Current time in seconds, mocktime aware. Default: the wall clock. */
  readonly clock?: () => number;
  /** -maxtipage in seconds. Default 14 days (Freicoin). */
  readonly maxTipAge?: number;
  /** -fastprune: 64 KiB block files. */
  readonly fastPrune?: boolean;
  /** -reindex: rebuild the block index and coins from the blk files. */
  readonly reindex?: boolean;
  /** -reindex-chainstate: rebuild the coins from the stored blocks. */
  readonly reindexChainstate?: boolean;
  /**
   * Report script failures as a multi-threaded freicoind does ("block-validation-failed").
   * Default true.
   */
  readonly parallelScriptChecks?: boolean;
  /**
   * Script-check worker threads besides the calling thread (-par − 1). Default: CPU cores − 1,
   * at most 15. Used only with parallel script checks.
   */
  readonly scriptCheckThreads?: number;
  /** Blocks with fewer inputs are checked on the calling thread alone. Default 16. */
  readonly parallelScriptMinInputs?: number;
  /**
   * -assumevalid: scripts of this block's ancestors are not checked (when it is on the best
   * header's chain, that chain has the minimum work, and the block is more than two weeks of
   * work below the best header). Internal byte order; all zero disables. Default: the
   * network's `defaultAssumeValid`.
   */
  readonly assumeValid?: Uint8Array;
  /** Changes per SQLite transaction in a coins flush (test hook). Default 200,000. */
  readonly coinsFlushChunkSize?: number;
  /** Test hook: called after each partial coins transaction of a flush. */
  readonly afterCoinsFlushChunk?: (index: number) => void;
  /** Connect stored blocks that extend the tip during open. Default true. */
  readonly activateOnOpen?: boolean;
}

/** Outcome of `ChainState.processNewBlock` (`ProcessNewBlock`). */
export interface ProcessBlockResult {
  /** The block passed the checks run so far and is stored (or was already). */
  readonly accepted: boolean;
  /** The block's data was new to us. */
  readonly newBlock: boolean;
  /** Result of the last full check of this block (`BlockChecked`), if one ran. */
  readonly checked?: BlockValidationResult;
  /** Its index entry, when the header was accepted. */
  readonly entry?: BlockIndexEntry;
}

/** Outcome of `ChainState.processBlockHeaders`. */
export type ProcessHeadersResult =
  | { readonly ok: true; readonly last: BlockIndexEntry | undefined }
  | BlockValidationFailure & { readonly index: number };

/** A tip of the block tree, as getchaintips shows it. */
export interface ChainTip {
  readonly entry: BlockIndexEntry;
  readonly branchLength: number;
  readonly status:
    | "active"
    | "invalid"
    | "headers-only"
    | "valid-fork"
    | "valid-headers"
    | "unknown";
}

/** Figures of gettxoutsetinfo at the tip. */
export interface ChainUtxoStats extends UtxoStats {
  readonly bestBlock: Uint8Array;
  readonly diskSize: number;
}

/** Outcome of `ChainState.verifyDB`. */
export type VerifyDBResult = { readonly ok: true } | {
  readonly ok: false;
  readonly message: string;
};

/** An internal inconsistency (missing data the index claims to have, a failed disconnect). */
export class ChainStateError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ChainStateError";
  }
}

/** Orders entries as `CBlockIndexWorkComparator`: negative when `a` is the worse candidate. */
export function compareCandidates(a: BlockIndexEntry, b: BlockIndexEntry): number {
  if (a.chainWork !== b.chainWork) return a.chainWork < b.chainWork ? -1 : 1;
  if (a.sequenceId !== b.sequenceId) return a.sequenceId > b.sequenceId ? -1 : 1;
  if (a === b) return 0;
  return a.ordinal > b.ordinal ? -1 : 1;
}
