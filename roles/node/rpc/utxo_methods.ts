/**
 * UTXO-set methods (rpc/blockchain.cpp): gettxout (with `value`, `amount`, `refheight`),
 * gettxoutsetinfo (`hash_serialized_3`, `total_value`, `total_amount`) and scantxoutset.
 *
 * @module
 */
import {
  amountToJson,
  getArray,
  getBool,
  getInt64,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  type RpcArg,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { type Coin, coinPresentValue } from "../../../kernel/consensus/mod.ts";
import {
  DescriptorError,
  type DescriptorInferenceProvider,
  inferDescriptor,
  parseDescriptor,
  type SigningData,
} from "../../../kernel/descriptor/mod.ts";
import { bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import { OutPoint } from "../../../kernel/primitives/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { extrasOf, secpOf } from "./node_rpc_extras.ts";
import { scriptOptions } from "./node_rpc_extras.ts";
import { type CoinStatsEntry, coinStatsMuhash } from "./coin_stats_index.ts";
import { blockByHashOrHeight } from "./block_stats_method.ts";
import { timeAdjustValueForward } from "../../../kernel/amount/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import { findValue, parseDescriptorRangeArg, parseHashV } from "./rpc_parse.ts";
import { CURRENCY_UNIT, scriptPubKeyToJson } from "./tx_json.ts";
import { unspentOutputs } from "./utxo_replay.ts";

/** The height the mempool's coins carry (`MEMPOOL_HEIGHT`). */
export const MEMPOOL_HEIGHT = 0x7fffffff;

function gettxoutMethod(): RpcMethod<NodeContext> {
  return {
    name: "gettxout",
    category: "blockchain",
    description: "\nReturns details about an unspent transaction output.\n",
    args: [
      { names: "txid", type: "str", description: "The transaction id" },
      { names: "n", type: "num", description: "vout number" },
      {
        names: "include_mempool",
        type: "bool",
        default: true,
        description:
          "Whether to include the mempool. Note that an unspent output that is spent in the mempool won't appear.",
      },
    ],
    results: [
      { type: "none", cond: "If the UTXO was not found", description: "" },
      {
        type: "obj",
        cond: "Otherwise",
        inner: [
          {
            type: "str_hex",
            key: "bestblock",
            description: "The hash of the block at the tip of the chain",
          },
          { type: "num", key: "confirmations", description: "The number of confirmations" },
          {
            type: "str_amount",
            key: "value",
            description: `The transaction value in ${CURRENCY_UNIT} at its reference height`,
          },
          {
            type: "str_amount",
            key: "amount",
            description:
              `The transaction value in ${CURRENCY_UNIT} time-adjusted to the next block's height`,
          },
          {
            type: "obj",
            key: "scriptPubKey",
            description: "",
            inner: [
              { type: "str", key: "asm", description: "Disassembly of the public key script" },
              { type: "str", key: "desc", description: "Inferred descriptor for the output" },
              {
                type: "str_hex",
                key: "hex",
                description: "The raw public key script bytes, hex-encoded",
              },
              { type: "str", key: "type", description: "The type, eg pubkeyhash" },
              {
                type: "str",
                key: "address",
                optional: true,
                description: "The Freicoin address (only if a well-defined address exists)",
              },
            ],
          },
          { type: "bool", key: "coinbase", description: "Coinbase or not" },
          { type: "num", key: "refheight", description: "Reference height" },
        ],
      },
    ],
    examples: "\nGet unspent transactions\n" + helpExampleCli("listunspent", "") +
      "\nView the details\n" + helpExampleCli("gettxout", '"txid" 1') +
      "\nAs a JSON-RPC call\n" + helpExampleRpc("gettxout", '"txid", 1'),
    handler: (call) => {
      const context = call.context;
      const txid = parseHashV(call.params[0], "txid");
      const n = getInt64(call.params[1]);
      if (n < 0n || n > 0xffffffffn) throw new Error("JSON integer out of range");
      const outpoint = new OutPoint(txid, Number(n));
      const includeMempool = call.maybeArg(2) === undefined ? true : getBool(call.params[2]);
      const extras = extrasOf(context);
      let coin: Coin | undefined;
      if (includeMempool) {
        if (extras.mempoolSpends?.(outpoint)) return null;
        coin = context.chain.getCoin(outpoint) ?? extras.mempoolCoin?.(outpoint);
      } else {
        coin = context.chain.getCoin(outpoint);
      }
      if (!coin) return null;
      const tip = context.chain.tip!;
      return {
        bestblock: tip.hashHex,
        confirmations: coin.height === MEMPOOL_HEIGHT ? 0 : tip.height - coin.height + 1,
        value: amountToJson(coin.output.value),
        amount: amountToJson(
          coinPresentValue(coin, tip.height + 1, {
            bitcoinMode: context.params.consensus.bitcoinMode,
          }),
        ),
        scriptPubKey: scriptPubKeyToJson(coin.output.scriptPubKey, scriptOptions(context)),
        coinbase: coin.isCoinBase,
        refheight: coin.refheight,
      };
    },
  };
}

const OUTSET_EXAMPLE_HASH = '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"';

function gettxoutsetinfoMethod(): RpcMethod<NodeContext> {
  return {
    name: "gettxoutsetinfo",
    category: "blockchain",
    description: "\nReturns statistics about the unspent transaction output set.\n" +
      "Note this call may take some time if you are not using coinstatsindex.\n",
    args: [
      {
        names: "hash_type",
        type: "str",
        default: "hash_serialized_3",
        description:
          "Which UTXO set hash should be calculated. Options: 'hash_serialized_3' (the legacy algorithm), 'muhash', 'none'.",
      },
      {
        names: "hash_or_height",
        type: "num",
        defaultHint: "the current best block",
        skipTypeCheck: true,
        typeStr: ["", "string or numeric"],
        description:
          "The block hash or height of the target height (only available with coinstatsindex).",
      },
      {
        names: "use_index",
        type: "bool",
        default: true,
        description: "Use coinstatsindex, if available.",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        {
          type: "num",
          key: "height",
          description: "The block height (index) of the returned statistics",
        },
        {
          type: "str_hex",
          key: "bestblock",
          description: "The hash of the block at which these statistics are calculated",
        },
        { type: "num", key: "txouts", description: "The number of unspent transaction outputs" },
        {
          type: "num",
          key: "bogosize",
          description: "Database-independent, meaningless metric indicating the UTXO set size",
        },
        {
          type: "str_hex",
          key: "hash_serialized_3",
          optional: true,
          description:
            "The serialized hash (only present if 'hash_serialized_3' hash_type is chosen)",
        },
        {
          type: "str_hex",
          key: "muhash",
          optional: true,
          description: "The serialized hash (only present if 'muhash' hash_type is chosen)",
        },
        {
          type: "num",
          key: "transactions",
          optional: true,
          description:
            "The number of transactions with unspent outputs (not available when coinstatsindex is used)",
        },
        {
          type: "num",
          key: "disk_size",
          optional: true,
          description:
            "The estimated size of the chainstate on disk (not available when coinstatsindex is used)",
        },
        {
          type: "str_amount",
          key: "total_value",
          description: "The total amount of coins in the UTXO set",
        },
        {
          type: "str_amount",
          key: "total_amount",
          description:
            "The total amount of coins in the UTXO set, time-adjusted to the next block's height",
        },
        {
          type: "str_amount",
          key: "total_unspendable_value",
          optional: true,
          description:
            "The total amount of coins permanently excluded from the UTXO set (only available if coinstatsindex is used)",
        },
        {
          type: "obj",
          key: "block_info",
          optional: true,
          description:
            "Info on amounts in the block at this block height (only available if coinstatsindex is used)",
          inner: [
            {
              type: "str_amount",
              key: "demurrage",
              description:
                "The amount of the input demurrage across all transactions in this block",
            },
            {
              type: "str_amount",
              key: "prevout_spent",
              description: "Total amount of all prevouts spent in this block",
            },
            {
              type: "str_amount",
              key: "coinbase",
              description: "Coinbase subsidy amount of this block",
            },
            {
              type: "str_amount",
              key: "new_outputs_ex_coinbase",
              description: "Total amount of new outputs created by this block",
            },
            {
              type: "str_amount",
              key: "unspendable",
              description: "Total amount of unspendable outputs created in this block",
            },
            {
              type: "obj",
              key: "unspendables",
              description: "Detailed view of the unspendable categories",
              inner: [
                {
                  type: "str_amount",
                  key: "genesis_block",
                  description: "The unspendable amount of the Genesis block subsidy",
                },
                {
                  type: "str_amount",
                  key: "bip30",
                  description:
                    "Transactions overridden by duplicates (no longer possible with BIP30)",
                },
                {
                  type: "str_amount",
                  key: "scripts",
                  description:
                    "Amounts sent to scripts that are unspendable (for example OP_RETURN outputs)",
                },
                {
                  type: "str_amount",
                  key: "unclaimed_rewards",
                  description:
                    "Fee rewards that miners did not claim in their coinbase transaction",
                },
              ],
            },
          ],
        },
      ],
    }],
    examples: helpExampleCli("gettxoutsetinfo", "") +
      helpExampleCli("gettxoutsetinfo", '"none"') +
      helpExampleCli("gettxoutsetinfo", '"none" 1000') +
      helpExampleCli("gettxoutsetinfo", `"none" '${OUTSET_EXAMPLE_HASH}'`) +
      helpExampleCli("-named gettxoutsetinfo", "hash_type='muhash' use_index='false'") +
      helpExampleRpc("gettxoutsetinfo", "") +
      helpExampleRpc("gettxoutsetinfo", '"none"') +
      helpExampleRpc("gettxoutsetinfo", '"none", 1000') +
      helpExampleRpc("gettxoutsetinfo", `"none", ${OUTSET_EXAMPLE_HASH}`),
    handler: async (call) => {
      const hashType = call.maybeArg(0) === undefined
        ? "hash_serialized_3"
        : getStr(call.params[0]);
      if (!["hash_serialized_3", "muhash", "none"].includes(hashType)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `'${hashType}' is not a valid hash_type`,
        );
      }
      const useIndex = call.maybeArg(2) === undefined ? true : getBool(call.params[2]);
      const extras = extrasOf(call.context);
      const indexSummary = extras.indexSummaries?.().find((i) => i.name === "coinstatsindex");
      const coinStats = indexSummary ? extras.coinStats : undefined;
      let target: BlockIndexEntry | undefined;
      if (call.maybeArg(1) !== undefined) {
        if (!coinStats) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Querying specific block heights requires coinstatsindex",
          );
        }
        if (hashType === "hash_serialized_3") {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "hash_serialized_3 hash type cannot be queried for a specific block",
          );
        }
        if (!useIndex) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Cannot set use_index to false when querying for a specific block",
          );
        }
        target = blockByHashOrHeight(call.context, call.params[1]);
      }
      if (useIndex && coinStats && indexSummary && hashType !== "hash_serialized_3") {
        const entry = target ?? call.context.chain.tip!;
        if (!indexSummary.synced && entry.height > indexSummary.bestBlockHeight) {
          throw new RpcError(
            RPC_ERROR.INTERNAL_ERROR,
            `Unable to get data because coinstatsindex is still syncing. Current height: ${indexSummary.bestBlockHeight}`,
          );
        }
        return indexedStats(call.context, coinStats, entry, hashType);
      }
      const stats = await call.context.chain.utxoStats({ muhash: hashType === "muhash" });
      const result: JsonObject = {
        height: stats.height,
        bestblock: hashToHex(stats.bestBlock),
        txouts: stats.txouts,
        bogosize: stats.bogosize,
      };
      if (hashType === "hash_serialized_3") {
        result.hash_serialized_3 = hashToHex(stats.hashSerialized);
      }
      if (hashType === "muhash" && stats.muhash) result.muhash = hashToHex(stats.muhash);
      result.total_value = amountToJson(stats.totalValue);
      result.total_amount = amountToJson(stats.totalAmount);
      result.transactions = stats.transactions;
      result.disk_size = stats.diskSize;
      return result;
    },
  };
}

