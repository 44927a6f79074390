/**
 * Script byte-level helpers: decoding one operation (`GetScriptOp`), pushes,
 * and the structural predicates of `CScript` (push-only, P2SH, Freicoin's
 * witness-program rule, unspendable).
 */
import { Op } from "./opcodes.ts";

/** One decoded operation: its opcode, pushed data (for pushes) and where it ends. */
export interface ScriptOp {
  opcode: number;
  /** Pushed bytes for opcodes 0x00..0x4e, otherwise null. */
  data: Uint8Array | null;
  /** Offset just past this operation. */
  end: number;
}

/**
 * Decodes the operation at `pos` (`GetScriptOp`). Returns null for a push
 * that runs past the end of the script (the interpreter's BAD_OPCODE).
 */
export function readOp(script: Uint8Array, pos: number): ScriptOp | null {
  if (pos >= script.length) return null;
  const opcode = script[pos++];
  if (opcode > Op.OP_PUSHDATA4) return { opcode, data: null, end: pos };
  let size: number;
  if (opcode < Op.OP_PUSHDATA1) {
    size = opcode;
  } else if (opcode === Op.OP_PUSHDATA1) {
    if (script.length - pos < 1) return null;
    size = script[pos];
    pos += 1;
  } else if (opcode === Op.OP_PUSHDATA2) {
    if (script.length - pos < 2) return null;
    size = script[pos] | (script[pos + 1] << 8);
    pos += 2;
  } else {
    if (script.length - pos < 4) return null;
    size = (script[pos] | (script[pos + 1] << 8) | (script[pos + 2] << 16)) +
      script[pos + 3] * 0x1000000;
    pos += 4;
  }
  if (script.length - pos < size) return null;
  // An empty push (OP_0 above all) shares one empty array: nothing can be written into it.
  const data = size === 0 ? EMPTY : script.subarray(pos, pos + size);
  return { opcode, data, end: pos + size };
}

const EMPTY = new Uint8Array(0);

/**
 * Where the operation at `pos` ends, as {@link readOp}'s `end`, or -1 where
 * readOp returns null (at the end, or a push running past it). Allocates
 * nothing: for scans that only need operation boundaries.
 */
export function opEnd(script: Uint8Array, pos: number): number {
  if (pos >= script.length) return -1;
  const opcode = script[pos++];
  if (opcode > Op.OP_PUSHDATA4) return pos;
  let size: number;
  if (opcode < Op.OP_PUSHDATA1) {
    size = opcode;
  } else if (opcode === Op.OP_PUSHDATA1) {
    if (script.length - pos < 1) return -1;
    size = script[pos];
    pos += 1;
  } else if (opcode === Op.OP_PUSHDATA2) {
    if (script.length - pos < 2) return -1;
    size = script[pos] | (script[pos + 1] << 8);
    pos += 2;
  } else {
    if (script.length - pos < 4) return -1;
    size = (script[pos] | (script[pos + 1] << 8) | (script[pos + 2] << 16)) +
      script[pos + 3] * 0x1000000;
    pos += 4;
  }
  return script.length - pos < size ? -1 : pos + size;
}

/** Iterates the operations of a script; stops after a malformed push (yielding null). */
export function* scriptOps(script: Uint8Array): Generator<ScriptOp | null> {
  let pos = 0;
  while (pos < script.length) {
    const op = readOp(script, pos);
    yield op;
    if (op === null) return;
    pos = op.end;
  }
}

/** Serializes a data push with the smallest push opcode (`CScript << vector`). */
export function pushData(data: Uint8Array): Uint8Array {
  const len = data.length;
  let header: number[];
  if (len < Op.OP_PUSHDATA1) header = [len];
  else if (len <= 0xff) header = [Op.OP_PUSHDATA1, len];
  else if (len <= 0xffff) header = [Op.OP_PUSHDATA2, len & 0xff, len >> 8];
  else header = [Op.OP_PUSHDATA4, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, len >>> 24];
  const out = new Uint8Array(header.length + len);
  out.set(header);
  out.set(data, header.length);
  return out;
}

