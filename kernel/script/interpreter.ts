/**
 * The script interpreter (`EvalScript`) with every Freicoin difference of
 * protocol.md §5.7: legacy limits only before the protocol cleanup, no limits
 * in witness scripts, "return true" for unknown opcodes outside legacy
 * scripts, CLTV/CSV/MERKLEBRANCHVERIFY only in witness scripts, the
 * MULTISIG_HINT dummy. `verifyScript` lives in verify_script.ts.
 */
import { bytesEqual } from "../encoding/bytes.ts";
import { hash160, ripemd160, sha1, sha256, sha256d } from "./_hash.ts";
import { VerifyFlags as F } from "./flags.ts";
import { merkleBranchVerify } from "./merkle_proof.ts";
import { Op } from "./opcodes.ts";
import {
  findAndDeletePush,
  isMinimalPush,
  MAX_OPS_PER_SCRIPT,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_SCRIPT_SIZE,
  MAX_STACK_SIZE,
  MAX_WITNESS_STACK_SIZE,
  opEnd,
  witnessProgramVersion,
} from "./script.ts";
import type { ScriptError } from "./script_error.ts";
import { castToBool, clampToInt32, encodeScriptNum } from "./script_num.ts";
import { checkMultisig } from "./_check_multisig.ts";
import { ScriptException, scriptNum } from "./_script_exception.ts";
import type { SignatureChecker } from "./signature_checker.ts";
import {
  checkPubKeyEncoding,
  checkSignatureEncoding,
  type SigVersion,
} from "./signature_encoding.ts";

/** Result of evaluating or verifying a script: "OK" or the first error. */
export type ScriptResult = { ok: true; error: "OK" } | { ok: false; error: ScriptError };

const OK: ScriptResult = { ok: true, error: "OK" };
const fail = (error: ScriptError): ScriptResult => ({ ok: false, error });

const TRUE = Uint8Array.of(1);
const FALSE = new Uint8Array(0);

/**
 * What OP_1NEGATE and OP_1..OP_16 push, encoded once. Shared like TRUE and
 * FALSE: the interpreter replaces stack items and never writes into them.
 */
const SMALL_NUMBERS: readonly Uint8Array[] = Array.from(
  { length: Op.OP_16 - Op.OP_1NEGATE + 1 },
  (_, i) => i === Op.OP_RESERVED - Op.OP_1NEGATE ? FALSE : encodeScriptNum(i - 1),
);

/** Opcodes disabled in legacy scripts before the protocol cleanup (CVE-2010-5137). */
const DISABLED = new Set<number>([
  Op.OP_CAT,
  Op.OP_SUBSTR,
  Op.OP_LEFT,
  Op.OP_RIGHT,
  Op.OP_INVERT,
  Op.OP_AND,
  Op.OP_OR,
  Op.OP_XOR,
  Op.OP_2MUL,
  Op.OP_2DIV,
  Op.OP_MUL,
  Op.OP_DIV,
  Op.OP_MOD,
  Op.OP_LSHIFT,
  Op.OP_RSHIFT,
]);

