/**
 * `AcceptToMemoryPool` (`MemPoolAccept`, src/validation.cpp): PreChecks, replacement (RBF)
 * checks, policy and consensus script checks, and Finalize, with freicoind's reject reasons.
 * Mempool validation uses pre-cleanup rules (`Consensus::NONE`) and no per-input adjustment.
 *
 * @module
 */
import { formatMoney } from "../../../kernel/amount/mod.ts";
import type { ChainEntry } from "../../../kernel/chain/mod.ts";
import {
  calculateLockPointsAtTip,
  checkFinalTxAtTip,
  checkInputScripts,
  checkSequenceLocksAtTip,
  checkTransaction,
  checkTxInputs,
  type Coin,
  COINBASE_MATURITY,
  type CoinsView,
  getBlockScriptFlags,
  MEMPOOL_HEIGHT,
  outpointKey,
  RULES_NONE,
  type SpentOutputInfo,
  transactionSigOpCost,
  txInvalid,
  type TxValidationFailure,
} from "../../../kernel/consensus/mod.ts";
import { bytesEqual } from "../../../kernel/encoding/mod.ts";
import { OutPoint, type Transaction } from "../../../kernel/primitives/mod.ts";
import { STANDARD_SCRIPT_VERIFY_FLAGS, VerifyFlags } from "../../../kernel/script/mod.ts";
import { singleV3Checks } from "./v3_policy.ts";
import type { MempoolChainView } from "./chain_view.ts";
import { FeeRate, virtualSize } from "./fee_rate.ts";
import type { Mempool } from "./mempool.ts";
import { MempoolEntry } from "./mempool_entry.ts";
import {
  areInputsStandard,
  EXTRA_DESCENDANT_TX_SIZE_LIMIT,
  isStandardTx,
  isWitnessStandard,
  MAX_REPLACEMENT_CANDIDATES,
  MAX_STANDARD_TX_SIGOPS_COST,
  MIN_STANDARD_TX_NONWITNESS_SIZE,
  signalsOptInRbf,
} from "./policy.ts";

/** Arguments of one acceptance attempt (`ATMPArgs`). */
export interface AcceptOptions {
  /** Seconds since the epoch (the node's mockable clock). */
  readonly acceptTime: number;
  /** Skip fee and size limits (transactions from disconnected blocks). Default false. */
  readonly bypassLimits?: boolean;
  /** Only test, do not add (testmempoolaccept). Default false. */
  readonly testAccept?: boolean;
  /** Allow replacing conflicting transactions. Default true. */
  readonly allowReplacement?: boolean;
}

/** A successful acceptance (`MempoolAcceptResult::Success`). */
export interface AcceptSuccess {
  readonly ok: true;
  readonly txid: string;
  readonly wtxid: string;
  readonly vsize: number;
  /** Base fee at the transaction's lock_height. */
  readonly fee: bigint;
  /** Modified fee over vsize. */
  readonly effectiveFeeRate: FeeRate;
  /** The transactions it replaced. */
  readonly replaced: readonly Transaction[];
}

/** A rejection: the validation failure, with the fee rate when it failed for fees. */
export interface AcceptFailure {
  readonly ok: false;
  readonly state: TxValidationFailure;
}

/** Outcome of {@link acceptToMemoryPool}. */
export type AcceptResult = AcceptSuccess | AcceptFailure;

function fail(
  category: TxValidationFailure["category"],
  reason: string,
  debug = "",
): AcceptFailure {
  return { ok: false, state: txInvalid(category, reason, debug) };
}

/**
 * A coins view over the chain tip with the mempool's outputs on top (`CCoinsViewMemPool`),
 * plus the outputs of package transactions validated so far (`PackageAddTransaction`).
 */
export class MempoolCoinsView implements CoinsView {
  readonly #chain: MempoolChainView;
  readonly #pool: Mempool;
  readonly #package = new Map<string, Coin>();

  /** A view over `chain` and `pool`. */
  constructor(chain: MempoolChainView, pool: Mempool) {
    this.#chain = chain;
    this.#pool = pool;
  }

