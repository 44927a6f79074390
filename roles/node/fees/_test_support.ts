/**
 * Test support (not exported): a synthetic fee market fed to an estimator, where higher fee
 * rates confirm sooner.
 */
import type { BlockPolicyEstimator, ConfirmedTransactionInfo } from "./block_policy_estimator.ts";

/** Fee rates of the synthetic market, kria per kvB (for 1000-vbyte transactions). */
export const MARKET_RATES = [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000];

/**
 * Feeds `blocks` blocks: each block, `perLevel` transactions at every rate enter the pool, and
 * a rate at index i confirms once it has waited `MARKET_RATES.length - i` blocks.
 */
export function feedMarket(
  estimator: BlockPolicyEstimator,
  options: { blocks: number; perLevel?: number; startHeight?: number },
): { height: number } {
  const perLevel = options.perLevel ?? 4;
  let height = options.startHeight ?? estimator.bestSeenHeight;
  const waiting: (ConfirmedTransactionInfo & { level: number })[] = [];
  let serial = 0;
  for (let b = 0; b < options.blocks; b++) {
    for (let level = 0; level < MARKET_RATES.length; level++) {
      for (let k = 0; k < perLevel; k++) {
        const tx = {
          txid: `${height}-${level}-${k}-${serial++}`,
          fee: BigInt(MARKET_RATES[level]),
          vsize: 1000,
          height,
          level,
        };
        waiting.push(tx);
        estimator.processTransaction({
          ...tx,
          mempoolLimitBypassed: false,
          submittedInPackage: false,
          chainstateIsCurrent: true,
          hasNoMempoolParents: true,
        });
      }
    }
    height++;
    const confirmed = waiting.filter((tx) => height - tx.height >= MARKET_RATES.length - tx.level);
    for (const tx of confirmed) waiting.splice(waiting.indexOf(tx), 1);
    estimator.processBlock(confirmed, height);
  }
  return { height };
}
