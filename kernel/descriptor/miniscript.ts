import { bytesToHex, hexToBytes } from "../encoding/mod.ts";
import { hash160 } from "../hash/mod.ts";
import { encodeScriptNum, MAX_OPS_PER_SCRIPT, Op, pushData } from "../script/mod.ts";
import { computeType, type Fragment, hasAll, mst, type MsType } from "./_miniscript_type.ts";

/** Largest standard witness script (`MAX_STANDARD_P2WSH_SCRIPT_SIZE`). */
export const MAX_STANDARD_P2WSH_SCRIPT_SIZE = 3600;
/** Most standard witness stack items (`MAX_STANDARD_P2WSH_STACK_ITEMS`). */
export const MAX_STANDARD_P2WSH_STACK_ITEMS = 100;
const MAX_PUBKEYS_PER_MULTISIG = 20;

/** Worst-case executed op counts: static count, and extra for satisfying/dissatisfying. */
interface Ops {
  count: number;
  sat: number | null;
  dsat: number | null;
}

/** Net stack change and peak of a (dis)satisfaction trace; null when none exists. */
interface SatInfo {
  netdiff: number;
  exec: number;
}
type MaybeSat = SatInfo | null;

const EMPTY: SatInfo = { netdiff: 0, exec: 0 };

function plus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}
function either(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
function seq(a: MaybeSat, b: MaybeSat): MaybeSat {
  if (a === null || b === null) return null;
  return { netdiff: a.netdiff + b.netdiff, exec: Math.max(b.exec, b.netdiff + a.exec) };
}
function alt(a: MaybeSat, b: MaybeSat): MaybeSat {
  if (a === null) return b;
  if (b === null) return a;
  return { netdiff: Math.max(a.netdiff, b.netdiff), exec: Math.max(a.exec, b.exec) };
}
/** `a + b + c ...`, left to right. */
function chain(first: MaybeSat, ...rest: MaybeSat[]): MaybeSat {
  return rest.reduce((acc, part) => seq(acc, part), first);
}
const PUSH: SatInfo = { netdiff: -1, exec: 0 };
const HASH: SatInfo = { netdiff: 0, exec: 0 };
const IF: SatInfo = { netdiff: 1, exec: 1 };
const BINARY_OP: SatInfo = { netdiff: 1, exec: 1 };
const DUP: SatInfo = { netdiff: -1, exec: 0 };
const EQUALVERIFY: SatInfo = { netdiff: 2, exec: 2 };
const EQUAL: SatInfo = { netdiff: 1, exec: 1 };
const SIZE: SatInfo = { netdiff: -1, exec: 0 };
const CHECKSIG: SatInfo = { netdiff: 1, exec: 1 };
const ZERO_NOTEQUAL: SatInfo = { netdiff: 0, exec: 0 };
const VERIFY: SatInfo = { netdiff: 1, exec: 1 };
const ifdup = (nonzero: boolean): SatInfo => ({ netdiff: nonzero ? -1 : 0, exec: 0 });

/** A miniscript expression node. Keys are indices into the descriptor's key list. */
export interface MiniscriptNode {
  readonly fragment: Fragment;
  /** Threshold for MULTI/THRESH, lock value for OLDER/AFTER, else 0. */
  readonly k: number;
  readonly keys: readonly number[];
  /** Hash for SHA256/HASH256 (32 bytes) and RIPEMD160/HASH160 (20 bytes). */
  readonly data: Uint8Array;
  readonly subs: readonly MiniscriptNode[];
  readonly type: MsType;
  readonly scriptSize: number;
  readonly ops: Ops;
  readonly stack: { sat: MaybeSat; dsat: MaybeSat };
  /** Largest witness (bytes, without the script push) to satisfy/dissatisfy; null if none. */
  readonly witness: { sat: number | null; dsat: number | null };
}

/** Size of `CScript() << n` for a small non-negative integer. */
function intPushSize(n: number): number {
  return n <= 16 ? 1 : 1 + encodeScriptNum(n).length;
}

function computeScriptSize(fragment: Fragment, k: number, keys: number, subs: MiniscriptNode[]) {
  const subsize = subs.reduce((sum, sub) => sum + sub.scriptSize, 0);
  switch (fragment) {
    case "JUST_0":
    case "JUST_1":
      return 1;
    case "PK_K":
      return 34;
    case "PK_H":
      return 3 + 21;
    case "OLDER":
    case "AFTER":
      return 1 + intPushSize(k);
    case "SHA256":
    case "HASH256":
      return 4 + 2 + 33;
    case "RIPEMD160":
    case "HASH160":
      return 4 + 2 + 21;
    case "MULTI":
      return 1 + intPushSize(keys) + intPushSize(k) + 34 * keys;
    case "AND_V":
      return subsize;
    case "WRAP_V":
      return subsize + (hasAll(subs[0].type, mst("x")) ? 1 : 0);
    case "WRAP_S":
    case "WRAP_C":
    case "WRAP_N":
    case "AND_B":
    case "OR_B":
      return subsize + 1;
    case "WRAP_A":
    case "OR_C":
      return subsize + 2;
    case "WRAP_D":
    case "OR_D":
    case "OR_I":
    case "ANDOR":
      return subsize + 3;
    case "WRAP_J":
      return subsize + 4;
    case "THRESH":
      return subsize + subs.length + intPushSize(k);
  }
}

function computeOps(fragment: Fragment, k: number, keys: number, subs: MiniscriptNode[]): Ops {
  const [x, y, z] = subs.map((s) => s.ops);
  switch (fragment) {
    case "JUST_1":
      return { count: 0, sat: 0, dsat: null };
    case "JUST_0":
      return { count: 0, sat: null, dsat: 0 };
    case "PK_K":
      return { count: 0, sat: 0, dsat: 0 };
    case "PK_H":
      return { count: 3, sat: 0, dsat: 0 };
    case "OLDER":
    case "AFTER":
      return { count: 1, sat: 0, dsat: null };
    case "SHA256":
    case "RIPEMD160":
    case "HASH256":
    case "HASH160":
      return { count: 4, sat: 0, dsat: null };
    case "AND_V":
      return { count: x.count + y.count, sat: plus(x.sat, y.sat), dsat: null };
    case "AND_B":
      return { count: 1 + x.count + y.count, sat: plus(x.sat, y.sat), dsat: plus(x.dsat, y.dsat) };
    case "OR_B":
      return {
        count: 1 + x.count + y.count,
        sat: either(plus(x.sat, y.dsat), plus(y.sat, x.dsat)),
        dsat: plus(x.dsat, y.dsat),
      };
    case "OR_D":
      return {
        count: 3 + x.count + y.count,
        sat: either(x.sat, plus(y.sat, x.dsat)),
        dsat: plus(x.dsat, y.dsat),
      };
    case "OR_C":
      return { count: 2 + x.count + y.count, sat: either(x.sat, plus(y.sat, x.dsat)), dsat: null };
    case "OR_I":
      return {
        count: 3 + x.count + y.count,
        sat: either(x.sat, y.sat),
        dsat: either(x.dsat, y.dsat),
      };
    case "ANDOR":
      return {
        count: 3 + x.count + y.count + z.count,
        sat: either(plus(y.sat, x.sat), plus(x.dsat, z.sat)),
        dsat: plus(x.dsat, z.dsat),
      };
    case "MULTI":
      return { count: 1, sat: keys, dsat: keys };
    case "WRAP_S":
    case "WRAP_C":
    case "WRAP_N":
      return { count: 1 + x.count, sat: x.sat, dsat: x.dsat };
    case "WRAP_A":
      return { count: 2 + x.count, sat: x.sat, dsat: x.dsat };
    case "WRAP_D":
      return { count: 3 + x.count, sat: x.sat, dsat: 0 };
    case "WRAP_J":
      return { count: 4 + x.count, sat: x.sat, dsat: 0 };
    case "WRAP_V":
      return {
        count: x.count + (hasAll(subs[0].type, mst("x")) ? 1 : 0),
        sat: x.sat,
        dsat: null,
      };
    case "THRESH": {
      let count = 0;
      let sats: (number | null)[] = [0];
      for (const sub of subs) {
        count += sub.ops.count + 1;
        const next = [plus(sats[0], sub.ops.dsat)];
        for (let j = 1; j < sats.length; j++) {
          next.push(either(plus(sats[j], sub.ops.dsat), plus(sats[j - 1], sub.ops.sat)));
        }
        next.push(plus(sats[sats.length - 1], sub.ops.sat));
        sats = next;
      }
      return { count, sat: sats[k], dsat: sats[0] };
    }
  }
}

function computeStack(
  fragment: Fragment,
  k: number,
  keys: number,
  subs: MiniscriptNode[],
): { sat: MaybeSat; dsat: MaybeSat } {
  const [x, y, z] = subs.map((s) => s.stack);
  switch (fragment) {
    case "JUST_0":
      return { sat: null, dsat: PUSH };
    case "JUST_1":
      return { sat: PUSH, dsat: null };
    case "OLDER":
    case "AFTER":
      return { sat: chain(PUSH, VERIFY), dsat: null };
    case "PK_K":
      return { sat: PUSH, dsat: PUSH };
    case "PK_H": {
      const both = chain(DUP, HASH, PUSH, EQUALVERIFY);
      return { sat: both, dsat: both };
    }
    case "SHA256":
    case "RIPEMD160":
    case "HASH256":
    case "HASH160":
      return { sat: chain(SIZE, PUSH, EQUALVERIFY, HASH, PUSH, EQUAL), dsat: null };
    case "ANDOR":
      return {
        sat: alt(chain(x.sat, IF, y.sat), chain(x.dsat, IF, z.sat)),
        dsat: chain(x.dsat, IF, z.dsat),
      };
    case "AND_V":
      return { sat: seq(x.sat, y.sat), dsat: null };
    case "AND_B":
      return { sat: chain(x.sat, y.sat, BINARY_OP), dsat: chain(x.dsat, y.dsat, BINARY_OP) };
    case "OR_B":
      return {
        sat: seq(alt(seq(x.sat, y.dsat), seq(x.dsat, y.sat)), BINARY_OP),
        dsat: chain(x.dsat, y.dsat, BINARY_OP),
      };
    case "OR_C":
      return { sat: alt(seq(x.sat, IF), chain(x.dsat, IF, y.sat)), dsat: null };
    case "OR_D":
      return {
        sat: alt(chain(x.sat, ifdup(true), IF), chain(x.dsat, ifdup(false), IF, y.sat)),
        dsat: chain(x.dsat, ifdup(false), IF, y.dsat),
      };
    case "OR_I":
      return { sat: seq(IF, alt(x.sat, y.sat)), dsat: seq(IF, alt(x.dsat, y.dsat)) };
    case "MULTI": {
      const both = { netdiff: k, exec: k + keys + 2 };
      return { sat: both, dsat: both };
    }
    case "WRAP_A":
    case "WRAP_N":
    case "WRAP_S":
      return x;
    case "WRAP_C":
      return { sat: seq(x.sat, CHECKSIG), dsat: seq(x.dsat, CHECKSIG) };
    case "WRAP_D":
      return { sat: chain(DUP, IF, x.sat), dsat: seq(DUP, IF) };
    case "WRAP_V":
      return { sat: seq(x.sat, VERIFY), dsat: null };
    case "WRAP_J":
      return { sat: chain(SIZE, ZERO_NOTEQUAL, IF, x.sat), dsat: chain(SIZE, ZERO_NOTEQUAL, IF) };
    case "THRESH": {
      let sats: MaybeSat[] = [EMPTY];
      for (const [i, sub] of subs.entries()) {
        const add = i ? BINARY_OP : EMPTY;
        const next: MaybeSat[] = [chain(sats[0], sub.stack.dsat, add)];
        for (let j = 1; j < sats.length; j++) {
          next.push(seq(alt(seq(sats[j], sub.stack.dsat), seq(sats[j - 1], sub.stack.sat)), add));
        }
        next.push(chain(sats[sats.length - 1], sub.stack.sat, add));
        sats = next;
      }
      return { sat: chain(sats[k], PUSH, EQUAL), dsat: chain(sats[0], PUSH, EQUAL) };
    }
  }
}

function computeWitnessSize(
  fragment: Fragment,
  k: number,
  subs: MiniscriptNode[],
): { sat: number | null; dsat: number | null } {
  const SIG = 1 + 72;
  const PUBKEY = 1 + 33;
  const [x, y, z] = subs.map((s) => s.witness);
  switch (fragment) {
    case "JUST_0":
      return { sat: null, dsat: 0 };
    case "JUST_1":
    case "OLDER":
    case "AFTER":
      return { sat: 0, dsat: null };
    case "PK_K":
      return { sat: SIG, dsat: 1 };
    case "PK_H":
      return { sat: SIG + PUBKEY, dsat: 1 + PUBKEY };
    case "SHA256":
    case "RIPEMD160":
    case "HASH256":
    case "HASH160":
      return { sat: 1 + 32, dsat: null };
    case "ANDOR":
      return {
        sat: either(plus(x.sat, y.sat), plus(x.dsat, z.sat)),
        dsat: plus(x.dsat, z.dsat),
      };
    case "AND_V":
      return { sat: plus(x.sat, y.sat), dsat: null };
    case "AND_B":
      return { sat: plus(x.sat, y.sat), dsat: plus(x.dsat, y.dsat) };
    case "OR_B":
      return {
        sat: either(plus(x.dsat, y.sat), plus(x.sat, y.dsat)),
        dsat: plus(x.dsat, y.dsat),
      };
    case "OR_C":
      return { sat: either(x.sat, plus(x.dsat, y.sat)), dsat: null };
    case "OR_D":
      return { sat: either(x.sat, plus(x.dsat, y.sat)), dsat: plus(x.dsat, y.dsat) };
    case "OR_I":
      return {
        sat: either(plus(x.sat, 2), plus(y.sat, 1)),
        dsat: either(plus(x.dsat, 2), plus(y.dsat, 1)),
      };
    case "MULTI":
      return { sat: k * SIG + 1, dsat: k + 1 };
    case "WRAP_A":
    case "WRAP_N":
    case "WRAP_S":
    case "WRAP_C":
      return x;
    case "WRAP_D":
      return { sat: plus(2, x.sat), dsat: 1 };
    case "WRAP_V":
      return { sat: x.sat, dsat: null };
    case "WRAP_J":
      return { sat: x.sat, dsat: 1 };
    case "THRESH": {
      let sats: (number | null)[] = [0];
      for (const sub of subs) {
        const next = [plus(sats[0], sub.witness.dsat)];
        for (let j = 1; j < sats.length; j++) {
          next.push(either(plus(sats[j], sub.witness.dsat), plus(sats[j - 1], sub.witness.sat)));
        }
        next.push(plus(sats[sats.length - 1], sub.witness.sat));
        sats = next;
      }
      return { sat: sats[k], dsat: sats[0] };
    }
  }
}

/** Builds a node, computing its type, script size, op counts and stack bounds. */
export function makeNode(
  fragment: Fragment,
  options: { k?: number; keys?: number[]; data?: Uint8Array; subs?: MiniscriptNode[] } = {},
): MiniscriptNode {
  const k = options.k ?? 0;
  const keys = options.keys ?? [];
  const subs = options.subs ?? [];
  return {
    fragment,
    k,
    keys,
    data: options.data ?? new Uint8Array(),
    subs,
    type: computeType(fragment, k, subs.map((s) => s.type)),
    scriptSize: computeScriptSize(fragment, k, keys.length, subs),
    ops: computeOps(fragment, k, keys.length, subs),
    stack: computeStack(fragment, k, keys.length, subs),
    witness: computeWitnessSize(fragment, k, subs),
  };
}

// ---------------------------------------------------------------------------------------------
// Properties (`IsValid`, `IsSane`, ...)

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
  const visit = (node: MiniscriptNode): Set<string> | null => {
    const childSets = node.subs.map(visit);
    if (childSets.some((s) => s === null)) {
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
  };
  visit(root);
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
  const findInsane = (node: MiniscriptNode): MiniscriptNode | null => {
    for (const sub of node.subs) {
      const found = findInsane(sub);
      if (found) return found;
    }
    return isSaneSubexpression(node, duplicates) ? null : node;
  };
  const insane = findInsane(root) ?? root;
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

// ---------------------------------------------------------------------------------------------
// Text and script forms

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
  const visit = (node: MiniscriptNode, wrapped: boolean): string | null => {
    const inner = childrenWrapped(node);
    const subs: string[] = [];
    for (const sub of node.subs) {
      const s = visit(sub, inner);
      if (s === null) return null;
      subs.push(s);
    }
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
  return visit(root, false);
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
  const visit = (node: MiniscriptNode, verify: boolean): number[] => {
    const childVerify = (index: number) =>
      node.fragment === "WRAP_V" ||
      ((node.fragment === "WRAP_S" || (node.fragment === "AND_V" && index === 1)) && verify);
    const s = node.subs.map((sub, i) => visit(sub, childVerify(i)));
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
  return Uint8Array.from(visit(root, false));
}

// ---------------------------------------------------------------------------------------------
// Parsing (`miniscript::FromString`)

/** Index of `m` in `text` from `pos`, stopping at the first `)` (`FindNextChar`); -1 if absent. */
function findNextChar(text: string, pos: number, m: string): number {
  for (let i = pos; i < text.length; i++) {
    if (text[i] === m) return i - pos;
    if (text[i] === ")") break;
  }
  return -1;
}

/** `ParseInt64`: optional `+` or `-`, decimal digits, within int64. */
function parseInt64(str: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(str)) return null;
  const value = BigInt(str.startsWith("+") ? str.slice(1) : str);
  if (value > 0x7fffffffffffffffn || value < -0x8000000000000000n) return null;
  // Callers reject anything outside small ranges, so clamping keeps comparisons exact.
  return value > 0xffffffffffffn ? 2 ** 48 : value < -(2n ** 48n) ? -(2 ** 48) : Number(value);
}

function isHexStr(str: string): boolean {
  return str.length > 0 && str.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(str);
}

type ParseStep =
  | { kind: "WRAPPED_EXPR" | "EXPR" | "COMMA" | "CLOSE_BRACKET" }
  | {
    kind:
      | "ALT"
      | "SWAP"
      | "CHECK"
      | "DUP_IF"
      | "NON_ZERO"
      | "ZERO_NOTEQUAL"
      | "VERIFY"
      | "WRAP_U"
      | "WRAP_T";
  }
  | { kind: "AND_N" | "AND_B" | "AND_V" | "OR_B" | "OR_C" | "OR_D" | "OR_I" | "ANDOR" }
  | { kind: "THRESH"; n: number; k: number };

const WRAPPER_STEPS: Record<string, ParseStep["kind"]> = {
  a: "ALT",
  s: "SWAP",
  c: "CHECK",
  d: "DUP_IF",
  j: "NON_ZERO",
  n: "ZERO_NOTEQUAL",
  v: "VERIFY",
  u: "WRAP_U",
  t: "WRAP_T",
};
const WRAPPER_SIZE: Record<string, number> = {
  a: 2,
  s: 1,
  c: 1,
  d: 3,
  j: 4,
  n: 1,
  v: 0,
  u: 4,
  t: 1,
};
const HASH_FRAGMENTS: [string, Fragment, number, number][] = [
  ["sha256(", "SHA256", 32, 38],
  ["ripemd160(", "RIPEMD160", 20, 26],
  ["hash256(", "HASH256", 32, 38],
  ["hash160(", "HASH160", 20, 26],
];
const BINARY_FRAGMENTS: [string, ParseStep["kind"], number][] = [
  ["and_n(", "AND_N", 5],
  ["and_b(", "AND_B", 2],
  ["and_v(", "AND_V", 1],
  ["or_b(", "OR_B", 2],
  ["or_c(", "OR_C", 3],
  ["or_d(", "OR_D", 4],
  ["or_i(", "OR_I", 4],
];
const BINARY_NODES: Record<string, Fragment> = {
  AND_B: "AND_B",
  AND_V: "AND_V",
  OR_B: "OR_B",
  OR_C: "OR_C",
  OR_D: "OR_D",
  OR_I: "OR_I",
};

/**
 * Parses the text form of a P2WSH miniscript. `parseKey` turns a key string into a key index
 * (it throws the descriptor's key error when the key is bad). Returns null when the text is not
 * a miniscript; the result is not checked for validity or sanity.
 */
export function parseMiniscript(
  text: string,
  parseKey: (keyText: string) => number,
): MiniscriptNode | null {
  let pos = 0;
  let scriptSize = 1;
  const toParse: ParseStep[] = [{ kind: "WRAPPED_EXPR" }];
  const constructed: MiniscriptNode[] = [];
  const rest = () => text.slice(pos);
  const consume = (prefix: string) => {
    if (!text.startsWith(prefix, pos)) return false;
    pos += prefix.length;
    return true;
  };
  const parseKeyEnd = (): number | null => {
    const size = findNextChar(text, pos, ")");
    if (size < 1) return null;
    const key = parseKey(text.slice(pos, pos + size));
    pos += size + 1;
    return key;
  };
  const parseMulti = (): boolean => {
    let nextComma = findNextChar(text, pos, ",");
    if (nextComma < 1) return false;
    const k = parseInt64(text.slice(pos, pos + nextComma));
    if (k === null) return false;
    pos += nextComma + 1;
    const keys: number[] = [];
    while (nextComma !== -1) {
      nextComma = findNextChar(text, pos, ",");
      const keyLength = nextComma === -1 ? findNextChar(text, pos, ")") : nextComma;
      if (keyLength < 1) return false;
      keys.push(parseKey(text.slice(pos, pos + keyLength)));
      pos += keyLength + 1;
    }
    if (keys.length < 1 || keys.length > MAX_PUBKEYS_PER_MULTISIG) return false;
    if (k < 1 || k > keys.length) return false;
    scriptSize += 2 + (keys.length > 16 ? 1 : 0) + (k > 16 ? 1 : 0) + 34 * keys.length;
    constructed.push(makeNode("MULTI", { k, keys }));
    return true;
  };
  const wrapLast = (fragment: Fragment, extra?: MiniscriptNode, before = false) => {
    const last = constructed.pop()!;
    const subs = extra === undefined ? [last] : before ? [extra, last] : [last, extra];
    constructed.push(makeNode(fragment, { subs }));
  };
  const timelockSize = (n: number) =>
    (n > 16 ? 1 : 0) + (n > 0x7f ? 1 : 0) + (n > 0x7fff ? 1 : 0) + (n > 0x7fffff ? 1 : 0);

  while (toParse.length > 0) {
    if (scriptSize > MAX_STANDARD_P2WSH_SCRIPT_SIZE) return null;
    const step = toParse.pop()!;
    switch (step.kind) {
      case "WRAPPED_EXPR": {
        let colon = -1;
        for (let i = pos + 1; i < text.length; i++) {
          if (text[i] === ":") {
            colon = i;
            break;
          }
          if (text[i] < "a" || text[i] > "z") break;
        }
        let lastWasV = false;
        if (colon !== -1) {
          for (let j = pos; j < colon; j++) {
            if (scriptSize > MAX_STANDARD_P2WSH_SCRIPT_SIZE) return null;
            const c = text[j];
            if (c === "l") {
              // l:X is or_i(0,X).
              scriptSize += 4;
              constructed.push(makeNode("JUST_0"));
              toParse.push({ kind: "OR_I" });
            } else if (c in WRAPPER_STEPS) {
              if (c === "v" && lastWasV) return null;
              scriptSize += WRAPPER_SIZE[c];
              toParse.push({ kind: WRAPPER_STEPS[c] } as ParseStep);
            } else {
              return null;
            }
            lastWasV = c === "v";
          }
        }
        toParse.push({ kind: "EXPR" });
        if (colon !== -1) pos = colon + 1;
        break;
      }
      case "EXPR": {
        if (consume("0")) {
          constructed.push(makeNode("JUST_0"));
        } else if (consume("1")) {
          constructed.push(makeNode("JUST_1"));
        } else if (text.startsWith("pk(", pos) || text.startsWith("pkh(", pos)) {
          const isPk = text.startsWith("pk(", pos);
          pos += isPk ? 3 : 4;
          const key = parseKeyEnd();
          if (key === null) return null;
          const inner = makeNode(isPk ? "PK_K" : "PK_H", { keys: [key] });
          constructed.push(makeNode("WRAP_C", { subs: [inner] }));
          scriptSize += isPk ? 34 : 24;
        } else if (text.startsWith("pk_k(", pos) || text.startsWith("pk_h(", pos)) {
          const isPkK = text.startsWith("pk_k(", pos);
          pos += 5;
          const key = parseKeyEnd();
          if (key === null) return null;
          constructed.push(makeNode(isPkK ? "PK_K" : "PK_H", { keys: [key] }));
          scriptSize += isPkK ? 33 : 23;
        } else if (HASH_FRAGMENTS.some(([prefix]) => text.startsWith(prefix, pos))) {
          const [prefix, fragment, length, size] = HASH_FRAGMENTS.find(([p]) =>
            text.startsWith(p, pos)
          )!;
          pos += prefix.length;
          const hashSize = findNextChar(text, pos, ")");
          if (hashSize < 1) return null;
          const hex = text.slice(pos, pos + hashSize);
          if (!isHexStr(hex) || hex.length !== 2 * length) return null;
          constructed.push(makeNode(fragment, { data: hexToBytes(hex) }));
          pos += hashSize + 1;
          scriptSize += size;
        } else if (text.startsWith("after(", pos) || text.startsWith("older(", pos)) {
          const fragment: Fragment = text.startsWith("after(", pos) ? "AFTER" : "OLDER";
          pos += 6;
          const argSize = findNextChar(text, pos, ")");
          if (argSize < 1) return null;
          const num = parseInt64(text.slice(pos, pos + argSize));
          if (num === null || num < 1 || num >= 0x80000000) return null;
          constructed.push(makeNode(fragment, { k: num }));
          pos += argSize + 1;
          scriptSize += 1 + timelockSize(num);
        } else if (consume("multi(")) {
          if (!parseMulti()) return null;
        } else if (consume("thresh(")) {
          const nextComma = findNextChar(text, pos, ",");
          if (nextComma < 1) return null;
          const k = parseInt64(text.slice(pos, pos + nextComma));
          if (k === null || k < 1) return null;
          pos += nextComma + 1;
          toParse.push({ kind: "THRESH", n: 1, k }, { kind: "WRAPPED_EXPR" });
          scriptSize += 2 + timelockSize(k);
        } else if (consume("andor(")) {
          toParse.push(
            { kind: "ANDOR" },
            { kind: "CLOSE_BRACKET" },
            { kind: "WRAPPED_EXPR" },
            { kind: "COMMA" },
            { kind: "WRAPPED_EXPR" },
            { kind: "COMMA" },
            { kind: "WRAPPED_EXPR" },
          );
          scriptSize += 5;
        } else {
          const binary = BINARY_FRAGMENTS.find(([prefix]) => text.startsWith(prefix, pos));
          if (binary === undefined) return null;
          pos += binary[0].length;
          toParse.push(
            { kind: binary[1] } as ParseStep,
            { kind: "CLOSE_BRACKET" },
            { kind: "WRAPPED_EXPR" },
            { kind: "COMMA" },
            { kind: "WRAPPED_EXPR" },
          );
          scriptSize += binary[2];
        }
        break;
      }
      case "ALT":
        wrapLast("WRAP_A");
        break;
      case "SWAP":
        wrapLast("WRAP_S");
        break;
      case "CHECK":
        wrapLast("WRAP_C");
        break;
      case "DUP_IF":
        wrapLast("WRAP_D");
        break;
      case "NON_ZERO":
        wrapLast("WRAP_J");
        break;
      case "ZERO_NOTEQUAL":
        wrapLast("WRAP_N");
        break;
      case "VERIFY":
        scriptSize += hasAll(constructed[constructed.length - 1].type, mst("x")) ? 1 : 0;
        wrapLast("WRAP_V");
        break;
      case "WRAP_U":
        wrapLast("OR_I", makeNode("JUST_0"));
        break;
      case "WRAP_T":
        wrapLast("AND_V", makeNode("JUST_1"));
        break;
      case "AND_N": {
        const mid = constructed.pop()!;
        const first = constructed.pop()!;
        constructed.push(makeNode("ANDOR", { subs: [first, mid, makeNode("JUST_0")] }));
        break;
      }
      case "ANDOR": {
        const right = constructed.pop()!;
        const mid = constructed.pop()!;
        const first = constructed.pop()!;
        constructed.push(makeNode("ANDOR", { subs: [first, mid, right] }));
        break;
      }
      case "AND_B":
      case "AND_V":
      case "OR_B":
      case "OR_C":
      case "OR_D":
      case "OR_I": {
        const second = constructed.pop()!;
        const first = constructed.pop()!;
        constructed.push(makeNode(BINARY_NODES[step.kind], { subs: [first, second] }));
        break;
      }
      case "THRESH": {
        if (pos >= text.length) return null;
        if (text[pos] === ",") {
          pos++;
          toParse.push({ kind: "THRESH", n: step.n + 1, k: step.k }, { kind: "WRAPPED_EXPR" });
          scriptSize += 2;
        } else if (text[pos] === ")") {
          if (step.k > step.n) return null;
          pos++;
          const subs = constructed.splice(constructed.length - step.n, step.n);
          constructed.push(makeNode("THRESH", { k: step.k, subs }));
        } else {
          return null;
        }
        break;
      }
      case "COMMA":
        if (!consume(",")) return null;
        break;
      case "CLOSE_BRACKET":
        if (!consume(")")) return null;
        break;
    }
  }
  if (rest().length > 0) return null;
  return constructed[0];
}
