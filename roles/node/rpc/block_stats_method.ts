/**
 * getblockstats (rpc/blockchain.cpp): per-block statistics in kria, with Freicoin's fees and
 * output totals time-adjusted from each transaction's lock height to the block's height.
 *
 * @module
 */
import {
  getArray,
  getInt,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  JsonNumber,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import { timeAdjustValue } from "../../../kernel/amount/mod.ts";
import { getBlockSubsidy } from "../../../kernel/chain/mod.ts";
import {
  type BlockUndo,
  coinPresentValue,
  isUnspendableScript,
} from "../../../kernel/consensus/mod.ts";
import type { TxOut } from "../../../kernel/primitives/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { NodeContext } from "../node_context.ts";
import { readBlockChecked } from "./block_json.ts";
import { parseHashV } from "./rpc_parse.ts";

/** `PER_UTXO_OVERHEAD`: outpoint, height/coinbase word and flag per coin. */
const PER_UTXO_OVERHEAD = 36 + 4 + 1;
const MAX_MONEY = 9_007_199_254_740_991n;
const MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;
const BIP30_REPEATS: ReadonlyMap<number, string> = new Map([
  [91842, "00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec"],
  [91880, "00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721"],
]);

/** `ParseHashOrHeight`: a block of the active chain by height, or any known block by hash. */
export function blockByHashOrHeight(context: NodeContext, value: JsonValue): BlockIndexEntry {
  const chain = context.chain;
  if (typeof value === "number" || typeof value === "bigint" || value instanceof JsonNumber) {
    const height = getInt(value);
    if (height < 0) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `Target block height ${height} is negative`);
    }
    if (height > chain.height) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `Target block height ${height} after current tip ${chain.height}`,
      );
    }
    return chain.getBlockEntry(height)!;
  }
  const entry = chain.lookupBlockIndex(parseHashV(value, "hash_or_height"));
  if (!entry) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Block not found");
  return entry;
}

function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** `GetSerializeSize(CTxOut)` + the per-coin overhead. */
function utxoSize(output: TxOut): number {
  const length = output.scriptPubKey.length;
  return 8 + compactSizeLength(length) + length + PER_UTXO_OVERHEAD;
}

function truncatedMedian(values: bigint[]): bigint {
  if (values.length === 0) return 0n;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[half - 1] + sorted[half]) / 2n : sorted[half];
}

/** `CalculatePercentilesByWeight`: feerates at 10/25/50/75/90 % of the block's weight. */
function percentilesByWeight(scores: [bigint, number][], totalWeight: number): bigint[] {
  const result = [0n, 0n, 0n, 0n, 0n];
  if (scores.length === 0) return result;
  scores.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  const weights = [
    totalWeight / 10.0,
    totalWeight / 4.0,
    totalWeight / 2.0,
    (totalWeight * 3.0) / 4.0,
    (totalWeight * 9.0) / 10.0,
  ];
  let next = 0;
  let cumulative = 0;
  for (const [feerate, weight] of scores) {
    cumulative += weight;
    while (next < 5 && cumulative >= weights[next]) result[next++] = feerate;
  }
  for (let i = next; i < 5; i++) result[i] = scores[scores.length - 1][0];
  return result;
}

