/**
 * Blockchain methods (rpc/blockchain.cpp): getblock, getblockheader, getblockchaininfo,
 * getchaintips, getdifficulty, getauxdifficulty, getdeploymentinfo, getchaintxstats,
 * invalidateblock, reconsiderblock, preciousblock, verifychain and the waitfor* family.
 * The UTXO-set methods are in `utxo_methods.ts`.
 *
 * @module
 */
import {
  getBool,
  getInt,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import {
  ALWAYS_ACTIVE,
  BURIED_DEPLOYMENT_RPC_NAMES,
  type BuriedDeploymentName,
  deploymentHeight,
  type DeploymentName,
  deploymentState,
  deploymentStateSinceHeight,
  deploymentStatistics,
  INT32_MAX,
  isBuriedActiveAfter,
  NEVER_ACTIVE,
  type ThresholdState,
} from "../../../kernel/chain/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import type { NodeContext } from "../node_context.ts";
import {
  blockToJson,
  chainWorkHex,
  difficultyOfBits,
  headerHex,
  headerToJson,
  readBlockChecked,
} from "./block_json.ts";
import { scriptOptions } from "./rawtransaction_methods.ts";
import { parseHashV } from "./rpc_parse.ts";
import { CURRENCY_UNIT, scriptPubKeyDoc } from "./tx_json.ts";
import { sizeOnDisk } from "./disk_usage.ts";

const UNIX_EPOCH_TIME = "UNIX epoch time";
const EXAMPLE_HASH = '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"';

function tipOf(chain: ChainState): BlockIndexEntry {
  const tip = chain.tip;
  if (!tip) throw new RpcError(RPC_ERROR.INTERNAL_ERROR, "No chain tip");
  return tip;
}

/** Looks a block up by a hash argument or throws -5 "Block not found". */
export function blockByHashArg(
  context: NodeContext,
  value: JsonValue | undefined,
  name: string,
): BlockIndexEntry {
  const hash = parseHashV(value, name);
  const entry = context.chain.lookupBlockIndex(hash);
  if (!entry) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Block not found");
  return entry;
}

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
function verificationProgress(context: NodeContext, tip: BlockIndexEntry): number {
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
        pruned: false,
        warnings: "",
      });
      return result;
    },
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

// --- getdeploymentinfo -------------------------------------------------------------------

const BURIED_ORDER: BuriedDeploymentName[] = ["bip34", "dersig", "locktime"];

function buriedDeployment(
  context: NodeContext,
  entry: BlockIndexEntry,
  name: BuriedDeploymentName,
): JsonObject | undefined {
  const height = deploymentHeight(context.params.consensus, name);
  if (height === INT32_MAX) return undefined;
  return {
    type: "buried",
    active: isBuriedActiveAfter(entry, context.params.consensus, name),
    height,
  };
}

function bip9Deployment(
  context: NodeContext,
  entry: BlockIndexEntry,
  name: DeploymentName,
): JsonObject | undefined {
  const consensus = context.params.consensus;
  const deployment = consensus.deployments[name];
  if (deployment.startTime === NEVER_ACTIVE) return undefined;
  const next: ThresholdState = deploymentState(entry, consensus, name);
  const current: ThresholdState = deploymentState(entry.prev, consensus, name);
  const hasSignal = current === "started" || current === "locked_in";
  const bip9: JsonObject = {};
  if (hasSignal) bip9.bit = deployment.bit;
  bip9.start_time = deployment.startTime;
  bip9.timeout = deployment.timeout;
  bip9.min_activation_height = deployment.minActivationHeight;
  bip9.status = current;
  bip9.since = deploymentStateSinceHeight(entry.prev, consensus, name);
  bip9.status_next = next;
  if (hasSignal) {
    const { stats, signalling } = deploymentStatistics(entry, consensus, name);
    const statistics: JsonObject = {
      period: stats.period,
      elapsed: stats.elapsed,
      count: stats.count,
    };
    if (current !== "locked_in") {
      statistics.threshold = stats.threshold;
      statistics.possible = stats.possible;
    }
    bip9.statistics = statistics;
    bip9.signalling = signalling.map((s) => s ? "#" : "-").join("");
  }
  const result: JsonObject = { type: "bip9" };
  if (next === "active") {
    result.height = deployment.startTime === ALWAYS_ACTIVE
      ? 0
      : deploymentStateSinceHeight(entry, consensus, name);
  }
  result.active = next === "active";
  result.bip9 = bip9;
  return result;
}

