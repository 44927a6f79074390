/**
 * getblockfilter (rpc/blockchain.cpp): a block's BIP157 basic filter and header from
 * `-blockfilterindex`.
 *
 * @module
 */
import {
  getStr,
  helpExampleCli,
  helpExampleRpc,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import { BlockStatus } from "../chain/block_index_entry.ts";
import type { NodeContext } from "../node_context.ts";
import { extrasOf } from "./node_rpc_extras.ts";
import { parseHashV } from "./rpc_parse.ts";

const INDEX_NAME = "basic block filter index";

/** getblockfilter. */
export function getBlockFilterMethod(): RpcMethod<NodeContext> {
  const example = '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"';
  return {
    name: "getblockfilter",
    category: "blockchain",
    description: "\nRetrieve a BIP 157 content filter for a particular block.\n",
    args: [
      { names: "blockhash", type: "str_hex", description: "The hash of the block" },
      {
        names: "filtertype",
        type: "str",
        default: "basic",
        description: "The type name of the filter",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        { type: "str_hex", key: "filter", description: "the hex-encoded filter data" },
        { type: "str_hex", key: "header", description: "the hex-encoded filter header" },
      ],
    }],
    examples: helpExampleCli("getblockfilter", `${example} "basic"`) +
      helpExampleRpc("getblockfilter", `${example}, "basic"`),
    handler: (call) => {
      const context = call.context;
      const hash = parseHashV(call.params[0], "blockhash");
      const typeName = call.maybeArg(1) === undefined ? "basic" : getStr(call.params[1]);
      if (typeName !== "basic") {
        throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Unknown filtertype");
      }
      const extras = extrasOf(context);
      const summary = extras.indexSummaries?.().find((s) => s.name === INDEX_NAME);
      if (!extras.blockFilter || !summary) {
        throw new RpcError(RPC_ERROR.MISC_ERROR, `Index is not enabled for filtertype ${typeName}`);
      }
      const entry = context.chain.lookupBlockIndex(hash);
      if (!entry) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Block not found");
      const stored = extras.blockFilter(hash);
      if (!stored) {
        let message = "Filter not found.";
        let code: number = RPC_ERROR.INTERNAL_ERROR;
        if (!entry.isValid(BlockStatus.VALID_SCRIPTS)) {
          code = RPC_ERROR.INVALID_ADDRESS_OR_KEY;
          message += " Block was not connected to active chain.";
        } else if (!summary.synced) {
          code = RPC_ERROR.MISC_ERROR;
          message += " Block filters are still in the process of being indexed.";
        } else {
          message += " This error is unexpected and indicates index corruption.";
        }
        throw new RpcError(code, message);
      }
      return { filter: bytesToHex(stored.filter), header: hashToHex(stored.header) };
    },
  };
}
