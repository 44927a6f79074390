// Test helpers: groups of one coin with a chosen value and fees.
import { OutputGroup, type SelectionCoin, selectionCoin } from "./output_group.ts";

let counter = 0;

/** A coin worth `value` with a 68-vbyte input (fees at `feeRate`, long-term at `longTermFeeRate`). */
export function coin(
  value: bigint,
  options: {
    feeRate?: bigint;
    longTermFeeRate?: bigint;
    inputBytes?: number;
    depth?: number;
    fromMe?: boolean;
    atHeight?: number;
  } = {},
): SelectionCoin {
  return selectionCoin({
    key: `coin${++counter}:0`,
    atHeight: options.atHeight ?? 100,
    value,
    inputBytes: options.inputBytes ?? 68,
    depth: options.depth ?? 6,
    fromMe: options.fromMe ?? true,
  }, { feeRate: options.feeRate ?? 0n, longTermFeeRate: options.longTermFeeRate ?? 0n });
}

/** One group per value. */
export function pool(
  values: readonly bigint[],
  options: Parameters<typeof coin>[1] & { subtractFeeOutputs?: boolean } = {},
): OutputGroup[] {
  return values.map((value) => {
    const group = new OutputGroup(options.subtractFeeOutputs ?? false);
    group.insert(coin(value, options));
    return group;
  });
}

/** Sum of the coins' values in a list of selected coins. */
export function total(coins: readonly SelectionCoin[]): bigint {
  return coins.reduce((sum, c) => sum + c.value, 0n);
}
