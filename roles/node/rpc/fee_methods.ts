/**
 * estimatesmartfee and estimaterawfee (rpc/fees.cpp). No fee estimator runs yet, so they give
 * freicoind's answers for a node without data.
 *
 * @module
 */
import {
  getInt,
  getReal,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { CURRENCY_UNIT } from "./tx_json.ts";
/** The longest confirmation target the fee estimator tracks (42 periods of 24 blocks). */
const MAX_CONF_TARGET = 1008;
const FEE_MODES = ["unset", "economical", "conservative"];

function estimateSmartFeeMethod(): RpcMethod<NodeContext> {
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
    handler: async (call) => {
      await call.context.syncWithValidationQueue();
      const target = getInt(call.params[0]);
      if (target < 1 || target > MAX_CONF_TARGET) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Invalid conf_target, must be between 1 and ${MAX_CONF_TARGET}`,
        );
      }
      const mode = call.maybeArg(1);
      if (mode !== undefined && !FEE_MODES.includes(getStr(mode).toLowerCase())) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Invalid estimate_mode parameter, must be one of: "${FEE_MODES.join('", "')}"`,
        );
      }
      // No fee estimator runs yet: every target lacks data, as on a fresh freicoind.
      return { errors: ["Insufficient data or no feerate found"], blocks: 0 };
    },
  };
}

/** Fee-estimation horizons: name, longest target tracked, decay and target resolution. */
const FEE_HORIZONS = [
  { name: "short", maxTarget: 12, decay: 0.962, scale: 1 },
  { name: "medium", maxTarget: 48, decay: 0.9952, scale: 2 },
  { name: "long", maxTarget: 1008, decay: 0.99931, scale: 24 },
] as const;

/** The largest fee-rate bucket (`INF_FEERATE`). */
const INF_FEERATE = 1e99;

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

function estimateRawFeeMethod(): RpcMethod<NodeContext> {
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
    handler: async (call) => {
      await call.context.syncWithValidationQueue();
      const target = getInt(call.params[0]);
      if (target < 1 || target > MAX_CONF_TARGET) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Invalid conf_target, must be between 1 and ${MAX_CONF_TARGET}`,
        );
      }
      const threshold = call.maybeArg(1) === undefined ? 0.95 : getReal(call.params[1]);
      if (threshold < 0 || threshold > 1) {
        throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid threshold");
      }
      // No fee estimator runs yet: every horizon that tracks the target lacks data, and its
      // whole fee-rate range is reported as the failing bucket.
      const result: JsonObject = {};
      for (const horizon of FEE_HORIZONS) {
        if (target > horizon.maxTarget) continue;
        result[horizon.name] = {
          decay: horizon.decay,
          scale: horizon.scale,
          fail: {
            startrange: 0,
            endrange: INF_FEERATE,
            withintarget: 0,
            totalconfirmed: 0,
            inmempool: 0,
            leftmempool: 0,
          },
          errors: ["Insufficient data or no feerate found which meets threshold"],
        };
      }
      return result;
    },
  };
}

/** estimatesmartfee and estimaterawfee. */
export function feeMethods(): RpcMethod<NodeContext>[] {
  return [estimateSmartFeeMethod(), estimateRawFeeMethod()];
}
