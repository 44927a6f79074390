/**
 * getblockchaininfo, getchaintips, getdifficulty, getauxdifficulty and getchaintxstats
 * (rpc/blockchain.cpp).
 *
 * @module
 */
import {
  getInt,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { NodeContext } from "../node_context.ts";
import { chainWorkHex, difficultyOfBits } from "./block_json.ts";
import { sizeOnDisk } from "./disk_usage.ts";
import { blockByHashArg, tipOf, UNIX_EPOCH_TIME } from "./blockchain_shared.ts";
import { extrasOf } from "./node_rpc_extras.ts";

export function verificationProgress(context: NodeContext, tip: BlockIndexEntry): number {
  const data = context.params.chainTxData;
  if (tip.chainTxCount <= 0) return 0;
  const now = Date.now() / 1000;
  let total: number;
  if (tip.chainTxCount <= data.txCount) {
    total = data.txCount + (now - data.time) * data.txRate;
  } else {
    total = tip.chainTxCount + (now - tip.time) * data.txRate;
  }
  return Math.min(tip.chainTxCount / total, 1.0);
}

function getBlockchainInfoMethod(): RpcMethod<NodeContext> {
  return {
    name: "getblockchaininfo",
    category: "blockchain",
    description:
      "Returns an object containing various state info regarding blockchain processing.\n",
    args: [],
    results: [{
      type: "obj",
      inner: [
        {
          type: "str",
          key: "chain",
          description: "current network name (main, test, signet, regtest)",
        },
        {
          type: "num",
          key: "blocks",
          description:
            "the height of the most-work fully-validated chain. The genesis block has height 0",
        },
        {
          type: "num",
          key: "headers",
          description: "the current number of headers we have validated",
        },
        { type: "str", key: "bestblockhash", description: "the hash of the currently best block" },
        { type: "num", key: "difficulty", description: "the current difficulty" },
        {
          type: "num",
          key: "auxdifficulty",
          optional: true,
          description: "the current auxiliary difficulty",
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
        {
          type: "num",
          key: "verificationprogress",
          description: "estimate of verification progress [0..1]",
        },
        {
          type: "bool",
          key: "initialblockdownload",
          description:
            "(debug information) estimate of whether this node is in Initial Block Download mode",
        },
        {
          type: "str_hex",
          key: "chainwork",
          description: "total amount of work in active chain, in hexadecimal",
        },
        {
          type: "num",
          key: "size_on_disk",
          description: "the estimated size of the block and undo files on disk",
        },
        { type: "bool", key: "pruned", description: "if the blocks are subject to pruning" },
        {
          type: "num",
          key: "pruneheight",
          optional: true,
          description:
            "height of the last block pruned, plus one (only present if pruning is enabled)",
        },
        {
          type: "bool",
          key: "automatic_pruning",
          optional: true,
          description: "whether automatic pruning is enabled (only present if pruning is enabled)",
        },
        {
          type: "num",
          key: "prune_target_size",
          optional: true,
          description:
            "the target size used by pruning (only present if automatic pruning is enabled)",
        },
        { type: "str", key: "warnings", description: "any network and blockchain warnings" },
      ],
    }],
    examples: helpExampleCli("getblockchaininfo", "") + helpExampleRpc("getblockchaininfo", ""),
    handler: (call) => {
      const context = call.context;
      const chain = context.chain;
      const tip = tipOf(chain);
      const result: JsonObject = {
        chain: context.params.chain,
        blocks: tip.height,
        headers: chain.bestHeader ? chain.bestHeader.height : -1,
        bestblockhash: tip.hashHex,
        difficulty: difficultyOfBits(tip.bits),
      };
      if (tip.auxPow) result.auxdifficulty = difficultyOfBits(tip.auxPow.commitBits);
      Object.assign(result, {
        time: tip.time,
        mediantime: chain.medianTimePast(tip),
        verificationprogress: verificationProgress(context, tip),
        initialblockdownload: chain.isInitialBlockDownload(context.clock.now()),
        chainwork: chainWorkHex(tip.chainWork),
        size_on_disk: sizeOnDisk(chain),
        ...pruneFields(context.args.getInt("-prune", 0), tip),
        warnings: extrasOf(context).warnings?.() ?? "",
      });
      return result;
    },
  };
}

/**
 * getblockchaininfo's prune fields for `-prune=<prune>` (0 off, 1 manual, else a target in
 * MiB): `pruneheight` is the lowest height from which the tip's blocks are all stored
 * (`GetFirstStoredBlock`), or the tip's height + 1 without the tip's data.
 */
function pruneFields(prune: number, tip: BlockIndexEntry): JsonObject {
  if (prune === 0) return { pruned: false };
  let first = tip;
  while (first.prev?.haveData) first = first.prev;
  const automatic = prune !== 1;
  return {
    pruned: true,
    pruneheight: tip.haveData ? first.height : tip.height + 1,
    automatic_pruning: automatic,
    ...(automatic ? { prune_target_size: prune * 1024 * 1024 } : {}),
  };
}

function getChainTipsMethod(): RpcMethod<NodeContext> {
  return {
    name: "getchaintips",
    category: "blockchain",
    description: "Return information about all known tips in the block tree," +
      " including the main chain as well as orphaned branches.\n",
    args: [],
    results: [{
      type: "arr",
      inner: [{
        type: "obj",
        inner: [
          { type: "num", key: "height", description: "height of the chain tip" },
          { type: "str_hex", key: "hash", description: "block hash of the tip" },
          {
            type: "num",
            key: "branchlen",
            description:
              "zero for main chain, otherwise length of branch connecting the tip to the main chain",
          },
          {
            type: "str",
            key: "status",
            description: 'status of the chain, "active" for the main chain\n' +
              "Possible values for status:\n" +
              '1.  "invalid"               This branch contains at least one invalid block\n' +
              '2.  "headers-only"          Not all blocks for this branch are available, but the headers are valid\n' +
              '3.  "valid-headers"         All blocks are available for this branch, but they were never fully validated\n' +
              '4.  "valid-fork"            This branch is not part of the active chain, but is fully validated\n' +
              '5.  "active"                This is the tip of the active main chain, which is certainly valid',
          },
        ],
      }],
    }],
    examples: helpExampleCli("getchaintips", "") + helpExampleRpc("getchaintips", ""),
    handler: (call) =>
      call.context.chain.getChainTips().map((tip) => ({
        height: tip.entry.height,
        hash: tip.entry.hashHex,
        branchlen: tip.branchLength,
        status: tip.status,
      })),
  };
}

function getDifficultyMethod(): RpcMethod<NodeContext> {
  return {
    name: "getdifficulty",
    category: "blockchain",
    description:
      "\nReturns the proof-of-work difficulty as a multiple of the minimum difficulty.\n",
    args: [],
    results: [{
      type: "num",
      description: "the proof-of-work difficulty as a multiple of the minimum difficulty.",
    }],
    examples: helpExampleCli("getdifficulty", "") + helpExampleRpc("getdifficulty", ""),
    handler: (call) => difficultyOfBits(tipOf(call.context.chain).bits),
  };
}

function getAuxDifficultyMethod(): RpcMethod<NodeContext> {
  return {
    name: "getauxdifficulty",
    category: "blockchain",
    description:
      "\nReturns the auxiliary proof-of-work difficulty as a multiple of the minimum difficulty.\n",
    args: [],
    results: [{
      type: "num",
      description: "the auxiliaryproof-of-work difficulty as a multiple of the minimum difficulty.",
    }],
    examples: helpExampleCli("getauxdifficulty", "") + helpExampleRpc("getauxdifficulty", ""),
    handler: (call) => {
      const tip = tipOf(call.context.chain);
      const difficulty = difficultyOfBits(tip.auxPow?.commitBits ?? 0);
      // A tip without aux pow has a zero commitment target: UniValue refuses the infinite double.
      if (!Number.isFinite(difficulty)) {
        throw new Error("The string 'inf' is not a valid JSON number");
      }
      return difficulty;
    },
  };
}

// --- getchaintxstats ---------------------------------------------------------------------

function getChainTxStatsMethod(): RpcMethod<NodeContext> {
  return {
    name: "getchaintxstats",
    category: "blockchain",
    description:
      "\nCompute statistics about the total number and rate of transactions in the chain.\n",
    args: [
      {
        names: "nblocks",
        type: "num",
        defaultHint: "one month",
        description: "Size of the window in number of blocks",
      },
      {
        names: "blockhash",
        type: "str_hex",
        defaultHint: "chain tip",
        description: "The hash of the block that ends the window.",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        {
          type: "num_time",
          key: "time",
          description:
            `The timestamp for the final block in the window, expressed in ${UNIX_EPOCH_TIME}`,
        },
        {
          type: "num",
          key: "txcount",
          description: "The total number of transactions in the chain up to that point",
        },
        {
          type: "str_hex",
          key: "window_final_block_hash",
          description: "The hash of the final block in the window",
        },
        {
          type: "num",
          key: "window_final_block_height",
          description: "The height of the final block in the window.",
        },
        {
          type: "num",
          key: "window_block_count",
          description: "Size of the window in number of blocks",
        },
        {
          type: "num",
          key: "window_tx_count",
          optional: true,
          description:
            'The number of transactions in the window. Only returned if "window_block_count" is > 0',
        },
        {
          type: "num",
          key: "window_interval",
          optional: true,
          description:
            'The elapsed time in the window in seconds. Only returned if "window_block_count" is > 0',
        },
        {
          type: "num",
          key: "txrate",
          optional: true,
          description:
            'The average rate of transactions per second in the window. Only returned if "window_interval" is > 0',
        },
      ],
    }],
    examples: helpExampleCli("getchaintxstats", "") + helpExampleRpc("getchaintxstats", "2016"),
    handler: (call) => {
      const context = call.context;
      const chain = context.chain;
      let entry: BlockIndexEntry;
      if (call.maybeArg(1) === undefined) {
        entry = tipOf(chain);
      } else {
        entry = blockByHashArg(context, call.params[1], "blockhash");
        if (!chain.contains(entry)) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Block is not in main chain");
        }
      }
      let count = Math.trunc(30 * 24 * 60 * 60 / context.params.consensus.auxPowTargetSpacing);
      if (call.maybeArg(0) === undefined) {
        count = Math.max(0, Math.min(count, entry.height - 1));
      } else {
        count = getInt(call.params[0]);
        if (count < 0 || (count > 0 && count >= entry.height)) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Invalid block count: should be between 0 and the block's height - 1",
          );
        }
      }
      const past = entry.ancestor(entry.height - count)!;
      const timeDiff = chain.medianTimePast(entry) - chain.medianTimePast(past);
      const txDiff = entry.chainTxCount - past.chainTxCount;
      const result: JsonObject = {
        time: entry.time,
        txcount: entry.chainTxCount,
        window_final_block_hash: entry.hashHex,
        window_final_block_height: entry.height,
        window_block_count: count,
      };
      if (count > 0) {
        result.window_tx_count = txDiff;
        result.window_interval = timeDiff;
        if (timeDiff > 0) result.txrate = txDiff / timeDiff;
      }
      return result;
    },
  };
}

