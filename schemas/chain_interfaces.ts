/**
 * The interfaces between the node and its wallets, as TypeScript: `Chain` (served by the node),
 * `ChainNotifications` (served by a wallet, called by the node), `WalletLoader` (served by the
 * wallet process) and `Handler` (a subscription).
 *
 * Values cross as plain data: transactions, blocks and outpoints in their Freicoin wire
 * encoding (`Uint8Array`), amounts as `bigint` kria, JSON-ish values as JSON text. The same
 * interfaces are used in one process (`freicoind`: the node hands the wallet a local object) and
 * across processes (`freicoin-node`: the wallet gets a Cap'n Proto proxy; the bindings live next to
 * the `.capnp` files in this folder). A caller never knows which one it holds.
 *
 * @module
 */

/** A block on the active chain. */
export interface ChainBlockInfo {
  /** Block hash, internal byte order. */
  readonly hash: Uint8Array;
  readonly height: number;
  /** Header time, seconds. */
  readonly time: number;
  /** Median time past of this block, seconds. */
  readonly medianTimePast: number;
}

/** An unspent output as the chainstate or mempool knows it. */
export interface ChainCoin {
  /** Reference (un-decayed) value in kria. */
  readonly value: bigint;
  readonly scriptPubKey: Uint8Array;
  /** Height of the block that created it; the mempool height for unconfirmed coins. */
  readonly height: number;
  /** The creating transaction's lock_height (coinbase: its height). */
  readonly refheight: number;
  readonly isCoinBase: boolean;
}

/** Outcome of {@linkcode Chain.broadcastTransaction}. */
export type BroadcastResult = { readonly ok: true } | {
  readonly ok: false;
  /** freicoind's error text, e.g. "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)". */
  readonly error: string;
  /** freicoind's RPC error code for it, e.g. -25 or -26. */
  readonly code: number;
};

/**
 * Which test of the node's estimator gave an estimate its value (`FeeReason` of
 * `estimateSmartFee`): 60% at half the target, 85% at the target, 95% at double the target, or
 * the conservative longer-horizon check.
 */
export type EstimateReason =
  | "none"
  | "half-estimate"
  | "full-estimate"
  | "double-estimate"
  | "conservative";

/** A fee estimate in kria per 1000 virtual bytes, or null when there is not enough data. */
export interface FeeEstimate {
  readonly feeRatePerKvB: bigint | null;
  /** The target the estimate is for. */
  readonly blocks: number;
  /** Why the estimate has its value ("none" when there is no estimate or it is unknown). */
  readonly reason?: EstimateReason;
}

/** The event fields of a `-walletnotify` run (`%s`, `%w`, `%b`, `%h`). */
export interface WalletNotifyEvent {
  /** The transaction's txid, hex. */
  readonly txid: string;
  /** The wallet's name ("" for the unnamed wallet). */
  readonly walletName: string;
  /** The hash of the block holding it, hex, or "unconfirmed". */
  readonly blockHash: string;
  /** The height of that block, or -1 when unconfirmed. */
  readonly blockHeight: number;
}

/**
 * Whether an unconfirmed transaction can be replaced (`RBFTransactionState`): "unknown" when
 * the node does not have it in its mempool, "replaceable" when it or an in-mempool ancestor
 * signals BIP125, "final" otherwise.
 */
export type RbfState = "unknown" | "replaceable" | "final";

/**
 * A mempool transaction's unconfirmed family (`GetTransactionAncestry`); every field is 0 for a
 * transaction that is not in the mempool.
 */
export interface TxAncestry {
  /** In-mempool ancestors, itself included. */
  readonly ancestors: number;
  /** The largest descendant count among its parentless ancestors (`CalculateDescendantMaximum`). */
  readonly descendants: number;
  /** Virtual size of it with its ancestors. */
  readonly ancestorSize: number;
  /** Modified fees of it with its ancestors, kria. */
  readonly ancestorFees: bigint;
}

/** The mempool's chain limits (`-limitancestorcount`, `-limitdescendantcount`). */
export interface PackageLimits {
  readonly ancestorCount: number;
  readonly descendantCount: number;
}

/** Outcome of {@linkcode Chain.checkChainLimits}: ok, or the mempool's reason. */
export type ChainLimitsResult = { readonly ok: true } | {
  readonly ok: false;
  /** e.g. "too many unconfirmed ancestors [limit: 25]". */
  readonly error: string;
};

/** A subscription; `disconnect()` stops the notifications. */
export interface Handler {
  disconnect(): Promise<void>;
}

/**
 * What a wallet is told about the chain, in order. Delivery never blocks validation: the node
 * queues notifications per subscriber; {@linkcode Chain.waitForNotifications} waits for the queue.
 */
export interface ChainNotifications {
  /** A transaction entered the mempool (wire encoding, with witnesses). */
  transactionAddedToMempool(tx: Uint8Array): Promise<void>;
  /** A transaction left the mempool for `reason` ("expiry", "sizelimit", "reorg", "block", "conflict", "replaced"). */
  transactionRemovedFromMempool(tx: Uint8Array, reason: string): Promise<void>;
  /** A block was connected to the active chain. */
  blockConnected(block: Uint8Array, info: ChainBlockInfo): Promise<void>;
  /** A block was disconnected from the active chain. */
  blockDisconnected(block: Uint8Array, info: ChainBlockInfo): Promise<void>;
  /** The tip changed (after the blockConnected/blockDisconnected calls for it). */
  updatedBlockTip(): Promise<void>;
}