/** gettxoutsetinfo's answer from the coin statistics index (`index_used`). */
function indexedStats(
  context: NodeContext,
  lookup: (hash: Uint8Array) => CoinStatsEntry | undefined,
  entry: BlockIndexEntry,
  hashType: string,
): JsonObject {
  const stats = lookup(entry.hash);
  const previous = entry.prev ? lookup(entry.prev.hash) : undefined;
  if (!stats || (entry.prev && !previous)) {
    throw new RpcError(RPC_ERROR.INTERNAL_ERROR, "Unable to read UTXO set");
  }
  const diff = (key: keyof CoinStatsEntry) =>
    amountToJson((stats[key] as bigint) - ((previous?.[key] as bigint | undefined) ?? 0n));
  const result: JsonObject = {
    height: entry.height,
    bestblock: entry.hashHex,
    txouts: stats.outputCount,
    bogosize: stats.bogoSize,
  };
  if (hashType === "muhash") result.muhash = hashToHex(coinStatsMuhash(stats));
  result.total_value = amountToJson(stats.totalValue);
  // The index keeps amounts at the block's height; the answer is at the next one.
  result.total_amount = amountToJson(
    context.params.consensus.bitcoinMode
      ? stats.totalAmount
      : timeAdjustValueForward(stats.totalAmount, 1),
  );
  result.total_unspendable_value = amountToJson(stats.totalUnspendableValue);
  result.block_info = {
    demurrage: amountToJson(stats.blockDemurrage),
    prevout_spent: diff("totalPrevoutSpentAmount"),
    coinbase: diff("totalCoinbaseAmount"),
    new_outputs_ex_coinbase: diff("totalNewOutputsExCoinbaseAmount"),
    unspendable: diff("totalUnspendableValue"),
    unspendables: {
      genesis_block: diff("totalUnspendablesGenesisBlock"),
      bip30: diff("totalUnspendablesBip30"),
      scripts: diff("totalUnspendablesScripts"),
      unclaimed_rewards: diff("totalUnspendablesUnclaimedRewards"),
    },
  };
  return result;
}

