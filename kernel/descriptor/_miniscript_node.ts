// The miniscript node and the per-node quantities computed bottom-up when it is built: type,
// script size, executed op counts, stack bounds and witness size (BIP379, P2WSH context).
import { encodeScriptNum } from "../script/mod.ts";
import { computeType, type Fragment, hasAll, mst, type MsType } from "./_miniscript_type.ts";

/** Largest standard witness script (`MAX_STANDARD_P2WSH_SCRIPT_SIZE`). */
export const MAX_STANDARD_P2WSH_SCRIPT_SIZE = 3600;
/** Most standard witness stack items (`MAX_STANDARD_P2WSH_STACK_ITEMS`). */
export const MAX_STANDARD_P2WSH_STACK_ITEMS = 100;

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

/**
 * Evaluates a tree bottom-up without recursion (`TreeEval`), so deep expressions cannot
 * overflow the call stack. `down` computes a child's state from its parent's; `up` combines a
 * node's state with its children's results.
 */
export function treeEval<S, R>(
  root: MiniscriptNode,
  rootState: S,
  down: (state: S, node: MiniscriptNode, index: number) => S,
  up: (state: S, node: MiniscriptNode, subs: R[]) => R,
): R {
  interface Frame {
    node: MiniscriptNode;
    state: S;
    results: R[];
  }
  const stack: Frame[] = [{ node: root, state: rootState, results: [] }];
  let finished: R | undefined;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const next = frame.results.length;
    if (next < frame.node.subs.length) {
      const child = frame.node.subs[next];
      stack.push({ node: child, state: down(frame.state, frame.node, next), results: [] });
      continue;
    }
    stack.pop();
    const result = up(frame.state, frame.node, frame.results);
    if (stack.length > 0) stack[stack.length - 1].results.push(result);
    else finished = result;
  }
  return finished as R;
}