  /** Makes `tx`'s outputs spendable by later package members (height MEMPOOL_HEIGHT). */
  packageAddTransaction(tx: Transaction): void {
    tx.outputs.forEach((output, n) => {
      this.#package.set(outpointKey(new OutPoint(tx.txid, n)), {
        output,
        height: MEMPOOL_HEIGHT,
        isCoinBase: false,
        refheight: tx.lockHeight,
      });
    });
  }

  /** The coin at `outpoint`: a package output, an unconfirmed pool output, else the chain's. */
  getCoin(outpoint: OutPoint): Coin | undefined {
    const packaged = this.#package.get(outpointKey(outpoint));
    if (packaged) return packaged;
    const parent = this.#pool.getByHash(outpoint.hash);
    if (parent) {
      const output = parent.tx.outputs[outpoint.n];
      if (!output) return undefined;
      return {
        output,
        height: MEMPOOL_HEIGHT,
        isCoinBase: false,
        refheight: parent.tx.lockHeight,
      };
    }
    return this.#chain.getCoin(outpoint);
  }

  /** Read-only view: spending is a bug. */
  spendCoin(_outpoint: OutPoint): Coin | undefined {
    throw new Error("MempoolCoinsView is read-only");
  }

  /** Read-only view: adding is a bug. */
  addCoin(): void {
    throw new Error("MempoolCoinsView is read-only");
  }
}

/** The entry a block at tip+1 would have (for the next block's script flags). */
function nextBlockEntry(tip: ChainEntry): ChainEntry {
  return {
    height: tip.height + 1,
    hash: new Uint8Array(32),
    version: 0,
    time: 0,
    bits: 0,
    prev: tip,
  };
}

/** Height given to coins that exist only in the mempool (kernel's `MEMPOOL_HEIGHT`). */
export { MEMPOOL_HEIGHT };

/** `CheckFinalTxAtTip`: final at height tip+1 with the tip's median time past. */
export function isFinalAtTip(tip: ChainEntry, tx: Transaction): boolean {
  return checkFinalTxAtTip(tip, tx);
}

/**
 * `CheckSequenceLocksAtTip` after `CalculateLockPointsAtTip`: the BIP68 locks of `tx` (coins
 * from `view`; mempool coins count as confirmed in the next block) allow the next block.
 */
function sequenceLocksAtTip(tip: ChainEntry, tx: Transaction, view: CoinsView): boolean {
  const lockPoints = calculateLockPointsAtTip(tip, view, tx);
  return lockPoints !== undefined && checkSequenceLocksAtTip(tip, lockPoints);
}

/** What one transaction's validation carries between phases (`MemPoolAccept::Workspace`). */
export interface AcceptWorkspace {
  readonly tx: Transaction;
  readonly entry: MempoolEntry;
  readonly baseFee: bigint;
  readonly modifiedFee: bigint;
  readonly vsize: number;
  /** Direct conflicts in the pool. */
  readonly conflicts: Set<MempoolEntry>;
  /** Direct conflicts and their descendants (filled by the replacement checks). */
  readonly allConflicting: Set<MempoolEntry>;
  /** The spent outputs, in input order. */
  readonly spent: readonly SpentOutputInfo[];
  /** In-mempool ancestors (`m_ancestors`). */
  readonly ancestors: ReadonlySet<MempoolEntry>;
}

/** Arguments of {@link preChecks} beyond {@link AcceptOptions}. */
export interface PreCheckContext {
  /** The coins view (with package outputs, for packages). */
  readonly view: MempoolCoinsView;
  /** Apply the per-transaction rolling minimum fee (false for package fee rates). Default true. */
  readonly checkFeeRate?: boolean;
}

/**
 * `PreChecks`: everything but scripts and replacement rules — context-free checks,
 * standardness, finality, duplicates and conflicts, inputs (with demurrage at the next
 * height), BIP68, fees and package limits.
 */
