/**
 * The hidden `mockscheduler` RPC: brings the node's scheduled tasks forward (regtest only).
 *
 * @module
 */
import { getInt64, type RpcMethod } from "../../../rpc/mod.ts";
import type { Scheduler } from "./scheduler.ts";

/** What `mockscheduler` needs from the node. */
export interface SchedulerRpcContext {
  readonly scheduler: Scheduler;
  /** Whether the chain allows mocking (regtest). */
  readonly isMockableChain: boolean;
}

/** The largest step `mockscheduler` takes, in seconds (one hour). */
const MAX_MOCK_FORWARD_SECONDS = 3600n;

/** `mockscheduler delta_time`. */
export function mockSchedulerMethod(ctx: SchedulerRpcContext): RpcMethod {
  return {
    name: "mockscheduler",
    category: "hidden",
    description: "\nBump the scheduler into the future (-regtest only)\n",
    args: [{
      names: "delta_time",
      type: "num",
      description: "Number of seconds to forward the scheduler into the future.",
    }],
    results: [{ type: "none", description: "" }],
    examples: "",
    handler: (call) => {
      // freicoind throws plain runtime errors here (RPC code -1), not JSONRPCErrors.
      if (!ctx.isMockableChain) {
        throw new Error("mockscheduler is for regression testing (-regtest mode) only");
      }
      const seconds = getInt64(call.params[0]);
      if (seconds <= 0n || seconds > MAX_MOCK_FORWARD_SECONDS) {
        throw new Error("delta_time must be between 1 and 3600 seconds (1 hr)");
      }
      ctx.scheduler.mockForward(Number(seconds) * 1000);
      return null;
    },
  };
}
