/**
 * Results of consensus and policy checks (src/consensus/validation.h): a failure is a value
 * carrying freicoind's reject reason string, a category, and a debug message. The peer penalty
 * is decided elsewhere from the category; nothing here throws for bad input.
 */

/** Why a transaction failed (`TxValidationResult`), spelled as lower-case words. */
export type TxValidationCategory =
  | "consensus"
  | "recent-consensus-change"
  | "input-not-standard"
  | "not-standard"
  | "missing-inputs"
  | "premature-spend"
  /** Freicoin: spends an output of the current block-final transaction (mempool). */
  | "spend-block-final"
  | "witness-mutated"
  | "witness-stripped"
  | "conflict"
  | "mempool-policy"
  | "no-mempool"
  | "reconsiderable"
  | "unknown";

/** Why a block failed (`BlockValidationResult`). */
export type BlockValidationCategory =
  | "consensus"
  | "recent-consensus-change"
  | "cached-invalid"
  | "invalid-header"
  | "mutated"
  | "missing-prev"
  | "invalid-prev"
  | "time-future"
  | "checkpoint"
  | "headers-low-work";

/** A failed check. */
export interface ValidationFailure<C extends string> {
  readonly ok: false;
  /** Category, for the caller's penalty and relay decisions. */
  readonly category: C;
  /** freicoind's reject reason, e.g. "bad-txns-vin-empty". */
  readonly reason: string;
  /** freicoind's debug message (may be empty). */
  readonly debugMessage: string;
}

/** A passed check. */
export interface ValidationSuccess {
  readonly ok: true;
}

/** Outcome of a transaction check. */
export type TxValidationResult = ValidationSuccess | ValidationFailure<TxValidationCategory>;
/** Outcome of a block check. */
export type BlockValidationResult = ValidationSuccess | ValidationFailure<BlockValidationCategory>;
/** A failed transaction check. */
export type TxValidationFailure = ValidationFailure<TxValidationCategory>;
/** A failed block check. */
export type BlockValidationFailure = ValidationFailure<BlockValidationCategory>;

/** The one success value. */
export const VALID: ValidationSuccess = Object.freeze({ ok: true });

/** A transaction failure (`TxValidationState::Invalid`). */
export function txInvalid(
  category: TxValidationCategory,
  reason: string,
  debugMessage = "",
): TxValidationFailure {
  return Object.freeze({ ok: false, category, reason, debugMessage });
}

/** A block failure (`BlockValidationState::Invalid`). */
export function blockInvalid(
  category: BlockValidationCategory,
  reason: string,
  debugMessage = "",
): BlockValidationFailure {
  return Object.freeze({ ok: false, category, reason, debugMessage });
}

/**
 * The reference's `ValidationState::ToString`: the reason, then ", debug" when a debug message
 * differs from it.
 */
export function validationToString<C extends string>(
  result: ValidationSuccess | ValidationFailure<C>,
): string {
  if (result.ok) return "Valid";
  return result.debugMessage ? `${result.reason}, ${result.debugMessage}` : result.reason;
}