// --- scantxoutset ---------------------------------------------------------------------------

/** scantxoutset's and scanblocks' `action` argument. */
export const SCAN_ACTION_ARG: RpcArg = {
  names: "action",
  type: "str",
  description: "The action to execute\n" +
    '"start" for starting a scan\n' +
    '"abort" for aborting the current scan (returns true when abort was successful)\n' +
    '"status" for progress report (in %) of the current scan',
};

/** scantxoutset's and scanblocks' `scanobjects` argument. */
export const SCAN_OBJECTS_ARG: RpcArg = {
  names: "scanobjects",
  type: "arr",
  optional: true,
  onelineDescription: "[scanobjects,...]",
  description: 'Array of scan objects. Required for "start" action\n' +
    "Every scan object is either a string descriptor or an object:",
  inner: [
    { names: "descriptor", type: "str", optional: true, description: "An output descriptor" },
    {
      names: "",
      type: "obj",
      optional: true,
      description: "An object with output descriptor and metadata",
      inner: [
        { names: "desc", type: "str", description: "An output descriptor" },
        {
          names: "range",
          type: "range",
          default: 1000,
          description: "The range of HD chain indexes to explore (either end or [begin,end])",
        },
      ],
    },
  ],
};

function providerOf(data: SigningData): DescriptorInferenceProvider {
  return {
    getPubKey: (id) => data.pubkeys.get(bytesToHex(id)),
    getScript: (id) => data.scripts.get(bytesToHex(id)),
    getWitnessV0Script: (id) => data.witnessScripts.get(bytesToHex(id)),
    getKeyOrigin: (id) => data.origins.get(bytesToHex(id)),
  };
}

