/**
 * What the node's RPC methods and services share: the parts of a running node.
 *
 * @module
 */
import type { Args } from "../../cli/args/args.ts";
import type { Logger } from "../../cli/logger.ts";
import type { ChainParams } from "../../kernel/chain/mod.ts";
import type { ChainState } from "./chain/chain_state.ts";
import type { NodeClock } from "./node_clock.ts";

/** The running node, as its RPC methods see it. */
export interface NodeContext {
  readonly args: Args;
  readonly params: ChainParams;
  readonly chain: ChainState;
  readonly clock: NodeClock;
  readonly log: Logger;
  /** Resolves once every chain notification queued so far has been delivered. */
  syncWithValidationQueue(): Promise<void>;
}
