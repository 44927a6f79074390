/**
 * Opening the chainstate from the node's arguments: chain parameters (with -testactivationheight,
 * -vbparams, -bitcoinmode), the secp256k1 backend and the storage options.
 *
 * @module
 */
import type { Args, ChainName } from "../../cli/args/args.ts";
import type { Logger } from "../../cli/logger.ts";
import { StartupError } from "../../cli/startup.ts";
import {
  type ChainOptions,
  type ChainParams,
  ChainParamsError,
  parseTestActivationHeight,
  parseVersionBitsParameters,
  selectParams,
} from "../../kernel/chain/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { createPureSecp256k1 } from "../../kernel/secp256k1/mod.ts";
import {
  DEFAULT_LIBSECP256K1_PATH,
  loadNativeSecp256k1,
} from "../../kernel/secp256k1/native_backend.ts";
import { ChainState } from "./chain/chain_state.ts";
import type { NodeClock } from "./node_clock.ts";

/**
 * The chain parameters the arguments select.
 * @throws {StartupError} the reference's texts for bad -testactivationheight / -vbparams
 */
export function chainParamsFromArgs(args: Args, chain: ChainName): ChainParams {
  try {
    const options: {
      -readonly [K in keyof ChainOptions]: ChainOptions[K];
    } = {
      bitcoinMode: args.getBool("-bitcoinmode", false),
      fastPrune: args.getBool("-fastprune", false),
    };
    const heights: NonNullable<ChainOptions["activationHeights"]> = {};
    for (const value of args.getAll("-testactivationheight")) {
      const [name, height] = parseTestActivationHeight(value);
      (heights as Record<string, number>)[name] = height;
    }
    if (Object.keys(heights).length > 0) options.activationHeights = heights;
    const versionBits: NonNullable<ChainOptions["versionBitsParameters"]> = {};
    for (const value of args.getAll("-vbparams")) {
      const [name, parameters] = parseVersionBitsParameters(value);
      (versionBits as Record<string, unknown>)[name] = parameters;
    }
    if (Object.keys(versionBits).length > 0) options.versionBitsParameters = versionBits;
    return selectParams(chain, options);
  } catch (error) {
    if (error instanceof ChainParamsError) throw new StartupError(error.message);
    throw error;
  }
}

/** The native libsecp256k1 when it can be loaded, else the pure-TypeScript backend. */
export function loadSecp256k1(log: Logger): Secp256k1 {
  try {
    const backend = loadNativeSecp256k1(DEFAULT_LIBSECP256K1_PATH);
    log.info(`Using the system libsecp256k1 (${DEFAULT_LIBSECP256K1_PATH}) for signatures`);
    return backend;
  } catch {
    log.info("libsecp256k1 not found; using the pure-TypeScript secp256k1 backend");
    return createPureSecp256k1();
  }
}

/** Opens (or creates) the block index, block files and coins database. */
export async function openChainState(
  args: Args,
  params: ChainParams,
  networkDir: string,
  log: Logger,
  clock: NodeClock,
  secp256k1: Secp256k1,
): Promise<ChainState> {
  const blocksDir = args.getPath("-blocksdir");
  return await ChainState.open({
    params,
    networkDir,
    blocksDir: blocksDir === "" ? undefined : blocksDir,
    dbcacheMiB: args.getInt("-dbcache", 450),
    logger: log,
    secp256k1,
    clock: () => clock.now(),
    maxTipAge: args.getInt("-maxtipage", 14 * 24 * 60 * 60),
    fastPrune: args.getBool("-fastprune", false),
    reindex: args.getBool("-reindex", false),
    reindexChainstate: args.getBool("-reindex-chainstate", false),
  });
}
