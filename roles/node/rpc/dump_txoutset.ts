/**
 * `dumptxoutset`: writes the UTXO set as an assumeutxo snapshot (`SnapshotMetadata`, then every
 * coin as outpoint + `Coin`, in the coins database's key order), with the set's
 * `hash_serialized_3`.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { type BlockFinalTxEntry, computeUtxoStats } from "../../../kernel/consensus/mod.ts";
import type { CoinEntry } from "../../../kernel/consensus/mod.ts";
import { ByteWriter, hashToHex } from "../../../kernel/encoding/mod.ts";
import {
  getStr,
  helpExampleCli,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import { writeCoin } from "../chain/coin_codec.ts";

/** Coins serialized per file write (bounds the memory a big set needs). */
const COINS_PER_WRITE = 5000;

/**
 * `SnapshotMetadata::Serialize`: the base block hash (its top bit set when extended fields
 * follow), the flags byte and the block-final tx entry when there is one, then the coin count.
 */
export function encodeSnapshotMetadata(
  baseHash: Uint8Array,
  finalTx: BlockFinalTxEntry | null,
  coinsCount: number,
): Uint8Array {
  const writer = new ByteWriter();
  const hash = baseHash.slice();
  const hasFinalTx = finalTx !== null && finalTx.size > 0;
  if (hasFinalTx) {
    if (hash[31] & 0x80) throw new Error("High bit of base block hash already set");
    hash[31] ^= 0x80;
  }
  writer.writeBytes(hash);
  if (hasFinalTx) {
    writer.writeU8(0x01);
    writer.writeVarInt(finalTx.size);
    writer.writeBytes(finalTx.hash);
  }
  writer.writeU64LE(BigInt(coinsCount));
  return writer.toBytes();
}

/** One snapshot record: the outpoint (txid, u32 index) and the coin as the chainstate keeps it. */
export function encodeSnapshotCoin(writer: ByteWriter, entry: CoinEntry): void {
  writer.writeBytes(entry.outpoint.hash);
  writer.writeU32LE(entry.outpoint.n);
  writeCoin(writer, entry.coin);
}

/** The UTXO set with the tip and block-final entry it belongs to. */
async function consistentSnapshot(chain: ChainState): Promise<{
  coins: CoinEntry[];
  tip: BlockIndexEntry;
  finalTx: BlockFinalTxEntry | null;
}> {
  // A block connected between the flush and our reading of the tip would mismatch: retry.
  for (;;) {
    const before = chain.tip;
    const coins = await chain.unspentOutputs();
    const tip = chain.tip;
    if (tip && tip === before) return { coins, tip, finalTx: chain.finalTx() };
  }
}

/** `dumptxoutset path`; relative paths are taken from `networkDir` (the datadir for the chain). */
export function dumpTxOutSetMethod(chain: ChainState, networkDir: string): RpcMethod {
  return {
    name: "dumptxoutset",
    category: "blockchain",
    description: "Write the serialized UTXO set to a file.",
    args: [{
      names: "path",
      type: "str",
      description: "Path to the output file. If relative, will be prefixed by datadir.",
    }],
    results: [{
      type: "obj",
      inner: [
        {
          type: "num",
          key: "coins_written",
          description: "the number of coins written in the snapshot",
        },
        { type: "str_hex", key: "base_hash", description: "the hash of the base of the snapshot" },
        { type: "num", key: "base_height", description: "the height of the base of the snapshot" },
        {
          type: "str",
          key: "path",
          description: "the absolute path that the snapshot was written to",
        },
        { type: "str_hex", key: "txoutset_hash", description: "the hash of the UTXO set contents" },
        {
          type: "num",
          key: "nchaintx",
          description: "the number of transactions in the chain up to and including the base block",
        },
        {
          type: "obj",
          key: "final_tx",
          optional: true,
          description: "(Only if block-final transaction information is available)",
          inner: [
            { type: "str_hex", key: "hash", description: "The block-final transaction hash." },
            {
              type: "num",
              key: "size",
              description: "The number of spendable outputs in the block-final transaction.",
            },
          ],
        },
      ],
    }],
    examples: helpExampleCli("dumptxoutset", "utxo.dat"),
    handler: async (call) => {
      const given = getStr(call.params[0]);
      const path = isAbsolute(given) ? given : join(networkDir, given);
      const tempPath = isAbsolute(given + ".incomplete")
        ? given + ".incomplete"
        : join(networkDir, given + ".incomplete");
      if (await exists(path)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `${path} already exists. If you are sure this is what you want, move it out of the way first`,
        );
      }
      let file: Deno.FsFile;
      try {
        file = await Deno.open(tempPath, { write: true, create: true, truncate: true });
      } catch {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Couldn't open file ${tempPath} for writing.`,
        );
      }
      let result: JsonObject;
      try {
        result = await writeSnapshot(chain, file);
      } finally {
        file.close();
      }
      await Deno.rename(tempPath, path);
      result.path = path;
      return result;
    },
  };
}

/** `CreateUTXOSnapshot`: metadata then coins; the answer without its final `path`. */
async function writeSnapshot(chain: ChainState, file: Deno.FsFile): Promise<JsonObject> {
  const { coins, tip, finalTx } = await consistentSnapshot(chain);
  const stats = computeUtxoStats(coins, tip.height, {
    bitcoinMode: chain.params.consensus.bitcoinMode,
  });
  await writeAll(file, encodeSnapshotMetadata(tip.hash, finalTx, stats.txouts));
  for (let start = 0; start < coins.length; start += COINS_PER_WRITE) {
    const writer = new ByteWriter();
    for (const entry of coins.slice(start, start + COINS_PER_WRITE)) {
      encodeSnapshotCoin(writer, entry);
    }
    await writeAll(file, writer.toBytes());
  }
  const result: JsonObject = {
    coins_written: stats.txouts,
    base_hash: hashToHex(tip.hash),
    base_height: tip.height,
    path: "",
    txoutset_hash: hashToHex(stats.hashSerialized),
    nchaintx: tip.chainTxCount,
  };
  if (finalTx && finalTx.size > 0) {
    result.final_tx = { hash: hashToHex(finalTx.hash), size: finalTx.size };
  }
  return result;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
