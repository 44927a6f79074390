import assert from "node:assert/strict";
import {
  type JsonValue,
  methodHelp,
  methodSummary,
  RpcError,
  RpcRegistry,
  writeJson,
} from "../../../rpc/mod.ts";
import { BlockPolicyEstimator } from "./block_policy_estimator.ts";
import { type FeeRpcContext, feeRpcMethods } from "./fee_rpc.ts";
import { feedMarket } from "./_test_support.ts";

function registry(context: Partial<FeeRpcContext> = {}): RpcRegistry<unknown> {
  const estimator = new BlockPolicyEstimator();
  const registry = new RpcRegistry<unknown>(undefined, { docCheck: true });
  for (
    const method of feeRpcMethods({
      estimator: () => estimator,
      minFeeRates: () => ({ mempool: 0n, relay: 1000n }),
      ...context,
    })
  ) registry.register(method);
  registry.setWarmupFinished();
  return registry;
}

async function answer(
  registry: RpcRegistry<unknown>,
  method: string,
  params: JsonValue[],
): Promise<unknown> {
  try {
    const result = await registry.execute({
      method,
      params,
      id: 1,
      uri: "/",
      authUser: "",
      peerAddr: "",
    });
    return JSON.parse(writeJson(result));
  } catch (error) {
    if (error instanceof RpcError) {
      return { __error__: { code: error.code, message: error.message } };
    }
    throw error;
  }
}

Deno.test("estimatesmartfee answers insufficient data and checks its arguments", async () => {
  const node = registry();
  assert.deepEqual(await answer(node, "estimatesmartfee", [6]), {
    errors: ["Insufficient data or no feerate found"],
    blocks: 0,
  });
  assert.deepEqual(await answer(node, "estimatesmartfee", [0]), {
    __error__: { code: -8, message: "Invalid conf_target, must be between 1 and 1008" },
  });
  assert.deepEqual(await answer(node, "estimatesmartfee", [1009]), {
    __error__: { code: -8, message: "Invalid conf_target, must be between 1 and 1008" },
  });
  assert.deepEqual(await answer(node, "estimatesmartfee", [2, "fast"]), {
    __error__: {
      code: -8,
      message:
        'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
    },
  });
  assert.deepEqual(await answer(node, "estimatesmartfee", [2, "ECONOMICAL"]), {
    errors: ["Insufficient data or no feerate found"],
    blocks: 0,
  });
});

Deno.test("without an estimator both methods answer that fee estimation is disabled", async () => {
  const node = registry({ estimator: () => undefined });
  for (const method of ["estimatesmartfee", "estimaterawfee"]) {
    assert.deepEqual(await answer(node, method, [2]), {
      __error__: { code: -32603, message: "Fee estimation disabled" },
    });
  }
});

Deno.test("estimatesmartfee answers the estimate, raised to the mempool's minimums", async () => {
  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 60, startHeight: 100 });
  const expected = estimator.estimateSmartFee(3, true).feeRatePerKvB;
  const node = registry({ estimator: () => estimator });
  assert.deepEqual(await answer(node, "estimatesmartfee", [3]), {
    feerate: Number(expected) / 1e8,
    blocks: 3,
  });
  assert.deepEqual(await answer(node, "estimatesmartfee", [1]), {
    feerate: Number(estimator.estimateSmartFee(2, true).feeRatePerKvB) / 1e8,
    blocks: 2,
  });
  const floored = registry({
    estimator: () => estimator,
    minFeeRates: () => ({ mempool: 50_000n, relay: 1000n }),
  });
  assert.deepEqual(await answer(floored, "estimatesmartfee", [3]), {
    feerate: 0.0005,
    blocks: 3,
  });
});

Deno.test("estimaterawfee reports every horizon tracking the target", async () => {
  const node = registry();
  const empty = await answer(node, "estimaterawfee", [20]) as Record<string, unknown>;
  assert.deepEqual(Object.keys(empty), ["medium", "long"]);
  assert.deepEqual(empty.long, {
    decay: 0.99931,
    scale: 24,
    // The whole range lacked data: reported as the failing bucket.
    fail: {
      startrange: 0,
      endrange: 1e99,
      withintarget: 0,
      totalconfirmed: 0,
      inmempool: 0,
      leftmempool: 0,
    },
    errors: ["Insufficient data or no feerate found which meets threshold"],
  });
  assert.deepEqual(await answer(node, "estimaterawfee", [1, 1.1]), {
    __error__: { code: -8, message: "Invalid threshold" },
  });

  const estimator = new BlockPolicyEstimator();
  feedMarket(estimator, { blocks: 60, startHeight: 100 });
  const fed = await answer(registry({ estimator: () => estimator }), "estimaterawfee", [5, 0.9]);
  const short = (fed as Record<string, Record<string, unknown>>).short;
  const expected = estimator.estimateRawFee(5, 0.9, "short");
  assert.equal(short.feerate, Number(expected.feeRatePerKvB) / 1e8);
  assert.deepEqual(Object.keys(short), ["feerate", "decay", "scale", "pass", "fail"]);
  const pass = short.pass as Record<string, number>;
  assert.equal(pass.startrange, Math.round(expected.result.pass.start));
  assert.equal(pass.withintarget, Math.round(expected.result.pass.withinTarget * 100) / 100);
});

Deno.test("estimatesmartfee has the reference's help listing; estimaterawfee is hidden", () => {
  const listing = Deno.readTextFileSync(
    new URL("../../../../shared/vectors/rpc-help.txt", import.meta.url),
  );
  const [smart, raw] = feeRpcMethods({
    estimator: () => undefined,
    minFeeRates: () => ({ mempool: 0n, relay: 0n }),
  });
  assert.equal(smart.category, "util");
  assert.ok(listing.includes(`== Util ==`));
  const summary = methodSummary(smart as never);
  assert.ok(listing.split("\n").includes(summary), summary);
  assert.ok(methodHelp(smart as never).startsWith(summary + "\n"));
  assert.equal(raw.category, "hidden");
});