export function preChecks(
  pool: Mempool,
  chain: MempoolChainView,
  tx: Transaction,
  options: AcceptOptions,
  context: PreCheckContext,
): AcceptWorkspace | AcceptFailure {
  const opts = pool.options;
  const consensus = chain.params.consensus;
  const bypassLimits = options.bypassLimits ?? false;
  const allowReplacement = options.allowReplacement ?? true;
  const tip = chain.tip();
  const view = context.view;

  const checked = checkTransaction(tx, RULES_NONE);
  if (!checked.ok) return { ok: false, state: checked };
  // Rule: a coinbase is only valid in a block. Reason: coinbase.
  if (tx.isCoinBase()) return fail("consensus", "coinbase");
  if (opts.requireStandard) {
    const reason = isStandardTx(tx, opts);
    if (reason !== null) return fail("not-standard", reason);
  }
  // Policy: CVE-2017-12842. Reason: tx-size-small.
  if (tx.strippedSize < MIN_STANDARD_TX_NONWITNESS_SIZE) {
    return fail("not-standard", "tx-size-small");
  }
  if (!checkFinalTxAtTip(tip, tx)) return fail("premature-spend", "non-final");
  if (pool.getByWtxid(tx.wtxidHex)) return fail("conflict", "txn-already-in-mempool");
  if (pool.has(tx.txidHex)) return fail("conflict", "txn-same-nonwitness-data-in-mempool");

  const conflicts = new Set<MempoolEntry>();
  for (const input of tx.inputs) {
    const conflicting = pool.spenderOf(input.prevout);
    if (!conflicting) continue;
    if (!allowReplacement) return fail("mempool-policy", "bip125-replacement-disallowed");
    if (!conflicts.has(conflicting)) {
      const allowRbf = opts.fullRbf || signalsOptInRbf(conflicting.tx) ||
        conflicting.tx.version === 3;
      if (!allowRbf) return fail("mempool-policy", "txn-mempool-conflict");
      conflicts.add(conflicting);
    }
  }

  const finalTx = chain.finalTx();
  for (const input of tx.inputs) {
    // Freicoin: the outputs of the last block-final tx are reserved for the next one.
    if (finalTx && bytesEqual(input.prevout.hash, finalTx.hash) && input.prevout.n < finalTx.size) {
      return fail("mempool-policy", "spend-block-final-txn");
    }
    if (!view.getCoin(input.prevout)) {
      for (let n = 0; n < tx.outputs.length; n++) {
        if (chain.getCoin(new OutPoint(tx.txid, n))) return fail("conflict", "txn-already-known");
      }
      return fail("missing-inputs", "bad-txns-inputs-missingorspent");
    }
  }

  const coinOf = (outpoint: OutPoint) => view.getCoin(outpoint);
  if (!sequenceLocksAtTip(tip, tx, view)) return fail("premature-spend", "non-BIP68-final");

  const inputs = checkTxInputs(tx, view, consensus, {
    spendHeight: tip.height + 1,
    rules: RULES_NONE,
    perInputAdjustment: 0,
  });
  if (!inputs.ok) return { ok: false, state: inputs };
  const baseFee = inputs.fee;

  if (opts.requireStandard && !areInputsStandard(tx, coinOf)) {
    return fail("input-not-standard", "bad-txns-nonstandard-inputs");
  }
  if (tx.hasWitness() && opts.requireStandard && !isWitnessStandard(tx, coinOf)) {
    return fail("witness-mutated", "bad-witness-nonstandard");
  }

  const sigOpCost = transactionSigOpCost(tx, view, STANDARD_SCRIPT_VERIFY_FLAGS);
  const modifiedFee = baseFee + pool.deltaOf(tx.txidHex);
  const spendsCoinbase = inputs.coins.some((coin) => coin.isCoinBase);
  const vsize = virtualSize(tx.weight, sigOpCost, opts.bytesPerSigop);
  const entry = new MempoolEntry({
    tx,
    fee: baseFee,
    time: options.acceptTime,
    entryHeight: tip.height,
    sequence: bypassLimits ? 0 : pool.sequence,
    spendsCoinbase,
    sigOpCost,
    vsize,
    lockPoints: { height: -1, time: -1 },
  });

  if (sigOpCost > MAX_STANDARD_TX_SIGOPS_COST) {
    return fail("not-standard", "bad-txns-too-many-sigops", `${sigOpCost}`);
  }
  const minRelayFee = opts.minRelayFeeRate.getFee(vsize);
  if (!bypassLimits && tx.version !== 3 && modifiedFee < minRelayFee) {
    return fail("mempool-policy", "min relay fee not met", `${modifiedFee} < ${minRelayFee}`);
  }
  if (!bypassLimits && (context.checkFeeRate ?? true)) {
    // CheckFeeRate: the rolling minimum after evictions.
    const mempoolMinFee = pool.getMinFee(options.acceptTime).getFee(vsize);
    if (mempoolMinFee > 0n && modifiedFee < mempoolMinFee) {
      return fail(
        "reconsiderable",
        "mempool min fee not met",
        `${modifiedFee} < ${mempoolMinFee}`,
      );
    }
    // Only a v3 transaction (exempt above) can fail here: it may still be fee-bumped by a
    // child in a package, hence "reconsiderable".
    if (modifiedFee < minRelayFee) {
      return fail("reconsiderable", "min relay fee not met", `${modifiedFee} < ${minRelayFee}`);
    }
  }

  // Ancestor limits, with the single-conflict RBF allowance and the CPFP carve-out.
  let limits = opts.limits;
  if (conflicts.size === 1) {
    const conflict = [...conflicts][0];
    limits = {
      ...limits,
      descendantCount: limits.descendantCount + 1,
      descendantSizeVbytes: limits.descendantSizeVbytes + pool.descendantStats(conflict).vsize,
    };
  }
  let ancestors = pool.calculateAncestors(tx, vsize, limits);
  if (!ancestors.ok) {
    const error = ancestors.error;
    if (vsize > EXTRA_DESCENDANT_TX_SIZE_LIMIT) {
      return fail("mempool-policy", "too-long-mempool-chain", error);
    }
    ancestors = pool.calculateAncestors(tx, vsize, {
      ancestorCount: 2,
      ancestorSizeVbytes: limits.ancestorSizeVbytes,
      descendantCount: limits.descendantCount + 1,
      descendantSizeVbytes: limits.descendantSizeVbytes + EXTRA_DESCENDANT_TX_SIZE_LIMIT,
    });
    if (!ancestors.ok) return fail("mempool-policy", "too-long-mempool-chain", error);
  }
  const v3Error = singleV3Checks(
    pool,
    tx,
    ancestors.ancestors,
    new Set([...conflicts].map((conflict) => conflict.txidHex)),
    vsize,
  );
  if (v3Error) return fail("mempool-policy", "v3-rule-violation", v3Error);
  for (const ancestor of ancestors.ancestors) {
    if (conflicts.has(ancestor)) {
      return fail(
        "consensus",
        "bad-txns-spends-conflicting-tx",
        `${tx.txidHex} spends conflicting transaction ${ancestor.txidHex}`,
      );
    }
  }
  const spent: SpentOutputInfo[] = inputs.coins.map((coin) => ({
    output: coin.output,
    refheight: coin.refheight,
  }));
  return {
    tx,
    entry,
    baseFee,
    modifiedFee,
    vsize,
    conflicts,
    allConflicting: new Set(),
    spent,
    ancestors: ancestors.ancestors,
  };
}

