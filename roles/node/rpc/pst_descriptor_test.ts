import assert from "node:assert/strict";
import { decodeHexPst, encodeHexPst, pstFromTransaction } from "../../../common/pst/mod.ts";
import { parseDescriptor } from "../../../kernel/descriptor/mod.ts";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { encodeSecret } from "../../../kernel/keys/mod.ts";
import {
  decodeTransaction,
  OutPoint,
  Transaction,
  TxIn,
  TxOut,
} from "../../../kernel/primitives/mod.ts";
import {
  STANDARD_SCRIPT_VERIFY_FLAGS,
  TransactionSignatureChecker,
  verifyScript,
} from "../../../kernel/script/mod.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/mod.ts";
import { TestNode } from "./_test_support.ts";

const secp = createPureSecp256k1();

Deno.test("descriptorprocesspst signs with a descriptor's key; utxoupdatepst only describes", async () => {
  await using node = await TestNode.open();
  const prefixes = node.context.params.prefixes;
  const wif = encodeSecret({ secret: new Uint8Array(32).fill(7), compressed: true }, prefixes);
  const descriptor = parseDescriptor(`wpk(${wif})`, { prefixes, secp });
  const script = descriptor.expandWithSigningData(0)!.scripts[0];
  const prev = new Transaction({
    version: 2,
    inputs: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(1), 0) })],
    outputs: [new TxOut(50_000_000n, script)],
    lockTime: 0,
    lockHeight: 10,
  });
  const spend = new Transaction({
    version: 2,
    inputs: [new TxIn({ prevout: new OutPoint(prev.txid, 0), sequence: 0xfffffffd })],
    outputs: [new TxOut(49_000_000n, script)],
    lockTime: 0,
    lockHeight: 12,
  });
  const pst = pstFromTransaction(spend);
  pst.inputs[0].nonWitnessUtxo = prev;
  const hex = encodeHexPst(pst);

  const updated = decodeHexPst(await node.call("utxoupdatepst", [hex, [`wpk(${wif})`]]) as string);
  assert.equal(updated.inputs[0].finalScriptWitness, undefined);
  assert.equal(updated.inputs[0].witnessEntry?.script.length, 36);
  assert.equal(updated.outputs[0].witnessEntry?.script.length, 36);

  const answer = await node.call("descriptorprocesspst", [hex, [`wpk(${wif})`]]) as {
    complete: boolean;
    hex: string;
  };
  assert.equal(answer.complete, true);
  const signed = decodeTransaction(hexToBytes(answer.hex));
  const checker = new TransactionSignatureChecker(secp, signed, 0, 50_000_000n, 10);
  const verdict = verifyScript(
    signed.inputs[0].scriptSig,
    script,
    signed.inputs[0].witness,
    STANDARD_SCRIPT_VERIFY_FLAGS,
    checker,
  );
  assert.equal(verdict.ok, true);
  assert.deepEqual(await node.answer(["descriptorprocesspst", hex, ["nope()"]]), {
    __error__: { code: -5, message: "'nope()' is not a valid descriptor function" },
  });
});
