/**
 * getblock (verbosity 0-3) and getblockheader (rpc/blockchain.cpp).
 *
 * @module
 */
import {
  getBool,
  getInt,
  helpExampleCli,
  helpExampleRpc,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { blockToJson, headerHex, headerToJson, readBlockChecked } from "./block_json.ts";
import { scriptOptions } from "./node_rpc_extras.ts";
import { parseHashV } from "./rpc_parse.ts";
import { CURRENCY_UNIT, scriptPubKeyDoc } from "./tx_json.ts";
import { blockByHashArg, EXAMPLE_HASH, UNIX_EPOCH_TIME } from "./blockchain_shared.ts";

function headerResultDocs(auxDescription: string): RpcResult[] {
  return [
    { type: "num", key: "nonce", description: "The nonce" },
    { type: "str_hex", key: "bits", description: "The bits" },
    { type: "num", key: "difficulty", description: "The difficulty" },
    { type: "num", key: "auxdifficulty", optional: true, description: auxDescription },
  ];
}

function getBlockHeaderMethod(): RpcMethod<NodeContext> {
  return {
    name: "getblockheader",
    category: "blockchain",
    description:
      "\nIf verbose is false, returns a string that is serialized, hex-encoded data for blockheader 'hash'.\n" +
      "If verbose is true, returns an Object with information about blockheader <hash>.\n",
    args: [
      { names: "blockhash", type: "str_hex", description: "The block hash" },
      {
        names: "verbose",
        type: "bool",
        default: true,
        description: "true for a json object, false for the hex-encoded data",
      },
    ],
    results: [
      {
        type: "obj",
        cond: "for verbose = true",
        inner: [
          { type: "str_hex", key: "hash", description: "the block hash (same as provided)" },
          {
            type: "num",
            key: "confirmations",
            description: "The number of confirmations, or -1 if the block is not on the main chain",
          },
          { type: "num", key: "height", description: "The block height or index" },
          { type: "num", key: "version", description: "The block version" },
          {
            type: "str_hex",
            key: "versionHex",
            description: "The block version formatted in hexadecimal",
          },
          { type: "str_hex", key: "merkleroot", description: "The merkle root" },
          {
            type: "num_time",
            key: "time",
            description: `The block time expressed in ${UNIX_EPOCH_TIME}`,
          },
          {
            type: "num_time",
            key: "mediantime",
            description: `The median block time expressed in ${UNIX_EPOCH_TIME}`,
          },
          ...headerResultDocs("The auxiliarydifficulty"),
          {
            type: "str_hex",
            key: "chainwork",
            description: "Expected number of hashes required to produce the current chain",
          },
          { type: "num", key: "nTx", description: "The number of transactions in the block" },
          {
            type: "str_hex",
            key: "previousblockhash",
            optional: true,
            description: "The hash of the previous block (if available)",
          },
          {
            type: "str_hex",
            key: "nextblockhash",
            optional: true,
            description: "The hash of the next block (if available)",
          },
        ],
      },
      {
        type: "str_hex",
        cond: "for verbose=false",
        description: "A string that is serialized, hex-encoded data for block 'hash'",
      },
    ],
    examples: helpExampleCli("getblockheader", EXAMPLE_HASH) +
      helpExampleRpc("getblockheader", EXAMPLE_HASH),
    handler: (call) => {
      const entry = blockByHashArg(call.context, call.params[0], "hash");
      const verboseArg = call.maybeArg(1);
      const verbose = verboseArg === undefined ? true : getBool(verboseArg);
      if (!verbose) return headerHex(entry);
      return headerToJson(call.context.chain, entry);
    },
  };
}

function getBlockResults(): RpcResult[] {
  return [
    {
      type: "str_hex",
      cond: "for verbosity = 0",
      description: "A string that is serialized, hex-encoded data for block 'hash'",
    },
    {
      type: "obj",
      cond: "for verbosity = 1",
      inner: [
        { type: "str_hex", key: "hash", description: "the block hash (same as provided)" },
        {
          type: "num",
          key: "confirmations",
          description: "The number of confirmations, or -1 if the block is not on the main chain",
        },
        { type: "num", key: "size", description: "The block size" },
        { type: "num", key: "strippedsize", description: "The block size excluding witness data" },
        { type: "num", key: "weight", description: "The block weight as defined in BIP 141" },
        { type: "num", key: "height", description: "The block height or index" },
        { type: "num", key: "version", description: "The block version" },
        {
          type: "str_hex",
          key: "versionHex",
          description: "The block version formatted in hexadecimal",
        },
        { type: "str_hex", key: "merkleroot", description: "The merkle root" },
        {
          type: "arr",
          key: "tx",
          description: "The transaction ids",
          inner: [{ type: "str_hex", description: "The transaction id" }],
        },
        {
          type: "num_time",
          key: "time",
          description: `The block time expressed in ${UNIX_EPOCH_TIME}`,
        },
        {
          type: "num_time",
          key: "mediantime",
          description: `The median block time expressed in ${UNIX_EPOCH_TIME}`,
        },
        ...headerResultDocs("The auxiliary difficulty"),
        {
          type: "str_hex",
          key: "chainwork",
          description:
            "Expected number of hashes required to produce the chain up to this block (in hex)",
        },
        { type: "num", key: "nTx", description: "The number of transactions in the block" },
        {
          type: "str_hex",
          key: "previousblockhash",
          optional: true,
          description: "The hash of the previous block (if available)",
        },
        {
          type: "str_hex",
          key: "nextblockhash",
          optional: true,
          description: "The hash of the next block (if available)",
        },
      ],
    },
    {
      type: "obj",
      cond: "for verbosity = 2",
      inner: [
        { type: "elision", description: "Same output as verbosity = 1" },
        {
          type: "arr",
          key: "tx",
          description: "",
          inner: [{
            type: "obj",
            description: "",
            inner: [
              {
                type: "elision",
                description:
                  'The transactions in the format of the getrawtransaction RPC. Different from verbosity = 1 "tx" result',
              },
              {
                type: "num",
                key: "demurrage",
                description:
                  `The amount of the input demurrage in ${CURRENCY_UNIT}, omitted if block undo data is not available`,
              },
              {
                type: "num",
                key: "fee",
                description:
                  `The transaction fee in ${CURRENCY_UNIT}, omitted if block undo data is not available`,
              },
            ],
          }],
        },
      ],
    },
    {
      type: "obj",
      cond: "for verbosity = 3",
      inner: [
        { type: "elision", description: "Same output as verbosity = 2" },
        {
          type: "arr",
          key: "tx",
          description: "",
          inner: [{
            type: "obj",
            description: "",
            inner: [{
              type: "arr",
              key: "vin",
              description: "",
              inner: [{
                type: "obj",
                description: "",
                inner: [
                  { type: "elision", description: "The same output as verbosity = 2" },
                  {
                    type: "obj",
                    key: "prevout",
                    description: "(Only if undo information is available)",
                    inner: [
                      { type: "bool", key: "generated", description: "Coinbase or not" },
                      { type: "num", key: "height", description: "The height of the prevout" },
                      {
                        type: "str_amount",
                        key: "value",
                        description: `The value in ${CURRENCY_UNIT}`,
                      },
                      {
                        type: "obj",
                        key: "scriptPubKey",
                        description: "",
                        inner: scriptPubKeyDoc(),
                      },
                    ],
                  },
                ],
              }],
            }],
          }],
        },
      ],
    },
  ];
}

function getBlockMethod(): RpcMethod<NodeContext> {
  return {
    name: "getblock",
    category: "blockchain",
    description:
      "\nIf verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'.\n" +
      "If verbosity is 1, returns an Object with information about block <hash>.\n" +
      "If verbosity is 2, returns an Object with information about block <hash> and information about each transaction.\n" +
      "If verbosity is 3, returns an Object with information about block <hash> and information about each transaction, including prevout information for inputs (only for unpruned blocks in the current best chain).\n",
    args: [
      { names: "blockhash", type: "str_hex", description: "The block hash" },
      {
        names: "verbosity|verbose",
        type: "num",
        default: 1,
        skipTypeCheck: true,
        description:
          "0 for hex-encoded data, 1 for a JSON object, 2 for JSON object with transaction data, and 3 for JSON object with transaction data including prevout information for inputs",
      },
    ],
    results: getBlockResults(),
    examples: helpExampleCli("getblock", EXAMPLE_HASH) + helpExampleRpc("getblock", EXAMPLE_HASH),
    handler: (call) => {
      const context = call.context;
      const hash = parseHashV(call.params[0], "blockhash");
      const verbosityArg = call.maybeArg(1);
      const verbosity = verbosityArg === undefined
        ? 1
        : typeof verbosityArg === "boolean"
        ? (verbosityArg ? 1 : 0)
        : getInt(verbosityArg);
      const entry = context.chain.lookupBlockIndex(hash);
      if (!entry) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Block not found");
      if (verbosity <= 0) {
        const bytes = context.chain.readBlockBytes(entry);
        if (!bytes) throw new RpcError(RPC_ERROR.MISC_ERROR, "Block not found on disk");
        return bytesToHex(bytes);
      }
      const block = readBlockChecked(context.chain, entry);
      const detail = verbosity === 1
        ? "txids"
        : verbosity === 2
        ? "details"
        : "details_and_prevout";
      return blockToJson(context.chain, block, entry, detail, scriptOptions(context));
    },
  };
}

/** `GuessVerificationProgress` with the chain's transaction statistics. */

/** getblock and getblockheader. */
export function blockMethods(): RpcMethod<NodeContext>[] {
  return [getBlockMethod(), getBlockHeaderMethod()];
}