/** Condition stack stored as size + position of the first false (`ConditionStack`). */
class ConditionStack {
  #size = 0;
  #firstFalse = -1;
  get empty(): boolean {
    return this.#size === 0;
  }
  get allTrue(): boolean {
    return this.#firstFalse === -1;
  }
  push(value: boolean): void {
    if (this.#firstFalse === -1 && !value) this.#firstFalse = this.#size;
    this.#size++;
  }
  pop(): void {
    this.#size--;
    if (this.#firstFalse === this.#size) this.#firstFalse = -1;
  }
  toggleTop(): void {
    if (this.#firstFalse === -1) this.#firstFalse = this.#size - 1;
    else if (this.#firstFalse === this.#size - 1) this.#firstFalse = -1;
  }
}

/**
 * `EvalScript`: runs `script` on `stack` (modified in place). Returns OK or
 * the reference's error for the first failing rule.
 *
 * @example
 * ```ts
 * import { evalScript, NULL_SIGNATURE_CHECKER } from "./mod.ts";
 * const stack: Uint8Array[] = [];
 * const result = evalScript(stack, Uint8Array.of(0x51, 0xbb), 0, NULL_SIGNATURE_CHECKER, "WITNESS_V0");
 * console.assert(result.ok && stack.length === 1); // unknown opcode 0xbb: "return true"
 * ```
 */
export function evalScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  sigVersion: SigVersion,
): ScriptResult {
  // Nothing to run (the scriptSig of every segwit spend): OK, without setting up the evaluator.
  if (script.length === 0) return OK;
  try {
    return evalScriptInner(stack, script, flags, checker, sigVersion);
  } catch (e) {
    // Where the reference throws (bad numbers, popping an empty stack) it reports UNKNOWN_ERROR;
    // anything else is a bug here and must surface.
    if (e instanceof ScriptException) return fail("UNKNOWN_ERROR");
    throw e;
  }
}

/** The item `i` places from the top (`i` < 0), as `stacktop(i)`; throws like the reference. */
function top(stack: Uint8Array[], i: number): Uint8Array {
  const item = stack[stack.length + i];
  if (item === undefined) throw new ScriptException("stack index");
  return item;
}

function pop(stack: Uint8Array[]): Uint8Array {
  const item = stack.pop();
  if (item === undefined) throw new ScriptException("popstack(): stack empty");
  return item;
}

/** "Return true": an undefined opcode ends evaluation successfully with a single true value. */
function opSuccess(
  stack: Uint8Array[],
  altstack: Uint8Array[],
  discourageOpSuccess: boolean,
): ScriptResult {
  if (discourageOpSuccess) return fail("DISCOURAGE_OP_SUCCESS");
  altstack.length = 0;
  stack.length = 0;
  stack.push(TRUE);
  return OK;
}

function evalScriptInner(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  sigVersion: SigVersion,
): ScriptResult {
  const base = sigVersion === "BASE";
  const cleanup = (flags & F.PROTOCOL_CLEANUP) !== 0;
  // Bitcoin's legacy limits and disabled opcodes apply only to legacy scripts before the cleanup.
  const legacyLimits = base && !cleanup;
  const discourageOpSuccess = (flags & F.DISCOURAGE_OP_SUCCESS) !== 0;
  const enforceNullFail = !base || (flags & F.NULLFAIL) !== 0;
  const enforceMultisigHint = !base || (flags & F.MULTISIG_HINT) !== 0;
  const requireMinimal = !base || (flags & F.MINIMALDATA) !== 0;

  if (legacyLimits && script.length > MAX_SCRIPT_SIZE) return fail("SCRIPT_SIZE");

  const altstack: Uint8Array[] = [];
  const exec = new ConditionStack();
  let codeHashStart = 0;
  let opCount = 0;
  let pc = 0;

  while (pc < script.length) {
    const executing = exec.allTrue;
    const opcode = script[pc];
    // A malformed push is BAD_OPCODE even after the cleanup.
    const end = opEnd(script, pc);
    if (end < 0) return fail("BAD_OPCODE");
    // Decoded in place (no ScriptOp object): a push's bytes follow its opcode and size field.
    const isPush = opcode <= Op.OP_PUSHDATA4;
    const dataStart = opcode < Op.OP_PUSHDATA1
      ? pc + 1
      : opcode === Op.OP_PUSHDATA1
      ? pc + 2
      : opcode === Op.OP_PUSHDATA2
      ? pc + 3
      : pc + 5;
    pc = end;

    if (legacyLimits && isPush && end - dataStart > MAX_SCRIPT_ELEMENT_SIZE) {
      return fail("PUSH_SIZE");
    }
    // OP_RESERVED and pushes do not count towards the opcode limit.
    if (legacyLimits && opcode > Op.OP_16 && ++opCount > MAX_OPS_PER_SCRIPT) {
      return fail("OP_COUNT");
    }
    if (legacyLimits && DISABLED.has(opcode)) return fail("DISABLED_OPCODE");
    if (
      opcode === Op.OP_CODESEPARATOR && base && (flags & F.CONST_SCRIPTCODE) !== 0 &&
      witnessProgramVersion(script) < 0
    ) {
      return fail("OP_CODESEPARATOR");
    }

    if (executing && isPush) {
      // Stack items are never written to, so every empty push can share FALSE's empty array.
      const data = end === dataStart ? FALSE : script.subarray(dataStart, end);
      if (requireMinimal && !isMinimalPush(data, opcode)) return fail("MINIMALDATA");
      stack.push(data);
    } else if (executing || (opcode >= Op.OP_IF && opcode <= Op.OP_ENDIF)) {
      switch (opcode) {
        case Op.OP_1NEGATE:
        case Op.OP_1:
        case Op.OP_2:
        case Op.OP_3:
        case Op.OP_4:
        case Op.OP_5:
        case Op.OP_6:
        case Op.OP_7:
        case Op.OP_8:
        case Op.OP_9:
        case Op.OP_10:
        case Op.OP_11:
        case Op.OP_12:
        case Op.OP_13:
        case Op.OP_14:
        case Op.OP_15:
        case Op.OP_16:
          stack.push(SMALL_NUMBERS[opcode - Op.OP_1NEGATE]);
          break;

        case Op.OP_NOP:
          break;

        case Op.OP_CHECKLOCKTIMEVERIFY:
        case Op.OP_CHECKSEQUENCEVERIFY: {
          // Legacy: a NOP (never discouraged) before the cleanup, "return true" after it.
          if (base) {
            if (cleanup) return opSuccess(stack, altstack, discourageOpSuccess);
            break;
          }
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          const arg = top(stack, -1);
          const value = scriptNum(arg, true, 5);
          if (opcode === Op.OP_CHECKLOCKTIMEVERIFY) {
            if (value < 0) return fail("NEGATIVE_LOCKTIME");
            if (!checker.checkLockTime(value)) return fail("UNSATISFIED_LOCKTIME");
          } else if (arg.length <= 4 || (arg[3] & 0x80) === 0) {
            // CSV with the disable flag (bit 31) set in the argument skips the checks.
            if (value < 0) return fail("NEGATIVE_LOCKTIME");
            if (!checker.checkSequence(value)) return fail("UNSATISFIED_LOCKTIME");
          }
          pop(stack); // Freicoin's CLTV/CSV consume their argument.
          break;
        }

        case Op.OP_MERKLEBRANCHVERIFY: {
          if (base) {
            if (cleanup) {
              // No DISCOURAGE_OP_SUCCESS check here, as in the reference.
              altstack.length = 0;
              stack.length = 0;
              stack.push(TRUE);
              return OK;
            }
            break;
          }
          const error = merkleBranchVerify(stack);
          if (error !== null) return fail(error);
          break;
        }

        case Op.OP_NOP1:
        case Op.OP_NOP5:
        case Op.OP_NOP6:
        case Op.OP_NOP7:
        case Op.OP_NOP8:
        case Op.OP_NOP9:
        case Op.OP_NOP10:
          if (cleanup || !base) return opSuccess(stack, altstack, discourageOpSuccess);
          if (flags & F.DISCOURAGE_UPGRADABLE_NOPS) return fail("DISCOURAGE_UPGRADABLE_NOPS");
          break;

        case Op.OP_IF:
        case Op.OP_NOTIF: {
          let value = false;
          if (executing) {
            if (stack.length < 1) return fail("UNBALANCED_CONDITIONAL");
            const vch = top(stack, -1);
            if (sigVersion === "WITNESS_V0" && (flags & F.MINIMALIF) !== 0) {
              if (vch.length > 1) return fail("MINIMALIF");
              if (vch.length === 1 && vch[0] !== 1) return fail("MINIMALIF");
            }
            value = castToBool(vch);
            if (opcode === Op.OP_NOTIF) value = !value;
            pop(stack);
          }
          exec.push(value);
          break;
        }

        case Op.OP_ELSE:
          if (exec.empty) return fail("UNBALANCED_CONDITIONAL");
          exec.toggleTop();
          break;

        case Op.OP_ENDIF:
          if (exec.empty) return fail("UNBALANCED_CONDITIONAL");
          exec.pop();
          break;

        case Op.OP_VERIFY:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          if (!castToBool(top(stack, -1))) return fail("VERIFY");
          pop(stack);
          break;

        case Op.OP_RETURN:
          return fail("OP_RETURN");

        case Op.OP_TOALTSTACK:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          altstack.push(pop(stack));
          break;

        case Op.OP_FROMALTSTACK:
          if (altstack.length < 1) return fail("INVALID_ALTSTACK_OPERATION");
          stack.push(altstack.pop()!);
          break;

        case Op.OP_2DROP:
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          pop(stack);
          pop(stack);
          break;

        case Op.OP_2DUP: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const a = top(stack, -2);
          const b = top(stack, -1);
          stack.push(a, b);
          break;
        }

        case Op.OP_3DUP: {
          if (stack.length < 3) return fail("INVALID_STACK_OPERATION");
          const a = top(stack, -3);
          const b = top(stack, -2);
          const c = top(stack, -1);
          stack.push(a, b, c);
          break;
        }

        case Op.OP_2OVER: {
          if (stack.length < 4) return fail("INVALID_STACK_OPERATION");
          const a = top(stack, -4);
          const b = top(stack, -3);
          stack.push(a, b);
          break;
        }

        case Op.OP_2ROT: {
          if (stack.length < 6) return fail("INVALID_STACK_OPERATION");
          const moved = stack.splice(stack.length - 6, 2);
          stack.push(...moved);
          break;
        }

        case Op.OP_2SWAP: {
          if (stack.length < 4) return fail("INVALID_STACK_OPERATION");
          const moved = stack.splice(stack.length - 4, 2);
          stack.push(...moved);
          break;
        }

        case Op.OP_IFDUP: {
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          const vch = top(stack, -1);
          if (castToBool(vch)) stack.push(vch);
          break;
        }

        case Op.OP_DEPTH:
          stack.push(encodeScriptNum(stack.length));
          break;

        case Op.OP_DROP:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          pop(stack);
          break;

        case Op.OP_DUP:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          stack.push(top(stack, -1));
          break;

        case Op.OP_NIP:
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          stack.splice(stack.length - 2, 1);
          break;

        case Op.OP_OVER:
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          stack.push(top(stack, -2));
          break;

        case Op.OP_ROLL:
        case Op.OP_PICK: {
          // OP_ROLL is unallocated in witness scripts: "return true".
          if (opcode === Op.OP_ROLL && !base) {
            return opSuccess(stack, altstack, discourageOpSuccess);
          }
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const n = clampToInt32(scriptNum(top(stack, -1), requireMinimal));
          pop(stack);
          if (n < 0 || n >= stack.length) return fail("INVALID_STACK_OPERATION");
          const vch = top(stack, -n - 1);
          if (opcode === Op.OP_ROLL) stack.splice(stack.length - n - 1, 1);
          stack.push(vch);
          break;
        }

        case Op.OP_ROT: {
          if (stack.length < 3) return fail("INVALID_STACK_OPERATION");
          const [moved] = stack.splice(stack.length - 3, 1);
          stack.push(moved);
          break;
        }

        case Op.OP_SWAP: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const a = stack[stack.length - 2];
          stack[stack.length - 2] = stack[stack.length - 1];
          stack[stack.length - 1] = a;
          break;
        }

        case Op.OP_TUCK: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          stack.splice(stack.length - 2, 0, top(stack, -1));
          break;
        }

        case Op.OP_SIZE:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          stack.push(encodeScriptNum(top(stack, -1).length));
          break;

        case Op.OP_EQUAL:
        case Op.OP_EQUALVERIFY: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const equal = bytesEqual(top(stack, -2), top(stack, -1));
          pop(stack);
          pop(stack);
          stack.push(equal ? TRUE : FALSE);
          if (opcode === Op.OP_EQUALVERIFY) {
            if (!equal) return fail("EQUALVERIFY");
            pop(stack);
          }
          break;
        }

        case Op.OP_1ADD:
        case Op.OP_1SUB:
        case Op.OP_NEGATE:
        case Op.OP_ABS:
        case Op.OP_NOT:
        case Op.OP_0NOTEQUAL: {
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          let bn = scriptNum(top(stack, -1), requireMinimal);
          if (opcode === Op.OP_1ADD) bn += 1;
          else if (opcode === Op.OP_1SUB) bn -= 1;
          else if (opcode === Op.OP_NEGATE) bn = -bn;
          else if (opcode === Op.OP_ABS) bn = Math.abs(bn);
          else if (opcode === Op.OP_NOT) bn = bn === 0 ? 1 : 0;
          else bn = bn !== 0 ? 1 : 0;
          pop(stack);
          stack.push(encodeScriptNum(bn));
          break;
        }

        case Op.OP_ADD:
        case Op.OP_SUB:
        case Op.OP_BOOLAND:
        case Op.OP_BOOLOR:
        case Op.OP_NUMEQUAL:
        case Op.OP_NUMEQUALVERIFY:
        case Op.OP_NUMNOTEQUAL:
        case Op.OP_LESSTHAN:
        case Op.OP_GREATERTHAN:
        case Op.OP_LESSTHANOREQUAL:
        case Op.OP_GREATERTHANOREQUAL:
        case Op.OP_MIN:
        case Op.OP_MAX: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const a = scriptNum(top(stack, -2), requireMinimal);
          const b = scriptNum(top(stack, -1), requireMinimal);
          const result = binaryNumeric(opcode, a, b);
          pop(stack);
          pop(stack);
          stack.push(encodeScriptNum(result));
          if (opcode === Op.OP_NUMEQUALVERIFY) {
            if (!castToBool(top(stack, -1))) return fail("NUMEQUALVERIFY");
            pop(stack);
          }
          break;
        }

        case Op.OP_WITHIN: {
          if (stack.length < 3) return fail("INVALID_STACK_OPERATION");
          const x = scriptNum(top(stack, -3), requireMinimal);
          const min = scriptNum(top(stack, -2), requireMinimal);
          const max = scriptNum(top(stack, -1), requireMinimal);
          pop(stack);
          pop(stack);
          pop(stack);
          stack.push(min <= x && x < max ? TRUE : FALSE);
          break;
        }

        case Op.OP_SHA1:
        case Op.OP_RIPEMD160:
        case Op.OP_SHA256:
        case Op.OP_HASH160:
        case Op.OP_HASH256: {
          // OP_SHA1 is returned to the unallocated pool in witness scripts.
          if (opcode === Op.OP_SHA1 && !base) {
            return opSuccess(stack, altstack, discourageOpSuccess);
          }
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          const data = pop(stack);
          stack.push(hashFor(opcode, data));
          break;
        }

        case Op.OP_CODESEPARATOR:
          codeHashStart = pc;
          break;

        case Op.OP_CHECKSIG:
        case Op.OP_CHECKSIGVERIFY: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const sig = top(stack, -2);
          const pubkey = top(stack, -1);
          let scriptCode = codeHashStart === 0 ? script : script.subarray(codeHashStart);
          if (base) {
            // Legacy scripts drop the signature from the signed script.
            const deleted = findAndDeletePush(scriptCode, sig);
            if (deleted.found > 0 && (flags & F.CONST_SCRIPTCODE)) return fail("SIG_FINDANDDELETE");
            scriptCode = deleted.script;
          }
          const encodingError = checkSignatureEncoding(sig, flags) ??
            checkPubKeyEncoding(pubkey, flags, sigVersion);
          if (encodingError !== null) return fail(encodingError);
          const success = checker.checkEcdsaSignature(sig, pubkey, scriptCode, sigVersion);
          if (!success && enforceNullFail && sig.length > 0) return fail("NULLFAIL");
          pop(stack);
          pop(stack);
          stack.push(success ? TRUE : FALSE);
          if (opcode === Op.OP_CHECKSIGVERIFY) {
            if (!success) return fail("CHECKSIGVERIFY");
            pop(stack);
          }
          break;
        }

