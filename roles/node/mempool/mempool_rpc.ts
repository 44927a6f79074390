/**
 * The mempool RPC methods (src/rpc/mempool.cpp): sendrawtransaction, testmempoolaccept,
 * getrawmempool, getmempoolinfo, getmempoolentry, getmempoolancestors,
 * getmempooldescendants, savemempool. Help texts and arguments are freicoind's.
 *
 * @module
 */
import { COIN } from "../../../kernel/amount/mod.ts";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { decodeTransaction, OutPoint, type Transaction } from "../../../kernel/primitives/mod.ts";
import { isUnspendable, MAX_OPCODE, scriptOps } from "../../../kernel/script/mod.ts";
import {
  amountFromJson,
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
import { type AcceptResult, acceptToMemoryPool, MEMPOOL_HEIGHT } from "./accept.ts";
import {
  isChildWithParentsTree,
  MAX_PACKAGE_COUNT,
  packageTxErrorString,
  submitPackage,
  testAcceptPackage,
} from "./accept_package.ts";
import type { Coin } from "../../../kernel/consensus/mod.ts";
import type { MempoolChainView } from "./chain_view.ts";
import { FeeRate } from "./fee_rate.ts";
import type { Mempool } from "./mempool.ts";
import type { MempoolEntry } from "./mempool_entry.ts";
import { dumpMempool, loadMempool } from "./mempool_persist.ts";
import { signalsOptInRbf } from "./policy.ts";

/** `DEFAULT_MAX_RAW_TX_FEE_RATE`: 0.10 FRC/kvB. */
export const DEFAULT_MAX_RAW_TX_FEE_RATE = COIN / 10n;

/** What the mempool methods need from the node. */
export interface MempoolRpcContext {
  readonly chain: MempoolChainView;
  readonly mempool: Mempool;
  /** The node's clock in seconds (setmocktime). */
  readonly now: () => number;
  /** `<network dir>/mempool.dat`. */
  readonly mempoolPath: string;
  /** Whether the node is in initial block download (importmempool refuses then). */
  readonly isInitialBlockDownload?: () => boolean;
  /** Announces an accepted transaction to peers (optional until P2P exists). */
  readonly relay?: (tx: Transaction) => void;
}

const MAX_FEE_RATE_DESCRIPTION =
  "Reject transactions whose fee rate is higher than the specified value, expressed in FRC/kvB.\n" +
  "Fee rates larger than 1FRC/kvB are rejected.\nSet to 0 to accept any fee rate.";

const CREATE_EXAMPLE = "\nCreate a transaction\n" +
  helpExampleCli(
    "createrawtransaction",
    '"[{\\"txid\\" : \\"mytxid\\",\\"vout\\":0}]" "{\\"myaddress\\":0.01}"',
  ) +
  "Sign the transaction, and get back the hex\n" +
  helpExampleCli("signrawtransactionwithwallet", '"myhex"');

/** `ParseFeeRate`. */
function parseFeeRate(value: JsonValue | undefined): FeeRate {
  const rate = amountFromJson(value);
  if (rate >= COIN) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Fee rates larger than or equal to 1FRC/kvB are not accepted",
    );
  }
  return new FeeRate(rate);
}

/** `DecodeHexTx` as these RPCs call it (witness serialization allowed, nothing left over). */
function decodeHexTx(text: string): Transaction | null {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  try {
    return decodeTransaction(hexToBytes(text));
  } catch {
    return null;
  }
}

/** `CScript::HasValidOps`. */
function hasValidOps(script: Uint8Array): boolean {
  for (const op of scriptOps(script)) {
    if (op === null || op.opcode > MAX_OPCODE) return false;
    if (op.data !== null && op.data.length > 520) return false;
  }
  return true;
}

