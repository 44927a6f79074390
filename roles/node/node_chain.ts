/**
 * Opening the chainstate from the node's arguments: chain parameters (with -testactivationheight,
 * -vbparams, -bitcoinmode), the secp256k1 and hash backends and the storage options.
 *
 * @module
 */
import type { Args, ChainName } from "../../cli/args/args.ts";
import type { Logger } from "../../cli/logger.ts";
import { StartupError } from "../../cli/startup.ts";
import { MAX_FUTURE_BLOCK_TIME } from "../../kernel/consensus/consensus_constants.ts";
import {
  type ChainOptions,
  type ChainParams,
  ChainParamsError,
  parseTestActivationHeight,
  parseVersionBitsParameters,
  selectParams,
} from "../../kernel/chain/mod.ts";
import { useHashBackend } from "../../kernel/hash/mod.ts";
import { DEFAULT_LIBCRYPTO_PATH, loadNativeHashBackend } from "../../kernel/hash/native_backend.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { createPureSecp256k1 } from "../../kernel/secp256k1/mod.ts";
import {
  DEFAULT_LIBSECP256K1_PATH,
  loadNativeSecp256k1,
} from "../../kernel/secp256k1/native_backend.ts";
import { ChainState } from "./chain/chain_state.ts";
import type { ChainSubscription } from "./chain/chain_events.ts";
import type { NodeClock } from "./node_clock.ts";
import * as path from "node:path";
import { hashFromHex } from "../../kernel/encoding/mod.ts";

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

/**
 * kernel/hash's SHA-256 and RIPEMD-160 through libcrypto when it loads (FFI permitted), else the
 * TypeScript ones: the same digests, at about a quarter of the cost per script check.
 */
export function loadHashBackend(log: Logger): void {
  try {
    useHashBackend(loadNativeHashBackend(DEFAULT_LIBCRYPTO_PATH));
    log.info(`Using libcrypto (${DEFAULT_LIBCRYPTO_PATH}) for SHA-256 and RIPEMD-160`);
  } catch {
    log.info("libcrypto not loadable; using the TypeScript SHA-256 and RIPEMD-160");
  }
}

/** `-par`: script-check threads besides the calling one (freicoind: 0 = auto, < 0 = leave cores free). */
function scriptCheckThreads(args: Args): number | undefined {
  if (!args.isSet("-par")) return undefined;
  const par = args.getInt("-par", 0);
  const cores = navigator.hardwareConcurrency ?? 1;
  const total = par > 0 ? par : cores + par;
  // The calling thread counts towards -par; freicoind caps the extra threads at 15.
  return Math.min(Math.max(total - 1, 0), 15);
}

/**
 * `-assumevalid=<hex>` (`0` disables), or undefined for the network's default. Read leniently as
 * freicoind's `uint256S`: leading blanks and `0x` skipped, parsing stops at the first non-hex.
 */
function assumeValidFromArgs(args: Args): Uint8Array | undefined {
  const value = args.get("-assumevalid");
  if (value === undefined) return undefined;
  const digits = /^\s*(?:0[xX])?([0-9a-fA-F]*)/.exec(value)?.[1] ?? "";
  return hashFromHex(digits.slice(-64).padStart(64, "0"));
}

/**
 * Rejects a `-minimumchainwork` that is not a hex number, with freicoind's text.
 * @throws {StartupError}
 */
export function checkMinimumChainWork(args: Args): void {
  const value = args.get("-minimumchainwork");
  if (value !== undefined && !/^(0[xX])?[0-9a-fA-F]+$/.test(value)) {
    throw new StartupError(`Invalid non-hex (${value}) minimum chain work value specified`);
  }
}

/**
 * The network's parameters with `-minimumchainwork` applied (`nMinimumChainWork`): it decides
 * initial block download, the anti-DoS work threshold and which unrequested blocks are kept.
 */
export function withMinimumChainWork(params: ChainParams, args: Args): ChainParams {
  const value = args.get("-minimumchainwork");
  if (value === undefined) return params;
  const digits = value.replace(/^0[xX]/, "");
  const minimumChainWork = BigInt(`0x${digits.slice(-64)}`);
  return { ...params, consensus: { ...params.consensus, minimumChainWork } };
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
  checkMinimumChainWork(args);
  const blocksDir = args.getPath("-blocksdir");
  const chain = await ChainState.open({
    params: withMinimumChainWork(params, args),
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
    scriptCheckThreads: scriptCheckThreads(args),
    assumeValid: assumeValidFromArgs(args),
  });
  try {
    await verifyLoadedChain(chain, args, log, clock);
    for (const file of args.getAll("-loadblock")) {
      const resolved = path.resolve(file);
      log.info(`Importing blocks file ${resolved}...`);
      // ChainState logs "Loaded N blocks from external file in Tms", as freicoind does.
      await chain.loadExternalBlockFile(resolved);
    }
  } catch (error) {
    await chain.close();
    throw error;
  }
  return chain;
}

/**
 * freicoind asks "Do you want to rebuild the block database now?" after a failed chainstate
 * load; without a GUI the answer is printed with an empty caption (": <message>").
 */
const REBUILD_QUESTION_CAPTION = ": ";

/**
 * `VerifyLoadedChainstate`: a tip from the future (more than MAX_FUTURE_BLOCK_TIME ahead of
 * the node's clock, -mocktime included) stops start-up, then `-checkblocks`/`-checklevel`; a
 * failure is freicoind's non-interactive answer ("….\nPlease restart with -reindex or
 * -reindex-chainstate to recover."). Skipped with -reindex/-reindex-chainstate, as there
 * the coins are rebuilt.
 */
async function verifyLoadedChain(
  chain: ChainState,
  args: Args,
  log: Logger,
  clock: NodeClock,
): Promise<void> {
  if (args.getBool("-reindex", false) || args.getBool("-reindex-chainstate", false)) return;
  const tip = chain.tip;
  if (tip && tip.time > clock.now() + MAX_FUTURE_BLOCK_TIME) {
    throw new StartupError(
      "The block database contains a block which appears to be from the future. " +
        "This may be due to your computer's date and time being set incorrectly. " +
        "Only rebuild the block database if you are sure that your computer's date and time " +
        "are correct.\nPlease restart with -reindex or -reindex-chainstate to recover.",
      { caption: REBUILD_QUESTION_CAPTION },
    );
  }
  if (chain.height <= 0) return;
  log.info("Verifying blocks…");
  const result = await chain.verifyDB(
    args.getInt("-checkblocks", 6),
    args.getInt("-checklevel", 3),
  );
  if (!result.ok) {
    log.error(result.message);
    throw new StartupError(
      "Corrupted block database detected.\nPlease restart with -reindex or -reindex-chainstate to recover.",
      { caption: REBUILD_QUESTION_CAPTION },
    );
  }
}

/**
 * `-stopatheight`: once the active tip reaches the height, the node shuts down
 * (`KernelNotifications::blockTip`). Returns the subscription, or undefined when unset.
 */
export function watchStopAtHeight(
  chain: ChainState,
  args: Args,
  requestShutdown: () => void,
): ChainSubscription | undefined {
  const stopAt = args.getInt("-stopatheight", 0);
  if (stopAt <= 0) return undefined;
  return chain.subscribe({
    updatedTip: (tip) => {
      if (tip.height >= stopAt) requestShutdown();
    },
  });
}
