/**
 * Validation notifications (`CValidationInterface`): listeners hear about connected and
 * disconnected blocks, tip updates and block checks, synchronously and in the order the
 * chainstate made the changes.
 */

import type { BlockValidationResult } from "../../../kernel/consensus/validation_result.ts";
import type { Block } from "../../../kernel/primitives/block.ts";
import type { Logger } from "../../../cli/logger.ts";
import type { BlockIndexEntry } from "./block_index_entry.ts";

/** What a listener may implement; every method is optional. */
export interface ChainListener {
  /** A block became the new tip (`BlockConnected`). */
  blockConnected?(block: Block, entry: BlockIndexEntry): void;
  /** The tip block was removed (`BlockDisconnected`); `entry` is the removed block. */
  blockDisconnected?(block: Block, entry: BlockIndexEntry): void;
  /** The tip changed after a step of chain activation (`UpdatedBlockTip`). */
  updatedTip?(
    tip: BlockIndexEntry,
    fork: BlockIndexEntry | undefined,
    initialDownload: boolean,
  ): void;
  /** A block was fully validated or rejected (`BlockChecked`). */
  blockChecked?(block: Block, result: BlockValidationResult): void;
}

/** A subscription; `disconnect()` (or `using`) stops delivery. */
export interface ChainSubscription extends Disposable {
  disconnect(): void;
}

/** The listener registry. A throwing listener is logged and never stops the others. */
export class ChainEvents {
  readonly #listeners = new Set<ChainListener>();
  readonly #logger: Logger;

  /** Creates an empty registry logging listener failures to `logger`. */
  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Registers `listener`. */
  subscribe(listener: ChainListener): ChainSubscription {
    this.#listeners.add(listener);
    const disconnect = () => void this.#listeners.delete(listener);
    return { disconnect, [Symbol.dispose]: disconnect };
  }

  /** Calls `method` on every listener that implements it. */
  emit<K extends keyof ChainListener>(
    method: K,
    ...args: Parameters<NonNullable<ChainListener[K]>>
  ): void {
    for (const listener of [...this.#listeners]) {
      const fn = listener[method] as ((...a: typeof args) => void) | undefined;
      if (!fn) continue;
      try {
        fn.apply(listener, args);
      } catch (error) {
        this.#logger.error(`validation listener ${method} failed: ${error}`, "validation");
      }
    }
  }
}
