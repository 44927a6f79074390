/**
 * What the mining RPC methods need from the node.
 *
 * @module
 */
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import type { MiningChainView } from "../mempool/chain_view.ts";
import type { Mempool } from "../mempool/mod.ts";
import type { BlockAssemblerOptions } from "./block_assembler.ts";

/** `DEFAULT_MAX_TRIES`. */
export const DEFAULT_MAX_TRIES = 1_000_000;

/** What the mining methods need from the node. */
export interface MiningRpcContext {
  readonly chain: MiningChainView;
  readonly mempool: Mempool;
  /** The node's clock in seconds (setmocktime). */
  readonly now: () => number;
  /** secp256k1 backend, for descriptors with keys. */
  readonly secp256k1: Secp256k1;
  /** `-blockmaxweight`, `-blockmintxfee`, `-blockversion`. */
  readonly assemblerOptions?: BlockAssemblerOptions;
  /** Shutdown requested. */
  readonly interrupted?: () => boolean;
  /** Connected peers (getblocktemplate refuses to work without any off test chains). */
  readonly peerCount?: () => number;
  /** Warnings text for getmininginfo. Default "". */
  readonly warnings?: () => string;
}