/** The `deployments` object of getdeploymentinfo at `entry` (`DeploymentInfo`). */
export function deploymentInfo(context: NodeContext, entry: BlockIndexEntry): JsonObject {
  const result: JsonObject = {};
  for (const name of BURIED_ORDER) {
    const info = buriedDeployment(context, entry, name);
    if (info) result[BURIED_DEPLOYMENT_RPC_NAMES[name]] = info;
  }
  const finaltx = bip9Deployment(context, entry, "finaltx");
  if (finaltx) result.finaltx = finaltx;
  const segwit = buriedDeployment(context, entry, "segwit");
  if (segwit) result.segwit = segwit;
  for (const name of ["auxpow", "testdummy"] as const) {
    const info = bip9Deployment(context, entry, name);
    if (info) result[name] = info;
  }
  return result;
}

function deploymentDocs(): RpcResult[] {
  return [
    { type: "str", key: "type", description: 'one of "buried", "bip9"' },
    {
      type: "num",
      key: "height",
      optional: true,
      description:
        'height of the first block which the rules are or will be enforced (only for "buried" type, or "bip9" type with "active" status)',
    },
    {
      type: "bool",
      key: "active",
      description: "true if the rules are enforced for the mempool and the next block",
    },
    {
      type: "obj",
      key: "bip9",
      optional: true,
      description: 'status of bip9 softforks (only for "bip9" type)',
      inner: [
        {
          type: "num",
          key: "bit",
          optional: true,
          description:
            'the bit (0-28) in the block version field used to signal this softfork (only for "started" and "locked_in" status)',
        },
        {
          type: "num_time",
          key: "start_time",
          description: "the minimum median time past of a block at which the bit gains its meaning",
        },
        {
          type: "num_time",
          key: "timeout",
          description:
            "the median time past of a block at which the deployment is considered failed if not yet locked in",
        },
        {
          type: "num",
          key: "min_activation_height",
          description: "minimum height of blocks for which the rules may be enforced",
        },
        {
          type: "str",
          key: "status",
          description:
            'status of deployment at specified block (one of "defined", "started", "locked_in", "active", "failed")',
        },
        {
          type: "num",
          key: "since",
          description: "height of the first block to which the status applies",
        },
        { type: "str", key: "status_next", description: "status of deployment at the next block" },
        {
          type: "obj",
          key: "statistics",
          optional: true,
          description:
            'numeric statistics about signalling for a softfork (only for "started" and "locked_in" status)',
          inner: [
            {
              type: "num",
              key: "period",
              description: "the length in blocks of the signalling period",
            },
            {
              type: "num",
              key: "threshold",
              optional: true,
              description:
                'the number of blocks with the version bit set required to activate the feature (only for "started" status)',
            },
            {
              type: "num",
              key: "elapsed",
              description: "the number of blocks elapsed since the beginning of the current period",
            },
            {
              type: "num",
              key: "count",
              description: "the number of blocks with the version bit set in the current period",
            },
            {
              type: "bool",
              key: "possible",
              optional: true,
              description:
                'returns false if there are not enough blocks left in this period to pass activation threshold (only for "started" status)',
            },
          ],
        },
        {
          type: "str",
          key: "signalling",
          optional: true,
          description: "indicates blocks that signalled with a # and blocks that did not with a -",
        },
      ],
    },
  ];
}

