/**
 * The node's JSON-RPC methods for the chain, raw transactions and utilities, with the shared
 * JSON writers for transactions, scripts, headers and blocks.
 *
 * The lead's `blockchain_basics.ts` (getblockcount, getbestblockhash, getblockhash, setmocktime,
 * syncwithvalidationinterfacequeue) is registered by the node separately.
 *
 * The methods read the {@link NodeContext}; a node may add {@link NodeRpcExtras} to it (all
 * optional): `secp256k1` (else a pure-TypeScript backend), `mempoolTransaction`/`mempoolCoin`/
 * `mempoolSpends` (getrawtransaction, gettxout, signing), `txIndexLookup` (a {@link TxIndex}),
 * `blockFilter` (a {@link BlockFilterIndex}), `coinStats` (a {@link CoinStatsIndex}),
 * `indexSummaries` (getindexinfo), `warnings`
 * (getblockchaininfo) and `shutdownSignal` (ends waitfor* calls when the server stops).
 *
 * @module
 */
import type { RpcMethod } from "../../../rpc/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { utilMethods } from "./util_methods.ts";
import { rawTransactionMethods } from "./rawtransaction_methods.ts";
import { blockchainMethods } from "./blockchain_methods.ts";
import { utxoMethods } from "./utxo_methods.ts";
import { signMethods } from "./sign_methods.ts";
import { getBlockStatsMethod } from "./block_stats_method.ts";
import { txoutproofMethods } from "./txoutproof_methods.ts";
import { getBlockFilterMethod, scanBlocksMethod } from "./block_filter_methods.ts";
import { createMerkleProofMethod } from "./merkle_proof_method.ts";
import { pstMethods } from "./pst_methods.ts";

export {
  ALL_OUTPUT_TYPES,
  CURRENCY_UNIT,
  decodeTxDoc,
  type ScriptJsonOptions,
  scriptPubKeyDoc,
  scriptPubKeyToJson,
  type TxDetail,
  type TxJsonOptions,
  txToJson,
} from "./tx_json.ts";
export {
  type BlockDetail,
  blockToJson,
  chainWorkHex,
  difficultyOfBits,
  headerToJson,
} from "./block_json.ts";
export {
  MESSAGE_MAGIC,
  messageHash,
  recoverCompact,
  signCompact,
  verifyMessage,
} from "./message_signing.ts";
export { TX_INDEX_DIR, TxIndex, type TxIndexOptions } from "./tx_index.ts";
export {
  BLOCK_FILTER_INDEX_DIR,
  BlockFilterIndex,
  type StoredBlockFilter,
} from "./block_filter_index.ts";
export { ChainIndex, type ChainIndexOptions } from "./chain_index.ts";
export {
  COIN_STATS_INDEX_DIR,
  type CoinStatsEntry,
  CoinStatsIndex,
  coinStatsMuhash,
} from "./coin_stats_index.ts";
export { dumpTxOutSetMethod, encodeSnapshotCoin, encodeSnapshotMetadata } from "./dump_txoutset.ts";
export {
  type IndexedTransaction,
  type IndexSummary,
  type NodeRpcContext,
  type NodeRpcExtras,
} from "./node_rpc_extras.ts";

/** Every method of this folder, for the node's RPC table. */
export function nodeRpcMethods(): RpcMethod<NodeContext>[] {
  return [
    ...blockchainMethods(),
    getBlockStatsMethod(),
    ...txoutproofMethods(),
    getBlockFilterMethod(),
    scanBlocksMethod(),
    ...utxoMethods(),
    ...rawTransactionMethods(),
    ...signMethods(),
    ...utilMethods(),
    createMerkleProofMethod(),
    ...pstMethods(),
  ];
}
