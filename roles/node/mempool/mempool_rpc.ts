/**
 * The mempool RPC methods (src/rpc/mempool.cpp): getrawmempool, getmempoolinfo,
 * getmempoolentry, getmempoolancestors, getmempooldescendants, gettxspendingprevout,
 * savemempool, importmempool, and the collection with the transaction-submitting methods.
 * Help texts and arguments are freicoind's.
 *
 * @module
 */
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { OutPoint, type Transaction } from "../../../kernel/primitives/mod.ts";
import {
  amountToJson,
  getArray,
  getBool,
  getInt,
  getObject,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  jsonTypeName,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import { type Coin, MEMPOOL_HEIGHT } from "../../../kernel/consensus/mod.ts";
import type { Mempool } from "./mempool.ts";
import type { MempoolEntry } from "./mempool_entry.ts";
import { dumpMempool, loadMempool } from "./mempool_persist.ts";
import { signalsOptInRbf } from "./policy.ts";
import type { MempoolRpcContext } from "./mempool_rpc_context.ts";
import { rawTransactionRpcMethods } from "./raw_transaction_rpc.ts";
import { byInternalOrder } from "./_rpc_util.ts";

function entryDescription(): RpcResult[] {
  return [
    {
      type: "num",
      key: "vsize",
      description:
        "virtual transaction size as defined in BIP 141. This is different from actual serialized size for witness transactions as witness data is discounted.",
    },
    { type: "num", key: "weight", description: "transaction weight as defined in BIP 141." },
    {
      type: "num_time",
      key: "time",
      description: "local time transaction entered pool in seconds since 1 Jan 1970 GMT",
    },
    { type: "num", key: "height", description: "block height when transaction entered pool" },
    {
      type: "num",
      key: "descendantcount",
      description: "number of in-mempool descendant transactions (including this one)",
    },
    {
      type: "num",
      key: "descendantsize",
      description: "virtual transaction size of in-mempool descendants (including this one)",
    },
    {
      type: "num",
      key: "ancestorcount",
      description: "number of in-mempool ancestor transactions (including this one)",
    },
    {
      type: "num",
      key: "ancestorsize",
      description: "virtual transaction size of in-mempool ancestors (including this one)",
    },
    {
      type: "str_hex",
      key: "wtxid",
      description: "hash of serialized transaction, including witness data",
    },
    {
      type: "obj",
      key: "fees",
      description: "",
      inner: [
        { type: "str_amount", key: "base", description: "transaction fee, denominated in FRC" },
        {
          type: "str_amount",
          key: "modified",
          description:
            "transaction fee with fee deltas used for mining priority, denominated in FRC",
        },
        {
          type: "str_amount",
          key: "ancestor",
          description:
            "transaction fees of in-mempool ancestors (including this one) with fee deltas used for mining priority, denominated in FRC",
        },
        {
          type: "str_amount",
          key: "descendant",
          description:
            "transaction fees of in-mempool descendants (including this one) with fee deltas used for mining priority, denominated in FRC",
        },
      ],
    },
    {
      type: "arr",
      key: "depends",
      description: "unconfirmed transactions used as inputs for this transaction",
      inner: [{ type: "str_hex", key: "transactionid", description: "parent transaction id" }],
    },
    {
      type: "arr",
      key: "spentby",
      description: "unconfirmed transactions spending outputs from this transaction",
      inner: [{ type: "str_hex", key: "transactionid", description: "child transaction id" }],
    },
    {
      type: "bool",
      key: "bip125-replaceable",
      description:
        "Whether this transaction signals BIP125 replaceability or has an unconfirmed ancestor signaling BIP125 replaceability.\n",
    },
    {
      type: "bool",
      key: "unbroadcast",
      description:
        "Whether this transaction is currently unbroadcast (initial broadcast not yet acknowledged by any peers)",
    },
  ];
}

/** `entryToJSON`. */
export function entryToJson(pool: Mempool, entry: MempoolEntry): Map<string, JsonValue> {
  const ancestors = pool.ancestorStats(entry);
  const descendants = pool.descendantStats(entry);
  // std::set<std::string> of parent txids: sorted as strings.
  const depends = [...new Set([...entry.parents].map((p) => p.txidHex))].sort();
  const replaceable = signalsOptInRbf(entry.tx) ||
    [...pool.ancestorsOf(entry)].some((a) => signalsOptInRbf(a.tx));
  return new Map<string, JsonValue>([
    ["vsize", entry.vsize],
    ["weight", entry.weight],
    ["time", entry.time],
    ["height", entry.entryHeight],
    ["descendantcount", descendants.count],
    ["descendantsize", descendants.vsize],
    ["ancestorcount", ancestors.count],
    ["ancestorsize", ancestors.vsize],
    ["wtxid", entry.tx.wtxidHex],
    [
      "fees",
      new Map<string, JsonValue>([
        ["base", amountToJson(entry.fee)],
        ["modified", amountToJson(entry.modifiedFee)],
        ["ancestor", amountToJson(ancestors.modifiedFees)],
        ["descendant", amountToJson(descendants.modifiedFees)],
      ]),
    ],
    ["depends", depends],
    // A std::set ordered by txid (internal byte order).
    ["spentby", [...entry.children].map((c) => c.txidHex).sort(byInternalOrder)],
    ["bip125-replaceable", replaceable],
    ["unbroadcast", pool.isUnbroadcast(entry.txidHex)],
  ]);
}

function parseTxid(value: JsonValue | undefined, name: string): string {
  const text = getStr(value ?? null);
  if (text.length !== 64) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be of length 64 (not ${text.length}, for '${text}')`,
    );
  }
  if (!/^[0-9a-fA-F]*$/.test(text)) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${text}')`,
    );
  }
  return text.toLowerCase();
}

