/**
 * `Chainstate::ConnectBlock` (src/validation.cpp) as a pure function over a coins view:
 * block-final transaction rules, per-input demurrage accounting, fees time-adjusted to the
 * block height, sigop limit, BIP68, coinbase lock_height and amount, scripts through an
 * injected verifier, and the undo data.
 */

import { moneyRange } from "../amount/amount.ts";
import { timeAdjustValue } from "../amount/demurrage.ts";
import { type ChainEntry, medianTimePast } from "../chain/chain_entry.ts";
import type { ConsensusParams } from "../chain/consensus_params.ts";
import { getBlockSubsidy } from "../chain/subsidy.ts";
import { isDeploymentActiveAfter, type VersionBitsCache } from "../chain/versionbits.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { hashToHex } from "../encoding/hex.ts";
import type { Block } from "../primitives/block.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { VerifyFlags } from "../script/flags.ts";
import { checkBlock } from "./check_block.ts";
import { checkTxInputs } from "./check_tx_inputs.ts";
import { addCoins, type Coin, type CoinsView } from "./coins.ts";
import {
  COINBASE_MATURITY,
  LOCKTIME_VERIFY_SEQUENCE,
  MAX_BLOCK_SIGOPS_COST,
} from "./consensus_constants.ts";
import { activeRulesForEntry, RULES_NONE, RULES_PROTOCOL_CLEANUP } from "./rule_set.ts";
import {
  checkInputScripts,
  getBlockScriptFlags,
  isTriviallySpendableOutput,
  type ScriptVerifier,
  type SpentOutputInfo,
} from "./script_check.ts";
import { sequenceLocks } from "./sequence_locks.ts";
import { transactionSigOpCost } from "./sigop_cost.ts";
import { blockInvalid, type BlockValidationFailure } from "./validation_result.ts";

/** The chainstate's record of the last block-final transaction (`BlockFinalTxEntry`). */
export interface BlockFinalTxEntry {
  /** Its txid, internal byte order. */
  readonly hash: Uint8Array;
  /** Its number of outputs. */
  readonly size: number;
}

/** Undo data of a connected block (`CBlockUndo`). */
export interface BlockUndo {
  /** Spent coins of each non-coinbase transaction, in input order. */
  readonly txUndo: readonly (readonly Coin[])[];
  /** The block-final entry before this block (restored on disconnect). */
  readonly previousFinalTx: BlockFinalTxEntry | null;
}

/** Inputs of {@link connectBlock}. */
export interface ConnectBlockOptions {
  /** Index entry of the block being connected (its `prev` is the current tip). */
  readonly entry: ChainEntry;
  /** UTXO set at the parent; changed in place (pass a discardable overlay). */
  readonly view: CoinsView;
  /** The chainstate's block-final entry at the parent (null when none). */
  readonly finalTx: BlockFinalTxEntry | null;
  /** Script verifier; also used for the block-final trivially-spendable checks. */
  readonly verifyScript: ScriptVerifier;
  /** Skip input scripts (assumevalid); block-final output checks still run. Default false. */
  readonly skipScriptChecks?: boolean;
  /**
   * Report script failures as freicoind does with script-check threads (the default on a
   * multi-core machine): deferred until the end, reason "block-validation-failed". When false,
   * the first failing input gives "mandatory-script-verify-flag-failed (…)" at once.
   * Default true.
   */
  readonly parallelScriptChecks?: boolean;
  /** `fJustCheck`: skip proof-of-work and Merkle checks in CheckBlock. Default false. */
  readonly justCheck?: boolean;
  /**
   * The caller already ran CheckBlock, with proof-of-work and Merkle checks, on this very
   * `block` object and it passed (freicoind's `CBlock::fChecked`), so it is not run again.
   * Never set it for a block that failed, was changed since, or was read anew. Default false.
   */
  readonly blockChecked?: boolean;
  /** Version-bits cache reused across blocks. */
  readonly versionBitsCache?: VersionBitsCache;
}

