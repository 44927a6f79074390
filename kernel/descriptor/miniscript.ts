// Miniscript (BIP379) as freicoind has it, P2WSH only: validity and sanity checks with
// freicoind's error texts, and the text and script forms of a node.
import { bytesToHex } from "../encoding/mod.ts";
import { hash160 } from "../hash/mod.ts";
import { encodeScriptNum, MAX_OPS_PER_SCRIPT, Op, pushData } from "../script/mod.ts";
import { type Fragment, hasAll, mst } from "./_miniscript_type.ts";
import {
  MAX_STANDARD_P2WSH_SCRIPT_SIZE,
  MAX_STANDARD_P2WSH_STACK_ITEMS,
  type MiniscriptNode,
  treeEval,
} from "./_miniscript_node.ts";

export {
  makeNode,
  MAX_STANDARD_P2WSH_SCRIPT_SIZE,
  MAX_STANDARD_P2WSH_STACK_ITEMS,
  type MiniscriptNode,
} from "./_miniscript_node.ts";
export { parseMiniscript } from "./miniscript_parse.ts";

/** Has a type and fits the standard witness script size (`IsValid`). */
export function isValidNode(node: MiniscriptNode): boolean {
  return node.type !== 0 && node.scriptSize <= MAX_STANDARD_P2WSH_SCRIPT_SIZE;
}

function isBKW(node: MiniscriptNode): boolean {
  return (node.type & mst("BKW")) !== 0;
}

/** Stack items a non-malleable satisfaction needs, or null when it cannot be satisfied. */
export function stackSize(node: MiniscriptNode): number | null {
  return node.stack.sat === null ? null : node.stack.sat.netdiff + (isBKW(node) ? 1 : 0);
}

function validSatisfactions(node: MiniscriptNode): boolean {
  const ops = node.ops.sat === null ? null : node.ops.count + node.ops.sat;
  const stack = stackSize(node);
  return isValidNode(node) && (ops === null || ops <= MAX_OPS_PER_SCRIPT) &&
    (stack === null || stack <= MAX_STANDARD_P2WSH_STACK_ITEMS);
}

/** Sanity of a node in isolation, given whether it repeats a key (`IsSaneSubexpression`). */
function isSaneSubexpression(node: MiniscriptNode, duplicates: Map<MiniscriptNode, boolean>) {
  return validSatisfactions(node) && hasAll(node.type, mst("m")) &&
    hasAll(node.type, mst("k")) && duplicates.get(node) === false;
}

/**
 * Which nodes repeat a public key in their subtree (`DuplicateKeyCheck`). `keyId` maps a key
 * index to a comparable identity (the public key at position 0).
 */
function duplicateKeys(root: MiniscriptNode, keyId: (key: number) => string) {
  const result = new Map<MiniscriptNode, boolean>();
  treeEval<null, Set<string> | null>(root, null, () => null, (_, node, childSets) => {
    if (childSets.some((set) => set === null)) {
      result.set(node, true);
      return null;
    }
    const set = new Set(node.keys.map(keyId));
    let count = node.keys.length;
    if (set.size !== count) {
      result.set(node, true);
      return null;
    }
    for (const child of childSets as Set<string>[]) {
      count += child.size;
      for (const id of child) set.add(id);
      if (set.size !== count) {
        result.set(node, true);
        return null;
      }
    }
    result.set(node, false);
    return set;
  });
  return result;
}

function isSane(node: MiniscriptNode, duplicates: Map<MiniscriptNode, boolean>): boolean {
  return isValidNode(node) && hasAll(node.type, mst("B")) &&
    isSaneSubexpression(node, duplicates) && hasAll(node.type, mst("s"));
}

/**
 * Whether a miniscript is safe as a whole script (`IsSane`): valid, type B, non-malleable,
 * within resource limits, no mixed time locks, no repeated key, and always needs a signature.
 */
export function isSaneMiniscript(root: MiniscriptNode, keyId: (key: number) => string): boolean {
  return isSane(root, duplicateKeys(root, keyId));
}

/**
 * freicoind's complaint about a miniscript that is not sane or not satisfiable, or null when it
 * is fine. `keyString` prints key `i` for the message; `keyId` identifies keys for duplicates.
 */
