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
  MempoolCoinsView,
  policyScriptChecks,
  preChecks,
} from "./accept.ts";
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
