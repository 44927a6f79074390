// Recovering a miniscript from its witness script (`miniscript::FromScript`), used when a
// wallet infers the descriptor of a P2WSH output whose script it knows.
import { decodeScriptNum, isMinimalPush, Op, readOp } from "../script/mod.ts";
import { hasAll, mst } from "./_miniscript_type.ts";
import { isValidNode } from "./miniscript.ts";
import {
  makeNode,
  MAX_STANDARD_P2WSH_SCRIPT_SIZE,
  type MiniscriptNode,
} from "./_miniscript_node.ts";

/** One operation, with OP_n turned into a one-byte push and *VERIFY split off. */
interface Operation {
  opcode: number;
  data: Uint8Array;
}

/** The script's operations in reverse order (`DecomposeScript`); null if malformed. */
function decompose(script: Uint8Array): Operation[] | null {
  const out: Operation[] = [];
  const none = new Uint8Array();
  let pos = 0;
  while (pos < script.length) {
    const op = readOp(script, pos);
    if (op === null) return null;
    pos = op.end;
    let opcode = op.opcode;
    let data = op.data ?? none;
    if (opcode >= Op.OP_1 && opcode <= Op.OP_16) {
      data = Uint8Array.of(opcode - Op.OP_1 + 1);
    } else if (opcode === Op.OP_CHECKSIGVERIFY) {
      out.push({ opcode: Op.OP_CHECKSIG, data: none });
      opcode = Op.OP_VERIFY;
    } else if (opcode === Op.OP_CHECKMULTISIGVERIFY) {
      out.push({ opcode: Op.OP_CHECKMULTISIG, data: none });
      opcode = Op.OP_VERIFY;
    } else if (opcode === Op.OP_EQUALVERIFY) {
      out.push({ opcode: Op.OP_EQUAL, data: none });
      opcode = Op.OP_VERIFY;
    } else if (opcode === Op.OP_NUMEQUALVERIFY) {
      out.push({ opcode: Op.OP_NUMEQUAL, data: none });
      opcode = Op.OP_VERIFY;
    } else if (opcode <= Op.OP_PUSHDATA4) {
      if (!isMinimalPush(data, opcode)) return null;
    } else if (
      pos < script.length && script[pos] === Op.OP_VERIFY &&
      (opcode === Op.OP_CHECKSIG || opcode === Op.OP_CHECKMULTISIG || opcode === Op.OP_EQUAL ||
        opcode === Op.OP_NUMEQUAL)
    ) {
      // A VERIFY that should have been merged into the previous opcode.
      return null;
    }
    out.push({ opcode, data });
  }
  return out.reverse();
}

/** The number an operation pushes (`ParseScriptNumber`), or null. */
function scriptNumber(op: Operation | undefined): number | null {
  if (op === undefined) return null;
  if (op.opcode === Op.OP_0) return 0;
  if (op.data.length === 0) return null;
  if (op.opcode <= Op.OP_PUSHDATA4 && !isMinimalPush(op.data, op.opcode)) return null;
  try {
    return decodeScriptNum(op.data, true);
  } catch {
    return null;
  }
}

type Step =
  | "SINGLE_BKV_EXPR"
  | "BKV_EXPR"
  | "W_EXPR"
  | "SWAP"
  | "ALT"
  | "CHECK"
  | "DUP_IF"
  | "VERIFY"
  | "NON_ZERO"
  | "ZERO_NOTEQUAL"
  | "MAYBE_AND_V"
  | "AND_V"
  | "AND_B"
  | "ANDOR"
  | "OR_B"
  | "OR_C"
  | "OR_D"
  | "ENDIF"
  | "ENDIF_NOTIF"
  | "ENDIF_ELSE";

/** How decoded keys become key indices. */
export interface MiniscriptKeyDecoder {
  /** A pushed public key (32 or 33 bytes); null when it cannot be a key here. */
  fromPubKeyBytes(bytes: Uint8Array): number | null;
  /** A 20-byte key hash; null when the key is unknown. */
  fromPubKeyHash(hash: Uint8Array): number | null;
}

const WRAP_STEP: Partial<Record<Step, Parameters<typeof makeNode>[0]>> = {
  CHECK: "WRAP_C",
  DUP_IF: "WRAP_D",
  VERIFY: "WRAP_V",
  NON_ZERO: "WRAP_J",
  ZERO_NOTEQUAL: "WRAP_N",
};
const PAIR_STEP: Partial<Record<Step, Parameters<typeof makeNode>[0]>> = {
  AND_V: "AND_V",
  AND_B: "AND_B",
  OR_B: "OR_B",
  OR_C: "OR_C",
  OR_D: "OR_D",
};
const HASH_OPS: [number, Parameters<typeof makeNode>[0], number][] = [
  [Op.OP_SHA256, "SHA256", 32],
  [Op.OP_RIPEMD160, "RIPEMD160", 20],
  [Op.OP_HASH256, "HASH256", 32],
  [Op.OP_HASH160, "HASH160", 20],
];

/**
 * Decodes a witness script into a valid top-level (type B) miniscript, or null
 * (`miniscript::FromScript`). The result is not checked for sanity.
 */