export function miniscriptSanityError(
  root: MiniscriptNode,
  keyString: (key: number) => string,
  keyId: (key: number) => string,
): string | null {
  const duplicates = duplicateKeys(root, keyId);
  const sane = (n: MiniscriptNode) => isSane(n, duplicates);
  if (sane(root) && stackSize(root) !== null) return null;
  // The first (post-order) node that is insane while its children are not.
  const insaneSub = treeEval<null, MiniscriptNode | null>(
    root,
    null,
    () => null,
    (_, node, subs) => {
      for (const sub of subs) if (sub !== null) return sub;
      return isSaneSubexpression(node, duplicates) ? null : node;
    },
  );
  const insane = insaneSub ?? root;
  let error = miniscriptToString(insane, keyString) ?? "";
  if (!isValidNode(insane)) return error + " is invalid";
  if (!sane(root)) {
    error += " is not sane";
    if (!hasAll(insane.type, mst("m"))) error += ": malleable witnesses exist";
    else if (insane === root && !hasAll(insane.type, mst("s"))) {
      error += ": witnesses without signature exist";
    } else if (!hasAll(insane.type, mst("k"))) {
      error += ": contains mixes of timelocks expressed in blocks and seconds";
    } else if (duplicates.get(insane) !== false) error += ": contains duplicate public keys";
    else if (!validSatisfactions(insane)) {
      error += ": needs witnesses that may exceed resource limits";
    }
    return error;
  }
  return error + " is not satisfiable";
}

const WRAPPERS: ReadonlySet<Fragment> = new Set([
  "WRAP_A",
  "WRAP_S",
  "WRAP_D",
  "WRAP_V",
  "WRAP_J",
  "WRAP_N",
  "WRAP_C",
]);

/** Whether a node's children are printed after a wrapper letter (and so need a `:`). */
function childrenWrapped(node: MiniscriptNode): boolean {
  return WRAPPERS.has(node.fragment) ||
    (node.fragment === "AND_V" && node.subs[1].fragment === "JUST_1") ||
    (node.fragment === "OR_I" &&
      (node.subs[0].fragment === "JUST_0" || node.subs[1].fragment === "JUST_0"));
}

/** The text form of a miniscript (`Node::ToString`); null if a key cannot be printed. */
export function miniscriptToString(
  root: MiniscriptNode,
  keyString: (key: number) => string | null,
): string | null {
  const up = (wrapped: boolean, node: MiniscriptNode, results: (string | null)[]) => {
    if (results.some((r) => r === null)) return null;
    const subs = results as string[];
    const ret = wrapped ? ":" : "";
    const key = (i: number) => keyString(node.keys[i]);
    switch (node.fragment) {
      case "WRAP_A":
        return "a" + subs[0];
      case "WRAP_S":
        return "s" + subs[0];
      case "WRAP_C": {
        const child = node.subs[0];
        if (child.fragment === "PK_K" || child.fragment === "PK_H") {
          const k = keyString(child.keys[0]);
          if (k === null) return null;
          return `${ret}${child.fragment === "PK_K" ? "pk" : "pkh"}(${k})`;
        }
        return "c" + subs[0];
      }
      case "WRAP_D":
        return "d" + subs[0];
      case "WRAP_V":
        return "v" + subs[0];
      case "WRAP_J":
        return "j" + subs[0];
      case "WRAP_N":
        return "n" + subs[0];
      case "AND_V":
        if (node.subs[1].fragment === "JUST_1") return "t" + subs[0];
        return `${ret}and_v(${subs[0]},${subs[1]})`;
      case "OR_I":
        if (node.subs[0].fragment === "JUST_0") return "l" + subs[1];
        if (node.subs[1].fragment === "JUST_0") return "u" + subs[0];
        return `${ret}or_i(${subs[0]},${subs[1]})`;
      case "PK_K":
      case "PK_H": {
        const k = key(0);
        if (k === null) return null;
        return `${ret}${node.fragment === "PK_K" ? "pk_k" : "pk_h"}(${k})`;
      }
      case "AFTER":
        return `${ret}after(${node.k})`;
      case "OLDER":
        return `${ret}older(${node.k})`;
      case "HASH256":
        return `${ret}hash256(${bytesToHex(node.data)})`;
      case "HASH160":
        return `${ret}hash160(${bytesToHex(node.data)})`;
      case "SHA256":
        return `${ret}sha256(${bytesToHex(node.data)})`;
      case "RIPEMD160":
        return `${ret}ripemd160(${bytesToHex(node.data)})`;
      case "JUST_1":
        return ret + "1";
      case "JUST_0":
        return ret + "0";
      case "AND_B":
        return `${ret}and_b(${subs[0]},${subs[1]})`;
      case "OR_B":
        return `${ret}or_b(${subs[0]},${subs[1]})`;
      case "OR_D":
        return `${ret}or_d(${subs[0]},${subs[1]})`;
      case "OR_C":
        return `${ret}or_c(${subs[0]},${subs[1]})`;
      case "ANDOR":
        if (node.subs[2].fragment === "JUST_0") return `${ret}and_n(${subs[0]},${subs[1]})`;
        return `${ret}andor(${subs[0]},${subs[1]},${subs[2]})`;
      case "MULTI": {
        const keys: string[] = [];
        for (let i = 0; i < node.keys.length; i++) {
          const k = key(i);
          if (k === null) return null;
          keys.push(k);
        }
        return `${ret}multi(${node.k},${keys.join(",")})`;
      }
      case "THRESH":
        return `${ret}thresh(${node.k},${subs.join(",")})`;
    }
  };
  return treeEval<boolean, string | null>(
    root,
    false,
    (_, parent) => childrenWrapped(parent),
    up,
  );
}