/**
 * `PolicyScriptChecks`: scripts under the standard flags; a failure that only the witness
 * rules explain is reported as witness-stripped.
 */
export function policyScriptChecks(
  chain: MempoolChainView,
  ws: AcceptWorkspace,
): AcceptFailure | null {
  const { tx, spent } = ws;
  const policy = checkInputScripts(tx, spent, STANDARD_SCRIPT_VERIFY_FLAGS, chain.verifyScript);
  if (policy.ok) return null;
  if (!tx.hasWitness()) {
    const noWitness = (STANDARD_SCRIPT_VERIFY_FLAGS &
      ~(VerifyFlags.WITNESS | VerifyFlags.CLEANSTACK)) >>> 0;
    const noCleanstack = (STANDARD_SCRIPT_VERIFY_FLAGS & ~VerifyFlags.CLEANSTACK) >>> 0;
    if (
      checkInputScripts(tx, spent, noWitness, chain.verifyScript).ok &&
      !checkInputScripts(tx, spent, noCleanstack, chain.verifyScript).ok
    ) {
      return fail("witness-stripped", policy.reason, policy.debugMessage);
    }
  }
  return { ok: false, state: policy };
}

/** `ConsensusScriptChecks`: scripts again under the next block's consensus flags. */
export function consensusScriptChecks(
  chain: MempoolChainView,
  ws: AcceptWorkspace,
): AcceptFailure | null {
  const flags = getBlockScriptFlags(nextBlockEntry(chain.tip()), chain.params.consensus);
  const result = checkInputScripts(ws.tx, ws.spent, flags, chain.verifyScript);
  return result.ok ? null : { ok: false, state: result };
}

/** The success result of a validated workspace. */
export function successOf(ws: AcceptWorkspace): AcceptSuccess {
  return {
    ok: true,
    txid: ws.tx.txidHex,
    wtxid: ws.tx.wtxidHex,
    vsize: ws.vsize,
    fee: ws.baseFee,
    effectiveFeeRate: FeeRate.fromFee(ws.modifiedFee, ws.vsize),
    replaced: [...ws.allConflicting].map((e) => e.tx),
  };
}

