/**
 * Standard output templates (`Solver`, src/script/solver.cpp) with the type
 * names freicoind prints in decodescript/getrawtransaction (protocol.md §8).
 */
import { decodeOpN, encodeOpN, Op } from "./opcodes.ts";
import {
  isMinimalPush,
  isPayToScriptHash,
  isPushOnly,
  MAX_PUBKEYS_PER_MULTISIG,
  pushData,
  readOp,
  witnessProgram,
} from "./script.ts";
import { decodeScriptNum } from "./script_num.ts";

/** `TxoutType`, spelled as `GetTxnOutputType` prints it. */
export type TxoutType =
  | "nonstandard"
  | "pubkey"
  | "pubkeyhash"
  | "scripthash"
  | "multisig"
  | "nulldata"
  | "unspendable"
  | "witness_v0_shorthash"
  | "witness_v0_longhash"
  | "witness_unknown";

/** A classified output: its type and the solutions (`vSolutionsRet`). */
export interface SolvedScript {
  type: TxoutType;
  /**
   * pubkey: [pubkey]; pubkeyhash/scripthash: [hash]; witness v0: [program];
   * witness_unknown: [[version], program]; multisig: [[m], keys…, [n]].
   */
  solutions: Uint8Array[];
}

/** `CPubKey::ValidSize`: the header byte announces exactly this length. */
function validPubKeySize(data: Uint8Array): boolean {
  if (data.length === 0) return false;
  const header = data[0];
  if (header === 2 || header === 3) return data.length === 33;
  if (header === 4 || header === 6 || header === 7) return data.length === 65;
  return false;
}

/** A minimally encoded number in [min, max] from OP_1..OP_16 or a push (`GetScriptNumber`). */
function scriptNumber(
  opcode: number,
  data: Uint8Array | null,
  min: number,
  max: number,
): number | null {
  let count: number;
  if (opcode >= Op.OP_1 && opcode <= Op.OP_16) {
    count = decodeOpN(opcode);
  } else if (data !== null) {
    if (!isMinimalPush(data, opcode)) return null;
    try {
      count = decodeScriptNum(data, true);
    } catch {
      return null;
    }
  } else {
    return null;
  }
  return count < min || count > max ? null : count;
}

function matchMultisig(script: Uint8Array): { required: number; keys: Uint8Array[] } | null {
  if (script.length < 1 || script[script.length - 1] !== Op.OP_CHECKMULTISIG) return null;
  let op = readOp(script, 0);
  if (op === null) return null;
  const required = scriptNumber(op.opcode, op.data, 1, MAX_PUBKEYS_PER_MULTISIG);
  if (required === null) return null;
  const keys: Uint8Array[] = [];
  let pos = op.end;
  let last: { opcode: number; data: Uint8Array | null } = {
    opcode: Op.OP_INVALIDOPCODE,
    data: null,
  };
  while (true) {
    op = readOp(script, pos);
    if (op === null) {
      last = { opcode: Op.OP_INVALIDOPCODE, data: null };
      break;
    }
    pos = op.end;
    last = op;
    if (op.data === null || !validPubKeySize(op.data)) break;
    keys.push(op.data);
  }
  const count = scriptNumber(last.opcode, last.data, required, MAX_PUBKEYS_PER_MULTISIG);
  if (count === null || keys.length !== count) return null;
  return pos + 1 === script.length ? { required, keys } : null;
}

/** Classifies a scriptPubKey (`Solver`). *
 * @example
 * ```ts
 * import { solveScript } from "./solver.ts";
 * console.assert(solveScript(Uint8Array.of(0x6a)).type === "unspendable");
 * ```
 */
export function solveScript(script: Uint8Array): SolvedScript {
  if (isPayToScriptHash(script)) return { type: "scripthash", solutions: [script.slice(2, 22)] };
  const witness = witnessProgram(script);
  if (witness !== null) {
    if (witness.version === 0 && witness.program.length === 20) {
      return { type: "witness_v0_shorthash", solutions: [witness.program] };
    }
    if (witness.version === 0 && witness.program.length === 32) {
      return { type: "witness_v0_longhash", solutions: [witness.program] };
    }
    return {
      type: "witness_unknown",
      solutions: [Uint8Array.of(witness.version), witness.program],
    };
  }
  // Provably unspendable: a bare OP_RETURN is "unspendable", OP_RETURN <pushes> is data.
  if (script.length >= 1 && script[0] === Op.OP_RETURN && isPushOnly(script.subarray(1))) {
    return { type: script.length === 1 ? "unspendable" : "nulldata", solutions: [] };
  }
  for (const size of [65, 33]) {
    if (script.length === size + 2 && script[0] === size && script[size + 1] === Op.OP_CHECKSIG) {
      const pubkey = script.slice(1, size + 1);
      if (validPubKeySize(pubkey)) return { type: "pubkey", solutions: [pubkey] };
    }
  }
  if (
    script.length === 25 && script[0] === Op.OP_DUP && script[1] === Op.OP_HASH160 &&
    script[2] === 20 && script[23] === Op.OP_EQUALVERIFY && script[24] === Op.OP_CHECKSIG
  ) {
    return { type: "pubkeyhash", solutions: [script.slice(3, 23)] };
  }
  const multisig = matchMultisig(script);
  if (multisig !== null) {
    return {
      type: "multisig",
      solutions: [
        Uint8Array.of(multisig.required),
        ...multisig.keys,
        Uint8Array.of(multisig.keys.length),
      ],
    };
  }
  return { type: "nonstandard", solutions: [] };
}

/** `GetScriptForMultisig`: `m <keys…> n OP_CHECKMULTISIG`. */
export function multisigScript(required: number, keys: readonly Uint8Array[]): Uint8Array {
  const parts: number[] = [encodeOpN(required)];
  for (const key of keys) parts.push(...pushData(key));
  parts.push(encodeOpN(keys.length), Op.OP_CHECKMULTISIG);
  return Uint8Array.from(parts);
}
