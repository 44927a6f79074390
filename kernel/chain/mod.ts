/**
 * Chain parameters, genesis blocks, subsidy, deployments (buried and BIP9 version bits) and
 * native proof of work for main, testnet, signet and regtest.
 *
 * @module
 */
export * from "./aux_pow.ts";
export * from "./chain_entry.ts";
export * from "./chain_options.ts";
export * from "./chain_params.ts";
export * from "./compact.ts";
export * from "./consensus_params.ts";
export * from "./genesis.ts";
export * from "./header_work.ts";
export * from "./pow.ts";
export * from "./subsidy.ts";
export * from "./versionbits.ts";