function entryOrThrow(pool: Mempool, txid: string): MempoolEntry {
  const entry = pool.get(txid);
  if (!entry) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Transaction not in mempool");
  return entry;
}

function getRawMempoolMethod(ctx: MempoolRpcContext): RpcMethod {
  return {
    name: "getrawmempool",
    category: "blockchain",
    description:
      "\nReturns all transaction ids in memory pool as a json array of string transaction ids.\n" +
      "\nHint: use getmempoolentry to fetch a specific transaction from the mempool.\n",
    args: [
      {
        names: "verbose",
        type: "bool",
        default: false,
        description: "True for a json object, false for array of transaction ids",
      },
      {
        names: "mempool_sequence",
        type: "bool",
        default: false,
        description:
          "If verbose=false, returns a json object with transaction list and mempool sequence number attached.",
      },
    ],
    results: [
      {
        type: "arr",
        cond: "for verbose = false",
        inner: [{ type: "str_hex", description: "The transaction id" }],
      },
      {
        type: "obj_dyn",
        cond: "for verbose = true",
        inner: [{ type: "obj", key: "transactionid", inner: entryDescription() }],
      },
      {
        type: "obj",
        cond: "for verbose = false and mempool_sequence = true",
        inner: [
          {
            type: "arr",
            key: "txids",
            inner: [{ type: "str_hex", description: "The transaction id" }],
          },
          { type: "num", key: "mempool_sequence", description: "The mempool sequence value." },
        ],
      },
    ],
    examples: helpExampleCli("getrawmempool", "true") + helpExampleRpc("getrawmempool", "true"),
    handler: (call) => {
      const verbose = call.maybeArg(0) === undefined ? false : getBool(call.params[0]);
      const withSequence = call.maybeArg(1) === undefined ? false : getBool(call.params[1]);
      const pool = ctx.mempool;
      const entries = pool.sortedEntries();
      if (verbose) {
        if (withSequence) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Verbose results cannot contain mempool sequence values.",
          );
        }
        return new Map(entries.map((e) => [e.txidHex, entryToJson(pool, e)]));
      }
      const txids = entries.map((e) => e.txidHex);
      if (!withSequence) return txids;
      return new Map<string, JsonValue>([["txids", txids], ["mempool_sequence", pool.sequence]]);
    },
  };
}