/** `EvalDescriptorStringOrObject`: the scripts of a scan object with their inferred descriptors. */
export function evalScanObject(context: NodeContext, object: JsonValue): Map<string, string> {
  let text: string;
  let range: [number, number] = [0, 1000];
  if (typeof object === "string") {
    text = object;
  } else if (isJsonObject(object) || object instanceof Map) {
    const desc = findValue(object, "desc");
    if (desc === undefined || desc === null) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Descriptor needs to be provided in scan object",
      );
    }
    text = getStr(desc);
    const rangeValue = findValue(object, "range");
    if (rangeValue !== undefined && rangeValue !== null) {
      range = parseDescriptorRangeArg(rangeValue);
    }
  } else {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Scan object needs to be either a string or an object",
    );
  }
  const options = { prefixes: context.params.prefixes, secp: secpOf(context) };
  let descriptor;
  try {
    descriptor = parseDescriptor(text, options);
  } catch (error) {
    if (error instanceof DescriptorError) {
      throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, error.message);
    }
    throw error;
  }
  if (!descriptor.isRange) range = [0, 0];
  const found = new Map<string, string>();
  for (let i = range[0]; i <= range[1]; i++) {
    const expanded = descriptor.expandWithSigningData(i);
    if (expanded === null) {
      throw new RpcError(
        RPC_ERROR.INVALID_ADDRESS_OR_KEY,
        `Cannot derive script without private keys: '${text}'`,
      );
    }
    for (const script of expanded.scripts) {
      const key = bytesToHex(script);
      if (!found.has(key)) {
        found.set(
          key,
          inferDescriptor(script, providerOf(expanded.signingData), options).toString(),
        );
      }
    }
  }
  return found;
}

