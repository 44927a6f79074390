/**
 * The wallet's command-line settings (`-keypool`, `-addresstype`, `-fallbackfee`, ...) read
 * from any argument source, with freicoind's defaults.
 *
 * @module
 */
import { type OutputType, parseOutputType } from "../../kernel/address/mod.ts";
import { parseMoney } from "../../kernel/amount/mod.ts";

/** What the wallet reads from the command line and config file. */
export interface WalletSettings {
  /** -keypool (default 1000). */
  readonly keypool: number;
  /** -addresstype (default bech32). */
  readonly addressType: OutputType;
  /** -changetype (default: follow the payment outputs). */
  readonly changeType: OutputType | null;
  /** -fallbackfee, kria per kvB (default 0: disabled). */
  readonly fallbackFee: bigint;
  /** -paytxfee, kria per kvB (default 0). */
  readonly payTxFee: bigint;
  /** -mintxfee, kria per kvB (default 1000). */
  readonly minTxFee: bigint;
  /** -maxtxfee, kria (default 0.1 FRC). */
  readonly maxTxFee: bigint;
  /** -txconfirmtarget (default 6). */
  readonly confirmTarget: number;
  /** -spendzeroconfchange (default true). */
  readonly spendZeroConfChange: boolean;
  /** -walletrbf (default true). */
  readonly walletRbf: boolean;
  /** -walletrejectlongchains (default true): refuse what the mempool's chain limits would. */
  readonly rejectLongChains: boolean;
  /** -bitcoinmode (regtest only): no demurrage. */
  readonly disableTimeAdjust: boolean;
  /** -wallet values: wallets to load at start-up. */
  readonly wallets: readonly string[];
  /** Whether -wallet (or -nowallet) was given at all: then the unnamed wallet is not added. */
  readonly walletArgSet: boolean;
}

/** freicoind's defaults. */
export const DEFAULT_WALLET_SETTINGS: WalletSettings = Object.freeze({
  keypool: 1000,
  addressType: "bech32",
  changeType: null,
  fallbackFee: 0n,
  payTxFee: 0n,
  minTxFee: 1000n,
  maxTxFee: 10_000_000n,
  confirmTarget: 6,
  spendZeroConfChange: true,
  walletRbf: true,
  rejectLongChains: true,
  disableTimeAdjust: false,
  wallets: Object.freeze([]) as readonly string[],
  walletArgSet: false,
});

/** The argument reader the wallet needs (cli's `Args` fits). */
export interface WalletArgsSource {
  get(name: string): string | undefined;
  getAll(name: string): string[];
  isSet(name: string): boolean;
}

/** Thrown for a bad wallet option, with freicoind's init error text. */
export class WalletSettingsError extends Error {
  override name = "WalletSettingsError";
}

function money(args: WalletArgsSource, name: string, fallback: bigint): bigint {
  const text = args.get(name);
  if (text === undefined) return fallback;
  const value = parseMoney(text);
  if (value === null) {
    throw new WalletSettingsError(`Invalid amount for -${name}=<amount>: '${text}'`);
  }
  return value;
}

function bool(args: WalletArgsSource, name: string, fallback: boolean): boolean {
  const text = args.get(name);
  if (text === undefined) return fallback;
  return text === "" || (text !== "0" && text.toLowerCase() !== "false");
}

/** Reads the wallet settings from the arguments, with freicoind's defaults and errors. */
export function walletSettingsFromArgs(args: WalletArgsSource): WalletSettings {
  const d = DEFAULT_WALLET_SETTINGS;
  const addressText = args.get("addresstype");
  const addressType = addressText === undefined || addressText === ""
    ? d.addressType
    : parseOutputType(addressText);
  if (addressType === null) {
    throw new WalletSettingsError(`Unknown address type '${addressText}'`);
  }
  const changeText = args.get("changetype");
  let changeType: OutputType | null = null;
  if (changeText !== undefined && changeText !== "") {
    changeType = parseOutputType(changeText);
    if (changeType === null) throw new WalletSettingsError(`Unknown change type '${changeText}'`);
  }
  const keypoolText = args.get("keypool");
  return {
    keypool: keypoolText === undefined ? d.keypool : Math.max(1, Number.parseInt(keypoolText) || 0),
    addressType,
    changeType,
    fallbackFee: money(args, "fallbackfee", d.fallbackFee),
    payTxFee: money(args, "paytxfee", d.payTxFee),
    minTxFee: money(args, "mintxfee", d.minTxFee),
    maxTxFee: money(args, "maxtxfee", d.maxTxFee),
    confirmTarget: Number.parseInt(args.get("txconfirmtarget") ?? "6") || d.confirmTarget,
    spendZeroConfChange: bool(args, "spendzeroconfchange", d.spendZeroConfChange),
    walletRbf: bool(args, "walletrbf", d.walletRbf),
    rejectLongChains: bool(args, "walletrejectlongchains", d.rejectLongChains),
    disableTimeAdjust: bool(args, "bitcoinmode", false),
    wallets: args.getAll("wallet"),
    walletArgSet: args.isSet("wallet"),
  };
}
