/**
 * `-coinstatsindex` (Freicoin's src/index/coinstatsindex.cpp): running UTXO-set statistics per
 * block of the active chain — MuHash, output count, bogosize, reference and time-adjusted totals,
 * unspendable amounts and the block's demurrage — in SQLite under
 * `<network dir>/indexes/coinstats/`. gettxoutsetinfo answers from it for `muhash`/`none` hash
 * types and for past blocks. Each block's row carries the whole running state, so after a
 * reorganisation the index continues from the fork block's row.
 *
 * @module
 */
import { join } from "node:path";
import type { StatementSync } from "node:sqlite";
import { timeAdjustValueForward } from "../../../kernel/amount/mod.ts";
import { getBlockSubsidy } from "../../../kernel/chain/mod.ts";
import {
  bogoSize,
  type Coin,
  coinPresentValue,
  isUnspendableScript,
  MUHASH_PRIME,
  muhashElement,
  serializeCoinForHash,
} from "../../../kernel/consensus/mod.ts";
import { sha256 } from "../../../kernel/hash/mod.ts";
import { OutPoint } from "../../../kernel/primitives/mod.ts";
import type { Block } from "../../../kernel/primitives/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import { ChainIndex, type ChainIndexOptions } from "./chain_index.ts";

/** Where the index lives inside the network directory. */
export const COIN_STATS_INDEX_DIR = join("indexes", "coinstats");

/** The running statistics after a block (`DBVal`), amounts in kria. */
export interface CoinStatsEntry {
  readonly height: number;
  readonly outputCount: bigint;
  readonly bogoSize: bigint;
  readonly totalValue: bigint;
  /** Σ present values at the block's height (`total_amount` in the index). */
  readonly totalAmount: bigint;
  readonly totalSubsidy: bigint;
  readonly blockDemurrage: bigint;
  readonly totalUnspendableValue: bigint;
  readonly totalPrevoutSpentAmount: bigint;
  readonly totalNewOutputsExCoinbaseAmount: bigint;
  readonly totalCoinbaseAmount: bigint;
  readonly totalUnspendablesGenesisBlock: bigint;
  readonly totalUnspendablesBip30: bigint;
  readonly totalUnspendablesScripts: bigint;
  readonly totalUnspendablesUnclaimedRewards: bigint;
  /** The MuHash3072 accumulator (numerator, denominator). */
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const EMPTY: CoinStatsEntry = {
  height: -1,
  outputCount: 0n,
  bogoSize: 0n,
  totalValue: 0n,
  totalAmount: 0n,
  totalSubsidy: 0n,
  blockDemurrage: 0n,
  totalUnspendableValue: 0n,
  totalPrevoutSpentAmount: 0n,
  totalNewOutputsExCoinbaseAmount: 0n,
  totalCoinbaseAmount: 0n,
  totalUnspendablesGenesisBlock: 0n,
  totalUnspendablesBip30: 0n,
  totalUnspendablesScripts: 0n,
  totalUnspendablesUnclaimedRewards: 0n,
  numerator: 1n,
  denominator: 1n,
};

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

/** The MuHash digest of a state (`MuHash3072::Finalize`), internal byte order. */
export function coinStatsMuhash(entry: CoinStatsEntry): Uint8Array {
  let value = (entry.numerator * modPow(entry.denominator, MUHASH_PRIME - 2n, MUHASH_PRIME)) %
    MUHASH_PRIME;
  const bytes = new Uint8Array(384);
  for (let i = 0; i < 384; i++) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return sha256(bytes);
}

function encodeEntry(entry: CoinStatsEntry): string {
  return JSON.stringify(
    entry,
    (_key, value) => typeof value === "bigint" ? value.toString() : value,
  );
}

function decodeEntry(text: string): CoinStatsEntry {
  const raw = JSON.parse(text) as Record<string, string | number>;
  const out: Record<string, bigint | number> = {};
  for (const [key, value] of Object.entries(raw)) {
    out[key] = key === "height" ? Number(value) : BigInt(value);
  }
  return out as unknown as CoinStatsEntry;
}

/** The coin statistics index. */
export class CoinStatsIndex extends ChainIndex {
  readonly #insert: StatementSync;
  readonly #select: StatementSync;
  #last: { hash: string; entry: CoinStatsEntry } | undefined;

  private constructor(options: ChainIndexOptions) {
    super(
      options,
      { dir: COIN_STATS_INDEX_DIR, file: "coinstats.sqlite" },
      "CREATE TABLE IF NOT EXISTS stats (block BLOB PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID;",
      "coinstatsindex",
    );
    this.#insert = this.db.prepare("INSERT OR REPLACE INTO stats (block, entry) VALUES (?, ?)");
    this.#select = this.db.prepare("SELECT entry FROM stats WHERE block = ?");
  }