/** freicoind's `-dbcache` split (`CalculateCacheSizes`): the coins database and tip caches. */
function coinsCacheSizes(context: NodeContext): { db: number; tip: number } {
  const MiB = 1 << 20;
  let total = Math.min(Math.max(context.args.getInt("-dbcache", 450), 4), 16384) * MiB;
  total -= Math.min(total / 8, 2 * MiB);
  if (context.args.getBool("-txindex", false)) total -= Math.min(total / 8, 1024 * MiB);
  const db = Math.min(Math.min(total / 2, total / 4 + (1 << 23)), 8 * MiB);
  return { db: Math.floor(db), tip: Math.floor(total - db) };
}

function getChainStatesMethod(): RpcMethod<NodeContext> {
  return {
    name: "getchainstates",
    category: "blockchain",
    description: "\nReturn information about chainstates.\n",
    args: [],
    results: [{
      type: "obj",
      inner: [
        { type: "num", key: "headers", description: "the number of headers seen so far" },
        {
          type: "arr",
          key: "chainstates",
          description:
            "list of the chainstates ordered by work, with the most-work (active) chainstate last",
          inner: [{
            type: "obj",
            inner: [
              { type: "num", key: "blocks", description: "number of blocks in this chainstate" },
              { type: "str_hex", key: "bestblockhash", description: "blockhash of the tip" },
              { type: "num", key: "difficulty", description: "difficulty of the tip" },
              {
                type: "num",
                key: "verificationprogress",
                description: "progress towards the network tip",
              },
              {
                type: "str_hex",
                key: "snapshot_blockhash",
                optional: true,
                description: "the base block of the snapshot this chainstate is based on, if any",
              },
              {
                type: "num",
                key: "coins_db_cache_bytes",
                description: "size of the coinsdb cache",
              },
              {
                type: "num",
                key: "coins_tip_cache_bytes",
                description: "size of the coinstip cache",
              },
              {
                type: "bool",
                key: "validated",
                description:
                  "whether the chainstate is fully validated. True if all blocks in the chainstate were validated, false if the chain is based on a snapshot and the snapshot has not yet been validated.",
              },
            ],
          }],
        },
      ],
    }],
    examples: helpExampleCli("getchainstates", "") + helpExampleRpc("getchainstates", ""),
    handler: (call) => {
      const chain = call.context.chain;
      const tip = tipOf(chain);
      const caches = coinsCacheSizes(call.context);
      return {
        headers: chain.bestHeader ? chain.bestHeader.height : -1,
        chainstates: [{
          blocks: tip.height,
          bestblockhash: tip.hashHex,
          difficulty: difficultyOfBits(tip.bits),
          verificationprogress: verificationProgress(call.context, tip),
          coins_db_cache_bytes: caches.db,
          coins_tip_cache_bytes: caches.tip,
          validated: true,
        }],
      };
    },
  };
}

/** The chain summary methods. */
export function chainInfoMethods(): RpcMethod<NodeContext>[] {
  return [
    getBlockchainInfoMethod(),
    getChainStatesMethod(),
    getChainTipsMethod(),
    getChainTxStatsMethod(),
    getDifficultyMethod(),
    getAuxDifficultyMethod(),
  ];
}
