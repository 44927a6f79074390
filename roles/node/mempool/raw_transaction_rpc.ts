/**
 * Submitting transactions (src/rpc/mempool.cpp): sendrawtransaction, testmempoolaccept and
 * submitpackage, with freicoind's help texts, arguments and errors.
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
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { type AcceptResult, acceptToMemoryPool } from "./accept.ts";
import {
  isChildWithParentsTree,
  MAX_PACKAGE_COUNT,
  packageTxErrorString,
  submitPackage,
  testAcceptPackage,
} from "./accept_package.ts";
import { FeeRate } from "./fee_rate.ts";
import type { MempoolRpcContext } from "./mempool_rpc_context.ts";
import { internalHex } from "./_rpc_util.ts";

/** `DEFAULT_MAX_RAW_TX_FEE_RATE`: 0.10 FRC/kvB. */
export const DEFAULT_MAX_RAW_TX_FEE_RATE = COIN / 10n;

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
  const alreadyInMempool = mempool.has(tx.txidHex);
  if (!alreadyInMempool) {
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
  // A new transaction is announced as it enters the pool. One already there (`mempool_tx`)
  // is announced again under the pool's own wtxid, which may differ from this copy's.
  if (alreadyInMempool) mempool.reannounce(tx.txidHex);
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
      // Every member now in the pool is (re)announced, as freicoind broadcasts each of them;
      // peers that already know one are not told twice.
      for (const tx of txs) {
        if (!ctx.mempool.has(tx.txidHex)) continue;
        ctx.mempool.reannounce(tx.txidHex);
        ctx.relay?.(tx);
      }
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

/** sendrawtransaction, testmempoolaccept and submitpackage, closed over `ctx`. */
export function rawTransactionRpcMethods(ctx: MempoolRpcContext): RpcMethod[] {
  return [sendRawTransactionMethod(ctx), submitPackageMethod(ctx), testMempoolAcceptMethod(ctx)];
}
