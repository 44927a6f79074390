/**
 * What the mempool and the miner read from the chainstate. The node's `ChainState`
 * (roles/node/chain) satisfies these interfaces structurally; tests use a small in-memory
 * stand-in. Kept narrow on purpose so neither side depends on the other's internals.
 *
 * @module
 */
import type { ChainEntry, ChainParams, VersionBitsCache } from "../../../kernel/chain/mod.ts";
import type {
  BlockFinalTxEntry,
  BlockValidationFailure,
  Coin,
  ScriptVerifier,
} from "../../../kernel/consensus/mod.ts";
import type { Block, OutPoint } from "../../../kernel/primitives/mod.ts";

/** The read-only chain state the mempool validates against. */
export interface MempoolChainView {
  /** The network's parameters. */
  readonly params: ChainParams;
  /** The active chain's tip. */
  tip(): ChainEntry;
  /** The unspent coin at `outpoint` in the tip's UTXO set, or undefined. */
  getCoin(outpoint: OutPoint): Coin | undefined;
  /** The last block-final transaction recorded at the tip (`CoinsTip().GetFinalTx()`). */
  finalTx(): BlockFinalTxEntry | null;
  /** Script verifier (with the node's secp256k1 backend). */
  readonly verifyScript: ScriptVerifier;
  /** Version-bits cache shared with the chainstate (optional). */
  readonly versionBitsCache?: VersionBitsCache;
}

/** Outcome of {@link MiningChainView.processNewBlock}. */
export interface ProcessNewBlockResult {
  /** `ProcessNewBlock`'s return: false when the block failed a check. */
  readonly accepted: boolean;
  /** Whether the block was new to the block store (false for a duplicate). */
  readonly isNew: boolean;
  /** The failure, when the block was checked and found invalid. */
  readonly failure?: BlockValidationFailure;
}

/** Outcome of {@link MiningChainView.processNewBlockHeaders}. */
export interface ProcessHeaderResult {
  readonly accepted: boolean;
  readonly failure?: BlockValidationFailure;
}

/** Block index lookups the mining RPCs need. */
export interface IndexedBlock {
  /** The index entry. */
  readonly entry: ChainEntry;
  /** Fully validated (BLOCK_VALID_SCRIPTS) — what `submitblock` calls "duplicate". */
  readonly isValid: boolean;
  /** Marked failed (BLOCK_FAILED_MASK) — "duplicate-invalid". */
  readonly isFailed: boolean;
  /** Whether the block's data is stored (BLOCK_HAVE_DATA). */
  readonly haveData: boolean;
}

/** The chain state the miner and the mining RPCs use. */
export interface MiningChainView extends MempoolChainView {
  /**
   * `ChainstateManager::ProcessNewBlock(block, force_processing, min_pow_checked)`: stores,
   * validates and connects the block (activating the best chain).
   */
  processNewBlock(
    block: Block,
    options: { forceProcessing: boolean; minPowChecked: boolean },
  ): Promise<ProcessNewBlockResult>;
  /** `ProcessNewBlockHeaders` for one header (submitheader). */
  processNewBlockHeaders?(block: Block): Promise<ProcessHeaderResult>;
  /** The index entry of a block by hash (internal byte order), or undefined. */
  lookupBlock(hash: Uint8Array): IndexedBlock | undefined;
  /** Checks a block template on top of the tip without storing it (`TestBlockValidity`). */
  testBlockValidity?(block: Block): BlockValidationFailure | null;
  /** Whether the node is in initial block download. */
  isInitialBlockDownload(): boolean;
}
