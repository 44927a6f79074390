/**
 * The v3 (TRUC) topology rules (src/policy/v3_policy.cpp): a version-3 transaction may have at
 * most one unconfirmed ancestor and one unconfirmed descendant, a v3 child is at most 1000
 * virtual bytes, and v3 and non-v3 transactions may not spend each other while unconfirmed.
 * Version 3 is non-standard by default (`TX_MAX_STANDARD_VERSION` is 2): the rules matter with
 * `-acceptnonstdtxn`. A reorganisation may re-add transactions that break them (not checked).
 *
 * @module
 */
import type { Transaction } from "../../../kernel/primitives/mod.ts";
import type { Mempool } from "./mempool.ts";
import type { MempoolEntry } from "./mempool_entry.ts";

/** Unconfirmed transactions a v3 transaction may have, itself included (`V3_ANCESTOR_LIMIT`). */
export const V3_ANCESTOR_LIMIT = 2;
/** Likewise for descendants (`V3_DESCENDANT_LIMIT`). */
export const V3_DESCENDANT_LIMIT = 2;
/** The largest v3 transaction with an unconfirmed parent (`V3_CHILD_MAX_VSIZE`). */
export const V3_CHILD_MAX_VSIZE = 1000;

function describe(tx: Transaction): string {
  return `${tx.txidHex} (wtxid=${tx.wtxidHex})`;
}

/** The mempool entry of a set with the lowest txid (a `setEntries` orders by hash). */
function firstByHash(entries: ReadonlySet<MempoolEntry>): MempoolEntry | undefined {
  let first: MempoolEntry | undefined;
  for (const entry of entries) {
    if (!first || compareHash(entry.tx.txid, first.tx.txid) < 0) first = entry;
  }
  return first;
}

/** Orders hashes as uint256 values (most significant byte last). */
function compareHash(a: Uint8Array, b: Uint8Array): number {
  for (let i = a.length - 1; i >= 0; i--) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

/**
 * `SingleV3Checks`: the rules for one transaction against its mempool ancestors; the error
 * text (rejected as "v3-rule-violation"), or null. `directConflicts` holds the txids it
 * replaces (a child being replaced does not count as the parent's descendant).
 */
export function singleV3Checks(
  pool: Mempool,
  tx: Transaction,
  ancestors: ReadonlySet<MempoolEntry>,
  directConflicts: ReadonlySet<string>,
  vsize: number,
): string | null {
  // Inheritance: v3 spends only v3, non-v3 only non-v3.
  for (const entry of ancestors) {
    if (tx.version !== 3 && entry.tx.version === 3) {
      return `non-v3 tx ${describe(tx)} cannot spend from v3 tx ${describe(entry.tx)}`;
    }
    if (tx.version === 3 && entry.tx.version !== 3) {
      return `v3 tx ${describe(tx)} cannot spend from non-v3 tx ${describe(entry.tx)}`;
    }
  }
  if (tx.version !== 3) return null;
  if (ancestors.size + 1 > V3_ANCESTOR_LIMIT) {
    return `tx ${describe(tx)} would have too many ancestors`;
  }
  const parent = firstByHash(ancestors);
  if (!parent) return null;
  if (vsize > V3_CHILD_MAX_VSIZE) {
    return `v3 child tx ${describe(tx)} is too big: ${vsize} > ${V3_CHILD_MAX_VSIZE} virtual bytes`;
  }
  // The only child allowed. Several are possible after a reorganisation; one of them being
  // replaced by this transaction frees the place.
  const childWillBeReplaced = [...parent.children].some((child) =>
    directConflicts.has(child.txidHex)
  );
  if (pool.descendantStats(parent).count + 1 > V3_DESCENDANT_LIMIT && !childWillBeReplaced) {
    return `tx ${describe(parent.tx)} would exceed descendant count limit`;
  }
  return null;
}

/** Package members before `tx` that it spends (`FindInPackageParents`; the package is sorted). */
function inPackageParents(pkg: readonly Transaction[], tx: Transaction): Transaction[] {
  const spent = new Set(tx.inputs.map((input) => input.prevout.txid));
  const parents: Transaction[] = [];
  for (const member of pkg) {
    if (member === tx) break;
    if (spent.has(member.txidHex)) parents.push(member);
  }
  return parents;
}

/**
 * `PackageV3Checks`: the rules for one package member, counting its parents in the package
 * and in the mempool; the error text (the package fails with "v3-violation"), or null.
 */
export function packageV3Checks(
  pool: Mempool,
  tx: Transaction,
  vsize: number,
  pkg: readonly Transaction[],
  ancestors: ReadonlySet<MempoolEntry>,
): string | null {
  const packageParents = inPackageParents(pkg, tx);
  if (tx.version !== 3) {
    for (const entry of ancestors) {
      if (entry.tx.version === 3) {
        return `non-v3 tx ${describe(tx)} cannot spend from v3 tx ${describe(entry.tx)}`;
      }
    }
    for (const parent of packageParents) {
      if (parent.version === 3) {
        return `non-v3 tx ${describe(tx)} cannot spend from v3 tx ${describe(parent)}`;
      }
    }
    return null;
  }
  if (ancestors.size + packageParents.length + 1 > V3_ANCESTOR_LIMIT) {
    return `tx ${describe(tx)} would have too many ancestors`;
  }
  if (ancestors.size + packageParents.length === 0) return null;
  if (vsize > V3_CHILD_MAX_VSIZE) {
    return `v3 child tx ${describe(tx)} is too big: ${vsize} > ${V3_CHILD_MAX_VSIZE} virtual bytes`;
  }
  // Exactly one parent, in the mempool or in the package.
  const mempoolParent = firstByHash(ancestors);
  const parentTx = mempoolParent ? mempoolParent.tx : packageParents[0];
  const parentHasMempoolDescendant = mempoolParent
    ? pool.descendantStats(mempoolParent).count > 1
    : false;
  if (parentTx.version !== 3) {
    return `v3 tx ${describe(tx)} cannot spend from non-v3 tx ${describe(parentTx)}`;
  }
  for (const member of pkg) {
    if (member === tx) continue;
    for (const input of member.inputs) {
      // A sibling in the package (same parent) breaks the descendant limit.
      if (input.prevout.txid === parentTx.txidHex) {
        return `tx ${describe(parentTx)} would exceed descendant count limit`;
      }
      // A transaction cannot have both a parent and an in-package child.
      if (input.prevout.txid === tx.txidHex) {
        return `tx ${describe(member)} would have too many ancestors`;
      }
    }
  }
  if (parentHasMempoolDescendant) {
    return `tx ${parentTx.wtxidHex} would exceed descendant count limit`;
  }
  return null;
}