/** `CheckMinimalPush`: whether `data` was pushed with the smallest possible opcode. */
export function isMinimalPush(data: Uint8Array, opcode: number): boolean {
  const len = data.length;
  if (len === 0) return opcode === Op.OP_0;
  if (len === 1 && data[0] >= 1 && data[0] <= 16) return false; // should be OP_1..OP_16
  if (len === 1 && data[0] === 0x81) return false; // should be OP_1NEGATE
  if (len <= 75) return opcode === len;
  if (len <= 255) return opcode === Op.OP_PUSHDATA1;
  if (len <= 65535) return opcode === Op.OP_PUSHDATA2;
  return true;
}

/** `IsPushOnly`: every operation is a push or OP_1NEGATE..OP_16 (OP_RESERVED counts as push). */
export function isPushOnly(script: Uint8Array): boolean {
  for (const op of scriptOps(script)) {
    if (op === null || op.opcode > Op.OP_16) return false;
  }
  return true;
}

/** `IsPayToScriptHash`: OP_HASH160 <20 bytes> OP_EQUAL. */
export function isPayToScriptHash(script: Uint8Array): boolean {
  return script.length === 23 && script[0] === Op.OP_HASH160 && script[1] === 0x14 &&
    script[22] === Op.OP_EQUAL;
}

/** `IsUnspendable`: starts with OP_RETURN or is longer than MAX_SCRIPT_SIZE. */
export function isUnspendable(script: Uint8Array): boolean {
  return (script.length > 0 && script[0] === Op.OP_RETURN) || script.length > MAX_SCRIPT_SIZE;
}

/** A witness program: version 0..30 and the first push (2..75 bytes). */
export interface WitnessProgram {
  version: number;
  program: Uint8Array;
}

/**
 * Freicoin's `CScript::IsWitnessProgram` (protocol.md §5.6): 4..155 bytes,
 * version opcode, a 2..75-byte push, an optional shard prefix and an optional
 * 2..75-byte extension push that must end the script. A shard prefix `0x01`
 * at the very end (which the C++ reads past) is not a witness program.
 *
 * @example
 * ```ts
 * import { witnessProgram } from "./script.ts";
 * import { hexToBytes } from "../encoding/hex.ts";
 * console.assert(witnessProgram(hexToBytes("4f020102"))?.version === 1);
 * ```
 */
export function witnessProgram(script: Uint8Array): WitnessProgram | null {
  const version = witnessProgramVersion(script);
  if (version < 0) return null;
  return { version, program: script.slice(2, 2 + script[1]) };
}

/**
 * The version of the witness program `script` is (see {@link witnessProgram}),
 * or -1 when it is none; the program is `script[2..2+script[1])`. Allocates
 * nothing, for the validation path.
 */
export function witnessProgramVersion(script: Uint8Array): number {
  const size = script.length;
  if (size < 4 || size > 155) return -1;
  if (script[1] < 2 || script[1] > 75) return -1;
  let pos = 2 + script[1];
  if (pos > size) return -1;
  if (pos < size) {
    const marker = script[pos];
    if (marker === 0x01) {
      pos++;
      if (pos >= size) return -1;
      if (script[pos] < 0x10 || script[pos] === 0x80) return -1;
      pos++;
    } else if (marker === Op.OP_1NEGATE || (marker >= Op.OP_1 && marker <= Op.OP_16)) {
      pos++;
    }
    if (pos !== size) {
      if (script[pos] < 2 || script[pos] > 75) return -1;
      if (pos + 1 + script[pos] !== size) return -1;
    }
  }
  return witnessVersionOfOpcode(script[0]);
}

/** The witness version a leading opcode encodes (§5.6 table), or -1. */
export function witnessVersionOfOpcode(opcode: number): number {
  if (opcode === Op.OP_0) return 0;
  if (opcode === Op.OP_1NEGATE) return 1;
  if (opcode >= Op.OP_1 && opcode <= Op.OP_16) return 2 + opcode - Op.OP_1;
  if (opcode === Op.OP_NOP) return 18;
  if (opcode === Op.OP_DEPTH) return 19;
  if (opcode === Op.OP_CODESEPARATOR) return 20;
  if (opcode >= Op.OP_NOP1 && opcode <= Op.OP_NOP10) return 21 + opcode - Op.OP_NOP1;
  return -1;
}

