/**
 * getblockfilter and scanblocks (rpc/blockchain.cpp): a block's BIP157 basic filter and header,
 * and the blocks whose filters match descriptors, from `-blockfilterindex`.
 *
 * @module
 */
import {
  getArray,
  getBool,
  getInt,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import { BlockStatus } from "../chain/block_index_entry.ts";
import type { NodeContext } from "../node_context.ts";
import { extrasOf } from "./node_rpc_extras.ts";
import { findValue, parseHashV } from "./rpc_parse.ts";
import { evalScanObject, SCAN_ACTION_ARG, SCAN_OBJECTS_ARG } from "./utxo_methods.ts";
import { BlockFilter } from "../../../kernel/blockfilter/mod.ts";
import type { Block } from "../../../kernel/primitives/mod.ts";
import type { BlockUndo } from "../../../kernel/consensus/mod.ts";

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

/** Whether a block creates or spends one of the scripts (`CheckBlockFilterMatches`). */
function blockTouches(block: Block, undo: BlockUndo | undefined, needles: Set<string>): boolean {
  for (const tx of block.transactions) {
    if (tx.outputs.some((o) => needles.has(bytesToHex(o.scriptPubKey)))) return true;
  }
  for (const coins of undo?.txUndo ?? []) {
    if (coins.some((c) => needles.has(bytesToHex(c.output.scriptPubKey)))) return true;
  }
  return false;
}

let scanInProgress = false;

/** scanblocks. */
export function scanBlocksMethod(): RpcMethod<NodeContext> {
  const addr = "addr(bcrt1q4u4nsgk6ug0sqz7r3rj9tykjxrsl0yy4d0wwte)";
  return {
    name: "scanblocks",
    category: "blockchain",
    description:
      "\nReturn relevant blockhashes for given descriptors (requires blockfilterindex).\n" +
      "This call may take several minutes. Make sure to use no RPC timeout (freicoin-cli -rpcclienttimeout=0)",
    args: [
      SCAN_ACTION_ARG,
      SCAN_OBJECTS_ARG,
      {
        names: "start_height",
        type: "num",
        default: 0,
        description: "Height to start to scan from",
      },
      {
        names: "stop_height",
        type: "num",
        defaultHint: "chain tip",
        description: "Height to stop to scan",
      },
      {
        names: "filtertype",
        type: "str",
        default: "basic",
        description: "The type name of the filter",
      },
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        onelineDescription: "options",
        description: "",
        inner: [{
          names: "filter_false_positives",
          type: "bool",
          default: false,
          description:
            "Filter false positives (slower and may fail on pruned nodes). Otherwise they may occur at a rate of 1/M",
        }],
      },
    ],
    results: [
      {
        type: "none",
        cond: "when action=='status' and no scan is in progress - possibly already completed",
        description: "",
      },
      {
        type: "obj",
        cond: "When action=='start'; only returns after scan completes",
        inner: [
          { type: "num", key: "from_height", description: "The height we started the scan from" },
          { type: "num", key: "to_height", description: "The height we ended the scan at" },
          {
            type: "arr",
            key: "relevant_blocks",
            description: "Blocks that may have matched a scanobject.",
            inner: [{ type: "str_hex", key: "blockhash", description: "A relevant blockhash" }],
          },
          {
            type: "bool",
            key: "completed",
            description: "true if the scan process was not aborted",
          },
        ],
      },
      {
        type: "obj",
        cond: "when action=='status' and a scan is currently in progress",
        inner: [
          { type: "num", key: "progress", description: "Approximate percent complete" },
          {
            type: "num",
            key: "current_height",
            description: "Height of the block currently being scanned",
          },
        ],
      },
      {
        type: "bool",
        key: "success",
        cond: "when action=='abort'",
        description:
          "True if scan will be aborted (not necessarily before this RPC returns), or false if there is no scan to abort",
      },
    ],
    examples: helpExampleCli("scanblocks", `start '["${addr}"]' 300000`) +
      helpExampleCli("scanblocks", `start '["${addr}"]' 100 150 basic`) +
      helpExampleCli("scanblocks", "status") +
      helpExampleRpc("scanblocks", `"start", ["${addr}"], 300000`) +
      helpExampleRpc("scanblocks", `"start", ["${addr}"], 100, 150, "basic"`) +
      helpExampleRpc("scanblocks", '"status"'),
    handler: (call) => {
      const action = getStr(call.params[0]);
      // Scans run to completion within one call, so none is ever seen in progress.
      if (action === "status") return scanInProgress ? { progress: 0, current_height: 0 } : null;
      if (action === "abort") return false;
      if (action !== "start") {
        throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `Invalid action '${action}'`);
      }
      scanInProgress = true;
      try {
        return scanBlocks(call.context, call.params);
      } finally {
        scanInProgress = false;
      }
    },
  };
}

function scanBlocks(context: NodeContext, params: readonly JsonValue[]): JsonObject {
  const typeName = params[4] === undefined || params[4] === null ? "basic" : getStr(params[4]);
  if (typeName !== "basic") {
    throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Unknown filtertype");
  }
  const options = params[5];
  const falsePositivesOption = options === undefined || options === null
    ? undefined
    : findValue(options, "filter_false_positives");
  const filterFalsePositives = falsePositivesOption === undefined
    ? false
    : getBool(falsePositivesOption);
  const extras = extrasOf(context);
  const lookup = extras.blockFilter;
  if (!lookup || !extras.indexSummaries?.().some((s) => s.name === INDEX_NAME)) {
    throw new RpcError(RPC_ERROR.MISC_ERROR, `Index is not enabled for filtertype ${typeName}`);
  }
  const chain = context.chain;
  let start = chain.getBlockEntry(0)!;
  let stop = chain.tip!;
  if (params[2] !== undefined && params[2] !== null) {
    const entry = chain.getBlockEntry(getInt(params[2]));
    if (!entry) throw new RpcError(RPC_ERROR.MISC_ERROR, "Invalid start_height");
    start = entry;
  }
  if (params[3] !== undefined && params[3] !== null) {
    const entry = chain.getBlockEntry(getInt(params[3]));
    if (!entry || entry.height < start.height) {
      throw new RpcError(RPC_ERROR.MISC_ERROR, "Invalid stop_height");
    }
    stop = entry;
  }
  const needles = new Set<string>();
  for (const object of getArray(params[1])) {
    for (const script of evalScanObject(context, object).keys()) needles.add(script);
  }
  const elements = [...needles].map((hex) =>
    Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16))
  );
  const relevant: string[] = [];
  for (let height = start.height; height <= stop.height; height++) {
    const entry = chain.getBlockEntry(height)!;
    const stored = lookup(entry.hash);
    if (!stored) continue;
    const filter = BlockFilter.decodeBasic(entry.hash, stored.filter);
    if (!filter.filter.matchAny(elements)) continue;
    if (filterFalsePositives) {
      const block = chain.readBlock(entry);
      const undo = height > 0 ? chain.readUndo(entry) : undefined;
      if (!block || !blockTouches(block, undo, needles)) continue;
    }
    relevant.push(entry.hashHex);
  }
  return {
    from_height: start.height,
    to_height: stop.height,
    relevant_blocks: relevant,
    completed: true,
  };
}
