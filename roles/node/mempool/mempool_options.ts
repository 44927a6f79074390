/**
 * The mempool's command-line options (src/node/mempool_args.cpp and the -maxmempool check of
 * init.cpp) turned into {@link MempoolOptions}. The node's start-up code calls this; nothing
 * else in the mempool reads arguments.
 *
 * @module
 */
import { parseMoney } from "../../../kernel/amount/mod.ts";
import { FeeRate } from "./fee_rate.ts";
import { DEFAULT_MEMPOOL_OPTIONS, type MempoolOptions } from "./mempool.ts";
import { MAX_OP_RETURN_RELAY } from "./policy.ts";

/** The parts of the argument manager this reads (cli's `Args` fits). */
export interface MempoolArgs {
  isSet(name: string): boolean;
  get(name: string): string | undefined;
  getInt(name: string, fallback: number): number;
  getBool(name: string, fallback: boolean): boolean;
}

/** A bad option value; `message` is freicoind's init error text. */
export class MempoolOptionsError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "MempoolOptionsError";
  }
}

function feeRateArg(args: MempoolArgs, name: string): FeeRate | undefined {
  if (!args.isSet(`-${name}`)) return undefined;
  const text = args.get(`-${name}`) ?? "";
  const value = parseMoney(text);
  if (value === null) {
    throw new MempoolOptionsError(`Invalid amount for -${name}=<amount>: '${text}'`);
  }
  return new FeeRate(value);
}

/**
 * `ApplyArgsManOptions` for the mempool: -maxmempool, -mempoolexpiry, -incrementalrelayfee,
 * -minrelaytxfee, -dustrelayfee, -permitbaremultisig, -datacarrier(size), -acceptnonstdtxn,
 * -mempoolfullrbf, -limit{ancestor,descendant}{count,size}, -persistmempool, -bytespersigop.
 * @throws {MempoolOptionsError} with freicoind's message for a bad value
 */
export function mempoolOptionsFromArgs(
  args: MempoolArgs,
  isTestChain: boolean,
  chainName: string,
): MempoolOptions {
  const d = DEFAULT_MEMPOOL_OPTIONS;
  const maxSizeBytes = args.isSet("-maxmempool")
    ? args.getInt("-maxmempool", 0) * 1_000_000
    : d.maxSizeBytes;
  const expirySeconds = args.isSet("-mempoolexpiry")
    ? args.getInt("-mempoolexpiry", 0) * 3600
    : d.expirySeconds;
  const incrementalRelayFeeRate = feeRateArg(args, "incrementalrelayfee") ??
    d.incrementalRelayFeeRate;
  let minRelayFeeRate = feeRateArg(args, "minrelaytxfee") ?? d.minRelayFeeRate;
  // Setting only the incremental fee raises the relay minimum with it.
  if (!args.isSet("-minrelaytxfee") && incrementalRelayFeeRate.perKvB > minRelayFeeRate.perKvB) {
    minRelayFeeRate = incrementalRelayFeeRate;
  }
  const dustRelayFeeRate = feeRateArg(args, "dustrelayfee") ?? d.dustRelayFeeRate;
  const requireStandard = !args.getBool("-acceptnonstdtxn", false);
  if (!isTestChain && !requireStandard) {
    throw new MempoolOptionsError(
      `acceptnonstdtxn is not currently supported for ${chainName} chain`,
    );
  }
  const limits = {
    ancestorCount: args.getInt("-limitancestorcount", d.limits.ancestorCount),
    ancestorSizeVbytes: args.isSet("-limitancestorsize")
      ? args.getInt("-limitancestorsize", 0) * 1000
      : d.limits.ancestorSizeVbytes,
    descendantCount: args.getInt("-limitdescendantcount", d.limits.descendantCount),
    descendantSizeVbytes: args.isSet("-limitdescendantsize")
      ? args.getInt("-limitdescendantsize", 0) * 1000
      : d.limits.descendantSizeVbytes,
  };
  const descendantLimitBytes = limits.descendantSizeVbytes * 40;
  if (maxSizeBytes < 0 || maxSizeBytes < descendantLimitBytes) {
    throw new MempoolOptionsError(
      `-maxmempool must be at least ${Math.ceil(descendantLimitBytes / 1_000_000)} MB`,
    );
  }
  return {
    maxSizeBytes,
    expirySeconds,
    incrementalRelayFeeRate,
    minRelayFeeRate,
    dustRelayFeeRate,
    maxDatacarrierBytes: args.getBool("-datacarrier", false)
      ? args.getInt("-datacarriersize", MAX_OP_RETURN_RELAY)
      : null,
    permitBareMultisig: args.getBool("-permitbaremultisig", d.permitBareMultisig),
    requireStandard,
    fullRbf: args.getBool("-mempoolfullrbf", d.fullRbf),
    bytesPerSigop: args.getInt("-bytespersigop", d.bytesPerSigop),
    limits,
    persist: args.getBool("-persistmempool", d.persist),
    persistV1: args.getBool("-persistmempoolv1", d.persistV1),
  };
}