/** The leading opcode of a witness program of `version` (0..30). */
export function opcodeOfWitnessVersion(version: number): number {
  if (!Number.isInteger(version) || version < 0 || version > 30) {
    throw new RangeError("witness version must be 0..30");
  }
  if (version === 0) return Op.OP_0;
  if (version === 1) return Op.OP_1NEGATE;
  if (version <= 17) return Op.OP_1 + version - 2;
  if (version === 18) return Op.OP_NOP;
  if (version === 19) return Op.OP_DEPTH;
  if (version === 20) return Op.OP_CODESEPARATOR;
  return Op.OP_NOP1 + version - 21;
}

/** Consensus script limits (`src/script/script.h`). */
export const MAX_SCRIPT_ELEMENT_SIZE = 520;
export const MAX_OPS_PER_SCRIPT = 201;
export const MAX_PUBKEYS_PER_MULTISIG = 20;
export const MAX_SCRIPT_SIZE = 10000;
export const MAX_STACK_SIZE = 1000;
export const MAX_WITNESS_STACK_SIZE = 0x7fff;
export const LOCKTIME_THRESHOLD = 500000000;

/**
 * `FindAndDelete`: removes every occurrence of `pattern` that starts at an
 * opcode boundary. Returns the new script and the number of removals.
 */
export function findAndDelete(
  script: Uint8Array,
  pattern: Uint8Array,
): { script: Uint8Array; found: number } {
  if (pattern.length === 0) return { script, found: 0 };
  return findAndDeleteMatches(script, pattern.length, (at) => matchesAt(script, at, pattern));
}

/**
 * `FindAndDelete(script, CScript() << data)`, as CHECKSIG and CHECKMULTISIG
 * apply it to each signature in legacy scripts: the same result as
 * `findAndDelete(script, pushData(data))`, without building the push.
 */
export function findAndDeletePush(
  script: Uint8Array,
  data: Uint8Array,
): { script: Uint8Array; found: number } {
  const header = pushHeaderLength(data.length);
  const length = data.length;
  const first = length < Op.OP_PUSHDATA1
    ? length
    : length <= 0xff
    ? Op.OP_PUSHDATA1
    : length <= 0xffff
    ? Op.OP_PUSHDATA2
    : Op.OP_PUSHDATA4;
  const matches = (at: number): boolean => {
    if (script[at] !== first) return false;
    // The size bytes after a PUSHDATA opcode, little-endian.
    for (let i = 1; i < header; i++) {
      if (script[at + i] !== ((length / 2 ** (8 * (i - 1))) & 0xff)) return false;
    }
    const from = at + header;
    for (let i = 0; i < length; i++) if (script[from + i] !== data[i]) return false;
    return true;
  };
  return findAndDeleteMatches(script, header + length, matches);
}

/** Bytes of opcode and size before `length` pushed bytes in a minimal push. */
function pushHeaderLength(length: number): number {
  if (length < Op.OP_PUSHDATA1) return 1;
  if (length <= 0xff) return 2;
  if (length <= 0xffff) return 3;
  return 5;
}

/**
 * The FindAndDelete scan: removes every `patternLength`-byte stretch starting
 * at an opcode boundary for which `matches` holds.
 */
function findAndDeleteMatches(
  script: Uint8Array,
  patternLength: number,
  matches: (at: number) => boolean,
): { script: Uint8Array; found: number } {
  // Start offsets of the removed stretches: nothing is allocated unless the pattern occurs.
  let removed: number[] | null = null;
  let pc = 0;
  while (pc >= 0) {
    while (script.length - pc >= patternLength && matches(pc)) {
      (removed ??= []).push(pc);
      pc += patternLength;
    }
    pc = opEnd(script, pc);
  }
  if (removed === null) return { script, found: 0 };
  // Everything else is kept, including bytes after a malformed push.
  const out = new Uint8Array(script.length - removed.length * patternLength);
  let from = 0;
  let at = 0;
  for (const start of removed) {
    out.set(script.subarray(from, start), at);
    at += start - from;
    from = start + patternLength;
  }
  out.set(script.subarray(from), at);
  return { script: out, found: removed.length };
}

function matchesAt(script: Uint8Array, at: number, pattern: Uint8Array): boolean {
  for (let i = 0; i < pattern.length; i++) if (script[at + i] !== pattern[i]) return false;
  return true;
}
