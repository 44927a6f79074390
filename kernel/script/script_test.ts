import assert from "node:assert/strict";
import { bytesToHex, hashToHex, hexToBytes } from "../encoding/hex.ts";
import { decodeTransaction, Transaction } from "../primitives/transaction.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { createPureSecp256k1 } from "../secp256k1/mod.ts";
import {
  disassemble,
  evalScript,
  getP2shSigOpCount,
  getSigOpCount,
  NULL_SIGNATURE_CHECKER,
  parseAsm,
  PrecomputedTransactionData,
  signatureHash,
  solveScript,
  TransactionSignatureChecker,
  VerifyFlags as F,
  verifyScript,
  witnessProgram,
} from "./mod.ts";
import { findAndDelete, findAndDeletePush, opEnd, pushData, readOp } from "./script.ts";

const vectors = JSON.parse(
  Deno.readTextFileSync(
    new URL("../../../shared/vectors/freicoin-protocol-vectors.json", import.meta.url),
  ),
);

Deno.test("parseAsm reads numbers, raw hex, quoted strings and opcode names", () => {
  assert.equal(bytesToHex(parseAsm("0 -1 1 16 17 -2 1000")), "004f5160011101820" + "2e803");
  assert.equal(
    bytesToHex(parseAsm("0x4c 0x01 0x07 'ab' DUP OP_HASH160 NOP10")),
    "4c0107026162" + "76a9b9",
  );
  assert.throws(() => parseAsm("OP_FOO"), /unknown opcode/);
  assert.throws(() => parseAsm("4294967296"), /range/);
  assert.throws(() => parseAsm("CHECKSIGADD"), /unknown opcode/); // above MAX_OPCODE, like the reference
});

Deno.test("disassemble prints asm like decodescript, decoding sighash types only on request", () => {
  const p2pkh = hexToBytes("76a914" + "11".repeat(20) + "88ac");
  assert.equal(
    disassemble(p2pkh),
    `OP_DUP OP_HASH160 ${"11".repeat(20)} OP_EQUALVERIFY OP_CHECKSIG`,
  );
  assert.equal(disassemble(hexToBytes("00514f0181")), "0 1 -1 -1");
  assert.equal(
    disassemble(hexToBytes("b3ba ff50".replace(" ", ""))),
    "OP_MERKLEBRANCHVERIFY OP_CHECKSIGADD OP_INVALIDOPCODE OP_RESERVED",
  );
  assert.equal(disassemble(hexToBytes("bb")), "OP_UNKNOWN");
  assert.equal(disassemble(hexToBytes("0102")), "2");
  assert.equal(disassemble(hexToBytes("51030102")), "1 [error]");
  const sig = vectors.p2wpk_spend_example.signature_rfc6979 as string;
  const scriptSig = hexToBytes((sig.length / 2).toString(16) + sig);
  assert.equal(disassemble(scriptSig, true), `${sig.slice(0, -2)}[ALL]`);
  assert.equal(disassemble(scriptSig, false), sig);
});

Deno.test("witnessProgram follows Freicoin's version table and shard/extension suffixes", () => {
  const cases: [string, number | null, string?][] = [
    ["61020102", 18],
    ["4f020102", 1],
    ["51020102", 2],
    ["b3020102", 24],
    ["0002010251", 0, "0102"],
    ["00020102011002aabb", 0, "0102"],
    ["0002010201", null], // truncated shard prefix
    ["a914" + "00".repeat(20) + "87", null], // P2SH
  ];
  for (const [hex, version, program] of cases) {
    const result = witnessProgram(hexToBytes(hex));
    if (version === null) assert.equal(result, null, hex);
    else {
      assert.equal(result?.version, version, hex);
      if (program) assert.equal(bytesToHex(result!.program), program);
    }
  }
});

const P2SH_WITNESS = F.P2SH | F.WITNESS;

/** Signatures never verify; any lock time or sequence is satisfied. */
const LENIENT_CHECKER = {
  ...NULL_SIGNATURE_CHECKER,
  checkLockTime: () => true,
  checkSequence: () => true,
};

function run(scriptSig: string, scriptPubKey: string, witness: string[], flags: number) {
  return verifyScript(
    parseAsm(scriptSig),
    hexToBytes(scriptPubKey),
    witness.map(hexToBytes),
    flags,
    LENIENT_CHECKER,
  );
}

Deno.test("a 25-byte v0 program is anyone-can-spend unless upgrades are discouraged", () => {
  const spk = "0019" + "01".repeat(25);
  assert.equal(run("", spk, [], P2SH_WITNESS).error, "OK");
  assert.equal(
    run("", spk, [], P2SH_WITNESS | F.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM).error,
    "DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM",
  );
});

