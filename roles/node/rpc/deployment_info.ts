/**
 * getdeploymentinfo (rpc/blockchain.cpp): Freicoin's buried and version-bits deployments.
 *
 * @module
 */
import {
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
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
import type { NodeContext } from "../node_context.ts";
import { blockByHashArg, tipOf } from "./blockchain_shared.ts";

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

/** getdeploymentinfo. */
export function deploymentMethods(): RpcMethod<NodeContext>[] {
  return [getDeploymentInfoMethod()];
}
