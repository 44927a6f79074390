/**
 * The peer penalty for an invalid block or header (`MaybePunishNodeForBlock`), decided in one
 * place from the failure category.
 *
 * @module
 */
import type { BlockValidationCategory } from "../../../kernel/consensus/validation_result.ts";

/** How a block or header reached us. */
export interface PenaltyContext {
  readonly inbound: boolean;
  readonly viaCompactBlock: boolean;
}

/** Misbehaviour points for a block or header failure of `category` (0 = none). */
export function blockFailurePenalty(
  category: BlockValidationCategory,
  context: PenaltyContext,
): number {
  switch (category) {
    case "consensus":
    case "mutated":
      return context.viaCompactBlock ? 0 : 100;
    case "cached-invalid":
      // Outbound peers on an invalid chain are dropped; inbound ones may just be behind.
      return context.viaCompactBlock || context.inbound ? 0 : 100;
    case "invalid-header":
    case "checkpoint":
    case "invalid-prev":
      return 100;
    case "missing-prev":
      return 10;
    case "recent-consensus-change":
    case "time-future":
    case "headers-low-work":
      return 0;
  }
}