Deno.test("witness scripts: no clean stack, CLTV pops its argument, legacy CLTV is a NOP", async (t) => {
  // P2WSH (long hash) of `00 ‖ script` with an empty proof: program = SHA256d(00 ‖ script).
  const { sha256d } = await import("../hash/mod.ts");
  const p2wsh = (script: string) => {
    const item = hexToBytes("00" + script);
    return { spk: "0020" + bytesToHex(sha256d(item)), item: bytesToHex(item) };
  };
  await t.step("OP_1 OP_1 leaves two items and passes with CLEANSTACK", () => {
    const { spk, item } = p2wsh("5151");
    assert.equal(run("", spk, [item, ""], P2SH_WITNESS | F.CLEANSTACK).error, "OK");
  });
  await t.step("0 CLTV fails with EVAL_FALSE, 0 CLTV 1 passes", () => {
    const bad = p2wsh("00b1");
    assert.equal(run("", bad.spk, [bad.item, ""], P2SH_WITNESS).error, "EVAL_FALSE");
    const good = p2wsh("00b151");
    assert.equal(run("", good.spk, [good.item, ""], P2SH_WITNESS).error, "OK");
  });
  await t.step("legacy <0x7fffffff> CLTV 1 passes", () => {
    assert.equal(run("", "04ffffff7fb151", [], P2SH_WITNESS).error, "OK");
  });
  await t.step("unknown opcodes return true in witness scripts, BAD_OPCODE in legacy", () => {
    const w = p2wsh("00bb");
    assert.equal(run("", w.spk, [w.item, ""], P2SH_WITNESS).error, "OK");
    assert.equal(
      run("", w.spk, [w.item, ""], P2SH_WITNESS | F.DISCOURAGE_OP_SUCCESS).error,
      "DISCOURAGE_OP_SUCCESS",
    );
    assert.equal(run("", "51bb", [], P2SH_WITNESS).error, "BAD_OPCODE");
    assert.equal(run("", "51bb", [], P2SH_WITNESS | F.PROTOCOL_CLEANUP).error, "OK");
  });
  await t.step("a witness on a non-witness output is unexpected", () => {
    assert.equal(run("", "51", ["00"], P2SH_WITNESS).error, "WITNESS_UNEXPECTED");
  });
});

Deno.test("evalScript reports UNKNOWN_ERROR for a 5-byte arithmetic operand", () => {
  const stack: Uint8Array[] = [];
  const result = evalScript(
    stack,
    hexToBytes("050000000080" + "8b"),
    0,
    NULL_SIGNATURE_CHECKER,
    "BASE",
  );
  assert.equal(result.error, "UNKNOWN_ERROR");
});

Deno.test("the P2WPK spend of the protocol vectors verifies, and fails with refheight + 1", () => {
  const example = vectors.p2wpk_spend_example;
  const tx = decodeTransaction(hexToBytes(example.tx_hex_with_witness));
  assert.equal(tx.txidHex, example.txid);
  const spk = hexToBytes(example.spent_output.scriptPubKey);
  const value = BigInt(example.spent_output.value);
  const digest = signatureHash(
    hexToBytes(example.scriptCode_for_sighash),
    tx,
    0,
    1,
    value,
    example.spent_output.refheight,
    "WITNESS_V0",
  );
  assert.equal(bytesToHex(digest), example.segwit_v0_sighash_ALL_raw);
  assert.equal(hashToHex(digest), example.segwit_v0_sighash_ALL_reversed_display);
  const secp = createPureSecp256k1();
  const flags = F.P2SH | F.WITNESS | F.DERSIG;
  const ok = new TransactionSignatureChecker(secp, tx, 0, value, example.spent_output.refheight);
  assert.equal(
    verifyScript(tx.inputs[0].scriptSig, spk, tx.inputs[0].witness, flags, ok).error,
    "OK",
  );
  const wrong = new TransactionSignatureChecker(
    secp,
    tx,
    0,
    value,
    example.spent_output.refheight + 1,
  );
  assert.equal(
    verifyScript(tx.inputs[0].scriptSig, spk, tx.inputs[0].witness, flags, wrong).error,
    "NULLFAIL",
  );
});

Deno.test("solveScript names output types as freicoind prints them", () => {
  const pk = "02" + "11".repeat(32);
  const cases: [string, string][] = [
    ["76a914" + "00".repeat(20) + "88ac", "pubkeyhash"],
    ["a914" + "00".repeat(20) + "87", "scripthash"],
    ["21" + pk + "ac", "pubkey"],
    ["5121" + pk + "21" + pk + "52ae", "multisig"],
    ["6a", "unspendable"],
    ["6a0101", "nulldata"],
    ["0014" + "00".repeat(20), "witness_v0_shorthash"],
    ["0020" + "00".repeat(32), "witness_v0_longhash"],
    ["4f20" + "00".repeat(32), "witness_unknown"],
    ["0019" + "00".repeat(25), "witness_unknown"],
    ["51", "nonstandard"],
    ["5221" + pk + "51ae", "nonstandard"], // m > n
  ];
  for (const [hex, type] of cases) assert.equal(solveScript(hexToBytes(hex)).type, type, hex);
});

