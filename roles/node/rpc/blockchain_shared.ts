/**
 * Helpers shared by the blockchain methods: the tip, blocks by hash argument, and the
 * UNIX-time wording of help texts.
 *
 * @module
 */
import { type JsonValue, RPC_ERROR, RpcError } from "../../../rpc/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import type { NodeContext } from "../node_context.ts";
import { parseHashV } from "./rpc_parse.ts";

/** How help texts name UNIX times. */
export const UNIX_EPOCH_TIME = "UNIX epoch time";
/** The block hash freicoind's examples use. */
export const EXAMPLE_HASH = '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"';

/** The active tip, or -32603 when there is none. */
export function tipOf(chain: ChainState): BlockIndexEntry {
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
