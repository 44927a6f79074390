/**
 * Optional parts of the node context these RPC methods use when the node provides them: the
 * curve backend the node loaded, a mempool lookup, a tx index, index summaries and a way to wait
 * for new tips. Methods work without them (pure-TypeScript curve, no mempool, no indexes).
 *
 * @module
 */
import type { Coin } from "../../../kernel/consensus/mod.ts";
import type { OutPoint, Transaction } from "../../../kernel/primitives/mod.ts";
import { createPureSecp256k1, type Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import type { NodeContext } from "../node_context.ts";
import type { ScriptJsonOptions } from "./tx_json.ts";
import type { CoinStatsEntry } from "./coin_stats_index.ts";

/** Where a transaction was found by a transaction index. */
export interface IndexedTransaction {
  readonly tx: Transaction;
  /** Display hex of the block holding it. */
  readonly blockHash: string;
}

/** The status of one index, as `getindexinfo` reports it. */
export interface IndexSummary {
  readonly name: string;
  readonly synced: boolean;
  readonly bestBlockHeight: number;
}

/** What the node may add to its context for these methods. */
export interface NodeRpcExtras {
  /** The node's secp256k1 backend (native when loaded). */
  readonly secp256k1: Secp256k1;
  /** A transaction in the mempool by display txid. */
  mempoolTransaction(txid: string): Transaction | undefined;
  /** An output created by a mempool transaction (height `MEMPOOL_HEIGHT`). */
  mempoolCoin(outpoint: OutPoint): Coin | undefined;
  /** Whether a mempool transaction spends the output. */
  mempoolSpends(outpoint: OutPoint): boolean;
  /** A confirmed transaction from -txindex by display txid. */
  txIndexLookup(txid: string): IndexedTransaction | undefined;
  /** A block's basic filter and header from `-blockfilterindex` (internal-order hash). */
  blockFilter(blockHash: Uint8Array): { filter: Uint8Array; header: Uint8Array } | undefined;
  /** The running UTXO statistics after a block, from `-coinstatsindex`. */
  coinStats(blockHash: Uint8Array): CoinStatsEntry | undefined;
  /** Running indexes. */
  indexSummaries(): IndexSummary[];
  /** The node's warnings text (`GetWarnings(false)`), for getblockchaininfo. */
  warnings(): string;
  /** Aborted when the RPC server stops (ends waitfornewblock and friends, as in freicoind). */
  readonly shutdownSignal: AbortSignal;
}

/** A node context that may carry {@link NodeRpcExtras}. */
export type NodeRpcContext = NodeContext & Partial<NodeRpcExtras>;

let pureSecp: Secp256k1 | undefined;

/** The context's curve backend, or a shared pure-TypeScript one. */
export function secpOf(context: NodeContext): Secp256k1 {
  const given = (context as NodeRpcContext).secp256k1;
  if (given) return given;
  pureSecp ??= createPureSecp256k1();
  return pureSecp;
}

/** The context with its optional extras visible. */
export function extrasOf(context: NodeContext): NodeRpcContext {
  return context as NodeRpcContext;
}

/** Script-writing options of a node context. */
export function scriptOptions(context: NodeContext): ScriptJsonOptions {
  return {
    prefixes: context.params.prefixes,
    secp: secpOf(context),
    bitcoinMode: context.params.consensus.bitcoinMode,
  };
}
