/**
 * The node's optional indexes (`-txindex`, `-blockfilterindex`, `-coinstatsindex`), opened
 * from the arguments as freicoind's init step 8 does, and what the RPC methods read from them.
 *
 * @module
 */
import type { Args } from "../../cli/args/args.ts";
import { StartupError } from "../../cli/startup.ts";
import type { ChainState } from "./chain/chain_state.ts";
import {
  BlockFilterIndex,
  type ChainIndex,
  type CoinStatsEntry,
  CoinStatsIndex,
  type IndexedTransaction,
  type IndexSummary,
  TxIndex,
} from "./rpc/mod.ts";

/** The filter types freicoind knows (`-blockfilterindex=<type>`). */
const FILTER_TYPES: readonly string[] = ["basic"];

/** Which indexes the arguments ask for. */
export interface IndexSelection {
  readonly txIndex: boolean;
  readonly blockFilterIndex: boolean;
  readonly coinStatsIndex: boolean;
}

/**
 * Reads `-txindex`, `-blockfilterindex` and `-coinstatsindex`: an empty or `1` filter value
 * enables every filter type, `0` none, otherwise each value must name a type.
 * @throws {StartupError} freicoind's texts for an unknown filter type and for -prune with
 *   -txindex
 */
export function indexSelectionFromArgs(args: Args): IndexSelection {
  const txIndex = args.getBool("-txindex", false);
  if (txIndex && args.getInt("-prune", 0) !== 0) {
    throw new StartupError("Prune mode is incompatible with -txindex.");
  }
  const filterValue = args.getString("-blockfilterindex", "0");
  let blockFilterIndex = false;
  if (filterValue === "" || filterValue === "1") {
    blockFilterIndex = true;
  } else if (filterValue !== "0") {
    for (const name of args.getAll("-blockfilterindex")) {
      if (!FILTER_TYPES.includes(name)) {
        throw new StartupError(`Unknown -blockfilterindex value ${name}.`);
      }
    }
    blockFilterIndex = true;
  }
  return { txIndex, blockFilterIndex, coinStatsIndex: args.getBool("-coinstatsindex", false) };
}

/** The running indexes; each catches up with the chain in the background. */
export class NodeIndexes {
  readonly #tx: TxIndex | undefined;
  readonly #filter: BlockFilterIndex | undefined;
  readonly #coinStats: CoinStatsIndex | undefined;

  private constructor(tx?: TxIndex, filter?: BlockFilterIndex, coinStats?: CoinStatsIndex) {
    this.#tx = tx;
    this.#filter = filter;
    this.#coinStats = coinStats;
  }

  /** Opens the selected indexes under `<networkDir>/indexes/`. */
  static open(selection: IndexSelection, chain: ChainState, networkDir: string): NodeIndexes {
    const options = { chain, networkDir };
    return new NodeIndexes(
      selection.txIndex ? TxIndex.open(options) : undefined,
      selection.blockFilterIndex ? BlockFilterIndex.open(options) : undefined,
      selection.coinStatsIndex ? CoinStatsIndex.open(options) : undefined,
    );
  }

  /** Whether `-txindex` runs. */
  get hasTxIndex(): boolean {
    return this.#tx !== undefined;
  }

  /** A confirmed transaction by display txid (undefined without `-txindex`). */
  transaction(txid: string): IndexedTransaction | undefined {
    return this.#tx?.lookup(txid);
  }

  /** A block's basic filter and header (undefined without `-blockfilterindex`). */
  blockFilter(blockHash: Uint8Array): { filter: Uint8Array; header: Uint8Array } | undefined {
    return this.#filter?.lookup(blockHash);
  }

  /** The UTXO statistics after a block (undefined without `-coinstatsindex`). */
  coinStats(blockHash: Uint8Array): CoinStatsEntry | undefined {
    return this.#coinStats?.lookup(blockHash);
  }

  /** getindexinfo's entries, in freicoind's start order. */
  summaries(): IndexSummary[] {
    return this.#all().map((index) => index.summary());
  }

  /** Resolves once every index has reached the tip. */
  async whenSynced(): Promise<void> {
    await Promise.all(this.#all().map((index) => index.whenSynced()));
  }

  /** Stops following the chain and closes the databases. */
  async close(): Promise<void> {
    await Promise.all(this.#all().map((index) => index.close()));
  }

  #all(): ChainIndex[] {
    const all: (ChainIndex | undefined)[] = [this.#tx, this.#filter, this.#coinStats];
    return all.filter((index) => index !== undefined);
  }
}