/** Every statistic of the block, in freicoind's key order. */
function computeStats(context: NodeContext, entry: BlockIndexEntry): JsonObject {
  const block = readBlockChecked(context.chain, entry);
  let undo: BlockUndo | undefined;
  if (entry.height > 0) {
    undo = context.chain.readUndo(entry);
    if (!undo) throw new RpcError(RPC_ERROR.MISC_ERROR, "Can't read undo data from disk");
  }
  const bitcoinMode = { bitcoinMode: context.params.consensus.bitcoinMode };
  const adjust = (value: bigint, depth: number) =>
    timeAdjustValue(value, depth, { disableTimeAdjust: bitcoinMode.bitcoinMode });
  const bip30Repeat = context.params.chain === "main" &&
    BIP30_REPEATS.get(entry.height) === entry.hashHex;
  let maxfee = 0n, maxfeerate = 0n, minfee = MAX_MONEY, minfeerate = MAX_MONEY;
  let totalOut = 0n, totalfee = 0n;
  let inputs = 0, outputs = 0, maxtxsize = 0, mintxsize = MAX_BLOCK_SERIALIZED_SIZE;
  let swtotalSize = 0, swtotalWeight = 0, swtxs = 0, totalSize = 0, totalWeight = 0;
  let utxos = 0, utxoSizeInc = 0, utxoSizeIncActual = 0;
  const fees: bigint[] = [];
  const feerates: [bigint, number][] = [];
  const sizes: bigint[] = [];
  block.transactions.forEach((tx, i) => {
    outputs += tx.outputs.length;
    let txTotalOut = 0n;
    for (const output of tx.outputs) {
      txTotalOut += output.value;
      const size = utxoSize(output);
      utxoSizeInc += size;
      // Genesis and BIP30-repeated coinbases do not change the UTXO set.
      if (entry.height === 0 || (bip30Repeat && tx.isCoinBase())) continue;
      if (isUnspendableScript(output.scriptPubKey)) continue;
      utxos++;
      utxoSizeIncActual += size;
    }
    if (tx.isCoinBase()) return;
    inputs += tx.inputs.length;
    const depth = entry.height - tx.lockHeight;
    totalOut += adjust(txTotalOut, depth);
    const txSize = tx.totalSize;
    sizes.push(BigInt(txSize));
    maxtxsize = Math.max(maxtxsize, txSize);
    mintxsize = Math.min(mintxsize, txSize);
    totalSize += txSize;
    const weight = tx.weight;
    totalWeight += weight;
    if (tx.hasWitness()) {
      swtxs++;
      swtotalSize += txSize;
      swtotalWeight += weight;
    }
    let txTotalIn = 0n;
    for (const coin of undo?.txUndo[i - 1] ?? []) {
      txTotalIn += coinPresentValue(coin, tx.lockHeight, bitcoinMode);
      utxoSizeInc -= utxoSize(coin.output);
      utxoSizeIncActual -= utxoSize(coin.output);
    }
    const fee = adjust(txTotalIn - txTotalOut, depth);
    fees.push(fee);
    if (fee > maxfee) maxfee = fee;
    if (fee < minfee) minfee = fee;
    totalfee += fee;
    const feerate = weight ? (fee * 4n) / BigInt(weight) : 0n;
    feerates.push([feerate, weight]);
    if (feerate > maxfeerate) maxfeerate = feerate;
    if (feerate < minfeerate) minfeerate = feerate;
  });
  const nonCoinbase = BigInt(block.transactions.length - 1);
  return {
    avgfee: nonCoinbase > 0n ? totalfee / nonCoinbase : 0n,
    avgfeerate: totalWeight ? (totalfee * 4n) / BigInt(totalWeight) : 0n,
    avgtxsize: nonCoinbase > 0n ? BigInt(totalSize) / nonCoinbase : 0n,
    blockhash: entry.hashHex,
    feerate_percentiles: percentilesByWeight(feerates, totalWeight),
    height: entry.height,
    ins: inputs,
    maxfee,
    maxfeerate,
    maxtxsize,
    medianfee: truncatedMedian(fees),
    mediantime: context.chain.medianTimePast(entry),
    mediantxsize: truncatedMedian(sizes),
    minfee: minfee === MAX_MONEY ? 0n : minfee,
    minfeerate: minfeerate === MAX_MONEY ? 0n : minfeerate,
    mintxsize: mintxsize === MAX_BLOCK_SERIALIZED_SIZE ? 0 : mintxsize,
    outs: outputs,
    subsidy: getBlockSubsidy(entry.height, context.params.consensus),
    swtotal_size: swtotalSize,
    swtotal_weight: swtotalWeight,
    swtxs,
    time: entry.time,
    total_out: totalOut,
    total_size: totalSize,
    total_weight: totalWeight,
    totalfee,
    txs: block.transactions.length,
    utxo_increase: outputs - inputs,
    utxo_size_inc: utxoSizeInc,
    utxo_increase_actual: utxos - inputs,
    utxo_size_inc_actual: utxoSizeIncActual,
  };
}

function num(key: string, description: string): RpcResult {
  return { type: "num", key, optional: true, description };
}

