/**
 * Options that change a chain's parameters (`CChainParams::*Options` and the argument parsing
 * of src/chainparams.cpp). Only a role's start-up code reads the command line; it turns
 * `-testactivationheight`, `-vbparams`, `-bitcoinmode`, `-signetchallenge`, ... into this
 * options object with the parse helpers below.
 */

import {
  BURIED_DEPLOYMENTS,
  type BuriedDeploymentName,
  type DeploymentName,
  INT32_MAX,
  VERSION_BITS_DEPLOYMENTS,
} from "./consensus_params.ts";

/** Overridden BIP9 parameters of one deployment (`VersionBitsParameters`). */
export interface VersionBitsParameters {
  readonly startTime: bigint;
  readonly timeout: bigint;
  readonly minActivationHeight: number;
}

/** Options for `selectParams`. All are optional; defaults reproduce the reference's chains. */
export interface ChainOptions {
  /** `-vbparams` overrides (accepted on every chain). */
  readonly versionBitsParameters?: Partial<Record<DeploymentName, VersionBitsParameters>>;
  /** `-testactivationheight` overrides (read on regtest only; other chains ignore them). */
  readonly activationHeights?: Partial<Record<BuriedDeploymentName, number>>;
  /** `-fastprune` (read on regtest only): prune after 100 blocks instead of 1000. */
  readonly fastPrune?: boolean;
  /** `-bitcoinmode` (regtest only; an error elsewhere). */
  readonly bitcoinMode?: boolean;
  /** `-signetchallenge` (signet only). */
  readonly signetChallenge?: Uint8Array;
  /** `-signetseednode` (signet only). */
  readonly signetSeedNodes?: readonly string[];
}

/** A rejected chain option; `message` is the reference's init-error text. */
export class ChainParamsError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ChainParamsError";
  }
}

/**
 * Strict decimal integer parse like the reference's `ParseInt32/ParseInt64`: an optional `+`,
 * an optional `-`, digits only, in range. Returns undefined otherwise.
 */
export function parseStrictInteger(text: string, min: bigint, max: bigint): bigint | undefined {
  let body = text;
  if (body.startsWith("+")) {
    if (body.startsWith("+-")) return undefined;
    body = body.slice(1);
  }
  if (!/^-?[0-9]+$/.test(body)) return undefined;
  const value = BigInt(body);
  return value < min || value > max ? undefined : value;
}

const INT32_MIN_BIG = -2147483648n;
const INT32_MAX_BIG = 2147483647n;
const INT64_MIN_BIG = -(1n << 63n);
const INT64_MAX_BIG = (1n << 63n) - 1n;

/**
 * Parses one `-testactivationheight=name@height` value.
 *
 * @example
 * ```ts
 * import { parseTestActivationHeight } from "./chain_options.ts";
 * const [name, height] = parseTestActivationHeight("segwit@432");
 * console.assert(name === "segwit" && height === 432);
 * ```
 */
export function parseTestActivationHeight(arg: string): [BuriedDeploymentName, number] {
  const at = arg.indexOf("@");
  if (at < 0) {
    throw new ChainParamsError(`Invalid format (${arg}) for -testactivationheight=name@height.`);
  }
  const height = parseStrictInteger(arg.slice(at + 1), INT32_MIN_BIG, INT32_MAX_BIG);
  if (height === undefined || height < 0n || height >= BigInt(INT32_MAX)) {
    throw new ChainParamsError(
      `Invalid height value (${arg}) for -testactivationheight=name@height.`,
    );
  }
  const name = arg.slice(0, at);
  if (!(BURIED_DEPLOYMENTS as readonly string[]).includes(name)) {
    throw new ChainParamsError(`Invalid name (${arg}) for -testactivationheight=name@height.`);
  }
  return [name as BuriedDeploymentName, Number(height)];
}

/**
 * Parses one `-vbparams=deployment:start:end[:min_activation_height]` value.
 *
 * @example
 * ```ts
 * import { parseVersionBitsParameters } from "./chain_options.ts";
 * const [name, vb] = parseVersionBitsParameters("testdummy:0:999999999999");
 * console.assert(name === "testdummy" && vb.minActivationHeight === 0);
 * ```
 */
export function parseVersionBitsParameters(arg: string): [DeploymentName, VersionBitsParameters] {
  const parts = arg.split(":");
  if (parts.length < 3 || parts.length > 4) {
    throw new ChainParamsError(
      "Version bits parameters malformed, expecting deployment:start:end[:min_activation_height]",
    );
  }
  const startTime = parseStrictInteger(parts[1], INT64_MIN_BIG, INT64_MAX_BIG);
  if (startTime === undefined) throw new ChainParamsError(`Invalid nStartTime (${parts[1]})`);
  const timeout = parseStrictInteger(parts[2], INT64_MIN_BIG, INT64_MAX_BIG);
  if (timeout === undefined) throw new ChainParamsError(`Invalid nTimeout (${parts[2]})`);
  let minActivationHeight = 0;
  if (parts.length === 4) {
    const parsed = parseStrictInteger(parts[3], INT32_MIN_BIG, INT32_MAX_BIG);
    if (parsed === undefined) {
      throw new ChainParamsError(`Invalid min_activation_height (${parts[3]})`);
    }
    minActivationHeight = Number(parsed);
  }
  if (!(VERSION_BITS_DEPLOYMENTS as readonly string[]).includes(parts[0])) {
    throw new ChainParamsError(`Invalid deployment (${parts[0]})`);
  }
  return [parts[0] as DeploymentName, { startTime, timeout, minActivationHeight }];
}