/** A connected block. */
export interface ConnectBlockSuccess {
  readonly ok: true;
  readonly undo: BlockUndo;
  /** The block-final entry after this block. */
  readonly finalTx: BlockFinalTxEntry | null;
  /** Σ fees time-adjusted to the block height (what the coinbase may claim). */
  readonly fees: bigint;
  /** Σ sigop cost. */
  readonly sigOpsCost: number;
}

/** The view or block-final state contradicts the chain: the database is corrupt. */
export class ChainstateCorruptionError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ChainstateCorruptionError";
  }
}

function finalTxEntryHex(entry: BlockFinalTxEntry | null): string {
  return entry ? hashToHex(entry.hash) : "(null)";
}

/**
 * Where a block stands with respect to the block-final rules: not active (entry cleared),
 * the activation block (entry := its coinbase), waiting for the recorded outputs to mature
 * (entry unchanged), or enforced (entry := its last transaction).
 */
type BlockFinalStage = "inactive" | "initial" | "maturing" | "enforced";

type BlockFinalOutcome =
  | { readonly ok: true; readonly stage: BlockFinalStage }
  | BlockValidationFailure;

/** The block-final ("finaltx") rules of ConnectBlock. */
function checkBlockFinalRules(
  block: Block,
  options: ConnectBlockOptions,
  params: ConsensusParams,
  flags: number,
): BlockFinalOutcome {
  const { entry, view } = options;
  const prev = entry.prev;
  let enforce = prev !== undefined &&
    isDeploymentActiveAfter(prev, params, "finaltx", options.versionBitsCache);
  const initial = enforce &&
    (!prev?.prev ||
      !isDeploymentActiveAfter(prev.prev, params, "finaltx", options.versionBitsCache));
  const trivialFlags = (flags | VerifyFlags.WITNESS | VerifyFlags.CLEANSTACK) >>> 0;
  const txs = block.transactions;
  if (initial) {
    if (txs.length === 0) {
      return blockInvalid("consensus", "bad-cb-missing", "first tx is not coinbase");
    }
    if (txs[0].outputs.length === 0) {
      return blockInvalid(
        "consensus",
        "bad-cb-missing-outputs",
        "block-final activation coinbase has no outputs",
      );
    }
    // Rule: the activation block's coinbase vout[0] is trivially spendable.
    // Reason: bad-cb-missing-initial-block-final-output.
    if (!isTriviallySpendableOutput(txs[0], 0, trivialFlags, options.verifyScript)) {
      return blockInvalid(
        "recent-consensus-change",
        "bad-cb-missing-initial-block-final-output",
        "block-final activation coinbase missing trivial output",
      );
    }
    return { ok: true, stage: "initial" };
  }
  if (!enforce) return { ok: true, stage: "inactive" };
  const prior = options.finalTx;
  // While the recorded outputs are immature coinbase outputs, the rules wait.
  let anyMature = false;
  for (let n = 0; prior && n < prior.size; n++) {
    const coin = view.getCoin(new OutPoint(prior.hash, n));
    if (!coin) continue;
    if (coin.isCoinBase && entry.height - coin.height < COINBASE_MATURITY) {
      enforce = false;
      break;
    }
    anyMature = true;
  }
  if (!enforce) return { ok: true, stage: "maturing" };
  if (!anyMature || !prior) {
    throw new ChainstateCorruptionError(
      `ConnectBlock: prior block-final tx hash ${
        finalTxEntryHex(prior)
      } not found; corruption likely!`,
    );
  }
  // Rule: a block-final transaction follows the coinbase. Reason: missing-block-final-tx.
  if (txs.length < 2) {
    return blockInvalid(
      "recent-consensus-change",
      "missing-block-final-tx",
      "missing block-final transaction",
    );
  }
  const finalTx = txs[txs.length - 1];
  let spendsFromPrior = 0;
  for (const input of finalTx.inputs) {
    if (bytesEqual(input.prevout.hash, prior.hash)) {
      spendsFromPrior++;
      continue;
    }
    const from = view.getCoin(input.prevout);
    // Outputs created in this block are not in the view yet: allowed.
    if (!from) continue;
    // Coinbase outputs maturing in this block: allowed.
    if (from.isCoinBase && from.height >= entry.height - COINBASE_MATURITY) continue;
    // Rule: no other spends. Reason: block-final-spend-invalid.
    return blockInvalid(
      "recent-consensus-change",
      "block-final-spend-invalid",
      "block-final transaction makes invalid spend",
    );
  }
  const first = view.getCoin(new OutPoint(prior.hash, 0));
  if (!first) {
    throw new ChainstateCorruptionError(
      `ConnectBlock: unspent output of prior block-final tx outpoint ${
        finalTxEntryHex(prior)
      }:0 not found; corruption likely!`,
    );
  }
  // Rule: every output of a non-coinbase prior block-final tx is spent.
  // Reason: block-final-missing-prior-input.
  if (!first.isCoinBase && spendsFromPrior < prior.size) {
    return blockInvalid(
      "recent-consensus-change",
      "block-final-missing-prior-input",
      "missing txin of prior block-final transaction",
    );
  }
  // Rule: no more outputs than inputs. Reason: block-final-excess-output.
  if (finalTx.outputs.length > finalTx.inputs.length) {
    return blockInvalid(
      "recent-consensus-change",
      "block-final-excess-output",
      "too many outputs for block-final transaction",
    );
  }
  // Rule: outputs trivially spendable (vout[0]'s script, for every n). Reason:
  // block-final-nontrivial-ouput (sic).
  for (let n = 0; n < finalTx.outputs.length; n++) {
    if (!isTriviallySpendableOutput(finalTx, n, trivialFlags, options.verifyScript)) {
      return blockInvalid(
        "recent-consensus-change",
        "block-final-nontrivial-ouput",
        "block-final txout not trivially spendable",
      );
    }
  }
  return { ok: true, stage: "enforced" };
}

