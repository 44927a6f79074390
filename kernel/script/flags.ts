/**
 * Script verification flags (`SCRIPT_VERIFY_*`, protocol.md §5.5) and the
 * flag names the reference test vectors use (`mapFlagNames`).
 */

/** Flag bit values. Bits 9 and 10 (Bitcoin's CLTV/CSV) are unused in Freicoin. */
export const VerifyFlags = {
  NONE: 0,
  P2SH: 1 << 0,
  STRICTENC: 1 << 1,
  DERSIG: 1 << 2,
  LOW_S: 1 << 3,
  MULTISIG_HINT: 1 << 4,
  SIGPUSHONLY: 1 << 5,
  MINIMALDATA: 1 << 6,
  DISCOURAGE_UPGRADABLE_NOPS: 1 << 7,
  CLEANSTACK: 1 << 8,
  WITNESS: 1 << 11,
  DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM: 1 << 12,
  MINIMALIF: 1 << 13,
  NULLFAIL: 1 << 14,
  WITNESS_PUBKEYTYPE: 1 << 15,
  CONST_SCRIPTCODE: 1 << 16,
  TAPROOT: 1 << 17,
  DISCOURAGE_UPGRADABLE_TAPROOT_VERSION: 1 << 18,
  DISCOURAGE_OP_SUCCESS: 1 << 19,
  DISCOURAGE_UPGRADABLE_PUBKEYTYPE: 1 << 20,
  SIZE_EXPANSION: 1 << 28,
  PROTOCOL_CLEANUP: 1 << 29,
  /** Test-vector marker, not an interpreter rule: verify with the NO_LOCK_HEIGHT sighash. */
  LOCK_HEIGHT_NOT_UNDER_SIGNATURE: 1 << 30,
} as const;

/** Names accepted in the flags column of script_tests/tx_valid/tx_invalid, in the reference's map order. */
export const FLAG_NAMES: ReadonlyMap<string, number> = new Map(
  [
    "CLEANSTACK",
    "CONST_SCRIPTCODE",
    "DERSIG",
    "DISCOURAGE_OP_SUCCESS",
    "DISCOURAGE_UPGRADABLE_NOPS",
    "DISCOURAGE_UPGRADABLE_PUBKEYTYPE",
    "DISCOURAGE_UPGRADABLE_TAPROOT_VERSION",
    "DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM",
    "LOCK_HEIGHT_NOT_UNDER_SIGNATURE",
    "LOW_S",
    "MINIMALDATA",
    "MINIMALIF",
    "MULTISIG_HINT",
    "NULLFAIL",
    "P2SH",
    "SIGPUSHONLY",
    "STRICTENC",
    "TAPROOT",
    "WITNESS",
    "WITNESS_PUBKEYTYPE",
  ].map((name) => [name, VerifyFlags[name as keyof typeof VerifyFlags]]),
);

/**
 * Parses a comma-separated flag list ("" and "NONE" mean no flags).
 * Throws on an unknown name.
 */
export function parseVerifyFlags(text: string): number {
  if (text === "" || text === "NONE") return 0;
  let flags = 0;
  for (const word of text.split(",")) {
    const bit = FLAG_NAMES.get(word);
    if (bit === undefined) throw new RangeError(`unknown verification flag '${word}'`);
    flags |= bit;
  }
  return flags >>> 0;
}

/** Consensus flags always applied to blocks (`GetBlockScriptFlags` base). */
export const MANDATORY_SCRIPT_VERIFY_FLAGS = VerifyFlags.P2SH | VerifyFlags.DERSIG |
  VerifyFlags.WITNESS;

/** Policy flags for mempool acceptance (`STANDARD_SCRIPT_VERIFY_FLAGS`, src/policy/policy.h). */
export const STANDARD_SCRIPT_VERIFY_FLAGS = MANDATORY_SCRIPT_VERIFY_FLAGS |
  VerifyFlags.STRICTENC | VerifyFlags.MINIMALDATA | VerifyFlags.DISCOURAGE_UPGRADABLE_NOPS |
  VerifyFlags.CLEANSTACK | VerifyFlags.MINIMALIF | VerifyFlags.NULLFAIL |
  VerifyFlags.MULTISIG_HINT | VerifyFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM |
  VerifyFlags.WITNESS_PUBKEYTYPE | VerifyFlags.CONST_SCRIPTCODE |
  VerifyFlags.DISCOURAGE_OP_SUCCESS;
