/**
 * Fee estimation: freicoind's block policy estimator (buckets, decaying confirmation
 * statistics over three horizons, smart and raw estimates), fee_estimates.dat in freicoind's
 * format, its wiring to the mempool, and the estimatesmartfee / estimaterawfee methods.
 *
 * @module
 */
export * from "./fee_buckets.ts";
export * from "./tx_confirm_stats.ts";
export * from "./block_policy_estimator.ts";
export * from "./fee_estimates_file.ts";
export * from "./fee_estimation.ts";
export * from "./fee_rpc.ts";
