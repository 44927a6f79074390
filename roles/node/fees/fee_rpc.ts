/**
 * estimatesmartfee and estimaterawfee (src/rpc/fees.cpp), answered by the node's fee estimator.
 *
 * @module
 */
import {
  amountToJson,
  getInt,
  getReal,
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
import { CURRENCY_UNIT } from "../../../common/tx_json/mod.ts";
import { ALL_FEE_ESTIMATE_HORIZONS, type BlockPolicyEstimator } from "./block_policy_estimator.ts";
import type { EstimatorBucket } from "./tx_confirm_stats.ts";

const FEE_MODES = ["unset", "economical", "conservative"];

/** What the fee methods need from the node. */
export interface FeeRpcContext {
  /** The estimator, or undefined when the node keeps none (`-blocksonly`). */
  readonly estimator: () => BlockPolicyEstimator | undefined;
  /** The mempool's current minimum fee rate and `-minrelaytxfee`, kria per kvB. */
  readonly minFeeRates: () => { readonly mempool: bigint; readonly relay: bigint };
}

/** `EnsureAnyFeeEstimator`. */
function ensureEstimator(context: FeeRpcContext): BlockPolicyEstimator {
  const estimator = context.estimator();
  if (!estimator) throw new RpcError(RPC_ERROR.INTERNAL_ERROR, "Fee estimation disabled");
  return estimator;
}

/** `ParseConfirmTarget`: 1 to the longest target the estimator tracks. */
function parseConfirmTarget(value: JsonValue | undefined, maxTarget: number): number {
  const target = getInt(value);
  if (target < 1 || target > maxTarget) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `Invalid conf_target, must be between 1 and ${maxTarget}`,
    );
  }
  return target;
}

function estimateSmartFeeMethod(context: FeeRpcContext): RpcMethod<unknown> {
  return {
    name: "estimatesmartfee",
    category: "util",
    description:
      "\nEstimates the approximate fee per kilobyte needed for a transaction to begin\n" +
      "confirmation within conf_target blocks if possible and return the number of blocks\n" +
      "for which the estimate is valid. Uses virtual transaction size as defined\n" +
      "in BIP 141 (witness data is discounted).\n",
    args: [
      {
        names: "conf_target",
        type: "num",
        description: "Confirmation target in blocks (1 - 1008)",
      },
      {
        names: "estimate_mode",
        type: "str",
        default: "conservative",
        description: "The fee estimate mode.\n" +
          "Whether to return a more conservative estimate which also satisfies\n" +
          "a longer history. A conservative estimate potentially returns a\n" +
          "higher feerate and is more likely to be sufficient for the desired\n" +
          "target, but is not as responsive to short term drops in the\n" +
          "prevailing fee market. Must be one of (case insensitive):\n" +
          `"${FEE_MODES.join('"\n"')}"`,
      },
    ],
    results: [{
      type: "obj",
      inner: [
        {
          type: "num",
          key: "feerate",
          optional: true,
          description:
            `estimate fee rate in ${CURRENCY_UNIT}/kvB (only present if no errors were encountered)`,
        },
        {
          type: "arr",
          key: "errors",
          optional: true,
          description: "Errors encountered during processing (if there are any)",
          inner: [{ type: "str", description: "error" }],
        },
        {
          type: "num",
          key: "blocks",
          description: "block number where estimate was found\n" +
            "The request target will be clamped between 2 and the highest target\n" +
            "fee estimation is able to return based on how long it has been running.\n" +
            "An error is returned if not enough transactions and blocks\n" +
            "have been observed to make an estimate for any number of blocks.",
        },
      ],
    }],
    examples: helpExampleCli("estimatesmartfee", "6") + helpExampleRpc("estimatesmartfee", "6"),
    // The estimator is fed synchronously by the mempool, so there is no queue to wait for.
    handler: (call) => {
      const estimator = ensureEstimator(context);
      const target = parseConfirmTarget(call.params[0], estimator.highestTargetTracked("long"));
      let conservative = true;
      const mode = call.maybeArg(1);
      if (mode !== undefined) {
        const name = getStr(mode).toLowerCase();
        if (!FEE_MODES.includes(name)) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `Invalid estimate_mode parameter, must be one of: "${FEE_MODES.join('", "')}"`,
          );
        }
        if (name === "economical") conservative = false;
      }
      const { feeRatePerKvB, calc } = estimator.estimateSmartFee(target, conservative);
      const result: JsonObject = {};
      if (feeRatePerKvB !== 0n) {
        // Never below what the mempool would accept now.
        const floors = context.minFeeRates();
        let rate = feeRatePerKvB;
        if (floors.mempool > rate) rate = floors.mempool;
        if (floors.relay > rate) rate = floors.relay;
        result.feerate = amountToJson(rate);
      } else {
        result.errors = ["Insufficient data or no feerate found"];
      }
      result.blocks = calc.returnedTarget;
      return result;
    },
  };
}

