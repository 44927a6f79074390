/**
 * Package validation for `testmempoolaccept` with several transactions
 * (`ProcessNewPackage(test_accept=true)` → `AcceptMultipleTransactions`): package shape rules,
 * PreChecks of every member with earlier members' outputs available, package limits, then
 * policy scripts. Replacements are not allowed inside packages.
 *
 * @module
 */
import type { Transaction } from "../../../kernel/primitives/mod.ts";
import {
  type AcceptFailure,
  type AcceptResult,
  type AcceptWorkspace,
  consensusScriptChecks,
  finalize,
  limitMempoolSize,
  MempoolCoinsView,
  policyScriptChecks,
  preChecks,
  replacementChecks,
  successOf,
} from "./accept.ts";
import { packageV3Checks } from "./v3_policy.ts";
import type { MempoolChainView } from "./chain_view.ts";
import { FeeRate } from "./fee_rate.ts";
import type { Mempool } from "./mempool.ts";

/** `MAX_PACKAGE_COUNT`. */
export const MAX_PACKAGE_COUNT = 25;
/** `MAX_PACKAGE_WEIGHT`. */
export const MAX_PACKAGE_WEIGHT = 404_000;

/** Outcome of {@link testAcceptPackage}. */
export interface PackageTestResult {
  /**
   * A package-wide policy failure as `PackageValidationState::ToString()` gives it (e.g.
   * "package-not-sorted", "package-mempool-limits, …"); testmempoolaccept shows it on every
   * transaction as `package-error`.
   */
  readonly packageError?: string;
  /** Results by wtxid (display hex) for the transactions that were evaluated. */
  readonly results: ReadonlyMap<string, AcceptResult>;
}

/** `IsWellFormedPackage(require_sorted = true)`: null, or the package policy reason. */
export function wellFormedPackageError(txs: readonly Transaction[]): string | null {
  if (txs.length > MAX_PACKAGE_COUNT) return "package-too-many-transactions";
  const weight = txs.reduce((sum, tx) => sum + tx.weight, 0);
  if (txs.length > 1 && weight > MAX_PACKAGE_WEIGHT) return "package-too-large";
  const later = new Set(txs.map((tx) => tx.txidHex));
  if (later.size !== txs.length) return "package-contains-duplicates";
  const internal = (hash: Uint8Array) => hash.slice().reverse();
  for (const tx of txs) {
    for (const input of tx.inputs) {
      if (later.has(hexOf(internal(input.prevout.hash)))) return "package-not-sorted";
    }
    later.delete(tx.txidHex);
  }
  const seen = new Set<string>();
  for (const tx of txs) {
    if (tx.inputs.length === 0) return "conflict-in-package";
    for (const input of tx.inputs) {
      if (seen.has(keyOf(input.prevout))) return "conflict-in-package";
    }
    for (const input of tx.inputs) seen.add(keyOf(input.prevout));
  }
  return null;
}

