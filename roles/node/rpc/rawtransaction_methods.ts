/**
 * Raw-transaction methods (rpc/rawtransaction.cpp): getrawtransaction here, with
 * createrawtransaction (`construct_transaction.ts`) and decoderawtransaction/decodescript
 * (`decode_methods.ts`); signing is in `sign_methods.ts`.
 *
 * @module
 */
import {
  getInt,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import { bytesEqual, bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import type { Transaction } from "../../../kernel/primitives/mod.ts";
import type { Coin } from "../../../kernel/consensus/mod.ts";
import type { NodeContext } from "../node_context.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import { BlockStatus } from "../chain/block_index_entry.ts";
import { extrasOf, scriptOptions } from "./node_rpc_extras.ts";
import { decodeHexTx, parseHashV } from "./rpc_parse.ts";
import { CURRENCY_UNIT, decodeTxDoc, scriptPubKeyDoc, txToJson } from "./tx_json.ts";
import { UNIX_EPOCH_TIME } from "./blockchain_shared.ts";
import { constructTransactionMethods } from "./construct_transaction.ts";
import { decodeMethods } from "./decode_methods.ts";

// --- getrawtransaction ------------------------------------------------------------------------

function getRawTransactionResults(): RpcResult[] {
  return [
    {
      type: "str",
      key: "data",
      cond: "if verbosity is not set or set to 0",
      description: "The serialized transaction as a hex-encoded string for 'txid'",
    },
    {
      type: "obj",
      cond: "if verbosity is set to 1",
      inner: [
        {
          type: "bool",
          key: "in_active_chain",
          optional: true,
          description:
            'Whether specified block is in the active chain or not (only present with explicit "blockhash" argument)',
        },
        { type: "str_hex", key: "blockhash", optional: true, description: "the block hash" },
        { type: "num", key: "confirmations", optional: true, description: "The confirmations" },
        {
          type: "num_time",
          key: "blocktime",
          optional: true,
          description: `The block time expressed in ${UNIX_EPOCH_TIME}`,
        },
        { type: "num", key: "time", optional: true, description: 'Same as "blocktime"' },
        { type: "str_hex", key: "hex", description: "The serialized, hex-encoded data for 'txid'" },
        ...decodeTxDoc("The transaction id (same as provided)"),
      ],
    },
    {
      type: "obj",
      cond: "for verbosity = 2",
      inner: [
        { type: "elision", description: "Same output as verbosity = 1" },
        {
          type: "num",
          key: "fee",
          optional: true,
          description:
            `transaction fee in ${CURRENCY_UNIT}, omitted if block undo data is not available`,
        },
        {
          type: "arr",
          key: "vin",
          description: "",
          inner: [{
            type: "obj",
            description: "utxo being spent",
            inner: [
              { type: "elision", description: "Same output as verbosity = 1" },
              {
                type: "obj",
                key: "prevout",
                optional: true,
                description: "The previous output, omitted if block undo data is not available",
                inner: [
                  { type: "bool", key: "generated", description: "Coinbase or not" },
                  { type: "num", key: "height", description: "The height of the prevout" },
                  {
                    type: "str_amount",
                    key: "value",
                    description: `The value in ${CURRENCY_UNIT}`,
                  },
                  { type: "obj", key: "scriptPubKey", description: "", inner: scriptPubKeyDoc() },
                ],
              },
            ],
          }],
        },
      ],
    },
  ];
}

interface FoundTransaction {
  tx: Transaction;
  /** The block holding it, when it was found in one. */
  block?: BlockIndexEntry;
  /** Its position in that block. */
  index?: number;
}

function findInBlock(
  context: NodeContext,
  entry: BlockIndexEntry,
  txid: Uint8Array,
): FoundTransaction | undefined {
  const block = context.chain.readBlock(entry);
  if (!block) return undefined;
  const index = block.transactions.findIndex((tx) => bytesEqual(tx.txid, txid));
  return index < 0 ? undefined : { tx: block.transactions[index], block: entry, index };
}

function getRawTransactionMethod(): RpcMethod<NodeContext> {
  return {
    name: "getrawtransaction",
    category: "rawtransactions",
    description:
      "By default, this call only returns a transaction if it is in the mempool. If -txindex is enabled\n" +
      "and no blockhash argument is passed, it will return the transaction if it is in the mempool or any block.\n" +
      "If a blockhash argument is passed, it will return the transaction if\n" +
      "the specified block is available and the transaction is in that block.\n\n" +
      "Hint: Use gettransaction for wallet transactions.\n\n" +
      "If verbosity is 0 or omitted, returns the serialized transaction as a hex-encoded string.\n" +
      "If verbosity is 1, returns a JSON Object with information about the transaction.\n" +
      "If verbosity is 2, returns a JSON Object with information about the transaction, including fee and prevout information.",
    args: [
      { names: "txid", type: "str_hex", description: "The transaction id" },
      {
        names: "verbosity|verbose",
        type: "num",
        default: 0,
        skipTypeCheck: true,
        description:
          "0 for hex-encoded data, 1 for a JSON object, and 2 for JSON object with fee and prevout",
      },
      {
        names: "blockhash",
        type: "str_hex",
        optional: true,
        description: "The block in which to look for the transaction",
      },
    ],
    results: getRawTransactionResults(),
    examples: helpExampleCli("getrawtransaction", '"mytxid"') +
      helpExampleCli("getrawtransaction", '"mytxid" 1') +
      helpExampleRpc("getrawtransaction", '"mytxid", 1') +
      helpExampleCli("getrawtransaction", '"mytxid" 0 "myblockhash"') +
      helpExampleCli("getrawtransaction", '"mytxid" 1 "myblockhash"') +
      helpExampleCli("getrawtransaction", '"mytxid" 2 "myblockhash"'),
    handler: (call) => {
      const context = call.context;
      const txid = parseHashV(call.params[0], "parameter 1");
      if (bytesEqual(txid, context.params.genesis.merkleRoot)) {
        throw new RpcError(
          RPC_ERROR.INVALID_ADDRESS_OR_KEY,
          "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved",
        );
      }
      const verbosityArg = call.maybeArg(1);
      const verbosity = verbosityArg === undefined
        ? 0
        : typeof verbosityArg === "boolean"
        ? (verbosityArg ? 1 : 0)
        : getInt(verbosityArg);
      let blockEntry: BlockIndexEntry | undefined;
      const blockHashArg = call.maybeArg(2);
      if (blockHashArg !== undefined) {
        blockEntry = context.chain.lookupBlockIndex(parseHashV(blockHashArg, "parameter 3"));
        if (!blockEntry) {
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Block hash not found");
        }
      }
      const found = lookupTransaction(context, txid, blockEntry);
      if (!found) {
        let message: string;
        if (blockEntry) {
          if ((blockEntry.status & BlockStatus.HAVE_DATA) === 0) {
            throw new RpcError(RPC_ERROR.MISC_ERROR, "Block not available");
          }
          message = "No such transaction found in the provided block";
        } else if (!extrasOf(context).txIndexLookup) {
          message =
            "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries";
        } else if (
          extrasOf(context).indexSummaries?.().find((i) => i.name === "txindex")?.synced === false
        ) {
          message =
            "No such mempool transaction. Blockchain transactions are still in the process of being indexed";
        } else {
          message = "No such mempool or blockchain transaction";
        }
        throw new RpcError(
          RPC_ERROR.INVALID_ADDRESS_OR_KEY,
          `${message}. Use gettransaction for wallet transactions.`,
        );
      }
      if (verbosity <= 0) return bytesToHex(found.tx.toBytes());
      const result: JsonObject = {};
      if (blockEntry) result.in_active_chain = context.chain.contains(blockEntry);
      let spentCoins: readonly Coin[] | undefined;
      if (
        verbosity >= 2 && found.block && found.index !== undefined && found.index > 0 &&
        !found.tx.isCoinBase()
      ) {
        try {
          spentCoins = context.chain.readUndo(found.block)?.txUndo[found.index - 1];
        } catch {
          spentCoins = undefined;
        }
      }
      Object.assign(
        result,
        txToJson(found.tx, {
          ...scriptOptions(context),
          includeHex: true,
          spentCoins,
          detail: "details_and_prevout",
        }),
      );
      if (found.block) {
        result.blockhash = found.block.hashHex;
        if (context.chain.contains(found.block)) {
          result.confirmations = 1 + context.chain.height - found.block.height;
          result.time = found.block.time;
          result.blocktime = found.block.time;
        } else {
          result.confirmations = 0;
        }
      }
      return result;
    },
  };
}

/** `GetTransaction`: in a given block, else the mempool, else the tx index. */
function lookupTransaction(
  context: NodeContext,
  txid: Uint8Array,
  blockEntry: BlockIndexEntry | undefined,
): FoundTransaction | undefined {
  if (blockEntry) return findInBlock(context, blockEntry, txid);
  const extras = extrasOf(context);
  const txidHex = hashToHex(txid);
  const pooled = extras.mempoolTransaction?.(txidHex);
  if (pooled) return { tx: pooled };
  const indexed = extras.txIndexLookup?.(txidHex);
  if (!indexed) return undefined;
  const entry = context.chain.lookupBlockIndex(indexed.blockHash);
  return entry ? findInBlock(context, entry, txid) ?? { tx: indexed.tx } : { tx: indexed.tx };
}

/** The raw-transaction methods of this folder. */
export function rawTransactionMethods(): RpcMethod<NodeContext>[] {
  return [
    getRawTransactionMethod(),
    ...constructTransactionMethods(),
    ...decodeMethods(),
  ];
}

/** Decodes a hex transaction argument or throws freicoind's -22 "TX decode failed". */
export function decodeTxArg(
  value: JsonValue | undefined,
  message = "TX decode failed",
): Transaction {
  const tx = decodeHexTx(getStr(value));
  if (!tx) throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, message);
  return tx;
}
