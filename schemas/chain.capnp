# What the node serves a wallet (Chain), what a wallet serves the node to hear about the chain
# (ChainNotifications), and a subscription handle (Handler). The TypeScript interfaces are in
# chain_interfaces.ts; the bindings in wallet_bindings.ts.
#
# Conventions: transactions, blocks, hashes and outpoints cross as `Data` in their Freicoin wire
# encoding (hashes in internal byte order); amounts and fee rates are kria (per 1000 vbytes) as
# Int64; an optional value has a `found`/`has...` flag beside it. Ordinals are never reused.
@0x98c481efbff54c6e;

struct BlockInfo {
  hash @0 :Data;
  height @1 :Int32;
  time @2 :Int64;
  medianTimePast @3 :Int64;
}

struct Coin {
  # found = false: the outpoint is spent or unknown; the other fields are then meaningless.
  found @0 :Bool;
  value @1 :Int64;
  scriptPubKey @2 :Data;
  height @3 :Int32;
  refheight @4 :Int32;
  isCoinBase @5 :Bool;
}

# Whether a transaction can be replaced under BIP125 (`RBFTransactionState`).
enum RbfState {
  # Not in the mempool and not signalling itself: its ancestors are unknown.
  unknown @0;
  # It, or an unconfirmed ancestor in the mempool, signals opt-in replacement.
  replaceable @1;
  # In the mempool and neither it nor any in-mempool ancestor signals.
  final @2;
}

# A mempool transaction's place in its unconfirmed family (`GetTransactionAncestry`); all
# zero when the transaction is not in the mempool.
struct TxAncestry {
  # In-mempool ancestors, itself included.
  ancestors @0 :UInt32;
  # The largest descendant count among its ancestors that have no parent in the mempool
  # (`CalculateDescendantMaximum`), itself included.
  descendants @1 :UInt32;
  # Virtual size and modified fees of it with its ancestors.
  ancestorSize @2 :Int64;
  ancestorFees @3 :Int64;
}

# Which test gave a smart fee estimate its value (`FeeReason` of the estimator); the wallet
# reports it as `fee_reason`.
enum EstimateReason {
  none @0;
  halfEstimate @1;
  fullEstimate @2;
  doubleEstimate @3;
  conservative @4;
}

interface Handler {
  # Stops the subscription; later calls do nothing.
  disconnect @0 () -> ();
}

interface ChainNotifications {
  transactionAddedToMempool @0 (tx :Data) -> ();
  transactionRemovedFromMempool @1 (tx :Data, reason :Text) -> ();
  blockConnected @2 (block :Data, info :BlockInfo) -> ();
  blockDisconnected @3 (block :Data, info :BlockInfo) -> ();
  updatedBlockTip @4 () -> ();
}

interface Chain {
  getTip @0 () -> (info :BlockInfo);
  getBlockInfo @1 (height :Int32) -> (info :BlockInfo, found :Bool);
  getBlock @2 (hash :Data) -> (block :Data, info :BlockInfo, found :Bool);
  isInActiveChain @3 (hash :Data) -> (result :Bool);
  findFirstBlockWithTimeAndHeight @4 (minTime :Int64, minHeight :Int32)
      -> (info :BlockInfo, found :Bool);
  # `outpoints` is a run of 36-byte outpoints (txid ‖ uint32 LE index); one Coin per outpoint,
  # in order.
  findCoins @5 (outpoints :Data) -> (coins :List(Coin));
  isInMempool @6 (txid :Data) -> (result :Bool);
  # ok = false: `error` is freicoind's text and `code` its RPC error code.
  broadcastTransaction @7 (tx :Data, maxFeeRatePerKvB :Int64, relay :Bool)
      -> (ok :Bool, error :Text, code :Int32);
  estimateSmartFee @8 (blocks :Int32, conservative :Bool)
      -> (feeRatePerKvB :Int64, hasFeeRate :Bool, blocks :Int32, reason :EstimateReason);
  relayFees @9 () -> (minRelay :Int64, dust :Int64, incremental :Int64);
  isInitialBlockDownload @10 () -> (result :Bool);
  now @11 () -> (result :Int64);
  handleNotifications @12 (notifications :ChainNotifications) -> (result :Handler);
  waitForNotifications @13 () -> ();
  logLine @14 (line :Text) -> ();
  # The wallets to load at start-up (`wallet` in the node's settings.json): the node owns that
  # file, a sandboxed wallet cannot write it.
  getStartupWallets @15 () -> (names :List(Text));
  setStartupWallets @16 (names :List(Text)) -> ();
  # Calls `notifications.transactionAddedToMempool` for every mempool transaction, parents
  # before children, and returns when all were delivered (a wallet just loaded catches up).
  requestMempoolTransactions @17 (notifications :ChainNotifications) -> ();
  # `txids` is a run of 32-byte txids; one state per txid, in order, for transactions that do
  # not signal replacement themselves (the caller checks that).
  rbfStates @18 (txids :Data) -> (states :List(RbfState));
  # `txids` is a run of 32-byte txids; one ancestry per txid, in order.
  getTransactionAncestry @19 (txids :Data) -> (ancestry :List(TxAncestry));
  # The mempool's -limitancestorcount and -limitdescendantcount.
  getPackageLimits @20 () -> (ancestorCount :UInt32, descendantCount :UInt32);
  # Whether `tx` would fit the mempool's ancestor and descendant limits; `error` is the
  # mempool's reason when not (`CheckPackageLimits`).
  checkChainLimits @21 (tx :Data) -> (ok :Bool, error :Text);
  # The mempool's current minimum fee rate (`CTxMemPool::GetMinFee`, the rolling minimum that
  # rises when the mempool is full); 0 without a mempool.
  mempoolMinFee @22 () -> (feeRatePerKvB :Int64);
  # Runs the node's own -walletnotify command for a changed wallet transaction, with %s, %w,
  # %b and %h replaced by the node; nothing when the node has no -walletnotify. The wallet
  # only names the event, so a wallet process cannot make the node run anything else.
  walletNotify @23 (txid :Text, walletName :Text, blockHash :Text, blockHeight :Int32) -> ();
}
