/**
 * The node's notion of "now": the wall clock, or the mock time `setmocktime` sets.
 *
 * @module
 */

/**
 * Wall-clock seconds with an optional override, as freicoind's `GetTime` with `SetMockTime`.
 *
 * @example
 * ```ts
 * import { NodeClock } from "./node_clock.ts";
 * const clock = new NodeClock();
 * clock.setMockTime(1356123600);
 * clock.now(); // 1356123600
 * ```
 */
export class NodeClock {
  #mockTime = 0;

  /** Seconds since the epoch: the mock time when set, else the wall clock. */
  now(): number {
    return this.#mockTime > 0 ? this.#mockTime : Math.floor(Date.now() / 1000);
  }

  /** The mock time in seconds, 0 when off. */
  get mockTime(): number {
    return this.#mockTime;
  }

  /** Sets the mock time (0 turns it off). */
  setMockTime(seconds: number): void {
    this.#mockTime = seconds;
  }
}
