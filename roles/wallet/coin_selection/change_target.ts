/**
 * The randomized change target (`GenerateChangeTarget`): knapsack and CoinGrinder aim for a
 * change output of a random size between 50 000 kria and min(2 × payment, 1 000 000), so that
 * change amounts do not give away which output is the payment.
 *
 * @module
 */
import type { SelectionRandom } from "./random.ts";
import { CHANGE_LOWER, CHANGE_UPPER } from "./single_random_draw.ts";

/** Change target for an average payment of `paymentValue`, plus the change output's own fee. */
export function generateChangeTarget(
  paymentValue: bigint,
  changeFee: bigint,
  random: SelectionRandom,
): bigint {
  if (paymentValue <= CHANGE_LOWER / 2n) return changeFee + CHANGE_LOWER;
  const upper = paymentValue * 2n < CHANGE_UPPER ? paymentValue * 2n : CHANGE_UPPER;
  // upper - CHANGE_LOWER is below 2^20 here, so a number draw is exact.
  return changeFee + BigInt(random.randomInt(Number(upper - CHANGE_LOWER))) + CHANGE_LOWER;
}
