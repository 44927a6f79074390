/**
 * The settings a parent hands to a spawned child (`Init.configure`): its effective values of
 * the options a child acts on, written as command-line arguments. They are effective values
 * (command line, config file and network section already merged), because the child cannot
 * read the parent's config file from its sandbox.
 *
 * @module
 */
import type { Args } from "../../../cli/args/args.ts";

/** Options with one value that a child applies. */
const SINGLE_OPTIONS = [
  "-logtimestamps",
  "-logtimemicros",
  "-logthreadnames",
  "-logsourcelocations",
  "-loglevelalways",
];

/** Options with a list of values that a child applies. */
const LIST_OPTIONS = ["-debug", "-debugexclude", "-loglevel"];

/**
 * The child's arguments for the parent's `args`: `-chain=<network>`, then the logging options.
 *
 * @example
 * ```ts ignore
 * childSettingsArgs(args); // ["-chain=regtest", "-logthreadnames=1", "-debug=ipc"]
 * ```
 */
export function childSettingsArgs(args: Args): string[] {
  const out = [`-chain=${args.network}`];
  for (const name of SINGLE_OPTIONS) {
    if (args.isSet(name)) out.push(`${name}=${args.getBool(name, false) ? 1 : 0}`);
  }
  for (const name of LIST_OPTIONS) {
    for (const value of args.getAll(name)) out.push(`${name}=${value}`);
  }
  return out;
}