function sendRawTransactionMethod(ctx: MempoolRpcContext): RpcMethod {
  return {
    name: "sendrawtransaction",
    category: "rawtransactions",
    description:
      "\nSubmit a raw transaction (serialized, hex-encoded) to local node and network.\n" +
      "\nThe transaction will be sent unconditionally to all peers, so using sendrawtransaction\n" +
      "for manual rebroadcast may degrade privacy by leaking the transaction's origin, as\n" +
      "nodes will normally not rebroadcast non-wallet transactions already in their mempool.\n" +
      "\nA specific exception, RPC_TRANSACTION_ALREADY_IN_CHAIN, may throw if the transaction cannot be added to the mempool.\n" +
      "\nRelated RPCs: createrawtransaction, signrawtransactionwithkey\n",
    args: [
      { names: "hexstring", type: "str_hex", description: "The hex string of the raw transaction" },
      {
        names: "maxfeerate",
        type: "amount",
        default: "0.10",
        description: MAX_FEE_RATE_DESCRIPTION,
      },
      {
        names: "maxburnamount",
        type: "amount",
        default: "0.00",
        description:
          "Reject transactions with provably unspendable outputs (e.g. 'datacarrier' outputs that use the OP_RETURN opcode) greater than the specified value, expressed in FRC.\n" +
          "If burning funds through unspendable outputs is desired, increase this value.\n" +
          "This check is based on heuristics and does not guarantee spendability of outputs.\n",
      },
    ],
    results: [{ type: "str_hex", description: "The transaction hash in hex" }],
    examples: CREATE_EXAMPLE +
      "\nSend the transaction (signed hex)\n" +
      helpExampleCli("sendrawtransaction", '"signedhex"') +
      "\nAs a JSON-RPC call\n" +
      helpExampleRpc("sendrawtransaction", '"signedhex"'),
    handler: (call) => {
      const maxBurn = call.maybeArg(2) === undefined ? 0n : amountFromJson(call.params[2]);
      const tx = decodeHexTx(getStr(call.params[0]));
      if (!tx) {
        throw new RpcError(
          RPC_ERROR.DESERIALIZATION_ERROR,
          "TX decode failed. Make sure the tx has at least one input.",
        );
      }
      for (const output of tx.outputs) {
        const script = output.scriptPubKey;
        if ((isUnspendable(script) || !hasValidOps(script)) && output.value > maxBurn) {
          throw new RpcError(
            RPC_ERROR.VERIFY_ERROR,
            "Unspendable output exceeds maximum configured by user (maxburnamount)",
          );
        }
      }
      const maxFeeRate = parseFeeRate(call.arg(1) ?? "0.10");
      return broadcastTransaction(ctx, tx, maxFeeRate);
    },
  };
}

/** `BroadcastTransaction` for the RPC: the txid, or freicoind's error. */
function broadcastTransaction(
  ctx: MempoolRpcContext,
  tx: Transaction,
  maxFeeRate: FeeRate,
): string {
  const { chain, mempool } = ctx;
  for (let n = 0; n < tx.outputs.length; n++) {
    if (chain.getCoin(new OutPoint(tx.txid, n))) {
      throw new RpcError(RPC_ERROR.VERIFY_ALREADY_IN_CHAIN, "Transaction already in block chain");
    }
  }
  if (!mempool.has(tx.txidHex)) {
    const now = Math.floor(ctx.now());
    const vsize = tx.virtualSize;
    const maxFee = maxFeeRate.getFee(vsize);
    if (maxFee > 0n) {
      const test = acceptToMemoryPool(mempool, chain, tx, { acceptTime: now, testAccept: true });
      if (!test.ok) throw atmpError(test.state);
      if (test.fee > maxFee) {
        throw new RpcError(
          RPC_ERROR.VERIFY_ERROR,
          "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
        );
      }
    }
    const result = acceptToMemoryPool(mempool, chain, tx, { acceptTime: now });
    if (!result.ok) throw atmpError(result.state);
    mempool.addUnbroadcastTx(tx.txidHex);
  }
  ctx.relay?.(tx);
  return tx.txidHex;
}

function atmpError(state: { category: string; reason: string; debugMessage: string }): RpcError {
  const text = state.debugMessage ? `${state.reason}, ${state.debugMessage}` : state.reason;
  const code = state.category === "missing-inputs"
    ? RPC_ERROR.VERIFY_ERROR
    : RPC_ERROR.VERIFY_REJECTED;
  return new RpcError(code, text);
}

