/**
 * The mining RPC methods (src/rpc/mining.cpp): getmininginfo, getnetworkhashps,
 * prioritisetransaction, getprioritisedtransactions, submitblock, submitheader, and the
 * collection with getblocktemplate and the hidden generating methods. Help texts and arguments
 * are freicoind's.
 *
 * @module
 */
import { getBlockProof, getFilteredTime } from "../../../kernel/chain/mod.ts";
import { ByteReader, bytesToHex } from "../../../kernel/encoding/mod.ts";
import { Block, BlockHeader, decodeBlock } from "../../../kernel/primitives/mod.ts";
import {
  getInt,
  getInt64,
  getReal,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { BlockAssembler, updateUncommittedBlockStructures } from "./block_assembler.ts";

import { blockTemplateRpcMethod } from "./block_template_rpc.ts";
import { generatingRpcMethods } from "./generating_rpc.ts";
import type { MiningRpcContext } from "./mining_rpc_context.ts";
import { bip22Result, internalOrder, parseHashArg, parseHex } from "./_rpc_util.ts";

/** `GetDifficulty`: powLimit-relative difficulty of compact `bits`. */
export function difficultyOfBits(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let diff = 0x0000ffff / (bits & 0x00ffffff);
  while (shift < 29) {
    diff *= 256.0;
    shift++;
  }
  while (shift > 29) {
    diff /= 256.0;
    shift--;
  }
  return diff;
}

function networkHashPs(ctx: MiningRpcContext, height: number): number {
  const tip = ctx.chain.tip();
  if (height < -1 || height > tip.height) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Block does not exist at specified height");
  }
  let block = tip;
  while (height >= 0 && block.height > height && block.prev) block = block.prev;
  if (block.height === 0 || !block.prev) return 0;
  const filtered = getFilteredTime(block, ctx.chain.params.consensus);
  if (filtered === 0n) return 0;
  const work = getBlockProof(block.bits, block.auxPow?.commitBits);
  return Number(work) * 2147483648 / Number(filtered);
}

function getNetworkHashPsMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "getnetworkhashps",
    category: "mining",
    description:
      "\nReturns the estimated network hashes per second as would be estimated if there was a difficulty adjustment in the next block, or as would have been calculated as of the block height specified.\n" +
      "Pass in [height] to estimate the network speed at the time when a certain block was found.\n",
    args: [{
      names: "height",
      type: "num",
      default: -1,
      description: "To estimate at the time of the given height.",
    }],
    results: [{ type: "num", description: "Hashes per second estimated" }],
    examples: helpExampleCli("getnetworkhashps", "") + helpExampleRpc("getnetworkhashps", ""),
    handler: (call) => networkHashPs(ctx, getInt(call.arg(0) ?? -1)),
  };
}

function getMiningInfoMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "getmininginfo",
    category: "mining",
    description: "\nReturns a json object containing mining-related information.",
    args: [],
    results: [{
      type: "obj",
      inner: [
        { type: "num", key: "blocks", description: "The current block" },
        {
          type: "num",
          key: "currentblockweight",
          optional: true,
          description:
            "The block weight of the last assembled block (only present if a block was ever assembled)",
        },
        {
          type: "num",
          key: "currentblocktx",
          optional: true,
          description:
            "The number of block transactions of the last assembled block (only present if a block was ever assembled)",
        },
        { type: "num", key: "difficulty", description: "The current difficulty" },
        { type: "num", key: "networkhashps", description: "The network hashes per second" },
        { type: "num", key: "pooledtx", description: "The size of the mempool" },
        {
          type: "str",
          key: "chain",
          description: "current network name (main, test, signet, regtest)",
        },
        { type: "str", key: "warnings", description: "any network and blockchain warnings" },
      ],
    }],
    examples: helpExampleCli("getmininginfo", "") + helpExampleRpc("getmininginfo", ""),
    handler: () => {
      const tip = ctx.chain.tip();
      const result = new Map<string, JsonValue>([["blocks", tip.height]]);
      const last = BlockAssembler.lastBlock;
      if (last) {
        result.set("currentblockweight", last.weight);
        result.set("currentblocktx", last.txs);
      }
      result.set("difficulty", difficultyOfBits(tip.bits));
      result.set("networkhashps", networkHashPs(ctx, -1));
      result.set("pooledtx", ctx.mempool.size);
      result.set("chain", ctx.chain.params.chain);
      result.set("warnings", ctx.warnings?.() ?? "");
      return result;
    },
  };
}

function prioritiseTransactionMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "prioritisetransaction",
    category: "mining",
    description: "Accepts the transaction into mined blocks at a higher (or lower) priority\n",
    args: [
      { names: "txid", type: "str_hex", description: "The transaction id." },
      {
        names: "dummy",
        type: "num",
        optional: true,
        description: "API-Compatibility for previous API. Must be zero or null.\n" +
          "                  DEPRECATED. For forward compatibility use named arguments and omit this parameter.",
      },
      {
        names: "fee_delta",
        type: "num",
        description: "The fee value (in kria) to add (or subtract, if negative).\n" +
          "                  Note, that this value is not a fee rate. It is a value to modify absolute fee of the TX.\n" +
          "                  The fee is not actually paid, only the algorithm for selecting transactions into a block\n" +
          "                  considers the transaction as it would have paid a higher (or lower) fee.",
      },
    ],
    results: [{ type: "bool", description: "Returns true" }],
    examples: helpExampleCli("prioritisetransaction", '"txid" 0.0 10000') +
      helpExampleRpc("prioritisetransaction", '"txid", 0.0, 10000'),
    handler: (call) => {
      const txid = parseHashArg(call.params[0], "txid");
      const dummy = call.maybeArg(1);
      const delta = getInt64(call.params[2]);
      if (dummy !== undefined && getReal(dummy) !== 0) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.",
        );
      }
      ctx.mempool.prioritiseTransaction(txid, delta);
      return true;
    },
  };
}

function getPrioritisedTransactionsMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "getprioritisedtransactions",
    category: "mining",
    description:
      "Returns a map of all user-created (see prioritisetransaction) fee deltas by txid, and whether the tx is present in mempool.",
    args: [],
    results: [{
      type: "obj_dyn",
      description: "prioritisation keyed by txid",
      inner: [{
        type: "obj",
        key: "<transactionid>",
        inner: [
          { type: "num", key: "fee_delta", description: "transaction fee delta in kria" },
          {
            type: "bool",
            key: "in_mempool",
            description: "whether this transaction is currently in mempool",
          },
          {
            type: "num",
            key: "modified_fee",
            optional: true,
            description: "modified fee in kria. Only returned if in_mempool=true",
          },
        ],
      }],
    }],
    examples: helpExampleCli("getprioritisedtransactions", "") +
      helpExampleRpc("getprioritisedtransactions", ""),
    handler: () => {
      const result = new Map<string, JsonValue>();
      // freicoind iterates its std::map, i.e. in txid (internal byte) order.
      const sorted = [...ctx.mempool.deltas()].sort(([a], [b]) =>
        internalOrder(a) < internalOrder(b) ? -1 : 1
      );
      for (const [txid, delta] of sorted) {
        const entry = ctx.mempool.get(txid);
        const inner = new Map<string, JsonValue>([
          ["fee_delta", delta],
          ["in_mempool", entry !== undefined],
        ]);
        if (entry) inner.set("modified_fee", entry.modifiedFee);
        result.set(txid, inner);
      }
      return result;
    },
  };
}

function submitBlockMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "submitblock",
    category: "mining",
    description: "\nAttempts to submit new block to network.\n" +
      "See https://en.bitcoin.it/wiki/BIP_0022 for full specification.\n",
    args: [
      {
        names: "hexdata",
        type: "str_hex",
        description: "the hex-encoded block data to submit",
      },
      {
        names: "dummy",
        type: "str",
        defaultHint: "ignored",
        description: "dummy value, for compatibility with BIP22. This value is ignored.",
      },
    ],
    results: [
      { type: "none", cond: "If the block was accepted" },
      { type: "str", cond: "Otherwise", description: "According to BIP22" },
    ],
    examples: helpExampleCli("submitblock", '"mydata"') + helpExampleRpc("submitblock", '"mydata"'),
    handler: async (call) => {
      const bytes = parseHex(getStr(call.params[0]));
      let block: Block;
      try {
        if (!bytes) throw new Error("not hex");
        block = decodeBlock(bytes);
      } catch {
        throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "Block decode failed");
      }
      if (block.transactions.length === 0 || !block.transactions[0].isCoinBase()) {
        throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "Block does not start with a coinbase");
      }
      const known = ctx.chain.lookupBlock(block.hash);
      if (known?.isValid) return "duplicate";
      if (known?.isFailed) return "duplicate-invalid";
      const prev = ctx.chain.lookupBlock(block.header.hashPrevBlock);
      if (prev) {
        block = updateUncommittedBlockStructures(block, prev.entry, ctx.chain.params.consensus);
      }
      const result = await ctx.chain.processNewBlock(block, {
        forceProcessing: true,
        minPowChecked: true,
      });
      if (!result.isNew && result.accepted) return "duplicate";
      if (result.failure) return bip22Result(result.failure.reason);
      if (!result.accepted) return "inconclusive";
      const after = ctx.chain.lookupBlock(block.hash);
      return after?.isValid ? null : "inconclusive";
    },
  };
}

function submitHeaderMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "submitheader",
    category: "mining",
    description:
      "\nDecode the given hexdata as a header and submit it as a candidate chain tip if valid." +
      "\nThrows when the header is invalid.\n",
    args: [{
      names: "hexdata",
      type: "str_hex",
      description: "the hex-encoded block header data",
    }],
    results: [{ type: "none", description: "None" }],
    examples: helpExampleCli("submitheader", '"aabbcc"') +
      helpExampleRpc("submitheader", '"aabbcc"'),
    handler: async (call) => {
      const bytes = parseHex(getStr(call.params[0]));
      let header: BlockHeader;
      try {
        if (!bytes) throw new Error("not hex");
        // Only the header is read: freicoind ignores what follows it (a whole block, say).
        header = BlockHeader.read(new ByteReader(bytes));
      } catch {
        throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "Block header decode failed");
      }
      if (!ctx.chain.lookupBlock(header.hashPrevBlock)) {
        throw new RpcError(
          RPC_ERROR.VERIFY_ERROR,
          `Must submit previous header (${
            bytesToHex(header.hashPrevBlock.slice().reverse())
          }) first`,
        );
      }
      if (!ctx.chain.processNewBlockHeaders) {
        throw new RpcError(RPC_ERROR.MISC_ERROR, "submitheader is not available");
      }
      const result = await ctx.chain.processNewBlockHeaders(new Block(header, []));
      if (result.accepted) return null;
      throw new RpcError(RPC_ERROR.VERIFY_ERROR, result.failure?.reason ?? "");
    },
  };
}

/**
 * The mining RPC methods, closed over `ctx`, for the node's registry. `ctx` is read when a
 * method runs, so its members may be getters that resolve once the chainstate has loaded.
 */
export function miningRpcMethods(ctx: MiningRpcContext): RpcMethod[] {
  const [generateBlock, generateToAddress, generateToDescriptor, generate] = generatingRpcMethods(
    ctx,
  );
  return [
    getNetworkHashPsMethod(ctx),
    getMiningInfoMethod(ctx),
    prioritiseTransactionMethod(ctx),
    getPrioritisedTransactionsMethod(ctx),
    blockTemplateRpcMethod(ctx),
    submitBlockMethod(ctx),
    submitHeaderMethod(ctx),
    generateBlock,
    generateToAddress,
    generateToDescriptor,
    generate,
  ];
}