  /** Opens (or creates) the index and starts catching up in the background. */
  static open(options: ChainIndexOptions): CoinStatsIndex {
    const index = new CoinStatsIndex(options);
    index.start();
    return index;
  }

  /** The statistics after a block (internal-order hash), when indexed. */
  lookup(blockHash: Uint8Array): CoinStatsEntry | undefined {
    if (this.closed) return undefined;
    const row = this.#select.get(blockHash) as { entry: string } | undefined;
    return row ? decodeEntry(row.entry) : undefined;
  }

  #previous(entry: BlockIndexEntry): CoinStatsEntry {
    if (!entry.prev) return EMPTY;
    if (this.#last?.hash === entry.prev.hashHex) return this.#last.entry;
    const previous = this.lookup(entry.prev.hash);
    if (!previous) throw new Error(`coinstatsindex: no entry for ${entry.prev.hashHex}`);
    return previous;
  }

  protected writeBlock(block: Block, entry: BlockIndexEntry): void {
    const next = applyBlock(this.#previous(entry), block, entry, {
      subsidy: getBlockSubsidy(entry.height, this.chain.params.consensus),
      spent: entry.height > 0 ? this.chain.readUndo(entry)?.txUndo : [],
      bitcoinMode: this.chain.params.consensus.bitcoinMode,
    });
    this.#insert.run(entry.hash, encodeEntry(next));
    this.#last = { hash: entry.hashHex, entry: next };
  }
}

/** `CustomAppend`: the running statistics after `block`. */
export function applyBlock(
  previous: CoinStatsEntry,
  block: Block,
  entry: BlockIndexEntry,
  context: {
    subsidy: bigint;
    spent: readonly (readonly Coin[])[] | undefined;
    bitcoinMode: boolean;
  },
): CoinStatsEntry {
  const s = { ...previous, height: entry.height };
  const forward = (value: bigint) => context.bitcoinMode ? value : timeAdjustValueForward(value, 1);
  const demurrage = s.totalAmount - forward(s.totalAmount);
  s.totalAmount -= demurrage;
  s.blockDemurrage = demurrage;
  s.totalSubsidy += context.subsidy;
  const present = (coin: Coin) =>
    coinPresentValue(coin, entry.height, { bitcoinMode: context.bitcoinMode });
  if (entry.height > 0) {
    if (!context.spent) throw new Error("coinstatsindex: missing undo data");
    block.transactions.forEach((tx, i) => {
      tx.outputs.forEach((output, n) => {
        const coin: Coin = {
          output,
          height: entry.height,
          isCoinBase: tx.isCoinBase(),
          refheight: tx.lockHeight,
        };
        const adjusted = present(coin);
        if (isUnspendableScript(output.scriptPubKey)) {
          s.totalUnspendableValue += adjusted;
          s.totalUnspendablesScripts += adjusted;
          return;
        }
        s.numerator = (s.numerator *
          muhashElement(serializeCoinForHash({ outpoint: new OutPoint(tx.txid, n), coin }))) %
          MUHASH_PRIME;
        // The coinbase is always at the block's reference height.
        if (tx.isCoinBase()) s.totalCoinbaseAmount += output.value;
        else s.totalNewOutputsExCoinbaseAmount += adjusted;
        s.outputCount++;
        s.totalValue += output.value;
        s.totalAmount += adjusted;
        s.bogoSize += BigInt(bogoSize(output.scriptPubKey));
      });
      if (tx.isCoinBase()) return;
      const coins = context.spent![i - 1] ?? [];
      coins.forEach((coin, j) => {
        const adjusted = present(coin);
        const outpoint = tx.inputs[j].prevout;
        s.denominator = (s.denominator *
          muhashElement(serializeCoinForHash({ outpoint, coin }))) % MUHASH_PRIME;
        s.totalPrevoutSpentAmount += adjusted;
        s.outputCount--;
        s.totalValue -= coin.output.value;
        s.totalAmount -= adjusted;
        s.bogoSize -= BigInt(bogoSize(coin.output.scriptPubKey));
      });
    });
  } else {
    s.totalUnspendableValue += context.subsidy;
    s.totalUnspendablesGenesisBlock += context.subsidy;
  }
  // Rewards the miner did not claim are unspendable too.
  const unclaimed = (s.totalPrevoutSpentAmount + s.totalSubsidy) -
    (s.totalNewOutputsExCoinbaseAmount + s.totalCoinbaseAmount + s.totalUnspendableValue);
  s.totalUnspendableValue += unclaimed;
  s.totalUnspendablesUnclaimedRewards += unclaimed;
  return s;
}