function testMempoolAcceptMethod(ctx: MempoolRpcContext): RpcMethod {
  return {
    name: "testmempoolaccept",
    category: "rawtransactions",
    description:
      "\nReturns result of mempool acceptance tests indicating if raw transaction(s) (serialized, hex-encoded) would be accepted by mempool.\n" +
      "\nIf multiple transactions are passed in, parents must come before children and package policies apply: the transactions cannot conflict with any mempool transactions or each other.\n" +
      "\nIf one transaction fails, other transactions may not be fully validated (the 'allowed' key will be blank).\n" +
      `\nThe maximum number of transactions allowed is ${MAX_PACKAGE_COUNT}.\n` +
      "\nThis checks if transactions violate the consensus or policy rules.\n" +
      "\nSee sendrawtransaction call.\n",
    args: [
      {
        names: "rawtxs",
        type: "arr",
        description: "An array of hex strings of raw transactions.",
        inner: [{ names: "rawtx", type: "str_hex", optional: true, description: "" }],
      },
      {
        names: "maxfeerate",
        type: "amount",
        default: "0.10",
        description: MAX_FEE_RATE_DESCRIPTION,
      },
    ],
    results: [{
      type: "arr",
      description:
        "The result of the mempool acceptance test for each raw transaction in the input array.\n" +
        "Returns results for each transaction in the same order they were passed in.\n" +
        "Transactions that cannot be fully validated due to failures in other transactions will not contain an 'allowed' result.\n",
      inner: [{
        type: "obj",
        inner: [
          { type: "str_hex", key: "txid", description: "The transaction hash in hex" },
          { type: "str_hex", key: "wtxid", description: "The transaction witness hash in hex" },
          {
            type: "str",
            key: "package-error",
            optional: true,
            description:
              "Package validation error, if any (only possible if rawtxs had more than 1 transaction).",
          },
          {
            type: "bool",
            key: "allowed",
            optional: true,
            description:
              "Whether this tx would be accepted to the mempool and pass client-specified maxfeerate. " +
              "If not present, the tx was not fully validated due to a failure in another tx in the list.",
          },
          {
            type: "num",
            key: "vsize",
            optional: true,
            description:
              "Virtual transaction size as defined in BIP 141. This is different from actual serialized size for witness transactions as witness data is discounted (only present when 'allowed' is true)",
          },
          {
            type: "obj",
            key: "fees",
            optional: true,
            description: "Transaction fees (only present if 'allowed' is true)",
            inner: [
              { type: "str_amount", key: "base", description: "transaction fee in FRC" },
              {
                type: "str_amount",
                key: "effective-feerate",
                description:
                  "the effective feerate in FRC per KvB. May differ from the base feerate if, for example, there are modified fees from prioritisetransaction or a package feerate was used.",
              },
              {
                type: "arr",
                key: "effective-includes",
                description:
                  "transactions whose fees and vsizes are included in effective-feerate.",
                inner: [{ type: "str_hex", description: "transaction wtxid in hex" }],
              },
            ],
          },
          {
            type: "str",
            key: "reject-reason",
            optional: true,
            description: "Rejection string (only present when 'allowed' is false)",
          },
        ],
      }],
    }],
    examples: CREATE_EXAMPLE +
      "\nTest acceptance of the transaction (signed hex)\n" +
      helpExampleCli("testmempoolaccept", `'["signedhex"]'`) +
      "\nAs a JSON-RPC call\n" +
      helpExampleRpc("testmempoolaccept", '["signedhex"]'),
    handler: (call) => {
      const raw = getArray(call.params[0]);
      if (raw.length < 1 || raw.length > MAX_PACKAGE_COUNT) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Array must contain between 1 and ${MAX_PACKAGE_COUNT} transactions.`,
        );
      }
      const maxFeeRate = parseFeeRate(call.arg(1) ?? "0.10");
      const txs = raw.map((item) => {
        const text = getStr(item);
        const tx = decodeHexTx(text);
        if (!tx) {
          throw new RpcError(
            RPC_ERROR.DESERIALIZATION_ERROR,
            `TX decode failed: ${text} Make sure the tx has at least one input.`,
          );
        }
        return tx;
      });
      const acceptTime = Math.floor(ctx.now());
      let packageError: string | undefined;
      let results: ReadonlyMap<string, AcceptResult>;
      if (txs.length > 1) {
        const outcome = testAcceptPackage(ctx.mempool, ctx.chain, txs, acceptTime);
        packageError = outcome.packageError;
        results = outcome.results;
      } else {
        const result = acceptToMemoryPool(ctx.mempool, ctx.chain, txs[0], {
          acceptTime,
          testAccept: true,
        });
        results = new Map([[txs[0].wtxidHex, result]]);
      }
      // After a fee-rate failure the remaining results are left blank, as freicoind does.
      let exitEarly = false;
      return txs.map((tx) => {
        const inner = new Map<string, JsonValue>([["txid", tx.txidHex], ["wtxid", tx.wtxidHex]]);
        if (packageError !== undefined) inner.set("package-error", packageError);
        const result = results.get(tx.wtxidHex);
        if (exitEarly || !result) return inner;
        if (result.ok) {
          const maxFee = maxFeeRate.getFee(result.vsize);
          if (maxFee !== 0n && result.fee > maxFee) {
            inner.set("allowed", false);
            inner.set("reject-reason", "max-fee-exceeded");
            exitEarly = true;
          } else {
            inner.set("allowed", true);
            inner.set("vsize", result.vsize);
            inner.set(
              "fees",
              new Map<string, JsonValue>([
                ["base", amountToJson(result.fee)],
                ["effective-feerate", amountToJson(result.effectiveFeeRate.perKvB)],
                ["effective-includes", [tx.wtxidHex]],
              ]),
            );
          }
        } else {
          inner.set("allowed", false);
          inner.set(
            "reject-reason",
            result.state.category === "missing-inputs" ? "missing-inputs" : result.state.reason,
          );
        }
        return inner;
      });
    },
  };
}

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

function submitPackageMethod(ctx: MempoolRpcContext): RpcMethod {
  return {
    name: "submitpackage",
    category: "rawtransactions",
    description: "Submit a package of raw transactions (serialized, hex-encoded) to local node.\n" +
      "The package must consist of a child with its parents, and none of the parents may depend on one another.\n" +
      "The package will be validated according to consensus and mempool policy rules. If any transaction passes, it will be accepted to mempool.\n" +
      "This RPC is experimental and the interface may be unstable. Refer to doc/policy/packages.md for documentation on package policies.\n" +
      "Warning: successful submission does not mean the transactions will propagate throughout the network.\n",
    args: [{
      names: "package",
      type: "arr",
      description: "An array of raw transactions.",
      inner: [{ names: "rawtx", type: "str_hex", optional: true, description: "" }],
    }],
    results: [{
      type: "obj",
      inner: [
        {
          type: "str",
          key: "package_msg",
          description:
            'The transaction package result message. "success" indicates all transactions were accepted into or are already in the mempool.',
        },
        {
          type: "obj_dyn",
          key: "tx-results",
          description: "transaction results keyed by wtxid",
          inner: [{
            type: "obj",
            key: "wtxid",
            description: "transaction wtxid",
            inner: [
              { type: "str_hex", key: "txid", description: "The transaction hash in hex" },
              {
                type: "str_hex",
                key: "other-wtxid",
                optional: true,
                description:
                  "The wtxid of a different transaction with the same txid but different witness found in the mempool. This means the submitted transaction was ignored.",
              },
              {
                type: "num",
                key: "vsize",
                optional: true,
                description: "Sigops-adjusted virtual transaction size.",
              },
              {
                type: "obj",
                key: "fees",
                optional: true,
                description: "Transaction fees",
                inner: [
                  { type: "str_amount", key: "base", description: "transaction fee in FRC" },
                  {
                    type: "str_amount",
                    key: "effective-feerate",
                    optional: true,
                    description:
                      "if the transaction was not already in the mempool, the effective feerate in FRC per KvB. For example, the package feerate and/or feerate with modified fees from prioritisetransaction.",
                  },
                  {
                    type: "arr",
                    key: "effective-includes",
                    optional: true,
                    description:
                      "if effective-feerate is provided, the wtxids of the transactions whose fees and vsizes are included in effective-feerate.",
                    inner: [{ type: "str_hex", description: "transaction wtxid in hex" }],
                  },
                ],
              },
              {
                type: "str",
                key: "error",
                optional: true,
                description: "The transaction error string, if it was rejected by the mempool",
              },
            ],
          }],
        },
        {
          type: "arr",
          key: "replaced-transactions",
          optional: true,
          description: "List of txids of replaced transactions",
          inner: [{ type: "str_hex", description: "The transaction id" }],
        },
      ],
    }],
    examples: helpExampleCli("testmempoolaccept", "[rawtx1, rawtx2]") +
      helpExampleCli("submitpackage", "[rawtx1, rawtx2]"),
    handler: (call) => {
      const raw = getArray(call.params[0]);
      if (raw.length < 1 || raw.length > MAX_PACKAGE_COUNT) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Array must contain between 1 and ${MAX_PACKAGE_COUNT} transactions.`,
        );
      }
      const txs = raw.map((item) => {
        const text = getStr(item);
        const tx = decodeHexTx(text);
        if (!tx) {
          throw new RpcError(
            RPC_ERROR.DESERIALIZATION_ERROR,
            `TX decode failed: ${text} Make sure the tx has at least one input.`,
          );
        }
        return tx;
      });
      if (!isChildWithParentsTree(txs)) {
        throw new RpcError(
          RPC_ERROR.VERIFY_ERROR,
          "package topology disallowed. not child-with-parents or parents depend on each other.",
        );
      }
      const outcome = submitPackage(ctx.mempool, ctx.chain, txs, Math.floor(ctx.now()));
      for (const tx of txs) if (ctx.mempool.has(tx.txidHex)) ctx.relay?.(tx);
      const txResults = new Map<string, JsonValue>();
      const replaced = new Set<string>();
      for (const tx of txs) {
        const inner = new Map<string, JsonValue>([["txid", tx.txidHex]]);
        const result = outcome.results.get(tx.wtxidHex);
        if (!result) {
          // freicoind sets "error" here but never adds the entry to the map.
          continue;
        }
        if (result.type === "different-witness") {
          inner.set("other-wtxid", result.otherWtxid);
        } else if (result.type === "invalid") {
          inner.set("error", packageTxErrorString(result.state));
        } else {
          inner.set("vsize", result.vsize);
          const fees = new Map<string, JsonValue>([["base", amountToJson(result.fee)]]);
          if (result.type === "valid") {
            fees.set("effective-feerate", amountToJson(result.effectiveFeeRate.perKvB));
            fees.set("effective-includes", [...result.effectiveIncludes]);
            for (const r of result.replaced) replaced.add(r.txidHex);
          }
          inner.set("fees", fees);
        }
        txResults.set(tx.wtxidHex, inner);
      }
      // std::set<uint256>: ordered by the hashes' internal bytes.
      const replacedList = [...replaced].sort((a, b) =>
        internalHex(a) < internalHex(b) ? -1 : internalHex(a) > internalHex(b) ? 1 : 0
      );
      return new Map<string, JsonValue>([
        ["package_msg", outcome.packageError ?? "success"],
        ["tx-results", txResults],
        ["replaced-transactions", replacedList],
      ]);
    },
  };
}