/**
 * `Finalize`: removes what it replaces, adds the entry, then trims the pool (not while a
 * package is being submitted: the package trims once at the end).
 */
export function finalize(
  pool: Mempool,
  ws: AcceptWorkspace,
  options: AcceptOptions & { packageSubmission?: boolean },
): AcceptFailure | null {
  if (ws.allConflicting.size > 0) {
    let conflictingFees = 0n;
    let conflictingSize = 0;
    for (const it of ws.allConflicting) {
      conflictingFees += it.modifiedFee;
      conflictingSize += it.vsize;
    }
    for (const it of ws.allConflicting) {
      pool.logger.debug(
        "mempool",
        () =>
          `replacing tx ${it.txidHex} (wtxid=${it.tx.wtxidHex}) with ${ws.tx.txidHex} (wtxid=${ws.tx.wtxidHex}) for ${
            formatMoney(ws.modifiedFee - conflictingFees)
          } additional fees, ${ws.vsize - conflictingSize} delta bytes`,
      );
    }
  }
  pool.removeStaged(ws.allConflicting, "replaced");
  pool.addUnchecked(ws.entry, {
    bypassedLimits: options.bypassLimits ?? false,
    inPackage: options.packageSubmission ?? false,
  });
  if (!(options.bypassLimits ?? false) && !(options.packageSubmission ?? false)) {
    limitMempoolSize(pool, options.acceptTime);
    if (!pool.has(ws.tx.txidHex)) return fail("reconsiderable", "mempool full");
  }
  return null;
}

/**
 * Validates `tx` against the chain tip and the pool and, unless `testAccept`, adds it
 * (removing what it replaces and trimming the pool). Never throws for bad input.
 */
export function acceptToMemoryPool(
  pool: Mempool,
  chain: MempoolChainView,
  tx: Transaction,
  options: AcceptOptions,
): AcceptResult {
  const ws = preChecks(pool, chain, tx, options, { view: new MempoolCoinsView(chain, pool) });
  if ("ok" in ws) return ws;
  if (ws.conflicts.size > 0) {
    const replaced = replacementChecks(
      pool,
      tx,
      ws.conflicts,
      ws.modifiedFee,
      ws.vsize,
      ws.allConflicting,
    );
    if (replaced) return replaced;
  }
  const policy = policyScriptChecks(chain, ws);
  if (policy) return policy;
  const consensus = consensusScriptChecks(chain, ws);
  if (consensus) return consensus;
  if (options.testAccept) return successOf(ws);
  const finalized = finalize(pool, ws, options);
  if (finalized) return finalized;
  return successOf(ws);
}

/** `LimitMempoolSize`: expires old entries (`-mempoolexpiry`), then trims to `-maxmempool`. */
export function limitMempoolSize(pool: Mempool, now: number): void {
  const expired = pool.expire(now - pool.options.expirySeconds);
  if (expired !== 0) {
    pool.logger.debug("mempool", () => `Expired ${expired} transactions from the memory pool`);
  }
  pool.trimToSize(pool.options.maxSizeBytes);
}