export function decodeMiniscript(
  script: Uint8Array,
  keys: MiniscriptKeyDecoder,
): MiniscriptNode | null {
  if (script.length > MAX_STANDARD_P2WSH_SCRIPT_SIZE) return null;
  const ops = decompose(script);
  if (ops === null) return null;
  let i = 0;
  const left = () => ops.length - i;
  const op = (offset: number) => ops[i + offset];
  type Frame = { step: Step } | { step: "THRESH_W" | "THRESH_E"; n: number; k: number };
  const toParse: Frame[] = [{ step: "BKV_EXPR" }];
  const constructed: MiniscriptNode[] = [];
  const single = (): Frame => ({ step: "SINGLE_BKV_EXPR" });

  while (toParse.length > 0) {
    if (constructed.length > 0 && !isValidNode(constructed[constructed.length - 1])) return null;
    const frame = toParse.pop()!;
    switch (frame.step) {
      case "SINGLE_BKV_EXPR": {
        if (left() <= 0) return null;
        const first = op(0);
        if (first.opcode === Op.OP_1) {
          i++;
          constructed.push(makeNode("JUST_1"));
          break;
        }
        if (first.opcode === Op.OP_0) {
          i++;
          constructed.push(makeNode("JUST_0"));
          break;
        }
        if (first.data.length === 33 || first.data.length === 32) {
          const key = keys.fromPubKeyBytes(first.data);
          if (key === null) return null;
          i++;
          constructed.push(makeNode("PK_K", { keys: [key] }));
          break;
        }
        if (
          left() >= 5 && first.opcode === Op.OP_VERIFY && op(1).opcode === Op.OP_EQUAL &&
          op(3).opcode === Op.OP_HASH160 && op(4).opcode === Op.OP_DUP && op(2).data.length === 20
        ) {
          const key = keys.fromPubKeyHash(op(2).data);
          if (key === null) return null;
          i += 5;
          constructed.push(makeNode("PK_H", { keys: [key] }));
          break;
        }
        if (
          left() >= 2 &&
          (first.opcode === Op.OP_CHECKSEQUENCEVERIFY || first.opcode === Op.OP_CHECKLOCKTIMEVERIFY)
        ) {
          const num = scriptNumber(op(1));
          if (num !== null) {
            i += 2;
            if (num < 1 || num > 0x7fffffff) return null;
            const fragment = first.opcode === Op.OP_CHECKSEQUENCEVERIFY ? "OLDER" : "AFTER";
            constructed.push(makeNode(fragment, { k: num }));
            break;
          }
        }
        if (
          left() >= 7 && first.opcode === Op.OP_EQUAL && op(3).opcode === Op.OP_VERIFY &&
          op(4).opcode === Op.OP_EQUAL && scriptNumber(op(5)) === 32 &&
          op(6).opcode === Op.OP_SIZE
        ) {
          const hash = HASH_OPS.find(([opcode, , size]) =>
            op(2).opcode === opcode && op(1).data.length === size
          );
          if (hash !== undefined) {
            constructed.push(makeNode(hash[1], { data: op(1).data.slice() }));
            i += 7;
            break;
          }
        }
        if (left() >= 3 && first.opcode === Op.OP_CHECKMULTISIG) {
          const n = scriptNumber(op(1));
          if (n === null || left() < 3 + n) return null;
          if (n < 1 || n > 20) return null;
          const multiKeys: number[] = [];
          for (let j = 0; j < n; j++) {
            if (op(2 + j).data.length !== 33) return null;
            const key = keys.fromPubKeyBytes(op(2 + j).data);
            if (key === null) return null;
            multiKeys.push(key);
          }
          const k = scriptNumber(op(2 + n));
          if (k === null || k < 1 || k > n) return null;
          i += 3 + n;
          multiKeys.reverse();
          constructed.push(makeNode("MULTI", { k, keys: multiKeys }));
          break;
        }
        // Wrappers commute with and_v, so a single expression is enough below them.
        if (first.opcode === Op.OP_CHECKSIG) {
          i++;
          toParse.push({ step: "CHECK" }, single());
          break;
        }
        if (first.opcode === Op.OP_VERIFY) {
          i++;
          toParse.push({ step: "VERIFY" }, single());
          break;
        }
        if (first.opcode === Op.OP_0NOTEQUAL) {
          i++;
          toParse.push({ step: "ZERO_NOTEQUAL" }, single());
          break;
        }
        if (left() >= 3 && first.opcode === Op.OP_EQUAL) {
          const num = scriptNumber(op(1));
          if (num !== null) {
            if (num < 1) return null;
            i += 2;
            toParse.push({ step: "THRESH_W", n: 0, k: num });
            break;
          }
        }
        if (first.opcode === Op.OP_ENDIF) {
          i++;
          toParse.push({ step: "ENDIF" }, { step: "BKV_EXPR" });
          break;
        }
        if (first.opcode === Op.OP_BOOLAND || first.opcode === Op.OP_BOOLOR) {
          i++;
          toParse.push(
            { step: first.opcode === Op.OP_BOOLAND ? "AND_B" : "OR_B" },
            single(),
            { step: "W_EXPR" },
          );
          break;
        }
        return null;
      }
      case "BKV_EXPR":
        toParse.push({ step: "MAYBE_AND_V" }, single());
        break;
      case "W_EXPR":
        if (left() <= 0) return null;
        if (op(0).opcode === Op.OP_FROMALTSTACK) {
          i++;
          toParse.push({ step: "ALT" });
        } else {
          toParse.push({ step: "SWAP" });
        }
        toParse.push({ step: "BKV_EXPR" });
        break;
      case "MAYBE_AND_V": {
        // These opcodes cannot end a miniscript, so they cannot end an and_v child either.
        const next = left() > 0 ? op(0).opcode : -1;
        if (
          left() > 0 && next !== Op.OP_IF && next !== Op.OP_ELSE && next !== Op.OP_NOTIF &&
          next !== Op.OP_TOALTSTACK && next !== Op.OP_SWAP
        ) {
          toParse.push({ step: "AND_V" }, { step: "BKV_EXPR" });
        }
        break;
      }
      case "SWAP":
      case "ALT": {
        const expected = frame.step === "SWAP" ? Op.OP_SWAP : Op.OP_TOALTSTACK;
        if (left() <= 0 || op(0).opcode !== expected || constructed.length === 0) return null;
        i++;
        const sub = constructed.pop()!;
        constructed.push(makeNode(frame.step === "SWAP" ? "WRAP_S" : "WRAP_A", { subs: [sub] }));
        break;
      }
      case "CHECK":
      case "DUP_IF":
      case "VERIFY":
      case "NON_ZERO":
      case "ZERO_NOTEQUAL": {
        if (constructed.length === 0) return null;
        const sub = constructed.pop()!;
        constructed.push(makeNode(WRAP_STEP[frame.step]!, { subs: [sub] }));
        break;
      }
      case "AND_V":
      case "AND_B":
      case "OR_B":
      case "OR_C":
      case "OR_D": {
        if (constructed.length < 2) return null;
        // Decoding runs backwards: the last constructed node is the first child.
        const first = constructed.pop()!;
        const second = constructed.pop()!;
        constructed.push(makeNode(PAIR_STEP[frame.step]!, { subs: [first, second] }));
        break;
      }
      case "ANDOR": {
        if (constructed.length < 3) return null;
        const x = constructed.pop()!;
        const z = constructed.pop()!;
        const y = constructed.pop()!;
        constructed.push(makeNode("ANDOR", { subs: [x, y, z] }));
        break;
      }
      case "THRESH_W": {
        if (left() <= 0) return null;
        const { n, k } = frame as { n: number; k: number };
        if (op(0).opcode === Op.OP_ADD) {
          i++;
          toParse.push({ step: "THRESH_W", n: n + 1, k }, { step: "W_EXPR" });
        } else {
          toParse.push({ step: "THRESH_E", n: n + 1, k }, single());
        }
        break;
      }
      case "THRESH_E": {
        const { n, k } = frame as { n: number; k: number };
        if (k < 1 || k > n || constructed.length < n) return null;
        const subs: MiniscriptNode[] = [];
        for (let j = 0; j < n; j++) subs.push(constructed.pop()!);
        constructed.push(makeNode("THRESH", { k, subs }));
        break;
      }
      case "ENDIF": {
        if (left() <= 0) return null;
        const first = op(0).opcode;
        if (first === Op.OP_ELSE) {
          i++;
          toParse.push({ step: "ENDIF_ELSE" }, { step: "BKV_EXPR" });
        } else if (first === Op.OP_IF) {
          if (left() >= 2 && op(1).opcode === Op.OP_DUP) {
            i += 2;
            toParse.push({ step: "DUP_IF" });
          } else if (
            left() >= 3 && op(1).opcode === Op.OP_0NOTEQUAL && op(2).opcode === Op.OP_SIZE
          ) {
            i += 3;
            toParse.push({ step: "NON_ZERO" });
          } else {
            return null;
          }
        } else if (first === Op.OP_NOTIF) {
          i++;
          toParse.push({ step: "ENDIF_NOTIF" });
        } else {
          return null;
        }
        break;
      }
      case "ENDIF_NOTIF":
        if (left() <= 0) return null;
        if (op(0).opcode === Op.OP_IFDUP) {
          i++;
          toParse.push({ step: "OR_D" });
        } else {
          toParse.push({ step: "OR_C" });
        }
        toParse.push(single());
        break;
      case "ENDIF_ELSE":
        if (left() <= 0) return null;
        if (op(0).opcode === Op.OP_IF) {
          i++;
          if (constructed.length < 2) return null;
          const first = constructed.pop()!;
          const second = constructed.pop()!;
          constructed.push(makeNode("OR_I", { subs: [first, second] }));
        } else if (op(0).opcode === Op.OP_NOTIF) {
          i++;
          toParse.push({ step: "ANDOR" }, single());
        } else {
          return null;
        }
        break;
    }
  }
  if (constructed.length !== 1 || i !== ops.length) return null;
  const root = constructed[0];
  if (!isValidNode(root) || !hasAll(root.type, mst("B"))) return null;
  return root;
}
