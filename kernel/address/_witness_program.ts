// Recognises Freicoin witness programs (`CScript::IsWitnessProgram`, protocol.md §5.6) so that
// scriptPubKeys can be turned back into addresses.

/** The version opcode of each witness version 0..30 (`versionmap` in addresstype.cpp). */
export const WITNESS_VERSION_OPCODES: readonly number[] = Object.freeze([
  0x00, // OP_0
  0x4f, // OP_1NEGATE
  0x51,
  0x52,
  0x53,
  0x54,
  0x55,
  0x56,
  0x57,
  0x58, // OP_1..OP_8
  0x59,
  0x5a,
  0x5b,
  0x5c,
  0x5d,
  0x5e,
  0x5f,
  0x60, // OP_9..OP_16
  0x61, // OP_NOP
  0x74, // OP_DEPTH
  0xab, // OP_CODESEPARATOR
  0xb0,
  0xb1,
  0xb2,
  0xb3,
  0xb4,
  0xb5,
  0xb6,
  0xb7,
  0xb8,
  0xb9, // OP_NOP1..OP_NOP10
]);

const VERSION_OF_OPCODE: ReadonlyMap<number, number> = new Map(
  WITNESS_VERSION_OPCODES.map((opcode, version) => [opcode, version]),
);

/** A parsed witness program: version 0..30 and the first push (2..75 bytes). */
export interface WitnessProgram {
  version: number;
  program: Uint8Array;
}

/**
 * Parses `VER push(2..75) [shard prefix] [extension push(2..75)]`, or returns null.
 * A shard prefix is `0x01 <byte>` (byte >= 0x10 and != 0x80) or a single OP_1NEGATE/OP_1..OP_16.
 */
export function parseWitnessProgram(script: Uint8Array): WitnessProgram | null {
  if (script.length < 4 || script.length > 155) return null;
  const pushLength = script[1];
  if (pushLength < 2 || pushLength > 75) return null;
  let pos = 2 + pushLength;
  if (pos > script.length) return null;
  if (pos < script.length) {
    const op = script[pos];
    if (op === 0x01) {
      pos++;
      // The reference reads one byte past the end here; a missing shard byte is not a program.
      if (pos >= script.length || script[pos] < 0x10 || script[pos] === 0x80) return null;
      pos++;
    } else if (op === 0x4f || (op >= 0x51 && op <= 0x60)) {
      pos++;
    }
    if (pos !== script.length) {
      const extension = script[pos];
      if (extension < 2 || extension > 75) return null;
      if (pos + 1 + extension !== script.length) return null;
    }
  }
  const version = VERSION_OF_OPCODE.get(script[0]);
  if (version === undefined) return null;
  return { version, program: script.slice(2, 2 + pushLength) };
}