        case Op.OP_CHECKSIGADD:
          // Tapscript-only: undefined in legacy scripts, "return true" elsewhere.
          if (legacyLimits) return fail("BAD_OPCODE");
          return opSuccess(stack, altstack, discourageOpSuccess);

        case Op.OP_CHECKMULTISIG:
        case Op.OP_CHECKMULTISIGVERIFY: {
          const result = checkMultisig(stack, {
            script,
            codeHashStart,
            flags,
            checker,
            sigVersion,
            requireMinimal,
            enforceNullFail,
            enforceMultisigHint,
            opCount,
            legacyLimits,
          });
          if (typeof result === "string") return fail(result);
          opCount = result.opCount;
          stack.push(result.success ? TRUE : FALSE);
          if (opcode === Op.OP_CHECKMULTISIGVERIFY) {
            if (!result.success) return fail("CHECKMULTISIGVERIFY");
            pop(stack);
          }
          break;
        }

        case Op.OP_VERIF:
        case Op.OP_VERNOTIF:
          // Always BAD_OPCODE in legacy scripts (even unexecuted); elsewhere ignored unless executed.
          if (legacyLimits) return fail("BAD_OPCODE");
          if (!executing) break;
          return opSuccess(stack, altstack, discourageOpSuccess);

        default:
          if (legacyLimits) return fail("BAD_OPCODE");
          return opSuccess(stack, altstack, discourageOpSuccess);
      }
    }

    if (legacyLimits && stack.length + altstack.length > MAX_STACK_SIZE) return fail("STACK_SIZE");
    if (stack.length + altstack.length > MAX_WITNESS_STACK_SIZE) return fail("STACK_SIZE");
  }

  if (!exec.empty) return fail("UNBALANCED_CONDITIONAL");
  return OK;
}

