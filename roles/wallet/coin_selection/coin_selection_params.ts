/**
 * What every selection pass of one transaction shares (`CoinSelectionParams`).
 *
 * @module
 */
import type { SelectionRandom } from "./random.ts";

/** The largest weight a standard transaction may have (`MAX_STANDARD_TX_WEIGHT`). */
export const MAX_STANDARD_TX_WEIGHT = 400_000;

/** Parameters of one transaction's coin selection; amounts in kria, rates in kria per kvB. */
export interface CoinSelectionParams {
  readonly random: SelectionRandom;
  /** Serialized size of the change output. */
  readonly changeOutputSize: number;
  /** Virtual size of the input that will spend the change later. */
  readonly changeSpendSize: number;
  /** Change knapsack and CoinGrinder aim for (randomized, see `generateChangeTarget`). */
  readonly minChangeTarget: bigint;
  /** Change below this goes to the fee. */
  readonly minViableChange: bigint;
  /** Fee of the change output at the effective rate. */
  readonly changeFee: bigint;
  /** Fee to create the change now plus to spend it later at the discard rate. */
  readonly costOfChange: bigint;
  readonly effectiveFeeRate: bigint;
  /** Rate inputs are expected to cost later (-consolidatefeerate). */
  readonly longTermFeeRate: bigint;
  readonly discardFeeRate: bigint;
  /** Virtual size of the transaction without inputs. */
  readonly txNoInputsSize: number;
  /** Whether the fee comes out of the recipients' amounts. */
  readonly subtractFeeOutputs: boolean;
  /** Spend all coins of an address together. */
  readonly avoidPartialSpends: boolean;
  readonly includeUnsafeInputs: boolean;
}
