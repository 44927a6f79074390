import type { Secp256k1 } from "../secp256k1/secp256k1.ts";
import { verifyScript } from "../script/verify_script.ts";
import { PrecomputedTransactionData } from "../script/sighash.ts";
import { TransactionSignatureChecker } from "../script/signature_checker.ts";
import type { Transaction } from "../primitives/transaction.ts";
import type { ScriptVerifier, SpentOutputInfo } from "./script_check.ts";
import { scriptErrorMessage } from "./_script_error_message.ts";

/**
 * A {@link ScriptVerifier} over kernel/script's interpreter (`CScriptCheck` without the
 * signature cache): signatures are checked for the spent output's reference value and
 * refheight, with per-transaction sighash data shared between inputs. The failure text is
 * freicoind's `ScriptErrorString` (e.g. "Script failed an OP_EQUALVERIFY operation").
 *
 * @example
 * ```ts
 * import { createScriptVerifier } from "./script_verifier.ts";
 * import { createPureSecp256k1 } from "../secp256k1/pure_backend.ts";
 * const verify = createScriptVerifier(createPureSecp256k1());
 * console.assert(typeof verify === "function");
 * ```
 */
export function createScriptVerifier(secp: Secp256k1): ScriptVerifier {
  const shared = new WeakMap<Transaction, PrecomputedTransactionData>();
  return (tx, inputIndex, flags, spentOutputs: readonly SpentOutputInfo[]) => {
    let precomputed = shared.get(tx);
    if (!precomputed) {
      precomputed = new PrecomputedTransactionData(tx, spentOutputs);
      shared.set(tx, precomputed);
    }
    const spent = spentOutputs[inputIndex];
    const checker = new TransactionSignatureChecker(
      secp,
      tx,
      inputIndex,
      spent.output.value,
      spent.refheight,
      { precomputed },
    );
    const input = tx.inputs[inputIndex];
    const result = verifyScript(
      input.scriptSig,
      spent.output.scriptPubKey,
      input.witness,
      flags,
      checker,
    );
    return result.ok ? { ok: true } : { ok: false, error: scriptErrorMessage(result.error) };
  };
}