/** The node's services for a wallet. */
export interface Chain {
  /** The active chain's tip. */
  getTip(): Promise<ChainBlockInfo>;
  /** The active chain's block at `height`, or null above the tip. */
  getBlockInfo(height: number): Promise<ChainBlockInfo | null>;
  /** A block's wire encoding with its info, or null if unknown or pruned. */
  getBlock(hash: Uint8Array): Promise<{ block: Uint8Array; info: ChainBlockInfo } | null>;
  /** Whether `hash` is on the active chain. */
  isInActiveChain(hash: Uint8Array): Promise<boolean>;
  /**
   * The lowest active-chain height ≥ `minHeight` whose block time ≥ `minTime` (for rescans from
   * a key birth time), or null.
   */
  findFirstBlockWithTimeAndHeight(
    minTime: number,
    minHeight: number,
  ): Promise<ChainBlockInfo | null>;
  /** Coins for outpoints (each 36 bytes: txid ‖ uint32 LE index), from the UTXO set and mempool. */
  findCoins(outpoints: readonly Uint8Array[]): Promise<(ChainCoin | null)[]>;
  /** Whether the mempool holds the transaction with this txid. */
  isInMempool(txid: Uint8Array): Promise<boolean>;
  /** Adds a transaction to the mempool and relays it; `maxFeeRatePerKvB` 0 means no limit. */
  broadcastTransaction(
    tx: Uint8Array,
    maxFeeRatePerKvB: bigint,
    relay: boolean,
  ): Promise<BroadcastResult>;
  /** The smart fee estimate for confirmation within `blocks`. */
  estimateSmartFee(blocks: number, conservative: boolean): Promise<FeeEstimate>;
  /** -minrelaytxfee, the dust relay fee and the incremental relay fee, kria per kvB. */
  relayFees(): Promise<{ minRelay: bigint; dust: bigint; incremental: bigint }>;
  /** Whether the node is still in initial block download. */
  isInitialBlockDownload(): Promise<boolean>;
  /** The node's current time in seconds (mocktime aware). */
  now(): Promise<number>;
  /** Subscribes to chain notifications, delivered in order. */
  handleNotifications(notifications: ChainNotifications): Promise<Handler>;
  /** Resolves once every notification queued before this call has been delivered to all subscribers. */
  waitForNotifications(): Promise<void>;
  /** Writes a line to the node's debug.log (category walletdb for wallet messages). */
  logLine(line: string): Promise<void>;
  /**
   * Delivers every mempool transaction to `notifications.transactionAddedToMempool`, parents
   * before children, resolving once all were delivered (`requestMempoolTransactions`): a
   * wallet just loaded learns what is already waiting for it.
   */
  requestMempoolTransactions(notifications: ChainNotifications): Promise<void>;
  /**
   * The replaceability of each transaction (32-byte txids) that does not signal BIP125 itself:
   * "unknown" outside the mempool, "replaceable" when an in-mempool ancestor signals.
   */
  rbfStates(txids: readonly Uint8Array[]): Promise<RbfState[]>;
  /** Each transaction's (32-byte txids) mempool ancestry; zeros for one not in the mempool. */
  getTransactionAncestry(txids: readonly Uint8Array[]): Promise<TxAncestry[]>;
  /** The mempool's ancestor and descendant count limits. */
  getPackageLimits(): Promise<PackageLimits>;
  /** Whether `tx` (wire encoding) would fit the mempool's ancestor and descendant limits. */
  checkChainLimits(tx: Uint8Array): Promise<ChainLimitsResult>;
  /** The mempool's current minimum fee rate (`Chain::mempoolMinFee`), kria per kvB; 0 without one. */
  mempoolMinFee(): Promise<bigint>;
  /**
   * Runs the node's own `-walletnotify` command for this event, the node substituting the
   * fields (`%s`, `%w`, `%b`, `%h`); does nothing without `-walletnotify`. Resolves once the
   * command started, not when it ends.
   */
  walletNotify(event: WalletNotifyEvent): Promise<void>;
}

/** A wallet RPC method as the node's RPC server needs to know it: its declaration as JSON text. */
export interface WalletRpcCatalog {
  /**
   * JSON array of method declarations without handlers: `{name, category, description, args,
   * results, examples}` in the shape of rpc/method.ts `RpcMethod`.
   */
  readonly methodsJson: string;
}

/** The wallet process's face to the node. */
export interface WalletLoader {
  /** Loads the wallets named by -wallet and settings.json, as at freicoind start-up. */
  loadWalletsAtStartup(): Promise<void>;
  /** The wallet RPC methods, so the node can list them in `help` and map named arguments. */
  rpcCatalog(): Promise<WalletRpcCatalog>;
  /**
   * Runs one wallet JSON-RPC request (a request object as JSON text) addressed to `uri` (`/` or
   * `/wallet/<name>`), returning the reply object as JSON text (`{"result":…,"error":…,"id":…}`).
   */
  executeRpc(request: string, uri: string, user: string): Promise<string>;
  /** The node's mock time changed (setmocktime). */
  setMockTime(seconds: number): Promise<void>;
  /** Flushes and closes every wallet; the process may exit afterwards. */
  shutdown(): Promise<void>;
}