function relativesMethod(ctx: MempoolRpcContext, kind: "ancestors" | "descendants"): RpcMethod {
  const name = kind === "ancestors" ? "getmempoolancestors" : "getmempooldescendants";
  const single = kind === "ancestors" ? "ancestor" : "descendant";
  return {
    name,
    category: "blockchain",
    description: `\nIf txid is in the mempool, returns all in-mempool ${kind}.\n`,
    args: [
      { names: "txid", type: "str_hex", description: "The transaction id (must be in mempool)" },
      {
        names: "verbose",
        type: "bool",
        default: false,
        description: "True for a json object, false for array of transaction ids",
      },
    ],
    results: [
      {
        type: "arr",
        cond: "for verbose = false",
        inner: [{
          type: "str_hex",
          description: `The transaction id of an in-mempool ${single} transaction`,
        }],
      },
      {
        type: "obj_dyn",
        cond: "for verbose = true",
        inner: [{ type: "obj", key: "transactionid", inner: entryDescription() }],
      },
    ],
    examples: helpExampleCli(name, '"mytxid"') + helpExampleRpc(name, '"mytxid"'),
    handler: (call) => {
      const verbose = call.maybeArg(1) === undefined ? false : getBool(call.params[1]);
      const txid = parseTxid(call.params[0], "parameter 1");
      const pool = ctx.mempool;
      const entry = entryOrThrow(pool, txid);
      const related = kind === "ancestors" ? pool.ancestorsOf(entry) : pool.descendantsOf(entry);
      // freicoind iterates a std::set of iterators (address order); we list in pool order.
      const ordered = pool.sortedEntries().filter((e) => related.has(e));
      if (!verbose) return ordered.map((e) => e.txidHex);
      return new Map(ordered.map((e) => [e.txidHex, entryToJson(pool, e)]));
    },
  };
}

function getMempoolEntryMethod(ctx: MempoolRpcContext): RpcMethod {
  return {
    name: "getmempoolentry",
    category: "blockchain",
    description: "\nReturns mempool data for given transaction\n",
    args: [{
      names: "txid",
      type: "str_hex",
      description: "The transaction id (must be in mempool)",
    }],
    results: [{ type: "obj", inner: entryDescription() }],
    examples: helpExampleCli("getmempoolentry", '"mytxid"') +
      helpExampleRpc("getmempoolentry", '"mytxid"'),
    handler: (call) => {
      const txid = parseTxid(call.params[0], "parameter 1");
      return entryToJson(ctx.mempool, entryOrThrow(ctx.mempool, txid));
    },
  };
}

/** `MempoolInfoToJSON`. */
export function mempoolInfoToJson(pool: Mempool, now: number): Map<string, JsonValue> {
  const minFee = pool.getMinFee(now);
  const relay = pool.options.minRelayFeeRate;
  return new Map<string, JsonValue>([
    ["loaded", pool.loaded],
    ["size", pool.size],
    ["bytes", pool.totalTxSize],
    ["usage", pool.usage],
    ["total_fee", amountToJson(pool.totalFee)],
    ["maxmempool", pool.options.maxSizeBytes],
    ["mempoolminfee", amountToJson(minFee.perKvB > relay.perKvB ? minFee.perKvB : relay.perKvB)],
    ["minrelaytxfee", amountToJson(relay.perKvB)],
    ["incrementalrelayfee", amountToJson(pool.options.incrementalRelayFeeRate.perKvB)],
    ["unbroadcastcount", pool.unbroadcastTxids().size],
    ["fullrbf", pool.options.fullRbf],
  ]);
}

function getMempoolInfoMethod(ctx: MempoolRpcContext): RpcMethod {
  return {
    name: "getmempoolinfo",
    category: "blockchain",
    description: "Returns details on the active state of the TX memory pool.",
    args: [],
    results: [{
      type: "obj",
      inner: [
        {
          type: "bool",
          key: "loaded",
          description: "True if the initial load attempt of the persisted mempool finished",
        },
        { type: "num", key: "size", description: "Current tx count" },
        {
          type: "num",
          key: "bytes",
          description:
            "Sum of all virtual transaction sizes as defined in BIP 141. Differs from actual serialized size because witness data is discounted",
        },
        { type: "num", key: "usage", description: "Total memory usage for the mempool" },
        {
          type: "str_amount",
          key: "total_fee",
          description:
            "Total fees for the mempool in FRC, ignoring modified fees through prioritisetransaction",
        },
        { type: "num", key: "maxmempool", description: "Maximum memory usage for the mempool" },
        {
          type: "str_amount",
          key: "mempoolminfee",
          description:
            "Minimum fee rate in FRC/kvB for tx to be accepted. Is the maximum of minrelaytxfee and minimum mempool fee",
        },
        {
          type: "str_amount",
          key: "minrelaytxfee",
          description: "Current minimum relay fee for transactions",
        },
        {
          type: "num",
          key: "incrementalrelayfee",
          description: "minimum fee rate increment for mempool limiting or replacement in FRC/kvB",
        },
        {
          type: "num",
          key: "unbroadcastcount",
          description: "Current number of transactions that haven't passed initial broadcast yet",
        },
        {
          type: "bool",
          key: "fullrbf",
          description:
            "True if the mempool accepts RBF without replaceability signaling inspection",
        },
      ],
    }],
    examples: helpExampleCli("getmempoolinfo", "") + helpExampleRpc("getmempoolinfo", ""),
    handler: () => mempoolInfoToJson(ctx.mempool, Math.floor(ctx.now())),
  };
}

