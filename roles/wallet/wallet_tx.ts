/**
 * A transaction the wallet keeps (freicoind's `CWalletTx`): the transaction, where it stands
 * (block, mempool, inactive, abandoned, conflicted) and when the wallet learnt of it.
 *
 * @module
 */
import { bytesToHex } from "../../kernel/encoding/mod.ts";
import { decodeTransaction, type OutPoint, type Transaction } from "../../kernel/primitives/mod.ts";
import type { TxState } from "./layout.ts";
import type { TransactionRow } from "./wallet_database.ts";

/** Blocks a coinbase output needs before it can be spent (COINBASE_MATURITY). */
export const COINBASE_MATURITY = 100;

/** A wallet transaction. */
export interface WalletTx {
  readonly tx: Transaction;
  /** Display-order txid hex. */
  readonly txidHex: string;
  state: TxState;
  blockHash: Uint8Array | null;
  blockHeight: number | null;
  blockIndex: number | null;
  blockTime: number | null;
  conflictHeight: number | null;
  readonly timeReceived: number;
  timeSmart: number;
  readonly orderPos: number;
  fromMe: boolean;
  comment: string | null;
  commentTo: string | null;
  /** The fee bump that replaced this transaction (`replaced_by_txid`). */
  replacedBy: string | null;
  /** The transaction this one bumped (`replaces_txid`). */
  replaces: string | null;
}

/** The map key of an outpoint: internal-order txid hex and index. */
export function outpointKey(outpoint: OutPoint): string {
  return `${bytesToHex(outpoint.hash)}:${outpoint.n}`;
}

/** Each transaction's output keys, built once (a flat string hashes once as a Map key). */
const outputKeys = new WeakMap<Transaction, string[]>();

/** The map key of output `n` of `tx` (computed once per output). */
export function outputKey(tx: Transaction, n: number): string {
  let keys = outputKeys.get(tx);
  if (keys === undefined) {
    const txid = bytesToHex(tx.txid);
    keys = tx.outputs.map((_, index) => `${txid}:${index}`);
    outputKeys.set(tx, keys);
  }
  return keys[n] ?? `${bytesToHex(tx.txid)}:${n}`;
}

/** Rebuilds a wallet transaction from its row. */
export function walletTxFromRow(row: TransactionRow): WalletTx {
  const tx = decodeTransaction(row.tx);
  return {
    tx,
    txidHex: tx.txidHex,
    state: row.state,
    blockHash: row.blockHash,
    blockHeight: row.blockHeight,
    blockIndex: row.blockIndex,
    blockTime: row.blockTime,
    conflictHeight: row.conflictHeight,
    timeReceived: row.timeReceived,
    timeSmart: row.timeSmart,
    orderPos: row.orderPos,
    fromMe: row.fromMe,
    comment: row.comment,
    commentTo: row.commentTo,
    replacedBy: row.replacedBy,
    replaces: row.replaces,
  };
}

/**
 * Rows built so far. The wallet stores a transaction after every change to it (new, state,
 * block, conflict, abandon, replacement), so a changed count means a cached figure derived from
 * the wallet's transactions may be stale (see balances.ts).
 */
let rowsBuilt = 0;

/** A count that changes whenever any wallet transaction is stored (see {@linkcode walletTxToRow}). */
export function walletTxWrites(): number {
  return rowsBuilt;
}

/** The row that stores a wallet transaction. */
export function walletTxToRow(wtx: WalletTx): TransactionRow {
  rowsBuilt++;
  return {
    txid: wtx.tx.txid,
    tx: wtx.tx.toBytes(),
    state: wtx.state,
    blockHash: wtx.blockHash,
    blockHeight: wtx.blockHeight,
    blockIndex: wtx.blockIndex,
    blockTime: wtx.blockTime,
    conflictHeight: wtx.conflictHeight,
    timeReceived: wtx.timeReceived,
    timeSmart: wtx.timeSmart,
    orderPos: wtx.orderPos,
    fromMe: wtx.fromMe,
    comment: wtx.comment,
    commentTo: wtx.commentTo,
    replacedBy: wtx.replacedBy,
    replaces: wtx.replaces,
  };
}

/**
 * Depth in the chain whose tip is at `tipHeight` (`GetTxDepthInMainChain`): confirmations for
 * a confirmed transaction, 0 for mempool/inactive/abandoned, minus the depth of the
 * conflicting block for a conflicted one.
 */
export function txDepth(wtx: WalletTx, tipHeight: number): number {
  if (wtx.state === "confirmed" && wtx.blockHeight !== null) {
    return tipHeight - wtx.blockHeight + 1;
  }
  if (wtx.state === "conflicted" && wtx.conflictHeight !== null) {
    return -(tipHeight - wtx.conflictHeight + 1);
  }
  return 0;
}

/** Blocks until a coinbase matures (`GetTxBlocksToMaturity`); 0 for other transactions. */
export function blocksToMaturity(wtx: WalletTx, tipHeight: number): number {
  if (!wtx.tx.isCoinBase()) return 0;
  return Math.max(0, COINBASE_MATURITY + 1 - txDepth(wtx, tipHeight));
}
