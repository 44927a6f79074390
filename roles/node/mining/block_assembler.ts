/**
 * `BlockAssembler::CreateNewBlock` (src/node/miner.cpp): the block freicoind's miner builds —
 * coinbase `<height> OP_0` with nLockTime = MTP and lock_height = height, the initial
 * `0 OP_TRUE` block-final output in the activation block, the block-final transaction
 * spending the previous one's outputs with the witness commitment, and mempool packages
 * chosen by ancestor fee rate.
 *
 * @module
 */
import { type Logger, NULL_LOGGER } from "../../../cli/logger.ts";
import { timeAdjustValue } from "../../../kernel/amount/mod.ts";
import {
  type ChainEntry,
  computeBlockVersion,
  getBlockSubsidy,
  getNextWorkRequired,
  isBuriedActiveAfter,
  isDeploymentActiveAfter,
  medianTimePast,
} from "../../../kernel/chain/mod.ts";
import {
  type BlockValidationFailure,
  blockWeight,
  checkBlock,
  COINBASE_MATURITY,
  coinPresentValue,
  CoinsViewOverlay,
  connectBlock,
  contextualCheckBlock,
  contextualCheckBlockHeader,
  heightScriptPrefix,
  isFinalTx,
  isTriviallySpendableCoin,
  legacySigOpCount,
  MAX_BLOCK_SIGOPS_COST,
  MAX_BLOCK_WEIGHT,
  transactionSigOpCost,
} from "../../../kernel/consensus/mod.ts";
import {
  blockMerkleRoot,
  blockWitnessMerkleRoot,
  getWitnessCommitment,
} from "../../../kernel/merkle/mod.ts";
import {
  Block,
  BlockHeader,
  OutPoint,
  SEQUENCE_FINAL,
  Transaction,
  TxIn,
  TxOut,
  WITNESS_SCALE_FACTOR,
} from "../../../kernel/primitives/mod.ts";
import {
  MANDATORY_SCRIPT_VERIFY_FLAGS,
  STANDARD_SCRIPT_VERIFY_FLAGS,
  VerifyFlags,
} from "../../../kernel/script/mod.ts";
import type { MiningChainView } from "../mempool/chain_view.ts";
import { FeeRate, type Mempool, type MempoolEntry } from "../mempool/mod.ts";

/** `DEFAULT_BLOCK_MAX_WEIGHT`: MAX_BLOCK_WEIGHT − 4000. */
export const DEFAULT_BLOCK_MAX_WEIGHT = MAX_BLOCK_WEIGHT - 4000;
/** `DEFAULT_BLOCK_MIN_TX_FEE` kria/kvB. */
export const DEFAULT_BLOCK_MIN_TX_FEE = 1000n;

/** `EMPTY_SEGWIT_COMMITMENT`: one 37-byte push of path 0, a zero root and the magic. */
export function emptyWitnessCommitmentScript(): Uint8Array {
  const script = new Uint8Array(38);
  script[0] = 0x25;
  script.set([0x4b, 0x4a, 0x49, 0x48], 34);
  return script;
}

/** Options of the assembler (`BlockAssembler::Options`). */
export interface BlockAssemblerOptions {
  /** `-blockmaxweight`, clamped to [4000, DEFAULT_BLOCK_MAX_WEIGHT]. */
  readonly blockMaxWeight?: number;
  /** `-blockmintxfee`. */
  readonly blockMinFeeRate?: FeeRate;
  /** `-blockversion` (regtest only). */
  readonly blockVersion?: number;
  /** Run TestBlockValidity on the result. Default true. */
  readonly testBlockValidity?: boolean;
  /** Where "CreateNewBlock(): …" lines go. Default: nowhere. */
  readonly logger?: Logger;
}

/** A block template (`CBlockTemplate`). */
export interface BlockTemplate {
  /** The block, nonce 0, Merkle root filled in. */
  readonly block: Block;
  /** Fee of each transaction (raw, at its lock_height); the coinbase's is −Σ adjusted fees. */
  readonly fees: readonly bigint[];
  /** Sigop cost of each transaction. */
  readonly sigOpCosts: readonly number[];
  /** Whether the last transaction is the block-final transaction. */
  readonly hasBlockFinalTx: boolean;
  /** The height of the block. */
  readonly height: number;
  /** The parent's median time past (the coinbase nLockTime). */
  readonly medianTimePast: number;
  /** The parent. */
  readonly prev: ChainEntry;
}

/** An assembler's failure (`Couldn't create new block`, TestBlockValidity). */
export class BlockAssemblyError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "BlockAssemblyError";
  }
}

type FinalState = "none" | "initial" | "has";

