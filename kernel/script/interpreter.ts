/**
 * The script interpreter (`EvalScript`, `VerifyScript`) with every Freicoin
 * difference of protocol.md §5.6–5.7: witness scripts without size limits,
 * "return true" for unknown opcodes outside legacy scripts, CLTV/CSV/MBV only
 * in witness scripts, the MULTISIG_HINT dummy, fast-Merkle witness programs.
 */
import { bytesEqual } from "../encoding/bytes.ts";
import { hash160, ripemd160, sha1, sha256, sha256d } from "./_hash.ts";
import { VerifyFlags as F } from "./flags.ts";
import {
  computeFastMerkleRootFromBranch,
  decodeMerkleProof,
  merkleTreeRoot,
} from "./merkle_proof.ts";
import { Op } from "./opcodes.ts";
import {
  isMinimalPush,
  isPayToScriptHash,
  isPushOnly,
  MAX_OPS_PER_SCRIPT,
  MAX_PUBKEYS_PER_MULTISIG,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_SCRIPT_SIZE,
  MAX_STACK_SIZE,
  MAX_WITNESS_STACK_SIZE,
  pushData,
  readOp,
  witnessProgram,
} from "./script.ts";
import type { ScriptError } from "./script_error.ts";
import { castToBool, clampToInt32, decodeScriptNum, encodeScriptNum } from "./script_num.ts";
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

/** Thrown internally where the reference throws (stack underflow, bad numbers): UNKNOWN_ERROR. */
class ScriptException extends Error {}

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
 * `FindAndDelete`: removes every occurrence of `pattern` that starts at an
 * opcode boundary. Returns the new script and the number of removals.
 */
export function findAndDelete(
  script: Uint8Array,
  pattern: Uint8Array,
): { script: Uint8Array; found: number } {
  if (pattern.length === 0) return { script, found: 0 };
  const kept: Uint8Array[] = [];
  let found = 0;
  let pc = 0;
  let keptFrom = 0;
  while (true) {
    kept.push(script.subarray(keptFrom, pc));
    while (script.length - pc >= pattern.length && matchesAt(script, pc, pattern)) {
      pc += pattern.length;
      found++;
    }
    keptFrom = pc;
    const op = readOp(script, pc);
    if (op === null) break;
    pc = op.end;
  }
  if (found === 0) return { script, found };
  kept.push(script.subarray(keptFrom));
  let length = 0;
  for (const k of kept) length += k.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const k of kept) {
    out.set(k, at);
    at += k.length;
  }
  return { script: out, found };
}

function matchesAt(script: Uint8Array, at: number, pattern: Uint8Array): boolean {
  for (let i = 0; i < pattern.length; i++) if (script[at + i] !== pattern[i]) return false;
  return true;
}

/**
 * `EvalScript`: runs `script` on `stack` (modified in place). Returns OK or
 * the reference's error for the first failing rule.
 */
export function evalScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  sigVersion: SigVersion,
): ScriptResult {
  try {
    return evalScriptInner(stack, script, flags, checker, sigVersion);
  } catch (e) {
    // Where the reference throws (bad numbers, popping an empty stack) it reports UNKNOWN_ERROR;
    // anything else is a bug here and must surface.
    if (e instanceof ScriptException) return fail("UNKNOWN_ERROR");
    throw e;
  }
}

