/**
 * The miner's command-line options (`ApplyArgsManOptions` in src/node/miner.cpp, the
 * -blockmintxfee check of init.cpp, and regtest's -blockversion) as
 * {@link BlockAssemblerOptions}.
 *
 * @module
 */
import { parseMoney } from "../../../kernel/amount/mod.ts";
import { FeeRate, MempoolOptionsError } from "../mempool/mod.ts";
import type { BlockAssemblerOptions } from "./block_assembler.ts";

/** The parts of the argument manager this reads (cli's `Args` fits). */
export interface AssemblerArgs {
  isSet(name: string): boolean;
  get(name: string): string | undefined;
  getInt(name: string, fallback: number): number;
}

/**
 * `-blockmaxweight`, `-blockmintxfee` and `-blockversion` (the last only where blocks are mined
 * on demand, i.e. regtest).
 * @throws {MempoolOptionsError} "Invalid amount for -blockmintxfee=<amount>: '…'"
 */
export function blockAssemblerOptionsFromArgs(
  args: AssemblerArgs,
  mineBlocksOnDemand: boolean,
): BlockAssemblerOptions {
  const options: {
    blockMaxWeight?: number;
    blockMinFeeRate?: FeeRate;
    blockVersion?: number;
  } = {};
  if (args.isSet("-blockmaxweight")) options.blockMaxWeight = args.getInt("-blockmaxweight", 0);
  if (args.isSet("-blockmintxfee")) {
    const text = args.get("-blockmintxfee") ?? "";
    const value = parseMoney(text);
    if (value === null) {
      throw new MempoolOptionsError(`Invalid amount for -blockmintxfee=<amount>: '${text}'`);
    }
    options.blockMinFeeRate = new FeeRate(value);
  }
  if (mineBlocksOnDemand && args.isSet("-blockversion")) {
    options.blockVersion = args.getInt("-blockversion", 0);
  }
  return options;
}
