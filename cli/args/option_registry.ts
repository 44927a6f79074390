/**
 * The set of options a program accepts.
 *
 * @module
 */
import type { OptionSpec } from "./option_spec.ts";
import { FREICOIND_OPTIONS } from "./option_table.ts";
import { FREICOIND_HIDDEN_OPTIONS, MULTIPROCESS_OPTIONS } from "./extra_options.ts";
import { FREICOIN_CLI_OPTIONS } from "./cli_option_table.ts";

/**
 * Registered options by name, in registration order.
 *
 * @example
 * ```ts
 * import { nodeOptionRegistry } from "./option_registry.ts";
 * nodeOptionRegistry().lookup("-datadir")?.param; // "=<dir>"
 * ```
 */
export class OptionRegistry {
  readonly #byName = new Map<string, OptionSpec>();

  constructor(specs: Iterable<OptionSpec>) {
    for (const spec of specs) this.add(spec);
  }

  /** Adds an option; a later registration of the same name replaces the earlier one. */
  add(spec: OptionSpec): void {
    this.#byName.set(spec.name, spec);
  }

  /** The option called `name` (with its dash), if registered. */
  lookup(name: string): OptionSpec | undefined {
    return this.#byName.get(name);
  }

  /** Every option, in registration order. */
  all(): IterableIterator<OptionSpec> {
    return this.#byName.values();
  }

  /** Names of the network-only options, without their dash. */
  networkOnlyNames(): string[] {
    return [...this.#byName.values()].filter((spec) => spec.networkOnly).map((spec) =>
      spec.name.slice(1)
    );
  }
}

/** Everything `freicoind` and `freicoin-node` accept. */
export function nodeOptionRegistry(): OptionRegistry {
  return new OptionRegistry([
    ...FREICOIND_OPTIONS,
    ...FREICOIND_HIDDEN_OPTIONS,
    ...MULTIPROCESS_OPTIONS,
  ]);
}

/** Everything `freicoin-cli` accepts, plus `-ipcconnect`. */
export function cliOptionRegistry(): OptionRegistry {
  return new OptionRegistry([
    ...FREICOIN_CLI_OPTIONS,
    ...MULTIPROCESS_OPTIONS.filter((spec) => spec.name === "-ipcconnect"),
  ]);
}