function num(bytes: Uint8Array, requireMinimal: boolean, maxSize = 4): number {
  try {
    return decodeScriptNum(bytes, requireMinimal, maxSize);
  } catch {
    throw new ScriptException("script number");
  }
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

  const top = (i: number): Uint8Array => {
    const item = stack[stack.length + i];
    if (item === undefined) throw new ScriptException("stack index");
    return item;
  };
  const pop = (): Uint8Array => {
    const item = stack.pop();
    if (item === undefined) throw new ScriptException("popstack(): stack empty");
    return item;
  };
  // "Return true": an undefined opcode ends evaluation successfully with a single true value.
  const opSuccess = (): ScriptResult => {
    if (discourageOpSuccess) return fail("DISCOURAGE_OP_SUCCESS");
    altstack.length = 0;
    stack.length = 0;
    stack.push(TRUE);
    return OK;
  };

  while (pc < script.length) {
    const executing = exec.allTrue;
    // A malformed push is BAD_OPCODE even after the cleanup.
    const op = readOp(script, pc);
    if (op === null) return fail("BAD_OPCODE");
    pc = op.end;
    const opcode = op.opcode;

    if (legacyLimits && op.data !== null && op.data.length > MAX_SCRIPT_ELEMENT_SIZE) {
      return fail("PUSH_SIZE");
    }
    // OP_RESERVED and pushes do not count towards the opcode limit.
    if (legacyLimits && opcode > Op.OP_16 && ++opCount > MAX_OPS_PER_SCRIPT) {
      return fail("OP_COUNT");
    }
    if (legacyLimits && DISABLED.has(opcode)) return fail("DISABLED_OPCODE");
    if (
      opcode === Op.OP_CODESEPARATOR && base && (flags & F.CONST_SCRIPTCODE) !== 0 &&
      witnessProgram(script) === null
    ) {
      return fail("OP_CODESEPARATOR");
    }

    if (executing && op.data !== null) {
      if (requireMinimal && !isMinimalPush(op.data, opcode)) return fail("MINIMALDATA");
      stack.push(op.data);
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
          stack.push(encodeScriptNum(opcode - (Op.OP_1 - 1)));
          break;

        case Op.OP_NOP:
          break;

        case Op.OP_CHECKLOCKTIMEVERIFY:
        case Op.OP_CHECKSEQUENCEVERIFY: {
          // Legacy: a NOP (never discouraged) before the cleanup, "return true" after it.
          if (base) {
            if (cleanup) return opSuccess();
            break;
          }
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          const arg = top(-1);
          const value = num(arg, true, 5);
          if (opcode === Op.OP_CHECKLOCKTIMEVERIFY) {
            if (value < 0) return fail("NEGATIVE_LOCKTIME");
            if (!checker.checkLockTime(value)) return fail("UNSATISFIED_LOCKTIME");
          } else if (arg.length <= 4 || (arg[3] & 0x80) === 0) {
            // CSV with the disable flag (bit 31) set in the argument skips the checks.
            if (value < 0) return fail("NEGATIVE_LOCKTIME");
            if (!checker.checkSequence(value)) return fail("UNSATISFIED_LOCKTIME");
          }
          pop(); // Freicoin's CLTV/CSV consume their argument.
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
          if (cleanup || !base) return opSuccess();
          if (flags & F.DISCOURAGE_UPGRADABLE_NOPS) return fail("DISCOURAGE_UPGRADABLE_NOPS");
          break;

        case Op.OP_IF:
        case Op.OP_NOTIF: {
          let value = false;
          if (executing) {
            if (stack.length < 1) return fail("UNBALANCED_CONDITIONAL");
            const vch = top(-1);
            if (sigVersion === "WITNESS_V0" && (flags & F.MINIMALIF) !== 0) {
              if (vch.length > 1) return fail("MINIMALIF");
              if (vch.length === 1 && vch[0] !== 1) return fail("MINIMALIF");
            }
            value = castToBool(vch);
            if (opcode === Op.OP_NOTIF) value = !value;
            pop();
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
          if (!castToBool(top(-1))) return fail("VERIFY");
          pop();
          break;

        case Op.OP_RETURN:
          return fail("OP_RETURN");

        case Op.OP_TOALTSTACK:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          altstack.push(pop());
          break;

        case Op.OP_FROMALTSTACK:
          if (altstack.length < 1) return fail("INVALID_ALTSTACK_OPERATION");
          stack.push(altstack.pop()!);
          break;

        case Op.OP_2DROP:
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          pop();
          pop();
          break;

        case Op.OP_2DUP: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const a = top(-2);
          const b = top(-1);
          stack.push(a, b);
          break;
        }

        case Op.OP_3DUP: {
          if (stack.length < 3) return fail("INVALID_STACK_OPERATION");
          const a = top(-3);
          const b = top(-2);
          const c = top(-1);
          stack.push(a, b, c);
          break;
        }

        case Op.OP_2OVER: {
          if (stack.length < 4) return fail("INVALID_STACK_OPERATION");
          const a = top(-4);
          const b = top(-3);
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
          const vch = top(-1);
          if (castToBool(vch)) stack.push(vch);
          break;
        }

        case Op.OP_DEPTH:
          stack.push(encodeScriptNum(stack.length));
          break;

        case Op.OP_DROP:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          pop();
          break;

        case Op.OP_DUP:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          stack.push(top(-1));
          break;

        case Op.OP_NIP:
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          stack.splice(stack.length - 2, 1);
          break;

        case Op.OP_OVER:
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          stack.push(top(-2));
          break;

        case Op.OP_ROLL:
        case Op.OP_PICK: {
          // OP_ROLL is unallocated in witness scripts: "return true".
          if (opcode === Op.OP_ROLL && !base) return opSuccess();
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const n = clampToInt32(num(top(-1), requireMinimal));
          pop();
          if (n < 0 || n >= stack.length) return fail("INVALID_STACK_OPERATION");
          const vch = top(-n - 1);
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
          stack.splice(stack.length - 2, 0, top(-1));
          break;
        }

        case Op.OP_SIZE:
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          stack.push(encodeScriptNum(top(-1).length));
          break;

        case Op.OP_EQUAL:
        case Op.OP_EQUALVERIFY: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const equal = bytesEqual(top(-2), top(-1));
          pop();
          pop();
          stack.push(equal ? TRUE : FALSE);
          if (opcode === Op.OP_EQUALVERIFY) {
            if (!equal) return fail("EQUALVERIFY");
            pop();
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
          let bn = num(top(-1), requireMinimal);
          if (opcode === Op.OP_1ADD) bn += 1;
          else if (opcode === Op.OP_1SUB) bn -= 1;
          else if (opcode === Op.OP_NEGATE) bn = -bn;
          else if (opcode === Op.OP_ABS) bn = Math.abs(bn);
          else if (opcode === Op.OP_NOT) bn = bn === 0 ? 1 : 0;
          else bn = bn !== 0 ? 1 : 0;
          pop();
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
          const a = num(top(-2), requireMinimal);
          const b = num(top(-1), requireMinimal);
          const result = binaryNumeric(opcode, a, b);
          pop();
          pop();
          stack.push(encodeScriptNum(result));
          if (opcode === Op.OP_NUMEQUALVERIFY) {
            if (!castToBool(top(-1))) return fail("NUMEQUALVERIFY");
            pop();
          }
          break;
        }

        case Op.OP_WITHIN: {
          if (stack.length < 3) return fail("INVALID_STACK_OPERATION");
          const x = num(top(-3), requireMinimal);
          const min = num(top(-2), requireMinimal);
          const max = num(top(-1), requireMinimal);
          pop();
          pop();
          pop();
          stack.push(min <= x && x < max ? TRUE : FALSE);
          break;
        }

        case Op.OP_SHA1:
        case Op.OP_RIPEMD160:
        case Op.OP_SHA256:
        case Op.OP_HASH160:
        case Op.OP_HASH256: {
          // OP_SHA1 is returned to the unallocated pool in witness scripts.
          if (opcode === Op.OP_SHA1 && !base) return opSuccess();
          if (stack.length < 1) return fail("INVALID_STACK_OPERATION");
          const data = pop();
          stack.push(hashFor(opcode, data));
          break;
        }

        case Op.OP_CODESEPARATOR:
          codeHashStart = pc;
          break;

        case Op.OP_CHECKSIG:
        case Op.OP_CHECKSIGVERIFY: {
          if (stack.length < 2) return fail("INVALID_STACK_OPERATION");
          const sig = top(-2);
          const pubkey = top(-1);
          let scriptCode = script.subarray(codeHashStart);
          if (base) {
            // Legacy scripts drop the signature from the signed script.
            const deleted = findAndDelete(scriptCode, pushData(sig));
            if (deleted.found > 0 && (flags & F.CONST_SCRIPTCODE)) return fail("SIG_FINDANDDELETE");
            scriptCode = deleted.script;
          }
          const encodingError = checkSignatureEncoding(sig, flags) ??
            checkPubKeyEncoding(pubkey, flags, sigVersion);
          if (encodingError !== null) return fail(encodingError);
          const success = checker.checkEcdsaSignature(sig, pubkey, scriptCode, sigVersion);
          if (!success && enforceNullFail && sig.length > 0) return fail("NULLFAIL");
          pop();
          pop();
          stack.push(success ? TRUE : FALSE);
          if (opcode === Op.OP_CHECKSIGVERIFY) {
            if (!success) return fail("CHECKSIGVERIFY");
            pop();
          }
          break;
        }

        case Op.OP_CHECKSIGADD:
          // Tapscript-only: undefined in legacy scripts, "return true" elsewhere.
          if (legacyLimits) return fail("BAD_OPCODE");
          return opSuccess();

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
            pop();
          }
          break;
        }

        case Op.OP_VERIF:
        case Op.OP_VERNOTIF:
          // Always BAD_OPCODE in legacy scripts (even unexecuted); elsewhere ignored unless executed.
          if (legacyLimits) return fail("BAD_OPCODE");
          if (!executing) break;
          return opSuccess();

        default:
          if (legacyLimits) return fail("BAD_OPCODE");
          return opSuccess();
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

/**
 * OP_MERKLEBRANCHVERIFY in witness scripts: `[leaves…] proof root count`.
 * Pops count, root and proof; returns null on success or the error.
 */
function merkleBranchVerify(stack: Uint8Array[]): ScriptError | null {
  if (stack.length < 3) return "INVALID_STACK_OPERATION";
  const countArg = stack[stack.length - 1];
  const root = stack[stack.length - 2];
  const proofBytes = stack[stack.length - 3];
  let param: number;
  try {
    param = decodeScriptNum(countArg, true, 2);
  } catch {
    return "MINIMALDATA";
  }
  const prehashed = param < 0;
  const count = Math.abs(param);
  if (stack.length < 3 + count) return "INVALID_STACK_OPERATION";
  if (root.length !== 32) return "INVALID_HASH_LENGTH";
  const proof = decodeMerkleProof(proofBytes);
  if (proof === null) return "INVALID_MERKLE_PROOF";
  const nodes = proof.nodeCodes.length;
  if (
    (nodes > 0 || count > 0 || proof.skip.length > 0) && count + proof.skip.length !== nodes + 1
  ) {
    return "INVALID_MERKLE_PROOF";
  }
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const leaf = stack[stack.length - 4 - i];
    if (prehashed) {
      if (leaf.length !== 32) return "INVALID_HASH_LENGTH";
      leaves.push(leaf);
    } else {
      leaves.push(sha256d(leaf));
    }
  }
  const computed = merkleTreeRoot(proof, leaves);
  if (computed === null) return "INVALID_MERKLE_PROOF";
  if (!bytesEqual(computed, root)) return "MERKLEBRANCHVERIFY";
  stack.length -= 3;
  return null;
}

interface MultisigContext {
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
function checkMultisig(
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
  let keysCount = clampToInt32(num(at(i), ctx.requireMinimal));
  if (keysCount < 0 || keysCount > MAX_PUBKEYS_PER_MULTISIG) return "PUBKEY_COUNT";
  const opCount = ctx.opCount + keysCount;
  if (ctx.legacyLimits && opCount > MAX_OPS_PER_SCRIPT) return "OP_COUNT";
  let ikey = ++i;
  // Position of the last non-signature item (top = 1), for NULLFAIL cleanup.
  let ikey2 = keysCount + 2;
  i += keysCount;
  if (stack.length < i) return "INVALID_STACK_OPERATION";
  let sigsCount = clampToInt32(num(at(i), ctx.requireMinimal));
  if (sigsCount < 0 || sigsCount > keysCount) return "SIG_COUNT";
  let isig = ++i;
  i += sigsCount;
  if (stack.length < i) return "INVALID_STACK_OPERATION";

  let scriptCode = ctx.script.subarray(ctx.codeHashStart);
  let emptySigs = false;
  for (let k = 0; k < sigsCount; k++) {
    const sig = at(isig + k);
    if (ctx.sigVersion === "BASE") {
      const deleted = findAndDelete(scriptCode, pushData(sig));
      if (deleted.found > 0 && (ctx.flags & F.CONST_SCRIPTCODE)) return "SIG_FINDANDDELETE";
      scriptCode = deleted.script;
    }
    emptySigs ||= sig.length === 0;
  }

  // The dummy is a bitfield of keys without signatures (bit 0 = key nearest the top).
  let skipped = 0;
  if (ctx.enforceMultisigHint) {
    const hint = num(at(i), true, 3); // a >3-byte or non-minimal hint throws: UNKNOWN_ERROR
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

/**
 * `VerifyScript`: scriptSig, then scriptPubKey, then (with WITNESS) a witness
 * program or (with P2SH) the redeem script, then the witness/cleanstack
 * rules. `witness` is the input's witness stack (empty when none).
 */
export function verifyScript(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  witness: readonly Uint8Array[],
  flags: number,
  checker: SignatureChecker,
): ScriptResult {
  if ((flags & F.SIGPUSHONLY) !== 0 && !isPushOnly(scriptSig)) return fail("SIG_PUSHONLY");

  let stack: Uint8Array[] = [];
  let result = evalScript(stack, scriptSig, flags, checker, "BASE");
  if (!result.ok) return result;
  const stackCopy = (flags & F.P2SH) !== 0 ? stack.slice() : [];
  result = evalScript(stack, scriptPubKey, flags, checker, "BASE");
  if (!result.ok) return result;
  if (stack.length === 0 || !castToBool(stack[stack.length - 1])) return fail("EVAL_FALSE");

  let hadWitness = false;
  if ((flags & F.WITNESS) !== 0) {
    const program = witnessProgram(scriptPubKey);
    if (program !== null) {
      hadWitness = true;
      if (scriptSig.length !== 0) return fail("WITNESS_MALLEATED");
      result = verifyWitnessProgram(witness, program.version, program.program, flags, checker);
      if (!result.ok) return result;
      stack = stack.slice(0, 1);
    }
  }

  if ((flags & F.P2SH) !== 0 && isPayToScriptHash(scriptPubKey)) {
    if (!isPushOnly(scriptSig)) return fail("SIG_PUSHONLY");
    stack = stackCopy;
    const redeemScript = stack.pop();
    if (redeemScript === undefined) return fail("UNKNOWN_ERROR");
    result = evalScript(stack, redeemScript, flags, checker, "BASE");
    if (!result.ok) return result;
    if (stack.length === 0 || !castToBool(stack[stack.length - 1])) return fail("EVAL_FALSE");
  }

  // No P2SH-wrapped witness programs in Freicoin: any unused witness is unexpected.
  if ((flags & F.WITNESS) !== 0 && !hadWitness && witness.length > 0) {
    return fail("WITNESS_UNEXPECTED");
  }
  if ((flags & F.CLEANSTACK) !== 0 && stack.length !== 1) return fail("CLEANSTACK");
  return OK;
}

const MAX_PROOF_SIZE = 1028; // 32 branch hashes + 4 path bytes

/** `VerifyWitnessProgram` (protocol.md §5.6). */
function verifyWitnessProgram(
  witness: readonly Uint8Array[],
  version: number,
  program: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): ScriptResult {
  const discourage = (flags & F.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM) !== 0;
  // Every version but v0 with a 20/32-byte program is anyone-can-spend.
  if (version !== 0 || (program.length !== 20 && program.length !== 32)) {
    return discourage ? fail("DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM") : OK;
  }
  if (witness.length <= 1) return fail("WITNESS_PROGRAM_WITNESS_EMPTY");
  const proof = witness[witness.length - 1];
  if (proof.length > MAX_PROOF_SIZE) return fail("WITNESS_PROGRAM_INVALID_PROOF");
  const pathBytes = proof.length % 32;
  const maxPathBytes = Math.floor((Math.floor(proof.length / 32) + 7) / 8);
  if (pathBytes > maxPathBytes) return fail("WITNESS_PROGRAM_INVALID_PROOF");
  if (pathBytes > 0 && proof[pathBytes - 1] === 0) return fail("WITNESS_PROGRAM_INVALID_PROOF");
  let path = 0;
  for (let k = pathBytes - 1; k >= 0; k--) path = path * 256 + proof[k];
  const branch: Uint8Array[] = [];
  for (let at = pathBytes; at < proof.length; at += 32) branch.push(proof.subarray(at, at + 32));

  const scriptItem = witness[witness.length - 2];
  const root = computeFastMerkleRootFromBranch(sha256d(scriptItem), branch, path);
  if (root === null) return fail("WITNESS_PROGRAM_INVALID_PROOF");
  const commitment = program.length === 20 ? ripemd160(root) : root;
  if (!bytesEqual(commitment, program)) return fail("WITNESS_PROGRAM_MISMATCH");

  if (scriptItem.length > 0 && scriptItem[0] === 0x00) {
    return executeWitnessScript(witness.slice(0, -2), scriptItem.subarray(1), flags, checker);
  }
  // Unknown inner script version: reserved for upgrades.
  return discourage ? fail("DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM") : OK;
}

/** `ExecuteWitnessScript`: no clean-stack rule, only a true top item. */
function executeWitnessScript(
  initialStack: readonly Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): ScriptResult {
  if (initialStack.length > MAX_WITNESS_STACK_SIZE) return fail("STACK_SIZE");
  const stack = initialStack.slice();
  const result = evalScript(stack, script, flags, checker, "WITNESS_V0");
  if (!result.ok) return result;
  if (stack.length === 0 || !castToBool(stack[stack.length - 1])) return fail("EVAL_FALSE");
  return OK;
}
