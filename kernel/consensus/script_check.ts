/**
 * How consensus code runs scripts: an injected verifier (kernel/script's `verifyScript` with a
 * signature checker, or a cached variant), the block script flags, and the block-final
 * "trivially spendable" test.
 */

import { type ChainEntry, medianTimePast } from "../chain/chain_entry.ts";
import type { ConsensusParams } from "../chain/consensus_params.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { Transaction } from "../primitives/transaction.ts";
import { SEQUENCE_FINAL, TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { STANDARD_SCRIPT_VERIFY_FLAGS, VerifyFlags } from "../script/flags.ts";
import { MANDATORY_SCRIPT_VERIFY_FLAGS } from "../script/flags.ts";
import { txInvalid, type TxValidationResult, VALID } from "./validation_result.ts";

/** A spent output as the script checker sees it. */
export interface SpentOutputInfo {
  readonly output: TxOut;
  readonly refheight: number;
}

/** Result of one input's script check; `error` is the script error's message text. */
export type ScriptCheckResult = { readonly ok: true } | {
  readonly ok: false;
  readonly error: string;
};

/**
 * Verifies input `inputIndex` of `tx` under `flags` (`CScriptCheck`): scriptSig, the spent
 * scriptPubKey and the witness, with a signature checker for the spent output's reference
 * value and refheight. `spentOutputs` has one entry per input (for shared sighash data).
 */
export type ScriptVerifier = (
  tx: Transaction,
  inputIndex: number,
  flags: number,
  spentOutputs: readonly SpentOutputInfo[],
) => ScriptCheckResult;

/**
 * `GetBlockScriptFlags`: P2SH, WITNESS and (inert) TAPROOT always; DERSIG from BIP66;
 * PROTOCOL_CLEANUP from the cleanup height; SIZE_EXPANSION when the parent's median time past
 * reached the size-expansion time.
 */
export function getBlockScriptFlags(entry: ChainEntry, params: ConsensusParams): number {
  let flags = VerifyFlags.P2SH | VerifyFlags.WITNESS | VerifyFlags.TAPROOT;
  if (entry.height >= params.bip66Height) flags |= VerifyFlags.DERSIG;
  if (entry.height >= params.cleanupHeight) flags |= VerifyFlags.PROTOCOL_CLEANUP;
  if (entry.prev && BigInt(medianTimePast(entry.prev)) >= params.sizeExpansionActivationTime) {
    flags |= VerifyFlags.SIZE_EXPANSION;
  }
  return flags >>> 0;
}

const STANDARD_NOT_MANDATORY = (STANDARD_SCRIPT_VERIFY_FLAGS & ~MANDATORY_SCRIPT_VERIFY_FLAGS) >>>
  0;

/**
 * `CheckInputScripts` without the cache: every input's script under `flags`. A failure that
 * disappears without the policy-only flags is "non-mandatory-script-verify-flag (…)"
 * (not-standard); otherwise "mandatory-script-verify-flag-failed (…)" (consensus).
 */
export function checkInputScripts(
  tx: Transaction,
  spentOutputs: readonly SpentOutputInfo[],
  flags: number,
  verify: ScriptVerifier,
): TxValidationResult {
  if (tx.isCoinBase()) return VALID;
  for (let i = 0; i < tx.inputs.length; i++) {
    const result = verify(tx, i, flags, spentOutputs);
    if (result.ok) continue;
    if (flags & STANDARD_NOT_MANDATORY) {
      const relaxed = verify(tx, i, (flags & ~STANDARD_NOT_MANDATORY) >>> 0, spentOutputs);
      if (relaxed.ok) {
        return txInvalid("not-standard", `non-mandatory-script-verify-flag (${result.error})`);
      }
    }
    return txInvalid("consensus", `mandatory-script-verify-flag-failed (${result.error})`);
  }
  return VALID;
}

const OP_TRUE_SCRIPT = new Uint8Array([0x51]);

/**
 * `IsTriviallySpendable(coin, prevout, flags)`: the output can be spent by a version-2
 * transaction with an empty scriptSig and no witness (lock_height = the coin's refheight).
 */
export function isTriviallySpendableCoin(
  coin: SpentOutputInfo,
  prevout: OutPoint,
  flags: number,
  verify: ScriptVerifier,
): boolean {
  const spender = new Transaction({
    version: 2,
    inputs: [new TxIn({ prevout, scriptSig: new Uint8Array(0), sequence: SEQUENCE_FINAL })],
    outputs: [new TxOut(0n, OP_TRUE_SCRIPT)],
    lockTime: 0,
    lockHeight: coin.refheight,
  });
  return verify(spender, 0, flags, [coin]).ok;
}

/**
 * `IsTriviallySpendable(txFrom, n, flags)`. Quirk kept from the reference: it always tests
 * `vout[0]`'s script (with outpoint index `n`), so only the first output is really checked.
 */
export function isTriviallySpendableOutput(
  txFrom: Transaction,
  n: number,
  flags: number,
  verify: ScriptVerifier,
): boolean {
  const coin = { output: txFrom.outputs[0], refheight: txFrom.lockHeight };
  return isTriviallySpendableCoin(coin, new OutPoint(txFrom.txid, n), flags, verify);
}