let scanInProgress = false;

function scantxoutsetMethod(): RpcMethod<NodeContext> {
  const exampleRaw = "raw(76a91411b366edfc0a8b66feebae5c2e25a7b6a5d1cf3188ac)#fm24fxxy";
  return {
    name: "scantxoutset",
    category: "blockchain",
    description:
      "\nScans the unspent transaction output set for entries that match certain output descriptors.\n" +
      "Examples of output descriptors are:\n" +
      "    addr(<address>)                      Outputs whose scriptPubKey corresponds to the specified address (does not include P2PK)\n" +
      "    raw(<hex script>)                    Outputs whose scriptPubKey equals the specified hex scripts\n" +
      "    combo(<pubkey>)                      P2PK, P2PKH, and P2WPK outputs for the given pubkey\n" +
      "    pkh(<pubkey>)                        P2PKH outputs for the given pubkey\n" +
      "    sh(multi(<n>,<pubkey>,<pubkey>,...)) P2SH-multisig outputs for the given threshold and pubkeys\n" +
      "    tr(<pubkey>)                         P2TR\n" +
      "    tr(<pubkey>,{pk(<pubkey>)})          P2TR with single fallback pubkey in tapscript\n" +
      "    rawtr(<pubkey>)                      P2TR with the specified key as output key rather than inner\n" +
      "    wsh(and_v(v:pk(<pubkey>),after(2)))  P2WSH miniscript with mandatory pubkey and a timelock\n" +
      "\nIn the above, <pubkey> either refers to a fixed public key in hexadecimal notation, or to an xpub/xprv optionally followed by one\n" +
      'or more path elements separated by "/", and optionally ending in "/*" (unhardened), or "/*\'" or "/*h" (hardened) to specify all\n' +
      "unhardened or hardened child keys.\n" +
      "In the latter case, a range needs to be specified by below if different from 1000.\n" +
      "For more information on output descriptors, see the documentation in the doc/descriptors.md file.\n",
    args: [
      SCAN_ACTION_ARG,
      SCAN_OBJECTS_ARG,
    ],
    results: [
      {
        type: "obj",
        cond: "when action=='start'; only returns after scan completes",
        inner: [
          { type: "bool", key: "success", description: "Whether the scan was completed" },
          {
            type: "num",
            key: "txouts",
            description: "The number of unspent transaction outputs scanned",
          },
          { type: "num", key: "height", description: "The current block height (index)" },
          {
            type: "str_hex",
            key: "bestblock",
            description: "The hash of the block at the tip of the chain",
          },
          {
            type: "arr",
            key: "unspents",
            description: "",
            inner: [{
              type: "obj",
              inner: [
                { type: "str_hex", key: "txid", description: "The transaction id" },
                { type: "num", key: "vout", description: "The vout value" },
                { type: "str_hex", key: "scriptPubKey", description: "The script key" },
                {
                  type: "str",
                  key: "desc",
                  description: "A specialized descriptor for the matched scriptPubKey",
                },
                {
                  type: "str_amount",
                  key: "value",
                  description:
                    `The total amount in ${CURRENCY_UNIT} of the unspent output at its reference height`,
                },
                {
                  type: "str_amount",
                  key: "amount",
                  description:
                    `The total amount in ${CURRENCY_UNIT} of the unspent output time-adjusted to the next block height`,
                },
                { type: "bool", key: "coinbase", description: "Whether this is a coinbase output" },
                {
                  type: "num",
                  key: "height",
                  description: "Height of the unspent transaction output",
                },
                {
                  type: "num",
                  key: "refheight",
                  description: "Reference height of the unspent transaction output",
                },
              ],
            }],
          },
          {
            type: "str_amount",
            key: "total_amount",
            description: `The total amount of all found unspent outputs in ${CURRENCY_UNIT}`,
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
      {
        type: "obj",
        cond: "when action=='status' and a scan is currently in progress",
        inner: [{ type: "num", key: "progress", description: "Approximate percent complete" }],
      },
      {
        type: "none",
        cond: "when action=='status' and no scan is in progress - possibly already completed",
        description: "",
      },
    ],
    examples: helpExampleCli("scantxoutset", `start '["${exampleRaw}"]'`) +
      helpExampleCli("scantxoutset", "status") +
      helpExampleCli("scantxoutset", "abort") +
      helpExampleRpc("scantxoutset", `"start", ["${exampleRaw}"]`) +
      helpExampleRpc("scantxoutset", '"status"') +
      helpExampleRpc("scantxoutset", '"abort"'),
    handler: async (call) => {
      const action = getStr(call.params[0]);
      if (action === "status") return scanInProgress ? { progress: 0 } : null;
      if (action === "abort") return false;
      if (action !== "start") {
        throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `Invalid action '${action}'`);
      }
      if (scanInProgress) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          'Scan already in progress, use action "abort" or "status"',
        );
      }
      if (call.params.length < 2) {
        throw new RpcError(
          RPC_ERROR.MISC_ERROR,
          "scanobjects argument is required for the start action",
        );
      }
      scanInProgress = true;
      try {
        return await scan(call.context, getArray(call.params[1]));
      } finally {
        scanInProgress = false;
      }
    },
  };
}

