/**
 * The wallet options a node hands its wallet process (`Init.configure`), as command-line
 * arguments: the effective values (command line, config file and network section merged),
 * because the sandboxed wallet cannot read the node's config file.
 *
 * @module
 */
import type { Args } from "../../../cli/args/args.ts";

/** Categories of the options the wallet acts on. */
const WALLET_CATEGORIES = new Set(["WALLET", "WALLET_DEBUG_TEST"]);

/** Wallet-relevant options filed elsewhere in `-help`. */
const EXTRA_OPTIONS = ["-maxtxfee", "-bitcoinmode", "-mocktime"];

/** Options that take several values (each is forwarded). */
const LIST_OPTIONS = new Set(["-wallet"]);

/** Options the node resolves itself or that make no sense in the wallet process. */
const NOT_FORWARDED = new Set(["-walletdir", "-disablewallet"]);

/**
 * The wallet process's arguments for the node's `args`: every wallet option that is set, then
 * `-walletdir=<absolute wallet directory>`.
 *
 * @example
 * ```ts ignore
 * walletChildArgs(args, "/home/u/.freicoin/regtest/wallets");
 * // ["-wallet=w1", "-keypool=10", "-walletdir=/home/u/.freicoin/regtest/wallets"]
 * ```
 */
export function walletChildArgs(args: Args, walletDir: string): string[] {
  const out: string[] = [];
  for (const spec of args.registry.all()) {
    const wanted = WALLET_CATEGORIES.has(spec.category) || EXTRA_OPTIONS.includes(spec.name);
    if (!wanted || NOT_FORWARDED.has(spec.name) || !args.isSet(spec.name)) continue;
    if (args.isNegated(spec.name)) {
      out.push(`-no${spec.name.slice(1)}`);
      continue;
    }
    if (LIST_OPTIONS.has(spec.name)) {
      for (const value of args.getAll(spec.name)) out.push(`${spec.name}=${value}`);
    } else {
      // The effective value only: with `-keypool=5` on the command line and `keypool=1` in the
      // config file, the child must see 5 (it would take the last of several).
      out.push(`${spec.name}=${args.get(spec.name) ?? ""}`);
    }
  }
  out.push(`-walletdir=${walletDir}`);
  return out;
}