function hexOf(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function keyOf(outpoint: { hash: Uint8Array; n: number }): string {
  return `${hexOf(outpoint.hash)}:${outpoint.n}`;
}

/** `PackageV3Checks` over every member once all are pre-checked: "v3-violation, …" or null. */
function packageV3Error(
  pool: Mempool,
  txs: readonly Transaction[],
  workspaces: readonly AcceptWorkspace[],
): string | null {
  for (const ws of workspaces) {
    const error = packageV3Checks(pool, ws.tx, ws.vsize, txs, ws.ancestors);
    if (error !== null) return `v3-violation, ${error}`;
  }
  return null;
}

/** Validates `txs` as a package without adding anything (testmempoolaccept). */
export function testAcceptPackage(
  pool: Mempool,
  chain: MempoolChainView,
  txs: readonly Transaction[],
  acceptTime: number,
): PackageTestResult {
  const shape = wellFormedPackageError(txs);
  if (shape !== null) return { packageError: shape, results: new Map() };
  const results = new Map<string, AcceptResult>();
  const view = new MempoolCoinsView(chain, pool);
  const workspaces: AcceptWorkspace[] = [];
  const options = { acceptTime, allowReplacement: false, testAccept: true };
  for (const tx of txs) {
    const ws = preChecks(pool, chain, tx, options, { view });
    if ("ok" in ws) {
      results.set(tx.wtxidHex, ws);
      return { results };
    }
    view.packageAddTransaction(tx);
    workspaces.push(ws);
  }
  const v3Error = packageV3Error(pool, txs, workspaces);
  if (v3Error !== null) return { packageError: v3Error, results };
  const totalVsize = workspaces.reduce((sum, ws) => sum + ws.vsize, 0);
  if (txs.length > 1) {
    const limits = pool.checkPackageLimits(txs, totalVsize);
    if (limits !== null) {
      return { packageError: `package-mempool-limits, ${limits}`, results };
    }
  }
  for (const ws of workspaces) {
    const failure: AcceptFailure | null = policyScriptChecks(chain, ws);
    if (failure) {
      results.set(ws.tx.wtxidHex, failure);
      return { results };
    }
    results.set(ws.tx.wtxidHex, {
      ok: true,
      txid: ws.tx.txidHex,
      wtxid: ws.tx.wtxidHex,
      vsize: ws.vsize,
      fee: ws.baseFee,
      effectiveFeeRate: FeeRate.fromFee(ws.modifiedFee, ws.vsize),
      replaced: [],
    });
  }
  return { results };
}

/** One transaction's outcome in a submitted package (`MempoolAcceptResult`). */
export type PackageTxResult =
  | {
    readonly type: "valid";
    readonly vsize: number;
    readonly fee: bigint;
    readonly effectiveFeeRate: FeeRate;
    /** Wtxids whose fees and sizes make up the effective fee rate. */
    readonly effectiveIncludes: readonly string[];
    readonly replaced: readonly Transaction[];
  }
  | { readonly type: "mempool-entry"; readonly vsize: number; readonly fee: bigint }
  | { readonly type: "different-witness"; readonly otherWtxid: string }
  | { readonly type: "invalid"; readonly state: AcceptFailure["state"] };

/** Outcome of {@link submitPackage}. */
export interface PackageSubmitResult {
  /** `PackageValidationState::ToString()` when the package failed ("transaction failed", …). */
  readonly packageError?: string;
  /** Results by wtxid (display hex); empty when the package was refused as a whole. */
  readonly results: ReadonlyMap<string, PackageTxResult>;
}

/**
 * `IsChildWithParentsTree`: the last transaction spends every other one, and the parents do
 * not spend each other.
 */
export function isChildWithParentsTree(txs: readonly Transaction[]): boolean {
  if (!isChildWithParents(txs)) return false;
  const parents = new Set(txs.slice(0, -1).map((tx) => hexOf(tx.txid)));
  return txs.slice(0, -1).every((tx) =>
    tx.inputs.every((input) => !parents.has(hexOf(input.prevout.hash)))
  );
}

function isChildWithParents(txs: readonly Transaction[]): boolean {
  if (txs.length < 2) return false;
  const child = txs[txs.length - 1];
  const spent = new Set(child.inputs.map((input) => hexOf(input.prevout.hash)));
  return txs.slice(0, -1).every((tx) => spent.has(hexOf(tx.txid)));
}

function invalid(failure: AcceptFailure): PackageTxResult {
  return { type: "invalid", state: failure.state };
}

/** `TxValidationState::ToString()`: the reason, then ", debug" when there is one. */
export function packageTxErrorString(state: AcceptFailure["state"]): string {
  return state.debugMessage ? `${state.reason}, ${state.debugMessage}` : state.reason;
}

/** `AcceptSubPackage` for one transaction (`SingleInPackageAccept`). */
function acceptSingleInPackage(
  pool: Mempool,
  chain: MempoolChainView,
  tx: Transaction,
  acceptTime: number,
): PackageTxResult {
  const options = { acceptTime, allowReplacement: true, packageSubmission: true };
  const ws = preChecks(pool, chain, tx, options, { view: new MempoolCoinsView(chain, pool) });
  if ("ok" in ws) return invalid(ws);
  if (ws.conflicts.size > 0) {
    const replaced = replacementChecks(
      pool,
      tx,
      ws.conflicts,
      ws.modifiedFee,
      ws.vsize,
      ws.allConflicting,
    );
    if (replaced) return invalid(replaced);
  }
  const failure = policyScriptChecks(chain, ws) ?? consensusScriptChecks(chain, ws) ??
    finalize(pool, ws, options);
  if (failure) return invalid(failure);
  const success = successOf(ws);
  return {
    type: "valid",
    vsize: success.vsize,
    fee: success.fee,
    effectiveFeeRate: success.effectiveFeeRate,
    effectiveIncludes: [tx.wtxidHex],
    replaced: success.replaced,
  };
}

/** `AcceptMultipleTransactions` with package fee rates, then `SubmitPackage`. */
function acceptMultipleInPackage(
  pool: Mempool,
  chain: MempoolChainView,
  txs: readonly Transaction[],
  acceptTime: number,
): { packageError?: string; results: Map<string, PackageTxResult> } {
  const results = new Map<string, PackageTxResult>();
  const shape = wellFormedPackageError(txs);
  if (shape !== null) return { packageError: shape, results };
  const view = new MempoolCoinsView(chain, pool);
  const options = { acceptTime, allowReplacement: false, packageSubmission: true };
  const workspaces: AcceptWorkspace[] = [];
  for (const tx of txs) {
    const ws = preChecks(pool, chain, tx, options, { view, checkFeeRate: false });
    if ("ok" in ws) {
      results.set(tx.wtxidHex, invalid(ws));
      return { packageError: "transaction failed", results };
    }
    view.packageAddTransaction(tx);
    workspaces.push(ws);
  }
  const v3Error = packageV3Error(pool, txs, workspaces);
  if (v3Error !== null) return { packageError: v3Error, results };
  const totalVsize = workspaces.reduce((sum, ws) => sum + ws.vsize, 0);
  const totalFees = workspaces.reduce((sum, ws) => sum + ws.modifiedFee, 0n);
  const packageRate = FeeRate.fromFee(totalFees, totalVsize);
  const wtxids = txs.map((tx) => tx.wtxidHex);
  // CheckFeeRate on the package as a whole.
  const minFee = pool.getMinFee(acceptTime).getFee(totalVsize);
  const relayFee = pool.options.minRelayFeeRate.getFee(totalVsize);
  let feeFailure: string | null = null;
  if (minFee > 0n && totalFees < minFee) {
    feeFailure = `mempool min fee not met, ${totalFees} < ${minFee}`;
  } else if (totalFees < relayFee) {
    feeFailure = `min relay fee not met, ${totalFees} < ${relayFee}`;
  }
  if (feeFailure !== null) {
    const [reason, debugMessage] = feeFailure.split(", ");
    results.set(wtxids[wtxids.length - 1], {
      type: "invalid",
      state: { ok: false, category: "reconsiderable", reason, debugMessage },
    });
    return { packageError: "transaction failed", results };
  }
  if (txs.length > 1) {
    const limits = pool.checkPackageLimits(txs, totalVsize);
    if (limits !== null) return { packageError: `package-mempool-limits, ${limits}`, results };
  }
  for (const ws of workspaces) {
    const failure = policyScriptChecks(chain, ws);
    if (failure) {
      results.set(ws.tx.wtxidHex, invalid(failure));
      return { packageError: "transaction failed", results };
    }
  }
  for (const ws of workspaces) {
    const failure = consensusScriptChecks(chain, ws) ?? finalize(pool, ws, options);
    if (failure) {
      results.set(ws.tx.wtxidHex, invalid(failure));
      return { packageError: "transaction failed", results };
    }
    results.set(ws.tx.wtxidHex, {
      type: "valid",
      vsize: ws.vsize,
      fee: ws.baseFee,
      effectiveFeeRate: packageRate,
      effectiveIncludes: wtxids,
      replaced: [],
    });
  }
  return { results };
}

/**
 * `ProcessNewPackage(test_accept=false)` → `AcceptPackage` (submitpackage): a child with its
 * parents. Members already in the pool are reported as such; the others are tried one by one
 * (replacement allowed), and those that failed only for fees (or missing in-package inputs)
 * are retried together with the package fee rate. The pool is trimmed once at the end.
 */
export function submitPackage(
  pool: Mempool,
  chain: MempoolChainView,
  txs: readonly Transaction[],
  acceptTime: number,
): PackageSubmitResult {
  const shape = wellFormedPackageError(txs);
  if (shape !== null) return { packageError: shape, results: new Map() };
  if (!isChildWithParents(txs)) {
    return { packageError: "package-not-child-with-parents", results: new Map() };
  }
  const child = txs[txs.length - 1];
  const parents = new Set(txs.slice(0, -1).map((tx) => hexOf(tx.txid)));
  for (const input of child.inputs) {
    if (parents.has(hexOf(input.prevout.hash))) continue;
    // The child's other inputs must be confirmed coins.
    if (!chain.getCoin(input.prevout)) {
      return { packageError: "package-not-child-with-unconfirmed-parents", results: new Map() };
    }
  }

  const final = new Map<string, PackageTxResult>();
  const nonFinal = new Map<string, PackageTxResult>();
  let quitEarly = false;
  let packageError: string | undefined;
  const retry: Transaction[] = [];
  for (const tx of txs) {
    const byWtxid = pool.getByWtxid(tx.wtxidHex);
    const byTxid = pool.get(tx.txidHex);
    if (byWtxid) {
      final.set(tx.wtxidHex, { type: "mempool-entry", vsize: byWtxid.vsize, fee: byWtxid.fee });
    } else if (byTxid) {
      final.set(tx.wtxidHex, { type: "different-witness", otherWtxid: byTxid.tx.wtxidHex });
    } else {
      const single = acceptSingleInPackage(pool, chain, tx, acceptTime);
      if (single.type === "valid") {
        final.set(tx.wtxidHex, single);
      } else if (
        single.type === "invalid" && single.state.category !== "reconsiderable" &&
        single.state.category !== "missing-inputs"
      ) {
        quitEarly = true;
        packageError = "transaction failed";
        nonFinal.set(tx.wtxidHex, single);
      } else {
        nonFinal.set(tx.wtxidHex, single);
        retry.push(tx);
      }
    }
  }
  let multi: { packageError?: string; results: Map<string, PackageTxResult> } = {
    packageError,
    results: new Map(),
  };
  if (!quitEarly && retry.length > 0) {
    multi = retry.length > 1
      ? acceptMultipleInPackage(pool, chain, retry, acceptTime)
      : wrapSingle(acceptSingleInPackage(pool, chain, retry[0], acceptTime), retry[0]);
  }
  packageError = multi.packageError;
  limitMempoolSize(pool, acceptTime);

  const results = new Map<string, PackageTxResult>();
  const mempoolFull: PackageTxResult = {
    type: "invalid",
    state: { ok: false, category: "mempool-policy", reason: "mempool full", debugMessage: "" },
  };
  for (const tx of txs) {
    const wtxid = tx.wtxidHex;
    const fromMulti = multi.results.get(wtxid);
    if (fromMulti) {
      if (fromMulti.type === "valid" && !pool.getByWtxid(wtxid)) {
        packageError = "transaction failed";
        results.set(wtxid, mempoolFull);
      } else {
        results.set(wtxid, fromMulti);
      }
    } else if (final.has(wtxid)) {
      if (!pool.has(tx.txidHex)) {
        packageError = "transaction failed";
        results.set(wtxid, mempoolFull);
      } else {
        results.set(wtxid, final.get(wtxid)!);
      }
    } else if (nonFinal.has(wtxid)) {
      results.set(wtxid, nonFinal.get(wtxid)!);
    }
  }
  return { packageError, results };
}

function wrapSingle(
  result: PackageTxResult,
  tx: Transaction,
): { packageError?: string; results: Map<string, PackageTxResult> } {
  const results = new Map([[tx.wtxidHex, result]]);
  return result.type === "valid" ? { results } : { packageError: "transaction failed", results };
}