function byInternalOrder(a: string, b: string): number {
  const x = internalHex(a);
  const y = internalHex(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function internalHex(displayHex: string): string {
  return displayHex.match(/../g)!.reverse().join("");
}

/** `RPCTypeCheckObj(o, {txid: str, vout: num}, false, strict)`. */
function checkOutputObject(value: JsonValue): JsonObject {
  const object = getObject(value);
  const expected: [string, string][] = [["txid", "string"], ["vout", "number"]];
  for (const [key, type] of expected) {
    const actual = jsonTypeName(object[key]);
    if (actual === "null") throw new RpcError(RPC_ERROR.TYPE_ERROR, `Missing ${key}`);
    if (actual !== type) {
      throw new RpcError(RPC_ERROR.TYPE_ERROR, `Expected type ${type} for ${key}, got ${actual}`);
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
  return [
    getMempoolEntryMethod(ctx),
    getTxSpendingPrevoutMethod(ctx),
    importMempoolMethod(ctx),
    relativesMethod(ctx, "ancestors"),
    relativesMethod(ctx, "descendants"),
    getMempoolInfoMethod(ctx),
    getRawMempoolMethod(ctx),
    saveMempoolMethod(ctx),
    sendRawTransactionMethod(ctx),
    submitPackageMethod(ctx),
    testMempoolAcceptMethod(ctx),
  ];
}
