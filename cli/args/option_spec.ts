/**
 * What the argument parser knows about one option.
 *
 * @module
 */

/** The help sections of freicoind, in the order `-help` prints them. */
export const OPTION_CATEGORIES = [
  "OPTIONS",
  "CONNECTION",
  "WALLET",
  "WALLET_DEBUG_TEST",
  "ZMQ",
  "DEBUG_TEST",
  "CHAINPARAMS",
  "NODE_RELAY",
  "BLOCK_CREATION",
  "RPC",
  "STRATUM",
  "GUI",
  "COMMANDS",
  "REGISTER_COMMANDS",
  "HIDDEN",
] as const;

/** One help section. `HIDDEN` options are accepted but never listed. */
export type OptionCategory = typeof OPTION_CATEGORIES[number];

/** One registered option, as freicoind's `ArgsManager::AddArg` describes it. */
export interface OptionSpec {
  /** The option with its dash, e.g. `-datadir`. */
  readonly name: string;
  /** What `-help` prints after the name, e.g. `=<dir>`. */
  readonly param?: string;
  readonly category: OptionCategory;
  /** The help text, unwrapped; `-help` wraps it. */
  readonly help: string;
  /** Listed only by `-help-debug`. */
  readonly debugOnly?: boolean;
  /** In the config file, only honoured inside a network section on test networks. */
  readonly networkOnly?: boolean;
  /** Its value is masked as `****` in debug.log. */
  readonly sensitive?: boolean;
  /** `-nofoo` is an error. */
  readonly disallowNegation?: boolean;
  /** `-foo` without `=value` is an error. */
  readonly disallowElision?: boolean;
}