function valueOut(tx: Transaction): bigint {
  let total = 0n;
  for (const output of tx.outputs) total += output.value;
  return total;
}

/**
 * Connects `block` on top of `options.entry.prev` (`ConnectBlock`). On success the view holds
 * the new UTXO set and the result carries undo data and the new block-final entry; on failure
 * the view is partly changed and must be discarded. Throws
 * {@link ChainstateCorruptionError} only when the chainstate contradicts itself.
 */
export function connectBlock(
  block: Block,
  params: ConsensusParams,
  options: ConnectBlockOptions,
): ConnectBlockSuccess | BlockValidationFailure {
  const { entry, view } = options;
  const justCheck = options.justCheck ?? false;
  if (!options.blockChecked) {
    const checked = checkBlock(block, params, {
      checkPow: !justCheck,
      checkMerkleRoot: !justCheck,
    });
    if (!checked.ok) return checked;
  }

  // The genesis block's transactions are never connected (its coinbase is unspendable).
  if (bytesEqual(block.hash, params.hashGenesisBlock)) {
    return {
      ok: true,
      undo: { txUndo: [], previousFinalTx: options.finalTx },
      finalTx: null,
      fees: 0n,
      sigOpsCost: 0,
    };
  }
  const prev = entry.prev;
  const height = entry.height;
  const rules = prev ? activeRulesForEntry(params, prev) : RULES_NONE;
  const truncateInputs = height >= params.truncateInputsActivationHeight;
  const useAlu = height >= params.aluActivationHeight;
  const perInputAdjustment = (truncateInputs ? 0 : 1) + (useAlu ? 0 : 1);
  const txs = block.transactions;

  // Rule: coinbase nLockTime equals the parent's median time past. Reason: coinbase-locktime-not-mtp.
  if (height >= params.verifyCoinbaseLockTimeActivationHeight) {
    if (txs.length > 0 && prev && txs[0].lockTime !== medianTimePast(prev)) {
      return blockInvalid(
        "consensus",
        "coinbase-locktime-not-mtp",
        "ConnectBlock(): coinbase locktime must equal current median-time-past value",
      );
    }
  }
  const lockTimeFlags = height >= params.lockTimeHeight ? LOCKTIME_VERIFY_SEQUENCE : 0;
  const flags = getBlockScriptFlags(entry, params);

  const blockFinal = checkBlockFinalRules(block, options, params, flags);
  if (!blockFinal.ok) return blockFinal;

  const parallel = options.parallelScriptChecks ?? true;
  const runScripts = !(options.skipScriptChecks ?? false);
  const deferred: { tx: Transaction; spent: SpentOutputInfo[] }[] = [];
  const txUndo: Coin[][] = [];
  let fees = 0n;
  let sigOpsCost = 0;
  for (const tx of txs) {
    let spent: SpentOutputInfo[] = [];
    if (!tx.isCoinBase()) {
      const inputs = checkTxInputs(tx, view, params, {
        spendHeight: height,
        rules,
        perInputAdjustment,
      });
      if (!inputs.ok) return blockInvalid("consensus", inputs.reason, inputs.debugMessage);
      // Fees are decayed from the tx's lock_height to the block height, then summed.
      fees += timeAdjustValue(inputs.fee, height - tx.lockHeight, {
        disableTimeAdjust: params.bitcoinMode,
      }) + (useAlu ? 0n : 1n);
      if (!moneyRange(fees)) {
        return blockInvalid("consensus", "bad-txns-accumulated-fee-outofrange");
      }
      // Rule: BIP68 relative locks (all tx versions). Reason: bad-txns-nonfinal.
      const prevHeights = inputs.coins.map((coin) => coin.height);
      if (!sequenceLocks(tx, lockTimeFlags, prevHeights, entry)) {
        return blockInvalid("consensus", "bad-txns-nonfinal");
      }
      spent = inputs.coins.map((coin) => ({ output: coin.output, refheight: coin.refheight }));
    }
    // Rule: sigop cost within MAX_BLOCK_SIGOPS_COST until the cleanup. Reason: bad-blk-sigops.
    sigOpsCost += transactionSigOpCost(tx, view, flags);
    if (!(rules & RULES_PROTOCOL_CLEANUP) && sigOpsCost > MAX_BLOCK_SIGOPS_COST) {
      return blockInvalid("consensus", "bad-blk-sigops");
    }
    if (!tx.isCoinBase() && runScripts) {
      if (parallel) {
        deferred.push({ tx, spent });
      } else {
        const scripts = checkInputScripts(tx, spent, flags, options.verifyScript);
        if (!scripts.ok) return blockInvalid("consensus", scripts.reason, scripts.debugMessage);
      }
    }
    // UpdateCoins: spend the inputs (keeping them for undo), then add the outputs.
    if (!tx.isCoinBase()) {
      const undo: Coin[] = [];
      for (const input of tx.inputs) {
        const coin = view.spendCoin(input.prevout);
        if (!coin) throw new ChainstateCorruptionError("ConnectBlock: input vanished");
        undo.push(coin);
      }
      txUndo.push(undo);
    }
    addCoins(view, tx, height);
  }

  // Rule: coinbase lock_height equals the block height. Reason: bad-cb-lock-height.
  if (txs[0].lockHeight !== height) return blockInvalid("consensus", "bad-cb-lock-height");
  // Rule: coinbase pays at most subsidy + adjusted fees. Reason: bad-cb-amount.
  const reward = fees + getBlockSubsidy(height, params);
  if (valueOut(txs[0]) > reward) return blockInvalid("consensus", "bad-cb-amount");

  for (const { tx, spent } of deferred) {
    if (!checkInputScripts(tx, spent, flags, options.verifyScript).ok) {
      return blockInvalid("consensus", "block-validation-failed");
    }
  }

  let finalTx: BlockFinalTxEntry | null = null;
  if (blockFinal.stage === "initial") finalTx = { hash: txs[0].txid, size: 1 };
  if (blockFinal.stage === "maturing") finalTx = options.finalTx;
  if (blockFinal.stage === "enforced") {
    const last = txs[txs.length - 1];
    finalTx = { hash: last.txid, size: last.outputs.length };
  }
  return {
    ok: true,
    undo: { txUndo, previousFinalTx: options.finalTx },
    finalTx,
    fees,
    sigOpsCost,
  };
}