/** `ReplacementChecks` (BIP125 rules 2-6 as freicoind applies them). */
export function replacementChecks(
  pool: Mempool,
  tx: Transaction,
  conflicts: Set<MempoolEntry>,
  modifiedFee: bigint,
  vsize: number,
  allConflicting: Set<MempoolEntry>,
): AcceptFailure | null {
  const txid = tx.txidHex;
  // Rule #6: a higher fee rate than every direct conflict.
  const newRate = FeeRate.fromFee(modifiedFee, vsize);
  for (const conflict of conflicts) {
    const oldRate = FeeRate.fromFee(conflict.modifiedFee, conflict.vsize);
    if (newRate.perKvB <= oldRate.perKvB) {
      return fail(
        "mempool-policy",
        "insufficient fee",
        `rejecting replacement ${txid}; new feerate ${newRate} <= old feerate ${oldRate}`,
      );
    }
  }
  // Rule #5: at most MAX_REPLACEMENT_CANDIDATES evicted.
  let count = 0;
  for (const conflict of conflicts) {
    count += pool.descendantStats(conflict).count;
    if (count > MAX_REPLACEMENT_CANDIDATES) {
      return fail(
        "mempool-policy",
        "too many potential replacements",
        `rejecting replacement ${txid}; too many potential replacements (${count} > ${MAX_REPLACEMENT_CANDIDATES})\n`,
      );
    }
  }
  for (const conflict of conflicts) {
    allConflicting.add(conflict);
    for (const d of pool.descendantsOf(conflict)) allConflicting.add(d);
  }
  // Rule #2: no new unconfirmed inputs.
  const parentsOfConflicts = new Set<string>();
  for (const conflict of conflicts) {
    for (const input of conflict.tx.inputs) {
      parentsOfConflicts.add(input.prevout.hash.toString());
    }
  }
  for (let j = 0; j < tx.inputs.length; j++) {
    const hash = tx.inputs[j].prevout.hash;
    if (!parentsOfConflicts.has(hash.toString()) && pool.getByHash(hash)) {
      return fail(
        "mempool-policy",
        "replacement-adds-unconfirmed",
        `replacement ${txid} adds unconfirmed input, idx ${j}`,
      );
    }
  }
  // Rules #3 and #4: pays for what it evicts and for its own relay.
  let conflictingFees = 0n;
  for (const entry of allConflicting) conflictingFees += entry.modifiedFee;
  if (modifiedFee < conflictingFees) {
    return fail(
      "mempool-policy",
      "insufficient fee",
      `rejecting replacement ${txid}, less fees than conflicting txs; ${
        formatMoney(modifiedFee)
      } < ${formatMoney(conflictingFees)}`,
    );
  }
  const additional = modifiedFee - conflictingFees;
  const relayFee = pool.options.incrementalRelayFeeRate.getFee(vsize);
  if (additional < relayFee) {
    return fail(
      "mempool-policy",
      "insufficient fee",
      `rejecting replacement ${txid}, not enough additional fees to relay; ${
        formatMoney(additional)
      } < ${formatMoney(relayFee)}`,
    );
  }
  return null;
}

/**
 * `MaybeUpdateMempoolForReorg`: re-adds the transactions of disconnected blocks (oldest block
 * first, as given), bypassing fee limits, then drops entries no longer final, sequence-locked
 * or spending a coinbase that is now immature, and trims the pool.
 */
export function updateMempoolForReorg(
  pool: Mempool,
  chain: MempoolChainView,
  disconnected: readonly Transaction[],
  now: number,
): void {
  readdDisconnectedTransactions(pool, chain, disconnected, now);
  removeForReorgAtTip(pool, chain, now);
}

/**
 * The first half of `MaybeUpdateMempoolForReorg`: offers the transactions of disconnected
 * blocks back to the pool (oldest first, as given), bypassing fee limits. What cannot come
 * back (a coinbase, a block-final tx, anything now invalid, or anything at all when
 * `addToMempool` is false, as for the blocks of a deep invalidation) takes the pool
 * transactions spending it along. Entries already in the pool are linked to their returning
 * parents at the end (`UpdateTransactionsFromBlock`).
 */
export function readdDisconnectedTransactions(
  pool: Mempool,
  chain: MempoolChainView,
  disconnected: readonly Transaction[],
  now: number,
  addToMempool = true,
): void {
  pool.withDeferredAdoption(() => {
    for (const tx of disconnected) {
      const accepted = addToMempool && !tx.isCoinBase() &&
        acceptToMemoryPool(pool, chain, tx, { acceptTime: now, bypassLimits: true }).ok;
      if (!accepted) pool.removeRecursive(tx, "reorg");
    }
  });
}

/**
 * The second half of `MaybeUpdateMempoolForReorg`: drops entries no longer final,
 * sequence-locked or spending a coinbase that is now immature at the chain's tip, and trims
 * the pool to its size limit.
 */
export function removeForReorgAtTip(pool: Mempool, chain: MempoolChainView, now: number): void {
  const tip = chain.tip();
  const view = new MempoolCoinsView(chain, pool);
  pool.removeForReorg((entry) => {
    if (!checkFinalTxAtTip(tip, entry.tx)) return true;
    if (!sequenceLocksAtTip(tip, entry.tx, view)) return true;
    if (entry.spendsCoinbase) {
      for (const input of entry.tx.inputs) {
        if (pool.getByHash(input.prevout.hash)) continue;
        const coin = chain.getCoin(input.prevout);
        if (!coin) return true;
        if (coin.isCoinBase && tip.height + 1 - coin.height < COINBASE_MATURITY) return true;
      }
    }
    return false;
  });
  limitMempoolSize(pool, now);
}
