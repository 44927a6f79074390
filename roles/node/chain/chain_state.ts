/**
 * The node's chainstate (`ChainstateManager` + `Chainstate`, src/validation.cpp): the block
 * tree, the active chain, the coins, and every mutation of them — accepting headers and
 * blocks, activating the most-work valid chain with reorganisations, invalidating,
 * reconsidering and preferring blocks, flushing, replaying an interrupted flush, reindexing
 * and verifying the database.
 *
 * One writer at a time: every mutation runs under an {@link AsyncLock} and is synchronous
 * inside it. Reads (tip, lookups, coins) need no lock.
 */

import { join } from "node:path";
import type { Logger } from "../../../cli/logger.ts";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { type ChainParams, DEFAULT_MAX_TIP_AGE } from "../../../kernel/chain/chain_params.ts";
import { medianTimePast } from "../../../kernel/chain/chain_entry.ts";
import { getBlockProofEquivalentTime } from "../../../kernel/chain/pow.ts";
import { isBuriedActiveAt, type VersionBitsCache } from "../../../kernel/chain/versionbits.ts";
import { checkBlock, checkBlockHeader } from "../../../kernel/consensus/check_block.ts";
import type { Coin, CoinEntry } from "../../../kernel/consensus/coins.ts";
import {
  type BlockFinalTxEntry,
  type BlockUndo,
  connectBlock,
  type ConnectBlockSuccess,
} from "../../../kernel/consensus/connect_block.ts";
import {
  contextualCheckBlock,
  contextualCheckBlockHeader,
} from "../../../kernel/consensus/contextual_check.ts";
import {
  getBlockScriptFlags,
  type ScriptVerifier,
} from "../../../kernel/consensus/script_check.ts";
import { createScriptVerifier } from "../../../kernel/consensus/script_verifier.ts";
import { computeUtxoStats } from "../../../kernel/consensus/utxo_stats.ts";
import {
  blockInvalid,
  type BlockValidationFailure,
  type BlockValidationResult,
  VALID,
  validationToString,
} from "../../../kernel/consensus/validation_result.ts";
import { bytesEqual } from "../../../kernel/encoding/bytes.ts";
import { hashToHex } from "../../../kernel/encoding/hex.ts";
import { type Block, decodeBlock } from "../../../kernel/primitives/block.ts";
import type { BlockHeader } from "../../../kernel/primitives/block_header.ts";
import type { OutPoint } from "../../../kernel/primitives/outpoint.ts";
import { AsyncLock } from "./async_lock.ts";
import { BlockIndexDatabase } from "./block_index_db.ts";
import { BlockIndexEntry, BlockStatus, lastCommonAncestor } from "./block_index_entry.ts";
import { BlockTree } from "./block_tree.ts";
import { importBlocks } from "./block_import.ts";
import { BlockStore, scanFramedRecords } from "./block_store.ts";
import { ChainEvents, type ChainListener, type ChainSubscription } from "./chain_events.ts";
import { BlockCoinsView, CoinsCache } from "./coins_cache.ts";
import { CoinsDatabase, outpointFromKey } from "./coins_database.ts";
import { disconnectBlock, rollforwardBlock } from "./disconnect_block.ts";
import { decodeBlockUndo, encodeBlockUndo } from "./undo_codec.ts";
import type { PublicKeyDecompressor } from "./coin_codec.ts";
import {
  ChainStateError,
  type ChainStateOptions,
  type ChainTip,
  type ChainUtxoStats,
  compareCandidates,
  DEFAULT_DBCACHE_MIB,
  type ProcessBlockResult,
  type ProcessHeadersResult,
  type VerifyDBResult,
} from "./chain_state_types.ts";
import { verifyChain } from "./verify_db.ts";
import { type PendingScriptChecks, ScriptCheckPool } from "./script_check_pool.ts";
import { scriptJobsFor } from "./script_check_jobs.ts";

/** Script checks started for a block on arrival, before it was accepted. */
interface EarlyScriptChecks {
  /** The tip they were computed against (the block's parent). */
  readonly prev: BlockIndexEntry;
  readonly pending: PendingScriptChecks;
  /** Set when ConnectTip took them over. */
  used: boolean;
}

/** A block handed to chain activation by processNewBlock. */
interface ArrivingBlock {
  readonly entry: BlockIndexEntry;
  readonly block: Block;
  readonly scripts?: EarlyScriptChecks;
}

/** Work-equivalent time below the best header under which assumed-valid scripts are still checked. */
const TWO_WEEKS_SECONDS = 60n * 60n * 24n * 7n * 2n;
/** `MIN_BLOCKS_TO_KEEP`: an unrequested block further ahead of the tip is not stored. */
const MIN_BLOCKS_TO_KEEP = 288;
/** `DATABASE_WRITE_INTERVAL`: write the index and coins at least this often (ms). */
const DATABASE_WRITE_INTERVAL_MS = 60 * 60 * 1000;

/** The chainstate. Create with {@link ChainState.open}; close with `close()`. */
export class ChainState implements AsyncDisposable {
  readonly params: ChainParams;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #maxTipAge: number;
  readonly #dbcacheBytes: number;
  readonly #lock = new AsyncLock();
  readonly #events: ChainEvents;
  readonly #verifyScript: ScriptVerifier;
  readonly #versionBits: VersionBitsCache = new Map();
  readonly #parallelScriptChecks: boolean;
  readonly #flushChunkSize: number | undefined;
  readonly #afterFlushChunk: ((index: number) => void) | undefined;
  readonly #indexDb: BlockIndexDatabase;
  readonly #coinsDb: CoinsDatabase;
  readonly #store: BlockStore;
  readonly #cache: CoinsCache;
  readonly #decompress: PublicKeyDecompressor;
  readonly #scriptPool: ScriptCheckPool | undefined;
  readonly #assumeValid: string | undefined;

  readonly #tree = new BlockTree();
  #chain: BlockIndexEntry[] = [];
  #reverseSequenceId = -1;
  #lastPreciousChainWork = 0n;
  #finishedInitialDownload = false;
  #loadingBlocks = false;
  readonly #reindexing: boolean;
  #lastWrite = performance.now();
  #closed = false;