/** `CScript() << n` for a non-negative integer. */
function pushInt(n: number): number[] {
  if (n === 0) return [Op.OP_0];
  if (n <= 16) return [Op.OP_1 + n - 1];
  return [...pushData(encodeScriptNum(n))];
}

/** The witness script of a miniscript (`Node::ToScript`), given each key's public key. */
export function miniscriptToScript(
  root: MiniscriptNode,
  pubkeyOf: (key: number) => Uint8Array,
): Uint8Array {
  // Whether a child's script is followed by OP_VERIFY (which it may then absorb).
  const down = (verify: boolean, node: MiniscriptNode, index: number) =>
    node.fragment === "WRAP_V" ||
    ((node.fragment === "WRAP_S" || (node.fragment === "AND_V" && index === 1)) && verify);
  const up = (verify: boolean, node: MiniscriptNode, s: number[][]): number[] => {
    const equal = verify ? Op.OP_EQUALVERIFY : Op.OP_EQUAL;
    const hashCheck = (op: number) => [
      Op.OP_SIZE,
      ...pushInt(32),
      Op.OP_EQUALVERIFY,
      op,
      ...pushData(node.data),
      equal,
    ];
    switch (node.fragment) {
      case "PK_K":
        return [...pushData(pubkeyOf(node.keys[0]))];
      case "PK_H":
        return [
          Op.OP_DUP,
          Op.OP_HASH160,
          ...pushData(hash160(pubkeyOf(node.keys[0]))),
          Op.OP_EQUALVERIFY,
        ];
      case "OLDER":
        return [...pushInt(node.k), Op.OP_CHECKSEQUENCEVERIFY];
      case "AFTER":
        return [...pushInt(node.k), Op.OP_CHECKLOCKTIMEVERIFY];
      case "SHA256":
        return hashCheck(Op.OP_SHA256);
      case "RIPEMD160":
        return hashCheck(Op.OP_RIPEMD160);
      case "HASH256":
        return hashCheck(Op.OP_HASH256);
      case "HASH160":
        return hashCheck(Op.OP_HASH160);
      case "WRAP_A":
        return [Op.OP_TOALTSTACK, ...s[0], Op.OP_FROMALTSTACK];
      case "WRAP_S":
        return [Op.OP_SWAP, ...s[0]];
      case "WRAP_C":
        return [...s[0], verify ? Op.OP_CHECKSIGVERIFY : Op.OP_CHECKSIG];
      case "WRAP_D":
        return [Op.OP_DUP, Op.OP_IF, ...s[0], Op.OP_ENDIF];
      case "WRAP_V":
        return hasAll(node.subs[0].type, mst("x")) ? [...s[0], Op.OP_VERIFY] : s[0];
      case "WRAP_J":
        return [Op.OP_SIZE, Op.OP_0NOTEQUAL, Op.OP_IF, ...s[0], Op.OP_ENDIF];
      case "WRAP_N":
        return [...s[0], Op.OP_0NOTEQUAL];
      case "JUST_1":
        return [Op.OP_1];
      case "JUST_0":
        return [Op.OP_0];
      case "AND_V":
        return [...s[0], ...s[1]];
      case "AND_B":
        return [...s[0], ...s[1], Op.OP_BOOLAND];
      case "OR_B":
        return [...s[0], ...s[1], Op.OP_BOOLOR];
      case "OR_D":
        return [...s[0], Op.OP_IFDUP, Op.OP_NOTIF, ...s[1], Op.OP_ENDIF];
      case "OR_C":
        return [...s[0], Op.OP_NOTIF, ...s[1], Op.OP_ENDIF];
      case "OR_I":
        return [Op.OP_IF, ...s[0], Op.OP_ELSE, ...s[1], Op.OP_ENDIF];
      case "ANDOR":
        return [...s[0], Op.OP_NOTIF, ...s[2], Op.OP_ELSE, ...s[1], Op.OP_ENDIF];
      case "MULTI": {
        const out = pushInt(node.k);
        for (const key of node.keys) out.push(...pushData(pubkeyOf(key)));
        out.push(
          ...pushInt(node.keys.length),
          verify ? Op.OP_CHECKMULTISIGVERIFY : Op.OP_CHECKMULTISIG,
        );
        return out;
      }
      case "THRESH": {
        const out = [...s[0]];
        for (let i = 1; i < s.length; i++) out.push(...s[i], Op.OP_ADD);
        out.push(...pushInt(node.k), equal);
        return out;
      }
    }
  };
  return Uint8Array.from(treeEval(root, false, down, up));
}
