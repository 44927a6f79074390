/**
 * What the mempool RPC methods need from the node.
 *
 * @module
 */
import type { Transaction } from "../../../kernel/primitives/mod.ts";
import type { MempoolChainView } from "./chain_view.ts";
import type { Mempool } from "./mempool.ts";

/** What the mempool methods need from the node. */
export interface MempoolRpcContext {
  readonly chain: MempoolChainView;
  readonly mempool: Mempool;
  /** The node's clock in seconds (setmocktime). */
  readonly now: () => number;
  /** `<network dir>/mempool.dat`. */
  readonly mempoolPath: string;
  /** Whether the node is in initial block download (importmempool refuses then). */
  readonly isInitialBlockDownload?: () => boolean;
  /** Announces an accepted transaction to peers (optional until P2P exists). */
  readonly relay?: (tx: Transaction) => void;
}
