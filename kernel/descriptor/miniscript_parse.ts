// Parsing the text form of a miniscript (`miniscript::FromString`) into nodes.
import { hexToBytes } from "../encoding/mod.ts";
import { MAX_PUBKEYS_PER_MULTISIG } from "../script/mod.ts";
import { type Fragment, hasAll, mst } from "./_miniscript_type.ts";
import {
  makeNode,
  MAX_STANDARD_P2WSH_SCRIPT_SIZE,
  type MiniscriptNode,
} from "./_miniscript_node.ts";

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
