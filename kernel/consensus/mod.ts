/**
 * Consensus rules: transaction checks (context-free, inputs with demurrage, finality, BIP68
 * for all versions), block checks (header, Merkle root, contextual, witness commitment),
 * block connection with block-final transaction rules over a coins view, and UTXO-set
 * statistics. Failures are values with freicoind's reject reasons.
 *
 * @module
 */
export * from "./block_mutation.ts";
export * from "./check_block.ts";
export * from "./check_transaction.ts";
export * from "./check_tx_inputs.ts";
export * from "./coins.ts";
export * from "./connect_block.ts";
export * from "./consensus_constants.ts";
export * from "./contextual_check.ts";
export * from "./is_final_tx.ts";
export * from "./muhash.ts";
export * from "./rule_set.ts";
export * from "./script_check.ts";
export * from "./script_verifier.ts";
export * from "./sequence_locks.ts";
export * from "./sigop_cost.ts";
export * from "./tip_locks.ts";
export * from "./utxo_stats.ts";
export * from "./validation_result.ts";
export * from "./witness_malleation.ts";