  private constructor(options: ChainStateOptions) {
    this.params = options.params;
    this.#logger = options.logger ?? NULL_LOGGER;
    this.#clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
    this.#maxTipAge = options.maxTipAge ?? DEFAULT_MAX_TIP_AGE;
    this.#dbcacheBytes = (options.dbcacheMiB ?? DEFAULT_DBCACHE_MIB) * 1024 * 1024;
    this.#events = new ChainEvents(this.#logger);
    this.#verifyScript = createScriptVerifier(options.secp256k1);
    this.#parallelScriptChecks = options.parallelScriptChecks ?? true;
    this.#flushChunkSize = options.coinsFlushChunkSize;
    const assumeValid = options.assumeValid ?? options.params.consensus.defaultAssumeValid;
    this.#assumeValid = assumeValid.some((b) => b !== 0) ? hashToHex(assumeValid) : undefined;
    this.#afterFlushChunk = options.afterCoinsFlushChunk;
    const secp = options.secp256k1;
    const decompress = (key: Uint8Array) => secp.normalizePublicKey(key, false);
    this.#decompress = decompress;
    this.#indexDb = new BlockIndexDatabase(join(options.networkDir, "blocks", "index"));
    try {
      this.#coinsDb = new CoinsDatabase(join(options.networkDir, "chainstate"), { decompress });
    } catch (error) {
      this.#indexDb.close();
      throw error;
    }
    try {
      // An interrupted -reindex starts over, as freicoind does.
      this.#reindexing = (options.reindex ?? false) || this.#indexDb.isReindexing();
      if (this.#reindexing) {
        // Flag first: a crash while wiping still restarts the reindex.
        this.#indexDb.setReindexing(true);
        this.#indexDb.wipe();
      }
      if (this.#reindexing || options.reindexChainstate) this.#coinsDb.wipe();
      const loaded = this.#indexDb.load();
      const blocksDir = options.blocksDir
        ? join(options.blocksDir, this.params.dataDir, "blocks")
        : join(options.networkDir, "blocks");
      this.#store = new BlockStore({
        blocksDir,
        messageStart: this.params.messageStart,
        fastPrune: options.fastPrune,
        fileInfo: loaded.files,
      });
      this.#cache = new CoinsCache(this.#coinsDb);
      const threads = options.scriptCheckThreads ??
        Math.max(0, Math.min(15, (navigator.hardwareConcurrency ?? 1) - 1));
      if (this.#parallelScriptChecks && threads > 0) {
        try {
          this.#scriptPool = new ScriptCheckPool(
            threads,
            this.#verifyScript,
            options.secp256k1.backend === "native",
            { minParallelInputs: options.parallelScriptMinInputs },
          );
        } catch (error) {
          // Without worker permissions (a sandbox), the calling thread checks every script.
          this.#logger.warning(`Script check threads unavailable: ${error}`, "validation");
        }
      }
      this.#tree.load(loaded.entries.values());
    } catch (error) {
      this.#scriptPool?.close();
      this.#indexDb.close();
      this.#coinsDb.close();
      throw error;
    }
  }

  /**
   * Opens (creating on an empty datadir, with the genesis block) the block index, block
   * files and coins; repairs an interrupted flush; reindexes when asked; then connects any
   * stored blocks that extend the tip.
   */
  static async open(options: ChainStateOptions): Promise<ChainState> {
    const state = new ChainState(options);
    try {
      await state.#lock.run(() => state.#startUp(options));
    } catch (error) {
      state.#closeFiles();
      throw error;
    }
    return state;
  }

  #startUp(options: ChainStateOptions): void {
    const reindexing = this.#reindexing;
    // Blocks to connect at once: let the script-check workers load meanwhile.
    if (reindexing || options.reindexChainstate) this.#scriptPool?.start();
    if (reindexing) this.#importBlockFiles();
    if (!this.lookupBlockIndex(this.params.genesis.hash)) this.#loadGenesisBlock();
    if (reindexing) {
      this.#indexDb.setReindexing(false);
      this.#logger.info("Reindexing finished");
    }
    this.#replayBlocks();
    this.#loadChainTip();
    if (options.activateOnOpen ?? true) this.#activateBestChain(undefined);
    this.#flush("always");
  }

  // ---------------------------------------------------------------------------------------
  // Reads

  /** The active tip, undefined only before genesis is connected. */
  get tip(): BlockIndexEntry | undefined {
    return this.#chain[this.#chain.length - 1];
  }

  /** Height of the tip (-1 when empty). */
  get height(): number {
    return this.#chain.length - 1;
  }

  /** The header with the most work that is not known invalid (`m_best_header`). */
  get bestHeader(): BlockIndexEntry | undefined {
    return this.#tree.bestHeader;
  }

  /** Every block index entry. */
  get blockIndex(): ReadonlyMap<string, BlockIndexEntry> {
    return this.#tree.entries;
  }

  /** The active-chain entry at `height`, if any. */
  getBlockEntry(height: number): BlockIndexEntry | undefined {
    return height >= 0 ? this.#chain[height] : undefined;
  }

  /** The active-chain block hash at `height`, if any. */
  getBlockHash(height: number): Uint8Array | undefined {
    return this.getBlockEntry(height)?.hash;
  }

  /** Whether `entry` is on the active chain. */
  contains(entry: BlockIndexEntry): boolean {
    return this.#chain[entry.height] === entry;
  }

  /** The fork point of `entry` with the active chain (`CChain::FindFork`). */
  findFork(entry: BlockIndexEntry): BlockIndexEntry | undefined {
    let walk: BlockIndexEntry | undefined = entry.height > this.height
      ? entry.ancestor(this.height)
      : entry;
    while (walk && !this.contains(walk)) walk = walk.prev;
    return walk;
  }

  /** An index entry by raw hash (internal order) or display hex. */
  lookupBlockIndex(hash: Uint8Array | string): BlockIndexEntry | undefined {
    return this.#tree.get(typeof hash === "string" ? hash : hashToHex(hash));
  }

  /** The stored bytes of a block, or undefined when the data is not stored. */
  readBlockBytes(target: BlockIndexEntry | Uint8Array | string): Uint8Array | undefined {
    const entry = target instanceof BlockIndexEntry ? target : this.lookupBlockIndex(target);
    if (!entry?.dataPos || !entry.haveData) return undefined;
    return this.#store.readBlockBytes(entry.dataPos);
  }

  /** A stored block, or undefined when the data is not stored. */
  readBlock(target: BlockIndexEntry | Uint8Array | string): Block | undefined {
    const bytes = this.readBlockBytes(target);
    return bytes ? decodeBlock(bytes) : undefined;
  }

  /** A block's undo data, or undefined when it has none (not connected, or genesis). */
  readUndo(target: BlockIndexEntry | Uint8Array | string): BlockUndo | undefined {
    const entry = target instanceof BlockIndexEntry ? target : this.lookupBlockIndex(target);
    if (!entry?.undoPos || !entry.prev || !(entry.status & BlockStatus.HAVE_UNDO)) return undefined;
    return decodeBlockUndo(
      this.#store.readUndoBytes(entry.undoPos, entry.prev.hash),
      this.#decompress,
    );
  }

  /**
   * Bytes used in the blk and rev files (`CalculateCurrentUsage`, getblockchaininfo's
   * size_on_disk): the sum of every file's used size and undo size.
   */
  blockFilesSize(): number {
    let total = 0;
    for (const info of this.#store.fileInfo()) total += info.size + info.undoSize;
    return total;
  }

  /** The unspent coin at `outpoint` at the tip (through the cache). */
  getCoin(outpoint: OutPoint): Coin | undefined {
    return this.#cache.getCoin(outpoint);
  }

  /** The last block-final transaction recorded at the tip (`CoinsTip().GetFinalTx()`). */
  finalTx(): BlockFinalTxEntry | null {
    return this.#cache.finalTx;
  }

  /** Median time past of `entry` (default: the tip). */
  medianTimePast(entry: BlockIndexEntry | undefined = this.tip): number {
    return entry ? medianTimePast(entry) : 0;
  }

  /**
   * `IsInitialBlockDownload`: true while loading blocks, below the minimum chain work, or
   * with a tip older than -maxtipage (14 days for Freicoin) at `nowSeconds`; latches false.
   */
  isInitialBlockDownload(nowSeconds: number = this.#clock()): boolean {
    if (this.#finishedInitialDownload) return false;
    if (this.#loadingBlocks) return true;
    const tip = this.tip;
    if (!tip) return true;
    if (tip.chainWork < this.params.consensus.minimumChainWork) return true;
    if (tip.time < nowSeconds - this.#maxTipAge) return true;
    this.#logger.info("Leaving InitialBlockDownload (latching to false)");
    this.#finishedInitialDownload = true;
    return false;
  }

  /** Current estimated coins-cache memory use in bytes and entry count. */
  coinsCacheUsage(): { bytes: number; entries: number } {
    return { bytes: this.#cache.memoryUsage, entries: this.#cache.size };
  }

  /** The tips of the block tree (`getchaintips`), highest first. */
  getChainTips(): ChainTip[] {
    const hasChild = new Set<BlockIndexEntry>();
    for (const entry of this.#tree.entries.values()) if (entry.prev) hasChild.add(entry.prev);
    const tips: BlockIndexEntry[] = [];
    for (const entry of this.#tree.entries.values()) {
      if (!hasChild.has(entry) && !this.contains(entry)) tips.push(entry);
    }
    if (this.tip) tips.push(this.tip);
    tips.sort((a, b) => b.height - a.height || a.ordinal - b.ordinal);
    return tips.map((entry) => {
      const fork = this.findFork(entry);
      const branchLength = entry.height - (fork?.height ?? -1);
      let status: ChainTip["status"];
      if (this.contains(entry)) status = "active";
      else if (entry.failed) status = "invalid";
      else if (entry.chainTxCount === 0) status = "headers-only";
      else if (entry.isValid(BlockStatus.VALID_SCRIPTS)) status = "valid-fork";
      else if (entry.isValid(BlockStatus.VALID_TREE)) status = "valid-headers";
      else status = "unknown";
      return { entry, branchLength, status };
    });
  }

  /**
   * Blocks until the script-check worker threads have loaded (they start in the background
   * at open; until then the calling thread checks scripts alone). True when all are ready.
   */
  waitForScriptThreads(timeoutMs: number): boolean {
    return this.#scriptPool?.waitUntilReady(timeoutMs) ?? true;
  }

  /** The version-bits state cache shared with the chainstate. */
  get versionBitsCache(): VersionBitsCache {
    return this.#versionBits;
  }

  /** The script verifier the chainstate uses (with its secp256k1 backend). */
  get verifyScript(): ScriptVerifier {
    return this.#verifyScript;
  }

  /**
   * `TestBlockValidity`: would `block` connect on top of the tip? Contextual header checks,
   * CheckBlock (proof of work and Merkle root as asked; default: no PoW, Merkle root on),
   * contextual block checks and ConnectBlock with scripts, all on a scratch view. Nothing is
   * stored. A block that does not build on the tip gives "inconclusive-not-best-prevblk".
   */
  testBlockValidity(
    block: Block,
    options: { checkPow?: boolean; checkMerkleRoot?: boolean } = {},
  ): BlockValidationResult {
    const tip = this.tip;
    if (!tip || !bytesEqual(block.header.hashPrevBlock, tip.hash)) {
      return blockInvalid("missing-prev", "inconclusive-not-best-prevblk");
    }
    const consensus = this.params.consensus;
    const header = contextualCheckBlockHeader(block.header, tip, consensus, {
      now: this.#clock(),
      versionBitsCache: this.#versionBits,
    });
    if (!header.ok) return header;
    const checked = checkBlock(block, consensus, {
      checkPow: options.checkPow ?? false,
      checkMerkleRoot: options.checkMerkleRoot ?? true,
    });
    if (!checked.ok) return checked;
    const contextual = contextualCheckBlock(block, tip, consensus);
    if (!contextual.ok) return contextual;
    const result = connectBlock(block, consensus, {
      entry: {
        height: tip.height + 1,
        hash: block.hash,
        version: block.header.version,
        time: block.header.time,
        bits: block.header.bits,
        prev: tip,
      },
      view: new BlockCoinsView(this.#cache),
      finalTx: this.#cache.finalTx,
      verifyScript: this.#verifyScript,
      versionBitsCache: this.#versionBits,
      parallelScriptChecks: this.#parallelScriptChecks,
      justCheck: true,
    });
    return result.ok ? VALID : result;
  }

  /** Registers a validation listener. */
  subscribe(listener: ChainListener): ChainSubscription {
    return this.#events.subscribe(listener);
  }

  // ---------------------------------------------------------------------------------------
  // Mutations (each under the writer lock)

  /**
   * `ProcessNewBlock`: context-free checks, header and block acceptance, storage, then chain
   * activation. `requested` (default true, as for submitblock and requested downloads)
   * stores even a block that does not extend the best chain. `minPowChecked` (default true,
   * as for blocks mined or submitted locally) says the caller checked that the block's chain
   * has the anti-DoS minimum work; without it a block with a new header is not stored
   * ("too-little-chainwork"). `bytes`, when given, is the block's serialization.
   */
  processNewBlock(
    block: Block,
    options: { requested?: boolean; bytes?: Uint8Array; minPowChecked?: boolean } = {},
  ): Promise<ProcessBlockResult> {
    return this.#lock.run(() =>
      this.#processNewBlock(
        block,
        options.requested ?? true,
        options.bytes,
        options.minPowChecked ?? true,
      )
    );
  }

  /**
   * What submitblock answers for `block` (after the RPC's own duplicate checks):
   * null when it became valid, "duplicate", "duplicate-invalid", "inconclusive", or the
   * reject reason.
   */
  submitBlock(block: Block, bytes?: Uint8Array): Promise<string | null> {
    return this.#lock.run(() => {
      const known = this.lookupBlockIndex(block.hash);
      if (known) {
        if (known.isValid(BlockStatus.VALID_SCRIPTS)) return "duplicate";
        if (known.failed) return "duplicate-invalid";
      }
      const result = this.#processNewBlock(block, true, bytes, true);
      if (!result.newBlock && result.accepted) return "duplicate";
      if (!result.checked) return "inconclusive";
      if (result.checked.ok) return null;
      return result.checked.reason || "rejected";
    });
  }

  /**
   * `ProcessNewBlockHeaders`: accepts headers in order; stops at the first failure.
   * `minPowChecked` as for {@link ChainState.processNewBlock}.
   */
  processBlockHeaders(
    headers: readonly BlockHeader[],
    options: { minPowChecked?: boolean } = {},
  ): Promise<ProcessHeadersResult> {
    return this.#lock.run(() => {
      let last: BlockIndexEntry | undefined;
      for (let i = 0; i < headers.length; i++) {
        const accepted = this.#acceptBlockHeader(headers[i], options.minPowChecked ?? true);
        if (!accepted.ok) return { ...accepted, index: i };
        last = accepted.entry;
      }
      return { ok: true, last };
    });
  }

  /**
   * -loadblock: imports the blocks of an external file in freicoind's blk format (stored
   * anew in our block files), parents before children, then activates the best chain.
   * Returns the number of blocks newly stored.
   */
  loadExternalBlockFile(path: string): Promise<number> {
    return this.#lock.run(() => {
      const started = performance.now();
      const data = Deno.readFileSync(path);
      this.#loadingBlocks = true;
      let count = 0;
      try {
        const records = scanFramedRecords(data, this.params.messageStart);
        count = importBlocks(records, {
          genesisHash: this.params.consensus.hashGenesisBlock,
          isKnown: (hashHex) => this.#tree.get(hashHex) !== undefined,
          accept: (block, record) =>
            checkBlock(block, this.params.consensus).ok &&
            this.#acceptBlock(block, { requested: true, bytes: record.bytes }).newBlock,
          debug: (message) => this.#logger.debug("reindex", message),
        });
      } finally {
        this.#loadingBlocks = false;
      }
      this.#logger.info(
        `Loaded ${count} blocks from external file in ${Math.round(performance.now() - started)}ms`,
      );
      this.#activateBestChain(undefined);
      return count;
    });
  }

  /** `ActivateBestChain`: connects the most-work valid chain. */
  activateBestChain(): Promise<void> {
    return this.#lock.run(() => this.#activateBestChain(undefined));
  }

  /** `InvalidateBlock` then `ActivateBestChain` (the invalidateblock RPC). */
  invalidateBlock(entry: BlockIndexEntry): Promise<void> {
    return this.#lock.run(() => {
      this.#invalidateBlock(entry);
      this.#activateBestChain(undefined);
    });
  }

  /** `ResetBlockFailureFlags` then `ActivateBestChain` (the reconsiderblock RPC). */
  reconsiderBlock(entry: BlockIndexEntry): Promise<void> {
    return this.#lock.run(() => {
      this.#tree.resetFailureFlags(entry, this.tip);
      this.#activateBestChain(undefined);
    });
  }

  /** `PreciousBlock`: treat `entry` as received first among equal-work tips. */
  preciousBlock(entry: BlockIndexEntry): Promise<void> {
    return this.#lock.run(() => {
      const tip = this.tip;
      if (!tip || entry.chainWork < tip.chainWork) return;
      if (tip.chainWork > this.#lastPreciousChainWork) this.#reverseSequenceId = -1;
      this.#lastPreciousChainWork = tip.chainWork;
      this.#tree.removeCandidate(entry);
      entry.sequenceId = this.#reverseSequenceId;
      if (this.#reverseSequenceId > -0x80000000) this.#reverseSequenceId--;
      if (entry.isValid(BlockStatus.VALID_TRANSACTIONS) && entry.chainTxCount > 0) {
        this.#tree.addCandidate(entry);
        this.#tree.pruneCandidates(this.tip);
      }
      this.#activateBestChain(undefined);
    });
  }

  /** Writes block files, index and coins to disk (`ForceFlushStateToDisk`). */
  flush(): Promise<void> {
    return this.#lock.run(() => this.#flush("always"));
  }

  /** gettxoutsetinfo figures (hash_serialized_3, and muhash when asked) at the tip, after a flush. */
  utxoStats(options: { muhash?: boolean } = {}): Promise<ChainUtxoStats> {
    return this.#lock.run(() => {
      this.#flush("always");
      const tip = this.tip;
      if (!tip) throw new ChainStateError("no tip");
      const coins = this.#coinsDb.entries();
      const entries = (function* () {
        for (const { key, coin } of coins) yield { outpoint: outpointFromKey(key), coin };
      })();
      const stats = computeUtxoStats(entries, tip.height, {
        bitcoinMode: this.params.consensus.bitcoinMode,
        muhash: options.muhash,
      });
      return { ...stats, bestBlock: tip.hash, diskSize: this.#coinsDb.diskSize() };
    });
  }

  /**
   * Every unspent output at the tip in the coins database's key order (txid bytes, then
   * output index), after a flush: what scantxoutset and dumptxoutset walk.
   */
  unspentOutputs(): Promise<CoinEntry[]> {
    return this.#lock.run(() => {
      this.#flush("always");
      const out: CoinEntry[] = [];
      for (const { key, coin } of this.#coinsDb.entries()) {
        out.push({ outpoint: outpointFromKey(key), coin });
      }
      return out;
    });
  }

  /**
   * `CVerifyDB::VerifyDB` (-checkblocks/-checklevel, verifychain): re-reads and re-checks the
   * last `checkBlocks` blocks (0 = all) at `checkLevel` 0–4 without changing the chainstate.
   */
  verifyDB(checkBlocks = 6, checkLevel = 3): Promise<VerifyDBResult> {
    return this.#lock.run(() =>
      verifyChain(
        {
          tip: this.tip,
          cache: this.#cache,
          readBlock: (entry) => this.readBlock(entry),
          readUndo: (entry) => this.readUndo(entry),
          params: this.params.consensus,
          verifyScript: this.#verifyScript,
          versionBitsCache: this.#versionBits,
          parallelScriptChecks: this.#parallelScriptChecks,
          logger: this.#logger,
        },
        checkBlocks,
        checkLevel,
      )
    );
  }

  /** Flushes and closes everything. Idempotent. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#lock.run(() => {
      try {
        this.#flush("always");
      } finally {
        this.#closeFiles();
      }
    });
  }

  /** {@inheritDoc ChainState.close} */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #closeFiles(): void {
    this.#scriptPool?.close();
    this.#store.close();
    this.#indexDb.close();
    this.#coinsDb.close();
  }

  // ---------------------------------------------------------------------------------------
  // Loading

  #loadGenesisBlock(): void {
    const genesis = decodeBlock(this.params.genesis.bytes);
    const result = this.#acceptBlock(genesis, {
      requested: true,
      bytes: this.params.genesis.bytes,
    });
    if (!result.accepted) {
      throw new ChainStateError("LoadGenesisBlock: failed to write genesis block");
    }
  }

  /** `LoadChainTip`: the tip is the block the coins database reflects. */
  #loadChainTip(): void {
    const best = this.#cache.bestBlock;
    if (!best) {
      this.#chain = [];
      return;
    }
    const entry = this.lookupBlockIndex(best);
    if (!entry) {
      throw new ChainStateError(
        "The chainstate's best block is not in the block index: the database is corrupt " +
          "(restart with -reindex or -reindex-chainstate)",
      );
    }
    this.#setTip(entry);
    this.#tree.pruneCandidates(this.tip);
    this.#logger.info(
      `Loaded best chain: hashBestChain=${entry.hashHex} height=${entry.height} date=${
        new Date(entry.time * 1000).toISOString().replace(".000Z", "Z")
      }`,
    );
  }

  /**
   * `ReplayBlocks`: if a multi-transaction flush was interrupted, roll the coins back along
   * the old branch with undo data and forward to the new tip, idempotently.
   */
  #replayBlocks(): void {
    const heads = this.#coinsDb.headBlocks();
    if (!heads) return;
    this.#logger.info("Replaying blocks");
    const newTip = this.lookupBlockIndex(heads.newTip);
    if (!newTip) {
      throw new ChainStateError("ReplayBlocks(): reorganization to unknown block requested");
    }
    let oldTip: BlockIndexEntry | undefined;
    let fork: BlockIndexEntry | undefined;
    if (!heads.oldTip.every((b) => b === 0)) {
      oldTip = this.lookupBlockIndex(heads.oldTip);
      if (!oldTip) {
        throw new ChainStateError("ReplayBlocks(): reorganization from unknown block requested");
      }
      fork = lastCommonAncestor(oldTip, newTip);
    }
    const view = new BlockCoinsView(this.#cache);
    for (let walk = oldTip; walk && walk !== fork; walk = walk.prev) {
      if (walk.height === 0) continue;
      this.#logger.info(`Rolling back ${walk.hashHex} (${walk.height})`);
      const block = this.#mustReadBlock(walk);
      const undo = this.readUndo(walk);
      if (!undo || disconnectBlock(block, walk.height, undo, view) === "failed") {
        throw new ChainStateError(`RollbackBlock(): DisconnectBlock failed at ${walk.height}`);
      }
    }
    for (let height = (fork?.height ?? 0) + 1; height <= newTip.height; height++) {
      const entry = newTip.ancestor(height)!;
      this.#logger.info(`Rolling forward ${entry.hashHex} (${height})`);
      rollforwardBlock(this.#mustReadBlock(entry), height, view);
    }
    view.apply();
    this.#cache.setBestBlock(newTip.hash, heads.newFinalTx);
    this.#flushCoins();
  }

  /** -reindex: scans the blk files and accepts every block found, parents first. */
  #importBlockFiles(): void {
    const started = performance.now();
    this.#loadingBlocks = true;
    this.#store.resetFileInfo();
    const store = this.#store;
    const logger = this.#logger;
    // One pass over all files, so a parent stored in a later file still releases its children.
    const records = (function* () {
      for (const file of store.listBlockFiles()) {
        logger.info(`Reindexing block file blk${String(file).padStart(5, "0")}.dat...`);
        yield* store.scanBlockFile(file);
      }
    })();
    const count = importBlocks(records, {
      genesisHash: this.params.consensus.hashGenesisBlock,
      isKnown: (hashHex) => this.#tree.get(hashHex) !== undefined,
      accept: (block, record) =>
        this.#acceptBlock(block, {
          requested: true,
          bytes: record.bytes,
          knownPosition: record.position,
        }).newBlock,
      debug: (message) => this.#logger.debug("reindex", message),
    });
    this.#logger.info(
      `Loaded ${count} blocks from external file in ${Math.round(performance.now() - started)}ms`,
    );
    this.#loadingBlocks = false;
  }

  // ---------------------------------------------------------------------------------------
  // Header and block acceptance

  #processNewBlock(
    block: Block,
    requested: boolean,
    bytes: Uint8Array | undefined,
    minPowChecked: boolean,
  ): ProcessBlockResult {
    let checked: BlockValidationResult | undefined;
    const hash = block.hash;
    const listener: ChainListener = {
      blockChecked: (b, result) => {
        if (bytesEqual(b.hash, hash)) checked = result;
      },
    };
    using _subscription = this.#events.subscribe(listener);
    const context = checkBlock(block, this.params.consensus);
    if (!context.ok) {
      this.#events.emit("blockChecked", block, context);
      this.#logError(`ProcessNewBlock: AcceptBlock FAILED (${validationToString(context)})`);
      return { accepted: false, newBlock: false, checked };
    }
    // A block on the tip has its scripts checked by the workers while it is accepted.
    const early = minPowChecked ? this.#startScriptChecks(block) : undefined;
    try {
      const accepted = this.#acceptBlock(block, { requested, bytes, minPowChecked });
      if (accepted.failure) {
        this.#events.emit("blockChecked", block, accepted.failure);
        this.#logError(
          `ProcessNewBlock: AcceptBlock FAILED (${validationToString(accepted.failure)})`,
        );
      }
      if (!accepted.accepted) {
        return { accepted: false, newBlock: accepted.newBlock, checked, entry: accepted.entry };
      }
      this.#activateBestChain(
        accepted.entry ? { entry: accepted.entry, block, scripts: early } : undefined,
      );
      return { accepted: true, newBlock: accepted.newBlock, checked, entry: accepted.entry };
    } finally {
      if (early && !early.used) early.pending.cancel();
    }
  }

  /** freicoind's `error()`: an unconditional "ERROR: …" line. */
  #logError(text: string): void {
    this.#logger.info(`ERROR: ${text}`);
  }

  /** A `-debug=validation` line, built only when that category is on. */
  #logValidation(message: () => string): void {
    this.#logger.debug("validation", message);
  }

  /**
   * `AcceptBlockHeader`: a known header is returned as is (a known-invalid one fails with
   * "duplicate"); a new one must pass CheckBlockHeader and the contextual checks, have a known
   * and valid parent, and, unless `minPowChecked`, it is not added ("too-little-chainwork":
   * the caller did not check that its chain has the anti-DoS minimum work).
   */
  #acceptBlockHeader(
    header: BlockHeader,
    minPowChecked = true,
  ): { ok: true; entry: BlockIndexEntry } | BlockValidationFailure {
    const hashHex = header.hashHex;
    const existing = this.#tree.get(hashHex);
    if (existing) {
      // Reason: duplicate (a known-invalid header).
      if (existing.failed) {
        this.#logValidation(() => `AcceptBlockHeader: block ${hashHex} is marked invalid`);
        return blockInvalid("cached-invalid", "duplicate");
      }
      return { ok: true, entry: existing };
    }
    const consensus = this.params.consensus;
    if (bytesEqual(header.hash, consensus.hashGenesisBlock)) {
      return { ok: true, entry: this.#tree.add(header, undefined) };
    }
    const headerCheck = checkBlockHeader(header, consensus);
    if (!headerCheck.ok) {
      this.#logValidation(() =>
        `AcceptBlockHeader: Consensus::CheckBlockHeader: ${hashHex}, ${
          validationToString(headerCheck)
        }`
      );
      return headerCheck;
    }
    const prevHex = hashToHex(header.hashPrevBlock);
    const prev = this.#tree.get(prevHex);
    if (!prev) {
      this.#logValidation(() => `header ${hashHex} has prev block not found: ${prevHex}`);
      // Reason: prev-blk-not-found.
      return blockInvalid("missing-prev", "prev-blk-not-found");
    }
    if (prev.failed) {
      this.#logValidation(() => `header ${hashHex} has prev block invalid: ${prevHex}`);
      // Reason: bad-prevblk (the parent is known invalid).
      return blockInvalid("invalid-prev", "bad-prevblk");
    }
    const contextual = contextualCheckBlockHeader(header, prev, consensus, {
      now: this.#clock(),
      versionBitsCache: this.#versionBits,
    });
    if (!contextual.ok) {
      this.#logValidation(() =>
        `AcceptBlockHeader: Consensus::ContextualCheckBlockHeader: ${hashHex}, ${
          validationToString(contextual)
        }`
      );
      return contextual;
    }
    if (this.#tree.descendsFromFailed(prev)) {
      this.#logValidation(() => `header ${hashHex} has prev block invalid: ${prevHex}`);
      // Reason: bad-prevblk (an ancestor is known invalid).
      return blockInvalid("invalid-prev", "bad-prevblk");
    }
    if (!minPowChecked) {
      this.#logValidation(() =>
        `AcceptBlockHeader: not adding new block header ${hashHex}, missing anti-dos proof-of-work validation`
      );
      // Reason: too-little-chainwork (BLOCK_HEADER_LOW_WORK).
      return blockInvalid("headers-low-work", "too-little-chainwork");
    }
    return { ok: true, entry: this.#tree.add(header, prev) };
  }

  /**
   * `AcceptBlock`: store a block whose header is acceptable and that passes contextual checks.
   * `failure` says why it was not (nothing is emitted or logged here but freicoind's
   * "AcceptBlock: …" line for a block that fails its checks).
   */
  #acceptBlock(
    block: Block,
    options: {
      requested: boolean;
      bytes?: Uint8Array;
      knownPosition?: { file: number; pos: number };
      minPowChecked?: boolean;
    },
  ): {
    accepted: boolean;
    newBlock: boolean;
    entry?: BlockIndexEntry;
    failure?: BlockValidationFailure;
  } {
    const { requested, bytes, knownPosition } = options;
    const header = this.#acceptBlockHeader(block.header, options.minPowChecked ?? true);
    if (!header.ok) return { accepted: false, newBlock: false, failure: header };
    const entry = header.entry;
    if (entry.haveData) return { accepted: true, newBlock: false, entry };
    const tip = this.tip;
    if (!requested) {
      if (entry.txCount !== 0) return { accepted: true, newBlock: false, entry };
      if (tip && entry.chainWork < tip.chainWork) return { accepted: true, newBlock: false, entry };
      if (entry.height > this.height + MIN_BLOCKS_TO_KEEP) {
        return { accepted: true, newBlock: false, entry };
      }
      if (entry.chainWork < this.params.consensus.minimumChainWork) {
        return { accepted: true, newBlock: false, entry };
      }
    }
    let result: BlockValidationResult = VALID;
    if (knownPosition) result = checkBlock(block, this.params.consensus);
    if (result.ok) result = contextualCheckBlock(block, entry.prev, this.params.consensus);
    if (!result.ok) {
      if (result.category !== "mutated") {
        entry.status |= BlockStatus.FAILED_VALID;
        this.#tree.markDirty(entry);
      }
      this.#logError(`AcceptBlock: ${validationToString(result)}`);
      return { accepted: false, newBlock: false, entry, failure: result };
    }
    let position = knownPosition;
    if (position) {
      this.#store.noteKnownBlock(
        position,
        (bytes ?? block.toBytes()).length,
        entry.height,
        entry.time,
      );
    } else {
      position = this.#store.writeBlock(bytes ?? block.toBytes(), entry.height, entry.time);
    }
    this.#tree.receivedTransactions(entry, block.transactions.length, position, {
      witness: isBuriedActiveAt(entry.height, this.params.consensus, "segwit"),
      tip: this.tip,
    });
    return { accepted: true, newBlock: true, entry };
  }

  // ---------------------------------------------------------------------------------------
  // Chain activation

  #activateBestChain(newBlock: ArrivingBlock | undefined): void {
    for (;;) {
      const mostWork = this.#tree.findMostWorkChain((entry) => this.contains(entry));
      const startTip = this.tip;
      if (!mostWork || mostWork === startTip) return;
      const fork = this.findFork(mostWork);
      while (this.tip && this.tip !== fork) this.#disconnectTip();
      const path: BlockIndexEntry[] = [];
      for (
        let walk: BlockIndexEntry | undefined = mostWork;
        walk && walk !== fork;
        walk = walk.prev
      ) {
        path.push(walk);
      }
      path.reverse();
      // The next block of the path is read while the workers check this one's scripts.
      let prefetched: Block | undefined;
      for (let i = 0; i < path.length; i++) {
        const entry = path[i];
        const arriving = newBlock?.entry === entry ? newBlock : undefined;
        const known = arriving?.block ?? prefetched;
        prefetched = undefined;
        const following = path[i + 1];
        const prefetch = following && newBlock?.entry !== following
          ? () => {
            try {
              prefetched = this.readBlock(following);
            } catch {
              // Read again (and reported) when its turn comes.
            }
          }
          : undefined;
        const options = { checked: arriving !== undefined, whileScriptsRun: prefetch };
        if (!this.#connectTip(entry, known, arriving?.scripts, options)) {
          this.#invalidChainFound(mostWork);
          break;
        }
        this.#tree.pruneCandidates(this.tip);
      }
      const tip = this.tip;
      if (tip && tip !== startTip) {
        this.#events.emit("updatedTip", tip, fork, this.isInitialBlockDownload());
      }
    }
  }

  /**
   * `ConnectTip`. `known` is the block when the caller has it (`checked`: it already passed
   * CheckBlock in processNewBlock); `whileScriptsRun` is called once ConnectBlock's other
   * checks have passed, while the workers may still be checking scripts (the calling thread
   * does work it would do anyway, then joins them).
   */
  #connectTip(
    entry: BlockIndexEntry,
    known: Block | undefined,
    early: EarlyScriptChecks | undefined,
    options: { checked?: boolean; whileScriptsRun?: () => void } = {},
  ): boolean {
    const block = known ?? this.#mustReadBlock(entry);
    const view = new BlockCoinsView(this.#cache);
    const consensus = this.params.consensus;
    const checkScripts = this.#scriptChecksNeeded(entry);
    // With worker threads, scripts run while the rest of ConnectBlock runs here.
    let scripts: PendingScriptChecks | undefined;
    if (!checkScripts) {
      early?.pending.cancel();
    } else if (early && !early.used && early.prev === entry.prev && this.tip === entry.prev) {
      early.used = true;
      scripts = early.pending;
    } else {
      const jobs = this.#scriptPool
        ? scriptJobsFor(block, (prevout) => this.#cache.getCoin(prevout))
        : undefined;
      scripts = jobs
        ? this.#scriptPool!.dispatch(jobs, getBlockScriptFlags(entry, consensus))
        : undefined;
    }
    let result: ConnectBlockSuccess | BlockValidationFailure = connectBlock(block, consensus, {
      entry,
      view,
      finalTx: this.#cache.finalTx,
      verifyScript: this.#verifyScript,
      versionBitsCache: this.#versionBits,
      parallelScriptChecks: this.#parallelScriptChecks,
      skipScriptChecks: scripts !== undefined || !checkScripts,
      // A block handed in by processNewBlock already passed CheckBlock (`fChecked`).
      blockChecked: options.checked ?? false,
    });
    const writeUndo = result.ok && entry.prev !== undefined &&
      !(entry.status & BlockStatus.HAVE_UNDO);
    let undoBytes: Uint8Array | undefined;
    if (result.ok && scripts) {
      if (writeUndo) undoBytes = encodeBlockUndo(result.undo);
      options.whileScriptsRun?.();
    }
    const scriptsValid = scripts?.finish() ?? true;
    // Reason: block-validation-failed (as freicoind reports script failures with -par > 1).
    if (result.ok && !scriptsValid) result = blockInvalid("consensus", "block-validation-failed");
    if (!result.ok) {
      this.#events.emit("blockChecked", block, result);
      this.#logError(
        `ConnectTip: ConnectBlock ${entry.hashHex} failed, ${validationToString(result)}`,
      );
      this.#invalidBlockFound(entry, result);
      return false;
    }
    if (writeUndo && entry.prev) {
      const file = entry.dataPos?.file ?? 0;
      undoBytes ??= encodeBlockUndo(result.undo);
      entry.undoPos = this.#store.writeUndo(undoBytes, file, entry.prev.hash);
      entry.status |= BlockStatus.HAVE_UNDO;
    }
    entry.raiseValidity(BlockStatus.VALID_SCRIPTS);
    this.#tree.markDirty(entry);
    view.apply();
    this.#cache.setBestBlock(entry.hash, result.finalTx);
    this.#setTip(entry);
    this.#events.emit("blockChecked", block, VALID);
    this.#logUpdateTip(entry);
    this.#flush("if-needed");
    this.#events.emit("blockConnected", block, entry);
    return true;
  }

  /**
   * Whether ConnectBlock must check `entry`'s scripts (`fScriptChecks`): not when it is an
   * ancestor of the -assumevalid block and of the best header, the best header has the
   * minimum chain work, and the block lies more than two weeks of work below it.
   */
  #scriptChecksNeeded(entry: BlockIndexEntry): boolean {
    if (!this.#assumeValid) return true;
    const assumed = this.#tree.get(this.#assumeValid);
    const best = this.#tree.bestHeader;
    if (!assumed || !best || assumed.ancestor(entry.height) !== entry) return true;
    if (best.ancestor(entry.height) !== entry) return true;
    if (best.chainWork < this.params.consensus.minimumChainWork) return true;
    const behind = getBlockProofEquivalentTime(
      best.chainWork,
      entry.chainWork,
      best,
      this.params.consensus,
    );
    return behind <= TWO_WEEKS_SECONDS;
  }

  /**
   * Starts the script checks of a new block that builds on the tip, before it is even
   * accepted, so that the workers run them while the calling thread does the rest.
   */
  #startScriptChecks(block: Block): EarlyScriptChecks | undefined {
    const pool = this.#scriptPool;
    const tip = this.tip;
    if (!pool || !tip || !bytesEqual(block.header.hashPrevBlock, tip.hash)) return undefined;
    const known = this.lookupBlockIndex(block.hash);
    if (known?.haveData || (known && !this.#scriptChecksNeeded(known))) return undefined;
    const jobs = scriptJobsFor(block, (prevout) => this.#cache.getCoin(prevout));
    if (!jobs) return undefined;
    const entry = {
      height: tip.height + 1,
      hash: block.hash,
      version: block.header.version,
      time: block.header.time,
      bits: block.header.bits,
      prev: tip,
    };
    const flags = getBlockScriptFlags(entry, this.params.consensus);
    return { prev: tip, pending: pool.dispatch(jobs, flags), used: false };
  }

  #disconnectTip(): void {
    const entry = this.tip;
    if (!entry?.prev) {
      throw new ChainStateError("DisconnectTip: cannot disconnect the genesis block");
    }
    const block = this.#mustReadBlock(entry);
    const undo = this.readUndo(entry);
    if (!undo) throw new ChainStateError(`DisconnectTip: no undo data for ${entry.hashHex}`);
    const view = new BlockCoinsView(this.#cache);
    const outcome = disconnectBlock(block, entry.height, undo, view);
    if (outcome === "failed") {
      throw new ChainStateError(`DisconnectTip: DisconnectBlock ${entry.hashHex} failed`);
    }
    view.apply();
    this.#cache.setBestBlock(entry.prev.hash, undo.previousFinalTx);
    this.#setTip(entry.prev);
    this.#logUpdateTip(entry.prev);
    this.#flush("if-needed");
    this.#events.emit("blockDisconnected", block, entry);
  }

  #setTip(entry: BlockIndexEntry): void {
    const chain = this.#chain;
    chain.length = entry.height + 1;
    for (
      let walk: BlockIndexEntry | undefined = entry;
      walk && chain[walk.height] !== walk;
      walk = walk.prev
    ) {
      chain[walk.height] = walk;
    }
  }

  #logUpdateTip(entry: BlockIndexEntry): void {
    const log2Work = Math.log2(Number(entry.chainWork));
    const date = new Date(entry.time * 1000).toISOString().replace(".000Z", "Z");
    const cacheMiB = (this.#cache.memoryUsage / (1 << 20)).toFixed(1);
    this.#logger.info(() =>
      `UpdateTip: new best=${entry.hashHex} height=${entry.height} version=0x${
        (entry.version >>> 0).toString(16).padStart(8, "0")
      } log2_work=${
        log2Work.toFixed(6)
      } tx=${entry.chainTxCount} date='${date}' progress=1.000000 cache=${cacheMiB}MiB(${this.#cache.size}txo)`
    );
  }

  #invalidBlockFound(entry: BlockIndexEntry, result: BlockValidationFailure): void {
    if (result.category === "mutated") return;
    this.#tree.markInvalid(entry);
    this.#invalidChainFound(entry);
  }

  #invalidChainFound(entry: BlockIndexEntry): void {
    this.#tree.noteInvalidChain(entry);
    this.#logger.info(
      `InvalidChainFound: invalid block=${entry.hashHex}  height=${entry.height}  log2_work=${
        Math.log2(Number(entry.chainWork)).toFixed(6)
      }`,
    );
  }

  /** `InvalidateBlock`: disconnects down to `target`'s parent and marks it failed. */
  #invalidateBlock(target: BlockIndexEntry): void {
    let toMarkFailed = target;
    const laterCandidates = this.#tree.candidatesAtLeast(target.prev).filter((entry) =>
      !this.contains(entry)
    );
    while (this.contains(target) && target.prev) {
      const walkTip = this.tip!;
      this.#disconnectTip();
      // Mark each disconnected block at once, so a candidate always remains.
      walkTip.status |= BlockStatus.FAILED_VALID;
      this.#tree.markDirty(walkTip);
      this.#tree.removeCandidate(walkTip);
      this.#tree.addCandidate(walkTip.prev!);
      // Only the last disconnected block stays FAILED_VALID; its descendants are FAILED_CHILD.
      if (walkTip === toMarkFailed.prev && toMarkFailed.status & BlockStatus.FAILED_VALID) {
        toMarkFailed.status = (toMarkFailed.status & ~BlockStatus.FAILED_VALID) |
          BlockStatus.FAILED_CHILD;
        this.#tree.markDirty(toMarkFailed);
      }
      for (const candidate of laterCandidates) {
        if (compareCandidates(candidate, walkTip.prev!) >= 0) this.#tree.addCandidate(candidate);
      }
      toMarkFailed = walkTip;
    }
    this.#tree.markInvalid(toMarkFailed);
    for (const entry of this.#tree.candidatesAtLeast(this.tip)) this.#tree.addCandidate(entry);
    this.#invalidChainFound(toMarkFailed);
  }

  #mustReadBlock(entry: BlockIndexEntry): Block {
    const block = this.readBlock(entry);
    if (!block) {
      throw new ChainStateError(
        `ReadBlockFromDisk failed at ${entry.height}, hash=${entry.hashHex}`,
      );
    }
    return block;
  }

  // ---------------------------------------------------------------------------------------
  // Flushing

  /**
   * `FlushStateToDisk`: block files are synced first, then the index is written, then the
   * coins, so the coins never name a block the index or files lack.
   */
  #flush(mode: "if-needed" | "always"): void {
    const now = performance.now();
    const cacheFull = this.#cache.memoryUsage > this.#dbcacheBytes;
    const periodic = now - this.#lastWrite > DATABASE_WRITE_INTERVAL_MS;
    if (mode === "if-needed" && !cacheFull && !periodic) return;
    this.#store.sync();
    const files = this.#store.takeDirtyFileInfo();
    if (files.length > 0 || this.#tree.hasDirty) {
      this.#indexDb.writeBatch(files, this.#tree.takeDirty());
    }
    this.#flushCoins();
    this.#lastWrite = now;
  }

  #flushCoins(): void {
    const written = this.#cache.flush({
      chunkSize: this.#flushChunkSize,
      afterChunk: this.#afterFlushChunk,
    });
    this.#logger.debug(
      "coindb",
      () => `Committed ${written} changed transaction outputs to coin database`,
    );
  }
}