function rawFeeResultDocs(): RpcResult[] {
  const bucket = (key: string, description: string): RpcResult => ({
    type: "obj",
    key,
    optional: true,
    description,
    inner: key === "fail" ? [{ type: "elision", description: "" }] : [
      { type: "num", key: "startrange", description: "start of feerate range" },
      { type: "num", key: "endrange", description: "end of feerate range" },
      {
        type: "num",
        key: "withintarget",
        description:
          "number of txs over history horizon in the feerate range that were confirmed within target",
      },
      {
        type: "num",
        key: "totalconfirmed",
        description:
          "number of txs over history horizon in the feerate range that were confirmed at any point",
      },
      {
        type: "num",
        key: "inmempool",
        description:
          "current number of txs in mempool in the feerate range unconfirmed for at least target blocks",
      },
      {
        type: "num",
        key: "leftmempool",
        description:
          "number of txs over history horizon in the feerate range that left mempool unconfirmed after target",
      },
    ],
  });
  return [{
    type: "obj",
    description:
      "Results are returned for any horizon which tracks blocks up to the confirmation target",
    inner: [
      {
        type: "obj",
        key: "short",
        optional: true,
        description: "estimate for short time horizon",
        inner: [
          {
            type: "num",
            key: "feerate",
            optional: true,
            description: `estimate fee rate in ${CURRENCY_UNIT}/kvB`,
          },
          {
            type: "num",
            key: "decay",
            description:
              "exponential decay (per block) for historical moving average of confirmation data",
          },
          {
            type: "num",
            key: "scale",
            description: "The resolution of confirmation targets at this time horizon",
          },
          bucket(
            "pass",
            "information about the lowest range of feerates to succeed in meeting the threshold",
          ),
          bucket(
            "fail",
            "information about the highest range of feerates to fail to meet the threshold",
          ),
          {
            type: "arr",
            key: "errors",
            optional: true,
            description: "Errors encountered during processing (if there are any)",
            inner: [{ type: "str", key: "error", description: "" }],
          },
        ],
      },
      {
        type: "obj",
        key: "medium",
        optional: true,
        description: "estimate for medium time horizon",
        inner: [{ type: "elision", description: "" }],
      },
      {
        type: "obj",
        key: "long",
        optional: true,
        description: "estimate for long time horizon",
        inner: [{ type: "elision", description: "" }],
      },
    ],
  }];
}

/** An estimator bucket as estimaterawfee writes it: bounds rounded, counts to 2 decimals. */
function bucketJson(bucket: EstimatorBucket): JsonObject {
  const hundredths = (value: number) => roundHalfAway(value * 100) / 100;
  return {
    startrange: roundHalfAway(bucket.start),
    endrange: roundHalfAway(bucket.end),
    withintarget: hundredths(bucket.withinTarget),
    totalconfirmed: hundredths(bucket.totalConfirmed),
    inmempool: hundredths(bucket.inMempool),
    leftmempool: hundredths(bucket.leftMempool),
  };
}

/** C's `round`: halves away from zero. */
function roundHalfAway(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

function estimateRawFeeMethod(context: FeeRpcContext): RpcMethod<unknown> {
  return {
    name: "estimaterawfee",
    category: "hidden",
    description: "\nWARNING: This interface is unstable and may disappear or change!\n" +
      "\nWARNING: This is an advanced API call that is tightly coupled to the specific\n" +
      "implementation of fee estimation. The parameters it can be called with\n" +
      "and the results it returns will change if the internal implementation changes.\n" +
      "\nEstimates the approximate fee per kilobyte needed for a transaction to begin\n" +
      "confirmation within conf_target blocks if possible. Uses virtual transaction size as\n" +
      "defined in BIP 141 (witness data is discounted).\n",
    args: [
      {
        names: "conf_target",
        type: "num",
        description: "Confirmation target in blocks (1 - 1008)",
      },
      {
        names: "threshold",
        type: "num",
        default: 0.95,
        description:
          "The proportion of transactions in a given feerate range that must have been\n" +
          "confirmed within conf_target in order to consider those feerates as high enough and proceed to check\n" +
          "lower buckets.",
      },
    ],
    results: rawFeeResultDocs(),
    examples: helpExampleCli("estimaterawfee", "6 0.9"),
    handler: (call) => {
      const estimator = ensureEstimator(context);
      const target = parseConfirmTarget(call.params[0], estimator.highestTargetTracked("long"));
      const threshold = call.maybeArg(1) === undefined ? 0.95 : getReal(call.params[1]);
      if (threshold < 0 || threshold > 1) {
        throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid threshold");
      }
      const result: JsonObject = {};
      // Only the horizons that track the target answer.
      for (const horizon of ALL_FEE_ESTIMATE_HORIZONS) {
        if (target > estimator.highestTargetTracked(horizon)) continue;
        const { feeRatePerKvB, result: buckets } = estimator.estimateRawFee(
          target,
          threshold,
          horizon,
        );
        const answer: JsonObject = {};
        if (feeRatePerKvB !== 0n) {
          answer.feerate = amountToJson(feeRatePerKvB);
          answer.decay = buckets.decay;
          answer.scale = buckets.scale;
          answer.pass = bucketJson(buckets.pass);
          // A fail bucket starting at -1 means every bucket passed.
          if (buckets.fail.start !== -1) answer.fail = bucketJson(buckets.fail);
        } else {
          answer.decay = buckets.decay;
          answer.scale = buckets.scale;
          answer.fail = bucketJson(buckets.fail);
          answer.errors = ["Insufficient data or no feerate found which meets threshold"];
        }
        result[horizon] = answer;
      }
      return result;
    },
  };
}

/** estimatesmartfee and estimaterawfee over `context`'s estimator. */
export function feeRpcMethods(context: FeeRpcContext): RpcMethod<unknown>[] {
  return [estimateSmartFeeMethod(context), estimateRawFeeMethod(context)];
}
