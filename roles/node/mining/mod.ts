/**
 * Block assembly and regtest mining: the blocks freicoind's miner builds (block-final
 * transaction, witness commitment, coinbase layout), nonce grinding, the chainstate adapter,
 * and the mining RPC methods.
 *
 * @module
 */
export * from "./block_assembler.ts";
export * from "./generate_blocks.ts";
export * from "./chain_state_view.ts";
export * from "./mining_rpc.ts";
export * from "./mining_rpc_context.ts";
export * from "./generating_rpc.ts";
export * from "./block_template_rpc.ts";
export * from "./block_assembler_options.ts";