function statsResultDocs(): RpcResult[] {
  return [
    num("avgfee", "Average fee in the block"),
    num("avgfeerate", "Average feerate (in kria per virtual byte)"),
    num("avgtxsize", "Average transaction size"),
    {
      type: "str_hex",
      key: "blockhash",
      optional: true,
      description: "The block hash (to check for potential reorgs)",
    },
    {
      type: "arr_fixed",
      key: "feerate_percentiles",
      optional: true,
      description:
        "Feerates at the 10th, 25th, 50th, 75th, and 90th percentile weight unit (in kria per virtual byte)",
      inner: [
        { type: "num", key: "10th_percentile_feerate", description: "The 10th percentile feerate" },
        { type: "num", key: "25th_percentile_feerate", description: "The 25th percentile feerate" },
        { type: "num", key: "50th_percentile_feerate", description: "The 50th percentile feerate" },
        { type: "num", key: "75th_percentile_feerate", description: "The 75th percentile feerate" },
        { type: "num", key: "90th_percentile_feerate", description: "The 90th percentile feerate" },
      ],
    },
    num("height", "The height of the block"),
    num("ins", "The number of inputs (excluding coinbase)"),
    num("maxfee", "Maximum fee in the block"),
    num("maxfeerate", "Maximum feerate (in kria per virtual byte)"),
    num("maxtxsize", "Maximum transaction size"),
    num("medianfee", "Truncated median fee in the block"),
    num("mediantime", "The block median time past"),
    num("mediantxsize", "Truncated median transaction size"),
    num("minfee", "Minimum fee in the block"),
    num("minfeerate", "Minimum feerate (in kria per virtual byte)"),
    num("mintxsize", "Minimum transaction size"),
    num("outs", "The number of outputs"),
    num("subsidy", "The block subsidy"),
    num("swtotal_size", "Total size of all segwit transactions"),
    num("swtotal_weight", "Total weight of all segwit transactions"),
    num("swtxs", "The number of segwit transactions"),
    num("time", "The block time"),
    num(
      "total_out",
      "Total amount in all outputs (excluding coinbase and thus reward [ie subsidy + totalfee])",
    ),
    num("total_size", "Total size of all non-coinbase transactions"),
    num("total_weight", "Total weight of all non-coinbase transactions"),
    num("totalfee", "The fee total"),
    num("txs", "The number of transactions (including coinbase)"),
    num(
      "utxo_increase",
      "The increase/decrease in the number of unspent outputs (not discounting op_return and similar)",
    ),
    num(
      "utxo_size_inc",
      "The increase/decrease in size for the utxo index (not discounting op_return and similar)",
    ),
    num(
      "utxo_increase_actual",
      "The increase/decrease in the number of unspent outputs, not counting unspendables",
    ),
    num(
      "utxo_size_inc_actual",
      "The increase/decrease in size for the utxo index, not counting unspendables",
    ),
  ];
}

/** getblockstats. */
export function getBlockStatsMethod(): RpcMethod<NodeContext> {
  const hash = '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09"';
  return {
    name: "getblockstats",
    category: "blockchain",
    description: "\nCompute per block statistics for a given window. All amounts are in kria.\n" +
      "It won't work for some heights with pruning.\n",
    args: [
      {
        names: "hash_or_height",
        type: "num",
        skipTypeCheck: true,
        typeStr: ["", "string or numeric"],
        description: "The block hash or height of the target block",
      },
      {
        names: "stats",
        type: "arr",
        defaultHint: "all values",
        onelineDescription: "stats",
        description: "Values to plot (see result below)",
        inner: [
          { names: "height", type: "str", optional: true, description: "Selected statistic" },
          { names: "time", type: "str", optional: true, description: "Selected statistic" },
        ],
      },
    ],
    results: [{ type: "obj", inner: statsResultDocs() }],
    examples: helpExampleCli("getblockstats", `'${hash}' '["minfeerate","avgfeerate"]'`) +
      helpExampleCli("getblockstats", `1000 '["minfeerate","avgfeerate"]'`) +
      helpExampleRpc("getblockstats", `${hash}, ["minfeerate","avgfeerate"]`) +
      helpExampleRpc("getblockstats", `1000, ["minfeerate","avgfeerate"]`),
    handler: (call) => {
      const entry = blockByHashOrHeight(call.context, call.params[0]);
      const selected = new Set<string>();
      if (call.maybeArg(1) !== undefined) {
        for (const item of getArray(call.params[1])) selected.add(getStr(item));
      }
      const all = computeStats(call.context, entry);
      if (selected.size === 0) return all;
      const result: JsonObject = {};
      for (const stat of [...selected].sort()) {
        const value = Object.hasOwn(all, stat) ? all[stat] : undefined;
        if (value === undefined) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `Invalid selected statistic '${stat}'`,
          );
        }
        result[stat] = value;
      }
      return result;
    },
  };
}