function getDeploymentInfoMethod(): RpcMethod<NodeContext> {
  return {
    name: "getdeploymentinfo",
    category: "blockchain",
    description:
      "Returns an object containing various state info regarding deployments of consensus changes.",
    args: [{
      names: "blockhash",
      type: "str_hex",
      default: "hash of current chain tip",
      description: "The block hash at which to query deployment state",
    }],
    results: [{
      type: "obj",
      inner: [
        { type: "str", key: "hash", description: "requested block hash (or tip)" },
        { type: "num", key: "height", description: "requested block height (or tip)" },
        {
          type: "obj_dyn",
          key: "deployments",
          description: "",
          inner: [{
            type: "obj",
            key: "xxxx",
            description: "name of the deployment",
            inner: deploymentDocs(),
          }],
        },
      ],
    }],
    examples: helpExampleCli("getdeploymentinfo", "") + helpExampleRpc("getdeploymentinfo", ""),
    handler: (call) => {
      const entry = call.maybeArg(0) === undefined
        ? tipOf(call.context.chain)
        : blockByHashArg(call.context, call.params[0], "blockhash");
      return {
        hash: entry.hashHex,
        height: entry.height,
        deployments: deploymentInfo(call.context, entry),
      };
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

// --- invalidate / reconsider / precious / verifychain -------------------------------------

function blockActionMethod(
  name: "invalidateblock" | "reconsiderblock" | "preciousblock",
  category: "blockchain" | "hidden",
  description: string,
  argDescription: string,
  action: (chain: ChainState, entry: BlockIndexEntry) => Promise<void>,
): RpcMethod<NodeContext> {
  return {
    name,
    category,
    description,
    args: [{ names: "blockhash", type: "str_hex", description: argDescription }],
    results: [{ type: "none", description: "" }],
    examples: helpExampleCli(name, '"blockhash"') + helpExampleRpc(name, '"blockhash"'),
    handler: async (call) => {
      const entry = blockByHashArg(call.context, call.params[0], "blockhash");
      try {
        await action(call.context.chain, entry);
      } catch (error) {
        if (error instanceof RpcError) throw error;
        throw new RpcError(RPC_ERROR.DATABASE_ERROR, (error as Error).message);
      }
      return null;
    },
  };
}

const CHECKLEVEL_DOC = [
  "level 0 reads the blocks from disk",
  "level 1 verifies block validity",
  "level 2 verifies undo data",
  "level 3 checks disconnection of tip blocks",
  "level 4 tries to reconnect the blocks",
  "each level includes the checks of the previous levels",
];
const DEFAULT_CHECKBLOCKS = 6;
const DEFAULT_CHECKLEVEL = 3;

function verifyChainMethod(): RpcMethod<NodeContext> {
  return {
    name: "verifychain",
    category: "blockchain",
    description: "\nVerifies blockchain database.\n",
    args: [
      {
        names: "checklevel",
        type: "num",
        defaultHint: `${DEFAULT_CHECKLEVEL}, range=0-4`,
        description: "How thorough the block verification is:\n" +
          CHECKLEVEL_DOC.map((item) => `- ${item}`).join("\n"),
      },
      {
        names: "nblocks",
        type: "num",
        defaultHint: `${DEFAULT_CHECKBLOCKS}, 0=all`,
        description: "The number of blocks to check.",
      },
    ],
    results: [{
      type: "bool",
      description: "Verification finished successfully. If false, check debug.log for reason.",
    }],
    examples: helpExampleCli("verifychain", "") + helpExampleRpc("verifychain", ""),
    handler: async (call) => {
      const level = call.maybeArg(0) === undefined ? DEFAULT_CHECKLEVEL : getInt(call.params[0]);
      const depth = call.maybeArg(1) === undefined ? DEFAULT_CHECKBLOCKS : getInt(call.params[1]);
      const result = await call.context.chain.verifyDB(depth, level);
      if (!result.ok) call.context.log.info(`verifychain: ${result.message}`);
      return result.ok;
    },
  };
}

// --- waitfornewblock / waitforblock / waitforblockheight ----------------------------------

/** Waits until `done(tip)` holds or `timeoutMs` (0 = forever) passes; returns the tip then. */
async function waitForTip(
  context: NodeContext,
  done: (tip: BlockIndexEntry) => boolean,
  timeoutMs: number,
): Promise<JsonObject> {
  const chain = context.chain;
  const current = () => tipOf(chain);
  if (!done(current())) {
    await new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const subscription = chain.subscribe({
        updatedTip: (tip) => {
          if (done(tip)) finish();
        },
      });
      const finish = () => {
        subscription.disconnect();
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      if (timeoutMs > 0) timer = setTimeout(finish, timeoutMs);
    });
  }
  const tip = current();
  return { hash: tip.hashHex, height: tip.height };
}

const WAIT_RESULT: RpcResult[] = [{
  type: "obj",
  inner: [
    { type: "str_hex", key: "hash", description: "The blockhash" },
    { type: "num", key: "height", description: "Block height" },
  ],
}];

const TIMEOUT_ARG = {
  names: "timeout",
  type: "num" as const,
  default: 0,
  description: "Time in milliseconds to wait for a response. 0 indicates no timeout.",
};

function waitMethods(): RpcMethod<NodeContext>[] {
  const waitHash = '"0000000000079f8ef3d2c688c244eb7a4570b24c9ed7b4a8c619eb02596f8862"';
  return [
    {
      name: "waitfornewblock",
      category: "hidden",
      description: "\nWaits for a specific new block and returns useful info about it.\n" +
        "\nReturns the current block on timeout or exit.\n",
      args: [TIMEOUT_ARG],
      results: WAIT_RESULT,
      examples: helpExampleCli("waitfornewblock", "1000") +
        helpExampleRpc("waitfornewblock", "1000"),
      handler: (call) => {
        const timeout = call.maybeArg(0) === undefined ? 0 : getInt(call.params[0]);
        const start = tipOf(call.context.chain);
        return waitForTip(call.context, (tip) => tip !== start, timeout);
      },
    },
    {
      name: "waitforblock",
      category: "hidden",
      description: "\nWaits for a specific new block and returns useful info about it.\n" +
        "\nReturns the current block on timeout or exit.\n",
      args: [
        { names: "blockhash", type: "str_hex", description: "Block hash to wait for." },
        TIMEOUT_ARG,
      ],
      results: WAIT_RESULT,
      examples: helpExampleCli("waitforblock", `${waitHash} 1000`) +
        helpExampleRpc("waitforblock", `${waitHash}, 1000`),
      handler: (call) => {
        const hash = bytesToHex(parseHashV(call.params[0], "blockhash").slice().reverse());
        const timeout = call.maybeArg(1) === undefined ? 0 : getInt(call.params[1]);
        return waitForTip(call.context, (tip) => tip.hashHex === hash, timeout);
      },
    },
    {
      name: "waitforblockheight",
      category: "hidden",
      description: "\nWaits for (at least) block height and returns the height and hash\n" +
        "of the current tip.\n" +
        "\nReturns the current block on timeout or exit.\n",
      args: [
        { names: "height", type: "num", description: "Block height to wait for." },
        TIMEOUT_ARG,
      ],
      results: WAIT_RESULT,
      examples: helpExampleCli("waitforblockheight", "100 1000") +
        helpExampleRpc("waitforblockheight", "100, 1000"),
      handler: (call) => {
        const height = getInt(call.params[0]);
        const timeout = call.maybeArg(1) === undefined ? 0 : getInt(call.params[1]);
        return waitForTip(call.context, (tip) => tip.height >= height, timeout);
      },
    },
  ];
}

/** The blockchain methods of this file. */
export function blockchainMethods(): RpcMethod<NodeContext>[] {
  return [
    getBlockchainInfoMethod(),
    getBlockMethod(),
    getBlockHeaderMethod(),
    getChainTipsMethod(),
    getChainTxStatsMethod(),
    getDeploymentInfoMethod(),
    getDifficultyMethod(),
    getAuxDifficultyMethod(),
    blockActionMethod(
      "preciousblock",
      "blockchain",
      "\nTreats a block as if it were received before others with the same work.\n" +
        "\nA later preciousblock call can override the effect of an earlier one.\n" +
        "\nThe effects of preciousblock are not retained across restarts.\n",
      "the hash of the block to mark as precious",
      (chain, entry) => chain.preciousBlock(entry),
    ),
    blockActionMethod(
      "invalidateblock",
      "hidden",
      "\nPermanently marks a block as invalid, as if it violated a consensus rule.\n",
      "the hash of the block to mark as invalid",
      (chain, entry) => chain.invalidateBlock(entry),
    ),
    blockActionMethod(
      "reconsiderblock",
      "hidden",
      "\nRemoves invalidity status of a block, its ancestors and its descendants, reconsider them for activation.\n" +
        "This can be used to undo the effects of invalidateblock.\n",
      "the hash of the block to reconsider",
      (chain, entry) => chain.reconsiderBlock(entry),
    ),
    verifyChainMethod(),
    ...waitMethods(),
  ];
}