Deno.test("sigop counting: accurate multisig counts, P2SH redeem script counts", () => {
  const multisig = parseAsm(
    "2 0x21 0x" + "02".repeat(33) + " 0x21 0x" + "03".repeat(33) + " 2 CHECKMULTISIG",
  );
  assert.equal(getSigOpCount(multisig, true), 2);
  assert.equal(getSigOpCount(multisig, false), 20);
  assert.equal(getSigOpCount(parseAsm("CHECKSIG CHECKSIGVERIFY 0x02 0x01"), true), 2);
  const p2sh = hexToBytes("a914" + "00".repeat(20) + "87");
  const scriptSig = parseAsm(`0 0x${multisig.length.toString(16)} 0x${bytesToHex(multisig)}`);
  assert.equal(getP2shSigOpCount(p2sh, scriptSig), 2);
  assert.equal(getP2shSigOpCount(p2sh, parseAsm("DUP")), 0);
});

Deno.test("segwit v0 sighashes with shared per-transaction data equal fresh computations", () => {
  const inputs = [0, 1, 2].map((i) =>
    new TxIn({
      prevout: new OutPoint(new Uint8Array(32).fill(i + 1), i),
      sequence: 0xfffffffe - i,
    })
  );
  const outputs = [new TxOut(5000n, Uint8Array.of(0x51)), new TxOut(7n, new Uint8Array(40))];
  const tx = new Transaction({ version: 2, inputs, outputs, lockTime: 9, lockHeight: 77 });
  const shared = new PrecomputedTransactionData(tx);
  const scriptCodes = [Uint8Array.of(0x51), new Uint8Array(300).fill(0x61), new Uint8Array(1100)];
  for (const hashType of [1, 2, 3, 0x81, 0x82, 0x83, 0x101, 0x181]) {
    for (let i = 0; i < inputs.length; i++) {
      for (const code of scriptCodes) {
        const viaShared = signatureHash(code, tx, i, hashType, 123n, 4, "WITNESS_V0", shared);
        const fresh = signatureHash(code, tx, i, hashType, 123n, 4, "WITNESS_V0");
        assert.deepEqual(viaShared, fresh, `hashType ${hashType} input ${i} code ${code.length}`);
      }
    }
  }
});

Deno.test("findAndDeletePush removes the same pushes as findAndDelete of pushData", () => {
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  for (const size of [0, 1, 72, 75, 76, 255, 256, 520]) {
    const data = Uint8Array.from({ length: size }, () => random(256));
    const push = pushData(data);
    for (let round = 0; round < 40; round++) {
      // Random operations, copies of the push, and sometimes a truncated push at the end.
      const parts: Uint8Array[] = [];
      for (let k = random(6); k >= 0; k--) {
        const choice = random(4);
        if (choice === 0) parts.push(push);
        else if (choice === 1) parts.push(Uint8Array.of(random(256)));
        else if (choice === 2) parts.push(pushData(data.subarray(0, random(size + 1))));
        else parts.push(Uint8Array.of(0xab));
      }
      if (random(5) === 0) parts.push(push.subarray(0, random(push.length)));
      const script = Uint8Array.from(parts.flatMap((part) => [...part]));
      const expected = findAndDelete(script, push);
      const actual = findAndDeletePush(script, data);
      assert.equal(actual.found, expected.found, `size ${size} round ${round}`);
      assert.deepEqual(actual.script, expected.script, `size ${size} round ${round}`);
    }
  }
});

Deno.test("opEnd agrees with readOp on every offset of random scripts", () => {
  let seed = 11;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  for (let round = 0; round < 200; round++) {
    const script = Uint8Array.from({ length: random(40) }, () => random(256));
    for (let pos = 0; pos <= script.length; pos++) {
      assert.equal(opEnd(script, pos), readOp(script, pos)?.end ?? -1, `round ${round} ${pos}`);
    }
  }
});

Deno.test("getSigOpCount counts the opcodes readOp decodes, stopping at a malformed push", () => {
  let seed = 5;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const interesting = [0xac, 0xad, 0xae, 0xaf, 0x52, 0x60, 0x4c, 0x4d, 0x01, 0x05];
  for (let round = 0; round < 300; round++) {
    const script = Uint8Array.from(
      { length: random(30) },
      () => random(2) === 0 ? interesting[random(interesting.length)] : random(256),
    );
    for (const accurate of [false, true]) {
      let expected = 0;
      let last = 0xff;
      for (let pos = 0; pos < script.length;) {
        const op = readOp(script, pos);
        if (op === null) break;
        if (op.opcode === 0xac || op.opcode === 0xad) expected++;
        if (op.opcode === 0xae || op.opcode === 0xaf) {
          expected += accurate && last >= 0x51 && last <= 0x60 ? last - 0x50 : 20;
        }
        last = op.opcode;
        pos = op.end;
      }
      assert.equal(getSigOpCount(script, accurate), expected, `round ${round}`);
    }
  }
});