const OP_TRUE = new Uint8Array([0x51]);

/**
 * Builds block templates on the chain's tip with the mempool's transactions.
 *
 * @example
 * ```ts ignore
 * const assembler = new BlockAssembler(chain, mempool, { now: () => Date.now() / 1000 });
 * const template = assembler.createNewBlock(scriptPubKey);
 * ```
 */
export class BlockAssembler {
  /**
   * Weight (with the 4000 coinbase reserve, without the coinbase) and transaction count
   * (without coinbase and block-final tx) of the last block any assembler built, as
   * freicoind's static `m_last_block_weight` / `m_last_block_num_txs` (getmininginfo).
   */
  static lastBlock: { readonly weight: number; readonly txs: number } | undefined;

  readonly #chain: MiningChainView;
  readonly #mempool: Mempool | undefined;
  readonly #now: () => number;
  readonly #maxWeight: number;
  readonly #minFeeRate: FeeRate;
  readonly #blockVersion: number | undefined;
  readonly #testValidity: boolean;
  readonly #logger: Logger;

  /** An assembler; `now` is the node's (mockable) clock in seconds. */
  constructor(
    chain: MiningChainView,
    mempool: Mempool | undefined,
    options: BlockAssemblerOptions & { now: () => number },
  ) {
    this.#chain = chain;
    this.#mempool = mempool;
    this.#now = options.now;
    this.#maxWeight = Math.min(
      Math.max(options.blockMaxWeight ?? DEFAULT_BLOCK_MAX_WEIGHT, 4000),
      DEFAULT_BLOCK_MAX_WEIGHT,
    );
    this.#minFeeRate = options.blockMinFeeRate ?? new FeeRate(DEFAULT_BLOCK_MIN_TX_FEE);
    this.#blockVersion = options.blockVersion;
    this.#testValidity = options.testBlockValidity ?? true;
    this.#logger = options.logger ?? NULL_LOGGER;
  }

  /** `CreateNewBlock(scriptPubKey)`. Throws {@link BlockAssemblyError} when it cannot. */
  createNewBlock(scriptPubKey: Uint8Array): BlockTemplate {
    const chain = this.#chain;
    const consensus = chain.params.consensus;
    const cache = chain.versionBitsCache;
    const prev = chain.tip();
    const height = prev.height + 1;
    let version = computeBlockVersion(prev, consensus, cache);
    if (chain.params.mineBlocksOnDemand && this.#blockVersion !== undefined) {
      version = this.#blockVersion;
    }
    const now = Math.floor(this.#now());
    const mtp = medianTimePast(prev);

    let state: FinalState = "none";
    if (isDeploymentActiveAfter(prev, consensus, "finaltx", cache)) {
      state = !prev.prev || !isDeploymentActiveAfter(prev.prev, consensus, "finaltx", cache)
        ? "initial"
        : "has";
    }
    const finalEntry = state === "has" ? chain.finalTx() : null;
    if (state === "has") {
      if (!finalEntry) throw new BlockAssemblyError("Couldn't create new block");
      for (let n = 0; n < finalEntry.size; n++) {
        const coin = chain.getCoin(new OutPoint(finalEntry.hash, n));
        if (!coin) throw new BlockAssemblyError("Couldn't create new block");
        // A coinbase block-final output still maturing: no block-final tx yet.
        if (coin.isCoinBase && height - coin.height < COINBASE_MATURITY) {
          state = "none";
          break;
        }
      }
    }

    const body: Transaction[] = [];
    const fees: bigint[] = [];
    const sigOpCosts: number[] = [];
    let weight = 4000;
    let sigOps = 400;
    let totalFees = 0n;

    let finalTx: Transaction | null = null;
    let finalTxCosts: { fee: bigint; sigOpCost: number } | null = null;
    if (state === "has" && finalEntry) {
      const made = this.#initFinalTx(finalEntry.hash, finalEntry.size, height, mtp);
      if (made) {
        finalTx = made.tx;
        finalTxCosts = made;
        totalFees += made.fee;
        sigOps += made.sigOpCost;
        weight += made.tx.weight;
      } else {
        state = "none";
      }
    }

    if (this.#mempool) {
      const chosen = this.#addPackageTxs(this.#mempool, height, mtp, weight, sigOps);
      for (const entry of chosen) {
        body.push(entry.tx);
        fees.push(entry.fee);
        sigOpCosts.push(entry.sigOpCost);
        weight += entry.weight;
        sigOps += entry.sigOpCost;
        // Regtest -bitcoinmode has no demurrage: connectBlock sums the fees unadjusted too.
        totalFees += timeAdjustValue(entry.fee, height - entry.referenceHeight, {
          disableTimeAdjust: consensus.bitcoinMode,
        });
      }
    }

    BlockAssembler.lastBlock = { weight, txs: body.length };

    const outputs = [new TxOut(totalFees + getBlockSubsidy(height, consensus), scriptPubKey)];
    if (state === "initial") outputs.unshift(new TxOut(0n, OP_TRUE));
    const scriptSig = new Uint8Array([...heightScriptPrefix(height), 0x00]);
    let coinbase = new Transaction({
      version: 2,
      inputs: [new TxIn({ prevout: OutPoint.null(), scriptSig, sequence: SEQUENCE_FINAL })],
      outputs,
      lockTime: mtp >>> 0,
      lockHeight: height,
    });
    const txs = [coinbase, ...body];
    if (finalTx) txs.push(finalTx);

    let block = new Block(
      new BlockHeader({
        version,
        hashPrevBlock: prev.hash,
        hashMerkleRoot: new Uint8Array(32),
        time: Math.max(mtp + 1, now),
        bits: getNextWorkRequired(prev, consensus),
        nonce: 0,
      }),
      txs,
    );
    if (state === "has") block = generateWitnessCommitment(block, prev, consensus);
    coinbase = block.transactions[0];
    block = withMerkleRoot(block);

    const allFees = [-totalFees, ...fees];
    const allSigOps = [WITNESS_SCALE_FACTOR * legacySigOpCount(coinbase), ...sigOpCosts];
    if (finalTx && finalTxCosts) {
      allFees.push(finalTxCosts.fee);
      allSigOps.push(finalTxCosts.sigOpCost);
    }
    const loggedFees = totalFees - (finalTxCosts?.fee ?? 0n);
    this.#logger.info(
      `CreateNewBlock(): block weight: ${
        blockWeight(block)
      } txs: ${body.length} fees: ${loggedFees} sigops ${sigOps}`,
    );
    const template: BlockTemplate = {
      block,
      fees: allFees,
      sigOpCosts: allSigOps,
      hasBlockFinalTx: state === "has",
      height,
      medianTimePast: mtp,
      prev,
    };
    if (this.#testValidity) {
      const failure = testBlockValidity(chain, block, now);
      if (failure) {
        throw new BlockAssemblyError(
          `CreateNewBlock: TestBlockValidity failed: ${failure.reason}${
            failure.debugMessage ? ", " + failure.debugMessage : ""
          }`,
        );
      }
    }
    return template;
  }

  /** `initFinalTx`: spends every trivially spendable output of the previous block-final tx. */
  #initFinalTx(
    hash: Uint8Array,
    size: number,
    height: number,
    mtp: number,
  ): { tx: Transaction; fee: bigint; sigOpCost: number } | null {
    const chain = this.#chain;
    const flags = (MANDATORY_SCRIPT_VERIFY_FLAGS | VerifyFlags.WITNESS | VerifyFlags.CLEANSTACK) >>>
      0;
    const inputs: TxIn[] = [];
    let valueIn = 0n;
    for (let n = 0; n < size; n++) {
      const prevout = new OutPoint(hash, n);
      const coin = chain.getCoin(prevout);
      if (!coin) continue;
      if (!isTriviallySpendableCoin(coin, prevout, flags, chain.verifyScript)) continue;
      inputs.push(new TxIn({ prevout, scriptSig: new Uint8Array(0), sequence: SEQUENCE_FINAL }));
      valueIn += coinPresentValue(coin, height);
    }
    if (inputs.length === 0) return null;
    const tx = new Transaction({
      version: 2,
      inputs,
      outputs: [new TxOut(0n, emptyWitnessCommitmentScript())],
      lockTime: mtp >>> 0,
      lockHeight: height,
    });
    const view = {
      getCoin: (o: OutPoint) => chain.getCoin(o),
      spendCoin: () => undefined,
      addCoin: () => {},
    };
    // Its fee (all of its inputs) is at lock_height = height: no further adjustment.
    return {
      tx,
      fee: valueIn,
      sigOpCost: transactionSigOpCost(tx, view, STANDARD_SCRIPT_VERIFY_FLAGS),
    };
  }

  /** `addPackageTxs`: mempool packages by ancestor fee rate, best first. */
  #addPackageTxs(
    pool: Mempool,
    height: number,
    lockTimeCutoff: number,
    startWeight: number,
    startSigOps: number,
  ): MempoolEntry[] {
    const inBlock = new Set<MempoolEntry>();
    const failed = new Set<MempoolEntry>();
    const chosen: MempoolEntry[] = [];
    let weight = startWeight;
    let sigOps = startSigOps;
    let consecutiveFailed = 0;
    // Each entry's package: itself and its ancestors not yet in the block, with running sums
    // (the role of mapModifiedTx: updated as ancestors are added).
    const packages = new Map<MempoolEntry, PackageState>();
    for (const entry of pool.entries()) {
      const ancestors = pool.ancestorsOf(entry);
      let fees = entry.modifiedFee;
      let size = entry.vsize;
      let sigOpCost = entry.sigOpCost;
      for (const a of ancestors) {
        fees += a.modifiedFee;
        size += a.vsize;
        sigOpCost += a.sigOpCost;
      }
      packages.set(entry, {
        ancestors,
        fees,
        size,
        sigOpCost,
        ancestorCount: ancestors.size + 1,
      });
    }

    for (;;) {
      let best: MempoolEntry | undefined;
      let bestScore: PackageScore | undefined;
      for (const [entry, state] of packages) {
        if (inBlock.has(entry) || failed.has(entry)) continue;
        const score = packageScore(entry, state);
        if (!best || compareAncestorScore(score, entry, bestScore!, best) < 0) {
          best = entry;
          bestScore = score;
        }
      }
      if (!best || !bestScore) break;
      const entry = best;
      const score = bestScore;
      let packageFees = score.packageFees;
      // Demurrage is ignored for packages younger than 1008 blocks (the reference's shortcut).
      if (entry.referenceHeight + 1008 < height) {
        packageFees = timeAdjustValue(packageFees, height - entry.referenceHeight, {
          disableTimeAdjust: this.#chain.params.consensus.bitcoinMode,
        });
      }
      if (packageFees < this.#minFeeRate.getFee(score.packageSize)) break;
      if (
        weight + WITNESS_SCALE_FACTOR * score.packageSize >= this.#maxWeight ||
        sigOps + score.packageSigOps >= MAX_BLOCK_SIGOPS_COST
      ) {
        failed.add(entry);
        consecutiveFailed++;
        if (consecutiveFailed > 1000 && weight > this.#maxWeight - 4000) break;
        continue;
      }
      const pkg = [entry, ...packages.get(entry)!.ancestors];
      if (!pkg.every((e) => isFinalTx(e.tx, height, lockTimeCutoff))) {
        failed.add(entry);
        continue;
      }
      consecutiveFailed = 0;
      // SortForBlock: by in-mempool ancestor count, then txid.
      pkg.sort((a, b) => {
        const ca = packages.get(a)!.ancestorCount;
        const cb = packages.get(b)!.ancestorCount;
        if (ca !== cb) return ca - cb;
        return compareHashes(a.tx.txid, b.tx.txid);
      });
      for (const e of pkg) {
        inBlock.add(e);
        chosen.push(e);
        weight += e.weight;
        sigOps += e.sigOpCost;
      }
      // UpdatePackagesForAdded: descendants of what was added lose those ancestors from their
      // packages, and an earlier failure of theirs is reconsidered.
      for (const e of pkg) {
        for (const d of pool.descendantsOf(e)) {
          if (inBlock.has(d)) continue;
          const state = packages.get(d)!;
          if (state.ancestors.delete(e)) {
            state.fees -= e.modifiedFee;
            state.size -= e.vsize;
            state.sigOpCost -= e.sigOpCost;
          }
          failed.delete(d);
        }
      }
    }
    return chosen;
  }
}

interface PackageScore {
  /** The fee and size the ancestor-score sort uses (min of alone / with ancestors). */
  readonly scoreFee: bigint;
  readonly scoreSize: number;
  readonly packageFees: bigint;
  readonly packageSize: number;
  readonly packageSigOps: number;
}

/** A candidate package while a block is assembled. */
interface PackageState {
  /** In-mempool ancestors not yet in the block. */
  readonly ancestors: Set<MempoolEntry>;
  fees: bigint;
  size: number;
  sigOpCost: number;
  /** In-mempool ancestor count (with itself), for ordering inside a package. */
  readonly ancestorCount: number;
}

function packageScore(entry: MempoolEntry, state: PackageState): PackageScore {
  const f1 = Number(entry.modifiedFee) * state.size;
  const f2 = Number(state.fees) * entry.vsize;
  const useAncestors = f1 > f2;
  return {
    scoreFee: useAncestors ? state.fees : entry.modifiedFee,
    scoreSize: useAncestors ? state.size : entry.vsize,
    packageFees: state.fees,
    packageSize: state.size,
    packageSigOps: state.sigOpCost,
  };
}

/** uint256 `operator<`: memcmp of the internal bytes. */
function compareHashes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** `CompareTxMemPoolEntryByAncestorFee`: < 0 when `a` is the better package. */
function compareAncestorScore(
  a: PackageScore,
  aEntry: MempoolEntry,
  b: PackageScore,
  bEntry: MempoolEntry,
): number {
  const f1 = Number(a.scoreFee) * b.scoreSize;
  const f2 = a.scoreSize * Number(b.scoreFee);
  if (f1 === f2) return compareHashes(aEntry.tx.txid, bEntry.tx.txid);
  return f1 > f2 ? -1 : 1;
}

/** `RegenerateCommitments` / `GenerateCoinbaseCommitment` for a block with a commitment. */
export function generateWitnessCommitment(
  block: Block,
  prev: ChainEntry,
  consensus: MiningChainView["params"]["consensus"],
): Block {
  if (!getWitnessCommitment(block)) return block;
  const txs = [...block.transactions];
  const last = txs[txs.length - 1];
  const outputs = [...last.outputs];
  const lastOutput = outputs[outputs.length - 1];
  outputs[outputs.length - 1] = new TxOut(lastOutput.value, emptyWitnessCommitmentScript());
  txs[txs.length - 1] = new Transaction({ ...last, outputs });
  const root = blockWitnessMerkleRoot(new Block(block.header, txs));
  const script = emptyWitnessCommitmentScript();
  script[1] = 0x01;
  script.set(root, 2);
  outputs[outputs.length - 1] = new TxOut(lastOutput.value, script);
  txs[txs.length - 1] = new Transaction({ ...last, outputs });
  return updateUncommittedBlockStructures(new Block(block.header, txs), prev, consensus);
}

/**
 * `UpdateUncommittedBlockStructures`: a block with a commitment whose coinbase has no witness
 * gets the empty witness nonce `[""]` (segwit active after `prev`).
 */
export function updateUncommittedBlockStructures(
  block: Block,
  prev: ChainEntry | undefined,
  consensus: MiningChainView["params"]["consensus"],
): Block {
  const coinbase = block.transactions[0];
  if (
    !coinbase || !getWitnessCommitment(block) || !isBuriedActiveAfter(prev, consensus, "segwit") ||
    coinbase.hasWitness()
  ) {
    return block;
  }
  const input = coinbase.inputs[0];
  const inputs = [
    new TxIn({
      prevout: input.prevout,
      scriptSig: input.scriptSig,
      sequence: input.sequence,
      witness: [new Uint8Array(0)],
    }),
    ...coinbase.inputs.slice(1),
  ];
  const txs = [new Transaction({ ...coinbase, inputs }), ...block.transactions.slice(1)];
  return new Block(block.header, txs);
}

/** The block with its header's Merkle root recomputed. */
export function withMerkleRoot(block: Block): Block {
  const root = blockMerkleRoot(block).root;
  return new Block(new BlockHeader({ ...block.header, hashMerkleRoot: root }), block.transactions);
}

/**
 * `TestBlockValidity` without proof of work or Merkle checks: contextual header and block
 * checks and ConnectBlock on a scratch view over the tip. Null when valid. Uses the chain's
 * own check when it offers one.
 */
export function testBlockValidity(
  chain: MiningChainView,
  block: Block,
  now: number,
  options: { checkMerkleRoot?: boolean } = {},
): BlockValidationFailure | null {
  if (chain.testBlockValidity) return chain.testBlockValidity(block);
  const prev = chain.tip();
  const consensus = chain.params.consensus;
  const cache = chain.versionBitsCache;
  const header = contextualCheckBlockHeader(block.header, prev, consensus, {
    now,
    versionBitsCache: cache,
  });
  if (!header.ok) return header;
  const checked = checkBlock(block, consensus, {
    checkPow: false,
    checkMerkleRoot: options.checkMerkleRoot ?? false,
  });
  if (!checked.ok) return checked;
  const contextual = contextualCheckBlock(block, prev, consensus);
  if (!contextual.ok) return contextual;
  const base = {
    getCoin: (o: OutPoint) => chain.getCoin(o),
    spendCoin: () => undefined,
    addCoin: () => {},
  };
  const entry: ChainEntry = {
    height: prev.height + 1,
    hash: block.hash,
    version: block.header.version,
    time: block.header.time,
    bits: block.header.bits,
    prev,
  };
  const connected = connectBlock(block, consensus, {
    entry,
    view: new CoinsViewOverlay(base),
    finalTx: chain.finalTx(),
    verifyScript: chain.verifyScript,
    justCheck: true,
    versionBitsCache: cache,
  });
  return connected.ok ? null : connected;
}