function binaryNumeric(opcode: number, a: number, b: number): number {
  switch (opcode) {
    case Op.OP_ADD:
      return a + b;
    case Op.OP_SUB:
      return a - b;
    case Op.OP_BOOLAND:
      return a !== 0 && b !== 0 ? 1 : 0;
    case Op.OP_BOOLOR:
      return a !== 0 || b !== 0 ? 1 : 0;
    case Op.OP_NUMEQUAL:
    case Op.OP_NUMEQUALVERIFY:
      return a === b ? 1 : 0;
    case Op.OP_NUMNOTEQUAL:
      return a !== b ? 1 : 0;
    case Op.OP_LESSTHAN:
      return a < b ? 1 : 0;
    case Op.OP_GREATERTHAN:
      return a > b ? 1 : 0;
    case Op.OP_LESSTHANOREQUAL:
      return a <= b ? 1 : 0;
    case Op.OP_GREATERTHANOREQUAL:
      return a >= b ? 1 : 0;
    case Op.OP_MIN:
      return Math.min(a, b);
    default:
      return Math.max(a, b);
  }
}

function hashFor(opcode: number, data: Uint8Array): Uint8Array {
  switch (opcode) {
    case Op.OP_RIPEMD160:
      return ripemd160(data);
    case Op.OP_SHA1:
      return sha1(data);
    case Op.OP_SHA256:
      return sha256(data);
    case Op.OP_HASH160:
      return hash160(data);
    default:
      return sha256d(data);
  }
}
