import assert from "node:assert/strict";
import { OutPoint } from "../primitives/outpoint.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import {
  decodeMerkleProof,
  disassemble,
  evalScript,
  getSigOpCount,
  NULL_SIGNATURE_CHECKER,
  readOp,
  signatureHash,
  solveScript,
  verifyScript,
  witnessProgram,
} from "./mod.ts";

function random(seed: number): (n: number) => number {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/** Random bytes biased towards opcodes that matter (pushes, IF/ELSE, sig ops, numbers). */
function randomScript(next: (n: number) => number, maxLength: number): Uint8Array {
  const interesting = [
    0x00,
    0x01,
    0x4c,
    0x4d,
    0x4e,
    0x4f,
    0x51,
    0x60,
    0x63,
    0x64,
    0x67,
    0x68,
    0x69,
    0x6a,
    0x76,
    0x79,
    0x7a,
    0x87,
    0x93,
    0xa9,
    0xab,
    0xac,
    0xae,
    0xb1,
    0xb2,
    0xb3,
    0xba,
    0xff,
  ];
  return Uint8Array.from(
    { length: next(maxLength) },
    () => next(3) === 0 ? interesting[next(interesting.length)] : next(256),
  );
}

const tx = new Transaction({
  version: 2,
  inputs: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(7), 1), sequence: 5 })],
  outputs: [new TxOut(1000n, Uint8Array.of(0x51))],
  lockTime: 10,
  lockHeight: 3,
});

Deno.test("script parsing, disassembly and classification never throw on random bytes", () => {
  const next = random(0x5c1);
  for (let i = 0; i < 20000; i++) {
    const script = randomScript(next, 120);
    let pos = 0;
    let ops = 0;
    while (pos < script.length) {
      const op = readOp(script, pos);
      if (op === null) break;
      assert.ok(op.end > pos && op.end <= script.length);
      pos = op.end;
      ops++;
    }
    const asm = disassemble(script, next(2) === 0);
    if (pos === script.length) assert.equal(asm === "" ? 0 : asm.split(" ").length, ops);
    else assert.ok(asm.endsWith("[error]"));
    witnessProgram(script);
    solveScript(script);
    getSigOpCount(script, true);
    signatureHash(script, tx, 0, next(0x200), 1000n, 2, next(2) ? "BASE" : "WITNESS_V0");
  }
});

Deno.test("the interpreter returns a result (never throws) for random scripts and flags", () => {
  const next = random(0xe7a1);
  for (let i = 0; i < 20000; i++) {
    const script = randomScript(next, 60);
    const flags = next(1 << 21) | (next(2) ? 1 << 29 : 0);
    const stack = [randomScript(next, 6), randomScript(next, 3)];
    const result = evalScript(
      stack,
      script,
      flags,
      NULL_SIGNATURE_CHECKER,
      next(2) ? "BASE" : "WITNESS_V0",
    );
    assert.equal(result.ok, result.error === "OK");
    const witness = next(2) ? [] : [randomScript(next, 10), randomScript(next, 40)];
    verifyScript(
      randomScript(next, 20),
      script,
      witness,
      flags | 1 | (1 << 11),
      NULL_SIGNATURE_CHECKER,
    );
  }
});

Deno.test("MerkleProof decoding never throws and rejects trailing bytes", () => {
  const next = random(0x3e4c1e);
  for (let i = 0; i < 20000; i++) {
    const bytes = randomScript(next, 80);
    const proof = decodeMerkleProof(bytes);
    if (proof !== null) assert.equal(decodeMerkleProof(Uint8Array.of(...bytes, 0)), null);
  }
});

Deno.test("parseAsm either parses random text or throws ScriptParseError", async () => {
  const { parseAsm, ScriptParseError } = await import("./mod.ts");
  const next = random(0xa53);
  const words = [
    "0",
    "-1",
    "16",
    "17",
    "4294967295",
    "4294967296",
    "-4294967295",
    "0x",
    "0x0",
    "0xzz",
    "0x4c01ff",
    "'x'",
    "'",
    "''",
    "DUP",
    "OP_DUP",
    "OP_0",
    "NOP2",
    "CHECKLOCKTIMEVERIFY",
    "RESERVED",
    "OP_UNKNOWN",
    "-",
    "00012",
    "1e3",
    "\t",
    "",
  ];
  for (let i = 0; i < 5000; i++) {
    const text = Array.from({ length: next(8) }, () => words[next(words.length)]).join(
      next(2) ? " " : "\t",
    );
    try {
      const script = parseAsm(text);
      assert.ok(script instanceof Uint8Array);
    } catch (e) {
      assert.ok(e instanceof ScriptParseError, `unexpected ${e}`);
    }
  }
});