async function scan(context: NodeContext, objects: JsonValue[]): Promise<JsonObject> {
  const descriptors = new Map<string, string>();
  for (const object of objects) {
    for (const [script, desc] of evalScanObject(context, object)) {
      if (!descriptors.has(script)) descriptors.set(script, desc);
    }
  }
  const chain = context.chain;
  const tip = chain.tip!;
  const all = await unspentOutputs(chain);
  const unspents: JsonValue[] = [];
  let total = 0n;
  for (const { outpoint, coin } of all) {
    const script = bytesToHex(coin.output.scriptPubKey);
    const desc = descriptors.get(script);
    if (desc === undefined) continue;
    const amount = coinPresentValue(coin, tip.height + 1, {
      bitcoinMode: context.params.consensus.bitcoinMode,
    });
    total += amount;
    unspents.push({
      txid: hashToHex(outpoint.hash),
      vout: outpoint.n,
      scriptPubKey: script,
      desc,
      value: amountToJson(coin.output.value),
      refheight: coin.refheight,
      coinbase: coin.isCoinBase,
      height: coin.height,
      amount: amountToJson(amount),
    });
  }
  return {
    success: true,
    txouts: all.length,
    height: tip.height,
    bestblock: tip.hashHex,
    unspents,
    total_amount: amountToJson(total),
  };
}

/** gettxout, gettxoutsetinfo and scantxoutset. */
export function utxoMethods(): RpcMethod<NodeContext>[] {
  return [gettxoutMethod(), gettxoutsetinfoMethod(), scantxoutsetMethod()];
}
