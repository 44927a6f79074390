/**
 * OP_CHECKMULTISIG(VERIFY) with Freicoin's MULTISIG_HINT dummy
 * (protocol.md §5.7): the dummy is a bitfield of keys that have no signature.
 */
import { VerifyFlags as F } from "./flags.ts";
import { findAndDeletePush, MAX_OPS_PER_SCRIPT, MAX_PUBKEYS_PER_MULTISIG } from "./script.ts";
import type { ScriptError } from "./script_error.ts";
import { clampToInt32 } from "./script_num.ts";
import { ScriptException, scriptNum } from "./_script_exception.ts";
import type { SignatureChecker } from "./signature_checker.ts";
import {
  checkPubKeyEncoding,
  checkSignatureEncoding,
  type SigVersion,
} from "./signature_encoding.ts";

/** What CHECKMULTISIG needs from the running evaluation. */
export interface MultisigContext {
  script: Uint8Array;
  codeHashStart: number;
  flags: number;
  checker: SignatureChecker;
  sigVersion: SigVersion;
  requireMinimal: boolean;
  enforceNullFail: boolean;
  enforceMultisigHint: boolean;
  opCount: number;
  legacyLimits: boolean;
}

/**
 * CHECKMULTISIG with Freicoin's MULTISIG_HINT dummy: consumes its arguments
 * and the hint; returns the outcome or an error name.
 */
export function checkMultisig(
  stack: Uint8Array[],
  ctx: MultisigContext,
): { success: boolean; opCount: number } | ScriptError {
  const at = (i: number): Uint8Array => {
    const item = stack[stack.length - i];
    if (item === undefined) throw new ScriptException("stack index");
    return item;
  };
  let i = 1;
  if (stack.length < i) return "INVALID_STACK_OPERATION";
  let keysCount = clampToInt32(scriptNum(at(i), ctx.requireMinimal));
  if (keysCount < 0 || keysCount > MAX_PUBKEYS_PER_MULTISIG) return "PUBKEY_COUNT";
  const opCount = ctx.opCount + keysCount;
  if (ctx.legacyLimits && opCount > MAX_OPS_PER_SCRIPT) return "OP_COUNT";
  let ikey = ++i;
  // Position of the last non-signature item (top = 1), for NULLFAIL cleanup.
  let ikey2 = keysCount + 2;
  i += keysCount;
  if (stack.length < i) return "INVALID_STACK_OPERATION";
  let sigsCount = clampToInt32(scriptNum(at(i), ctx.requireMinimal));
  if (sigsCount < 0 || sigsCount > keysCount) return "SIG_COUNT";
  let isig = ++i;
  i += sigsCount;
  if (stack.length < i) return "INVALID_STACK_OPERATION";

  let scriptCode = ctx.codeHashStart === 0 ? ctx.script : ctx.script.subarray(ctx.codeHashStart);
  let emptySigs = false;
  for (let k = 0; k < sigsCount; k++) {
    const sig = at(isig + k);
    if (ctx.sigVersion === "BASE") {
      const deleted = findAndDeletePush(scriptCode, sig);
      if (deleted.found > 0 && (ctx.flags & F.CONST_SCRIPTCODE)) return "SIG_FINDANDDELETE";
      scriptCode = deleted.script;
    }
    emptySigs ||= sig.length === 0;
  }

  // The dummy is a bitfield of keys without signatures (bit 0 = key nearest the top).
  let skipped = 0;
  if (ctx.enforceMultisigHint) {
    const hint = scriptNum(at(i), true, 3); // a >3-byte or non-minimal hint throws: UNKNOWN_ERROR
    if (hint < 0 || hint >= 2 ** keysCount) return "MULTISIG_HINT";
    skipped = hint;
    const sigsPresent = keysCount - popcount(hint);
    if (sigsPresent !== (emptySigs ? 0 : sigsCount)) return "MULTISIG_HINT";
  }

  let success = true;
  while (success && sigsCount > 0) {
    const sig = at(isig);
    const pubkey = at(ikey);
    const encodingError = checkSignatureEncoding(sig, ctx.flags) ??
      checkPubKeyEncoding(pubkey, ctx.flags, ctx.sigVersion);
    if (encodingError !== null) return encodingError;
    const haveSig = ((skipped >>> (ikey - 2)) & 1) === 0;
    const ok = haveSig && ctx.checker.checkEcdsaSignature(sig, pubkey, scriptCode, ctx.sigVersion);
    if (!ok && ctx.enforceMultisigHint && haveSig) return "FAILED_SIGNATURE_CHECK";
    if (ok) {
      isig++;
      sigsCount--;
    }
    ikey++;
    keysCount--;
    if (sigsCount > keysCount) success = false;
  }

  // Pop the arguments; with NULLFAIL every signature of a failed check must be empty.
  while (i-- > 1) {
    if (!success && ctx.enforceNullFail && ikey2 === 0 && at(1).length > 0) return "NULLFAIL";
    if (ikey2 > 0) ikey2--;
    if (stack.pop() === undefined) throw new ScriptException("popstack(): stack empty");
  }
  if (stack.length < 1) return "INVALID_STACK_OPERATION";
  stack.pop(); // the MULTISIG_HINT / dummy
  return { success, opCount };
}

function popcount(n: number): number {
  let count = 0;
  while (n > 0) {
    count += n & 1;
    n >>>= 1;
  }
  return count;
}
