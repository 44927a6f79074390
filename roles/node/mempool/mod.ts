/**
 * The transaction memory pool: relay policy, accept-to-memory-pool with freicoind's reject
 * reasons, replacement, package limits, eviction and expiry, fee deltas, persistence, and the
 * mempool RPC methods.
 *
 * @module
 */
export * from "./chain_view.ts";
export * from "./fee_rate.ts";
export * from "./policy.ts";
export * from "./mempool_entry.ts";
export * from "./mempool.ts";
export * from "./accept.ts";
export * from "./mempool_persist.ts";
export * from "./mempool_rpc.ts";
export * from "./mempool_rpc_context.ts";
export * from "./raw_transaction_rpc.ts";
export * from "./mempool_options.ts";
export * from "./accept_package.ts";
export * from "./scheduler.ts";
export * from "./scheduler_rpc.ts";
export * from "./initial_broadcast.ts";
