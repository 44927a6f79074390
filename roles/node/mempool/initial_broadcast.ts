/**
 * `ReattemptInitialBroadcast`: every 10 to 15 minutes, announce again the locally submitted
 * transactions no peer has fetched yet (the mempool's unbroadcast set).
 *
 * @module
 */
import type { Mempool } from "./mempool.ts";
import type { Scheduler } from "./scheduler.ts";

/** The shortest wait between two attempts (10 minutes). */
export const REATTEMPT_BROADCAST_MIN_MS = 10 * 60 * 1000;
/** The random extra wait on top, so the period cannot fingerprint the node (up to 5 minutes). */
export const REATTEMPT_BROADCAST_JITTER_MS = 5 * 60 * 1000;

/**
 * One attempt: unbroadcast transactions still in the pool are announced again (through the
 * mempool's `reannounce` listeners); those gone from the pool leave the set.
 */
export function reattemptInitialBroadcast(mempool: Mempool): void {
  for (const txid of [...mempool.unbroadcastTxids()]) {
    if (mempool.has(txid)) mempool.reannounce(txid);
    else mempool.removeUnbroadcastTx(txid);
  }
}

/** Schedules the attempts on `scheduler`, the first one 10–15 minutes from now. */
export function scheduleInitialBroadcastRetries(
  scheduler: Scheduler,
  mempool: Mempool,
  random: () => number = Math.random,
): void {
  const next = () => {
    const delay = REATTEMPT_BROADCAST_MIN_MS + Math.floor(random() * REATTEMPT_BROADCAST_JITTER_MS);
    scheduler.scheduleFromNow(() => {
      reattemptInitialBroadcast(mempool);
      next();
    }, delay);
  };
  next();
}
