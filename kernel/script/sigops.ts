/**
 * Legacy signature-operation counting (`CScript::GetSigOpCount`). Freicoin
 * counts no witness sigops at all.
 */
import { decodeOpN, Op } from "./opcodes.ts";
import { isPayToScriptHash, MAX_PUBKEYS_PER_MULTISIG, readOp } from "./script.ts";

/**
 * CHECKSIG(VERIFY) counts 1; CHECKMULTISIG(VERIFY) counts the preceding
 * OP_1..OP_16 when `accurate`, else 20. Counting stops at a malformed push.
 */
export function getSigOpCount(script: Uint8Array, accurate: boolean): number {
  let count = 0;
  let lastOpcode = Op.OP_INVALIDOPCODE as number;
  let pos = 0;
  while (pos < script.length) {
    const op = readOp(script, pos);
    if (op === null) break;
    pos = op.end;
    if (op.opcode === Op.OP_CHECKSIG || op.opcode === Op.OP_CHECKSIGVERIFY) {
      count++;
    } else if (op.opcode === Op.OP_CHECKMULTISIG || op.opcode === Op.OP_CHECKMULTISIGVERIFY) {
      count += accurate && lastOpcode >= Op.OP_1 && lastOpcode <= Op.OP_16
        ? decodeOpN(lastOpcode)
        : MAX_PUBKEYS_PER_MULTISIG;
    }
    lastOpcode = op.opcode;
  }
  return count;
}

/**
 * `CScript::GetSigOpCount(scriptSig)`: for a P2SH scriptPubKey, the accurate
 * count of the redeem script (the last push of a push-only scriptSig; 0 if
 * the scriptSig is not push-only); otherwise the accurate count of the
 * scriptPubKey itself.
 */
export function getP2shSigOpCount(scriptPubKey: Uint8Array, scriptSig: Uint8Array): number {
  if (!isPayToScriptHash(scriptPubKey)) return getSigOpCount(scriptPubKey, true);
  let lastData: Uint8Array = new Uint8Array(0);
  let pos = 0;
  while (pos < scriptSig.length) {
    const op = readOp(scriptSig, pos);
    if (op === null) return 0;
    if (op.opcode > Op.OP_16) return 0;
    lastData = op.data ?? new Uint8Array(0);
    pos = op.end;
  }
  return getSigOpCount(lastData, true);
}
