/**
 * Legacy signature-operation counting (`CScript::GetSigOpCount`). Freicoin
 * counts no witness sigops at all.
 */
import { decodeOpN, Op } from "./opcodes.ts";
import { isPayToScriptHash, MAX_PUBKEYS_PER_MULTISIG, opEnd, readOp } from "./script.ts";

/**
 * CHECKSIG(VERIFY) counts 1; CHECKMULTISIG(VERIFY) counts the preceding
 * OP_1..OP_16 when `accurate`, else 20. Counting stops at a malformed push.
 */
export function getSigOpCount(script: Uint8Array, accurate: boolean): number {
  let count = 0;
  let lastOpcode = Op.OP_INVALIDOPCODE as number;
  let pos = 0;
  // Only opcodes matter: opEnd steps over pushes without making views of their data.
  while (pos < script.length) {
    const opcode = script[pos];
    pos = opEnd(script, pos);
    if (pos < 0) break;
    if (opcode === Op.OP_CHECKSIG || opcode === Op.OP_CHECKSIGVERIFY) {
      count++;
    } else if (opcode === Op.OP_CHECKMULTISIG || opcode === Op.OP_CHECKMULTISIGVERIFY) {
      count += accurate && lastOpcode >= Op.OP_1 && lastOpcode <= Op.OP_16
        ? decodeOpN(lastOpcode)
        : MAX_PUBKEYS_PER_MULTISIG;
    }
    lastOpcode = opcode;
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
  let lastData: Uint8Array = NO_DATA;
  let pos = 0;
  while (pos < scriptSig.length) {
    const op = readOp(scriptSig, pos);
    if (op === null) return 0;
    if (op.opcode > Op.OP_16) return 0;
    lastData = op.data ?? NO_DATA;
    pos = op.end;
  }
  return getSigOpCount(lastData, true);
}

const NO_DATA = new Uint8Array(0);
