/**
 * `VerifyScript` and Freicoin's witness programs (protocol.md §5.6): v0
 * 20/32-byte programs commit to a fast-Merkle tree of inner-versioned
 * scripts; every other version (and v0 of another length) is anyone-can-spend.
 */
import { computeFastMerkleRootFromBranch } from "../merkle/fast_merkle.ts";
import { ripemd160Into, sha256dInto } from "./_hash.ts";
import { VerifyFlags as F } from "./flags.ts";
import { evalScript, type ScriptResult } from "./interpreter.ts";
import {
  isPayToScriptHash,
  isPushOnly,
  MAX_WITNESS_STACK_SIZE,
  witnessProgramVersion,
} from "./script.ts";
import type { ScriptError } from "./script_error.ts";
import { castToBool } from "./script_num.ts";
import type { SignatureChecker } from "./signature_checker.ts";

const OK: ScriptResult = { ok: true, error: "OK" };
const fail = (error: ScriptError): ScriptResult => ({ ok: false, error });

/**
 * `VerifyScript`: scriptSig, then scriptPubKey, then (with WITNESS) a witness
 * program or (with P2SH) the redeem script, then the witness/cleanstack
 * rules. `witness` is the input's witness stack (empty when none).
 *
 * @example
 * ```ts
 * import { NULL_SIGNATURE_CHECKER, parseAsm, VerifyFlags, verifyScript } from "./mod.ts";
 * const result = verifyScript(parseAsm("2 3"), parseAsm("ADD 5 EQUAL"), [], VerifyFlags.P2SH, NULL_SIGNATURE_CHECKER);
 * console.assert(result.ok && result.error === "OK");
 * ```
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
  const payToScriptHash = (flags & F.P2SH) !== 0 && isPayToScriptHash(scriptPubKey);
  const stackCopy = payToScriptHash ? stack.slice() : stack;
  result = evalScript(stack, scriptPubKey, flags, checker, "BASE");
  if (!result.ok) return result;
  if (stack.length === 0 || !castToBool(stack[stack.length - 1])) return fail("EVAL_FALSE");

  let hadWitness = false;
  if ((flags & F.WITNESS) !== 0) {
    const version = witnessProgramVersion(scriptPubKey);
    if (version >= 0) {
      hadWitness = true;
      if (scriptSig.length !== 0) return fail("WITNESS_MALLEATED");
      result = verifyWitnessProgram(witness, version, scriptPubKey, flags, checker);
      if (!result.ok) return result;
      stack.length = 1;
    }
  }

  if (payToScriptHash) {
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
const LEAF = new Uint8Array(32);
const SHORT_COMMITMENT = new Uint8Array(20);

/** `VerifyWitnessProgram` (protocol.md §5.6); the program is `scriptPubKey[2..2+scriptPubKey[1])`. */
function verifyWitnessProgram(
  witness: readonly Uint8Array[],
  version: number,
  scriptPubKey: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): ScriptResult {
  const programLength = scriptPubKey[1];
  const discourage = (flags & F.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM) !== 0;
  // Every version but v0 with a 20/32-byte program is anyone-can-spend.
  if (version !== 0 || (programLength !== 20 && programLength !== 32)) {
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
  const branch = proof.length === pathBytes ? NO_BRANCH : proofBranch(proof, pathBytes);

  const scriptItem = witness[witness.length - 2];
  // Leaf and commitment are only compared, never kept: scratch buffers spare two allocations.
  sha256dInto(scriptItem, LEAF);
  const root = computeFastMerkleRootFromBranch(LEAF, branch, path);
  if (root === null) return fail("WITNESS_PROGRAM_INVALID_PROOF");
  let commitment = root;
  if (programLength === 20) {
    ripemd160Into(root, SHORT_COMMITMENT);
    commitment = SHORT_COMMITMENT;
  }
  for (let i = 0; i < programLength; i++) {
    if (commitment[i] !== scriptPubKey[2 + i]) return fail("WITNESS_PROGRAM_MISMATCH");
  }

  if (scriptItem.length > 0 && scriptItem[0] === 0x00) {
    return executeWitnessScript(witness, scriptItem.subarray(1), flags, checker);
  }
  // Unknown inner script version: reserved for upgrades.
  return discourage ? fail("DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM") : OK;
}

/** The empty Merkle branch of a script that is its tree's only leaf. */
const NO_BRANCH: readonly Uint8Array[] = [];

/** The 32-byte sibling hashes after the path bytes of a proof. */
function proofBranch(proof: Uint8Array, pathBytes: number): Uint8Array[] {
  const branch: Uint8Array[] = [];
  for (let at = pathBytes; at < proof.length; at += 32) branch.push(proof.subarray(at, at + 32));
  return branch;
}

/**
 * `ExecuteWitnessScript` on the witness stack less its last two items (script
 * and proof): no clean-stack rule, only a true top item.
 */
function executeWitnessScript(
  witness: readonly Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): ScriptResult {
  if (witness.length - 2 > MAX_WITNESS_STACK_SIZE) return fail("STACK_SIZE");
  // Copied by hand: witness stacks are frozen arrays, which Array.prototype.slice copies slowly.
  const stack: Uint8Array[] = [];
  for (let i = 0; i < witness.length - 2; i++) stack.push(witness[i]);
  const result = evalScript(stack, script, flags, checker, "WITNESS_V0");
  if (!result.ok) return result;
  if (stack.length === 0 || !castToBool(stack[stack.length - 1])) return fail("EVAL_FALSE");
  return OK;
}
