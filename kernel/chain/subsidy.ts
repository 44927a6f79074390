import type { ConsensusParams } from "./consensus_params.ts";

/**
 * Block subsidy in kria at `height` (`GetBlockSubsidy`, src/validation.cpp): the mainnet
 * initial-distribution term until `equilibriumHeight` (plus 1 kria for truncation), then the
 * perpetual subsidy; regtest keeps Bitcoin's 50 FRC halving every 150 blocks.
 *
 * @example
 * ```ts
 * import { getBlockSubsidy } from "./subsidy.ts";
 * import { selectParams } from "./chain_params.ts";
 * console.assert(getBlockSubsidy(150, selectParams("regtest").consensus) === 2_500_000_000n);
 * ```
 */
export function getBlockSubsidy(height: number, params: ConsensusParams): bigint {
  let subsidy = 0n;
  if (height < params.equilibriumHeight) {
    const equilibrium = BigInt(params.equilibriumHeight);
    subsidy += 4n * params.equilibriumMonetaryBase;
    subsidy += 5n * (equilibrium - BigInt(height)) * params.initialExcessSubsidy;
    // int64 division truncates toward zero; every term here is non-negative.
    subsidy /= 5n * equilibrium;
    subsidy += 1n;
  }
  subsidy += params.perpetualSubsidy;
  if (params.subsidyHalvingInterval) {
    const halvings = Math.trunc(height / params.subsidyHalvingInterval);
    if (halvings >= 64) return 0n;
    subsidy >>= BigInt(halvings);
  }
  return subsidy;
}