function saveMempoolMethod(ctx: MempoolRpcContext): RpcMethod {
  return {
    name: "savemempool",
    category: "blockchain",
    description:
      "\nDumps the mempool to disk. It will fail until the previous dump is fully loaded.\n",
    args: [],
    results: [{
      type: "obj",
      inner: [{
        type: "str",
        key: "filename",
        description: "the directory and file where the mempool was saved",
      }],
    }],
    examples: helpExampleCli("savemempool", "") + helpExampleRpc("savemempool", ""),
    handler: async () => {
      if (!ctx.mempool.loaded) {
        throw new RpcError(RPC_ERROR.MISC_ERROR, "The mempool was not loaded yet");
      }
      if (!(await dumpMempool(ctx.mempool, ctx.mempoolPath))) {
        throw new RpcError(RPC_ERROR.MISC_ERROR, "Unable to dump mempool to disk");
      }
      return new Map<string, JsonValue>([["filename", ctx.mempoolPath]]);
    },
  };
}

/** `RPCTypeCheckObj(o, {txid: str, vout: num}, false, strict)`. */
function checkOutputObject(value: JsonValue): JsonObject {
  const object = getObject(value);
  const expected: [string, string][] = [["txid", "string"], ["vout", "number"]];
  for (const [key, type] of expected) {
    const actual = jsonTypeName(object[key]);
    if (actual === "null") throw new RpcError(RPC_ERROR.TYPE_ERROR, `Missing ${key}`);
    if (actual !== type) {
      throw new RpcError(
        RPC_ERROR.TYPE_ERROR,
        `JSON value of type ${actual} for field ${key} is not of expected type ${type}`,
      );
    }
  }
  for (const key of Object.keys(object)) {
    if (key !== "txid" && key !== "vout") {
      throw new RpcError(RPC_ERROR.TYPE_ERROR, `Unexpected key ${key}`);
    }
  }
  return object;
}

function getTxSpendingPrevoutMethod(ctx: MempoolRpcContext): RpcMethod {
  const example =
    '"[{\\"txid\\":\\"a08e6907dbbd3d809776dbfc5d82e371b764ed838b5655e72f463568df1aadf0\\",\\"vout\\":3}]"';
  return {
    name: "gettxspendingprevout",
    category: "blockchain",
    description: "Scans the mempool to find transactions spending any of the given outputs",
    args: [{
      names: "outputs",
      type: "arr",
      description:
        "The transaction outputs that we want to check, and within each, the txid (string) vout (numeric).",
      inner: [{
        names: "",
        type: "obj",
        optional: true,
        description: "",
        inner: [
          { names: "txid", type: "str_hex", description: "The transaction id" },
          { names: "vout", type: "num", description: "The output number" },
        ],
      }],
    }],
    results: [{
      type: "arr",
      inner: [{
        type: "obj",
        inner: [
          { type: "str_hex", key: "txid", description: "the transaction id of the checked output" },
          { type: "num", key: "vout", description: "the vout value of the checked output" },
          {
            type: "str_hex",
            key: "spendingtxid",
            optional: true,
            description:
              "the transaction id of the mempool transaction spending this output (omitted if unspent)",
          },
        ],
      }],
    }],
    examples: helpExampleCli("gettxspendingprevout", example) +
      helpExampleRpc("gettxspendingprevout", example),
    handler: (call) => {
      const outputs = getArray(call.params[0]);
      if (outputs.length === 0) {
        throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, outputs are missing");
      }
      const prevouts = outputs.map((item) => {
        const object = checkOutputObject(item);
        const txid = parseTxid(object["txid"], "txid");
        const n = getInt(object["vout"]);
        if (n < 0) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Invalid parameter, vout cannot be negative",
          );
        }
        return { txid, n };
      });
      return prevouts.map(({ txid, n }) => {
        const result = new Map<string, JsonValue>([["txid", txid], ["vout", n]]);
        const hash = hexToBytes(txid).reverse();
        const spender = n <= 0xffffffff ? ctx.mempool.spenderOf(new OutPoint(hash, n)) : undefined;
        if (spender) result.set("spendingtxid", spender.txidHex);
        return result;
      });
    },
  };
}

