/**
 * Script text forms: `parseAsm` reads the reference test-vector syntax
 * (`ParseScript` in `src/core_read.cpp`) and `disassemble` prints the
 * `asm` field of decodescript/getrawtransaction (`ScriptToAsmStr`).
 */
import { bytesToHex, hexToBytes, isHex } from "../encoding/hex.ts";
import { getOpName, MAX_OPCODE, Op } from "./opcodes.ts";
import { isUnspendable, pushData, readOp } from "./script.ts";
import { decodeScriptNum, encodeScriptNum } from "./script_num.ts";
import { hasValidSignatureEncoding } from "./signature_encoding.ts";

/** Thrown by {@link parseAsm} for text it cannot read. */
export class ScriptParseError extends Error {
  override name = "ScriptParseError";
}

let opcodesByName: Map<string, number> | null = null;

function opcodeByName(word: string): number | undefined {
  if (opcodesByName === null) {
    opcodesByName = new Map();
    for (let op = 0; op <= MAX_OPCODE; op++) {
      // Like OpCodeParser: names from OP_NOP up, plus OP_RESERVED; "ADD" works as well as "OP_ADD".
      if (op < Op.OP_NOP && op !== Op.OP_RESERVED) continue;
      const name = getOpName(op);
      if (name === "OP_UNKNOWN") continue;
      opcodesByName.set(name, op);
      if (name.startsWith("OP_")) opcodesByName.set(name.slice(3), op);
    }
  }
  return opcodesByName.get(word);
}

/** `CScript << int64`: OP_N for -1 and 1..16, OP_0 for 0, otherwise a minimal number push. */
export function pushInt(n: number): Uint8Array {
  if (n === -1 || (n >= 1 && n <= 16)) return Uint8Array.of(n + (Op.OP_1 - 1));
  if (n === 0) return Uint8Array.of(Op.OP_0);
  return pushData(encodeScriptNum(n));
}

/**
 * Parses the space-separated script syntax of the reference test vectors:
 * decimal numbers (pushed as script numbers), `0x…` raw bytes (inserted
 * verbatim), `'text'` (pushed as data) and opcode names with or without `OP_`.
 *
 * @example
 * ```ts
 * import { parseAsm } from "./asm.ts";
 * console.assert(parseAsm("0 1 DUP 0x02 0xabcd").length === 6);
 * ```
 */
export function parseAsm(text: string): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const word of text.split(/[ \t\n]/)) {
    if (word === "") continue;
    if (/^-?[0-9]+$/.test(word) && word !== "-") {
      const n = Number(word);
      if (!Number.isSafeInteger(n) || n > 0xffffffff || n < -0xffffffff) {
        throw new ScriptParseError(
          "script parse error: decimal numeric value only allowed in the range -0xFFFFFFFF...0xFFFFFFFF",
        );
      }
      parts.push(pushInt(n));
    } else if (word.startsWith("0x") && word.length > 2 && isHex(word.slice(2))) {
      parts.push(hexToBytes(word.slice(2)));
    } else if (word.length >= 2 && word.startsWith("'") && word.endsWith("'")) {
      parts.push(pushData(new TextEncoder().encode(word.slice(1, -1))));
    } else {
      const op = opcodeByName(word);
      if (op === undefined) throw new ScriptParseError("script parse error: unknown opcode");
      parts.push(Uint8Array.of(op));
    }
  }
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const SIGHASH_NAMES = new Map<number, string>([
  [0x01, "ALL"],
  [0x81, "ALL|ANYONECANPAY"],
  [0x02, "NONE"],
  [0x82, "NONE|ANYONECANPAY"],
  [0x03, "SINGLE"],
  [0x83, "SINGLE|ANYONECANPAY"],
]);

/**
 * The `asm` text of a script (`ScriptToAsmStr`). Pushes of up to 4 bytes print
 * as numbers, longer ones as hex; with `attemptSighashDecode` (scriptSigs and
 * witnesses) a push that is a strictly encoded signature prints as
 * `hex[ALL]` etc. A malformed push ends the text with `[error]`.
 *
 * @example
 * ```ts
 * import { disassemble } from "./asm.ts";
 * import { hexToBytes } from "../encoding/hex.ts";
 * console.assert(disassemble(hexToBytes("0051b1")) === "0 1 OP_CHECKLOCKTIMEVERIFY");
 * ```
 */
export function disassemble(script: Uint8Array, attemptSighashDecode = false): string {
  const words: string[] = [];
  let pos = 0;
  while (pos < script.length) {
    const op = readOp(script, pos);
    if (op === null) {
      words.push("[error]");
      break;
    }
    pos = op.end;
    if (op.data === null) {
      words.push(getOpName(op.opcode));
    } else if (op.data.length <= 4) {
      words.push(String(decodeScriptNum(op.data, false)));
    } else if (attemptSighashDecode && !isUnspendable(script)) {
      words.push(decodeSignaturePush(op.data));
    } else {
      words.push(bytesToHex(op.data));
    }
  }
  return words.join(" ");
}

function decodeSignaturePush(data: Uint8Array): string {
  if (hasValidSignatureEncoding(data)) {
    const name = SIGHASH_NAMES.get(data[data.length - 1]);
    if (name !== undefined) return `${bytesToHex(data.subarray(0, data.length - 1))}[${name}]`;
  }
  return bytesToHex(data);
}
