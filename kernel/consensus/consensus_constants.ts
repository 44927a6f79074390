/** Consensus limits (src/consensus/consensus.h). */

/** Largest block weight before the size expansion. */
export const MAX_BLOCK_WEIGHT = 4_000_000;
/** Largest serialized block before the size expansion (buffer limit). */
export const MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;
/** Block weight limit after the size expansion. */
export const SIZE_EXPANSION_MAX_BLOCK_WEIGHT = 0x7f000000;
/** Serialized block limit after the size expansion. */
export const SIZE_EXPANSION_MAX_BLOCK_SERIALIZED_SIZE = 0x7efffff8;
/** Signature-operation cost limit per block (dropped by the protocol cleanup). */
export const MAX_BLOCK_SIGOPS_COST = 80_000;
/** Blocks before a coinbase output may be spent (1 after the size expansion). */
export const COINBASE_MATURITY = 100;
/** Longest auxiliary proof-of-work Merkle branch. */
export const MAX_AUX_POW_BRANCH_LENGTH = 25;
/** Longest merge-mining commitment Merkle-map branch. */
export const MAX_AUX_POW_COMMIT_BRANCH_LENGTH = 32;
/** `LOCKTIME_VERIFY_SEQUENCE`: enforce BIP68 relative lock times. */
export const LOCKTIME_VERIFY_SEQUENCE = 1;
/** Blocks may be at most this far (seconds) in the future (`MAX_FUTURE_BLOCK_TIME`). */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;