function importMempoolMethod(ctx: MempoolRpcContext): RpcMethod {
  return {
    name: "importmempool",
    category: "blockchain",
    description: "Import a mempool.dat file and attempt to add its contents to the mempool.\n" +
      "Warning: Importing untrusted files is dangerous, especially if metadata from the file is taken over.",
    args: [
      { names: "filepath", type: "str", description: "The mempool file" },
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        description: "",
        onelineDescription: "options",
        inner: [
          {
            names: "use_current_time",
            type: "bool",
            default: true,
            description:
              "Whether to use the current system time or use the entry time metadata from the mempool file.\n" +
              "Warning: Importing untrusted metadata may lead to unexpected issues and undesirable behavior.",
          },
          {
            names: "apply_fee_delta_priority",
            type: "bool",
            default: false,
            description: "Whether to apply the fee delta metadata from the mempool file.\n" +
              "It will be added to any existing fee deltas.\n" +
              "The fee delta can be set by the prioritisetransaction RPC.\n" +
              "Warning: Importing untrusted metadata may lead to unexpected issues and undesirable behavior.\n" +
              "Only set this bool if you understand what it does.",
          },
          {
            names: "apply_unbroadcast_set",
            type: "bool",
            default: false,
            description: "Whether to apply the unbroadcast set metadata from the mempool file.\n" +
              "Warning: Importing untrusted metadata may lead to unexpected issues and undesirable behavior.",
          },
        ],
      },
    ],
    results: [{ type: "obj", inner: [] }],
    examples: helpExampleCli("importmempool", "/path/to/mempool.dat") +
      helpExampleRpc("importmempool", "/path/to/mempool.dat"),
    handler: async (call) => {
      if (ctx.isInitialBlockDownload?.()) {
        throw new RpcError(
          RPC_ERROR.CLIENT_IN_INITIAL_DOWNLOAD,
          "Can only import the mempool after the block download and sync is done.",
        );
      }
      const path = getStr(call.params[0]);
      const options = call.maybeArg(1);
      const object = options === undefined ? {} : getObject(options);
      const flag = (key: string, fallback: boolean) => {
        const value = object[key];
        return value === undefined || value === null ? fallback : getBool(value);
      };
      const result = await loadMempool(ctx.mempool, ctx.chain, path, {
        now: Math.floor(ctx.now()),
        useCurrentTime: flag("use_current_time", true),
        applyFeeDelta: flag("apply_fee_delta_priority", false),
        applyUnbroadcast: flag("apply_unbroadcast_set", false),
      });
      if (!result) {
        throw new RpcError(
          RPC_ERROR.MISC_ERROR,
          "Unable to import mempool file, see debug.log for details.",
        );
      }
      return new Map<string, JsonValue>();
    },
  };
}

/**
 * Mempool lookups other RPC methods use (getrawtransaction, gettxout with include_mempool):
 * the shape of `NodeRpcExtras`' mempool members in roles/node/rpc.
 */
export function mempoolLookups(pool: Mempool): {
  mempoolTransaction(txid: string): Transaction | undefined;
  mempoolCoin(outpoint: OutPoint): Coin | undefined;
  mempoolSpends(outpoint: OutPoint): boolean;
} {
  return {
    mempoolTransaction: (txid) => pool.get(txid)?.tx,
    mempoolCoin: (outpoint) => {
      const parent = pool.getByHash(outpoint.hash);
      const output = parent?.tx.outputs[outpoint.n];
      if (!parent || !output) return undefined;
      return { output, height: MEMPOOL_HEIGHT, isCoinBase: false, refheight: parent.tx.lockHeight };
    },
    mempoolSpends: (outpoint) => pool.spenderOf(outpoint) !== undefined,
  };
}

/**
 * The mempool RPC methods, closed over `ctx`, for the node's registry. `ctx` is read when a
 * method runs, so its members may be getters that resolve once the chainstate has loaded.
 */
export function mempoolRpcMethods(ctx: MempoolRpcContext): RpcMethod[] {
  const [sendRawTransaction, submitPackage, testMempoolAccept] = rawTransactionRpcMethods(ctx);
  return [
    getMempoolEntryMethod(ctx),
    getTxSpendingPrevoutMethod(ctx),
    importMempoolMethod(ctx),
    relativesMethod(ctx, "ancestors"),
    relativesMethod(ctx, "descendants"),
    getMempoolInfoMethod(ctx),
    getRawMempoolMethod(ctx),
    saveMempoolMethod(ctx),
    sendRawTransaction,
    submitPackage,
    testMempoolAccept,
  ];
}
