/**
 * The keyPathSpending part of bip341_wallet_vectors.json, read like
 * `bip341_keypath_test_vectors` in src/test/script_tests.cpp: the dormant
 * taproot-style sighash (lock_height after nLockTime, refheight with each
 * amount, OP_1NEGATE as version 1), its intermediate hashes, the tweak, and
 * the BIP340 signature made with zero auxiliary randomness, on every backend.
 */
import assert from "node:assert/strict";
import { ByteReader } from "../../kernel/encoding/byte_reader.ts";
import { bytesToHex, hexToBytes } from "../../kernel/encoding/hex.ts";
import { concatBytes } from "../../kernel/encoding/bytes.ts";
import { taggedHash } from "../../kernel/hash/mod.ts";
import { Transaction } from "../../kernel/primitives/transaction.ts";
import { TxOut } from "../../kernel/primitives/tx_out.ts";
import {
  PrecomputedTransactionData,
  signatureHashTaproot,
  type SpentOutput,
  taprootSigMsg,
} from "../../kernel/script/mod.ts";
import { readVectorJson, secpBackends } from "./_harness.ts";

interface InputSpending {
  given: {
    txinIndex: number;
    internalPrivkey: string;
    merkleRoot: string | null;
    hashType: number;
  };
  intermediary: { internalPubkey: string; tweak: string; sigMsg: string; sigHash: string };
  expected: { witness: string[] };
}

interface KeyPathVector {
  given: {
    rawUnsignedTx: string;
    utxosSpent: { scriptPubKey: string; amountSats: number; refheight: number }[];
  };
  intermediary: Record<string, string>;
  inputSpending: InputSpending[];
}

const vectors =
  (readVectorJson("bip341_wallet_vectors.json") as { keyPathSpending: KeyPathVector[] })
    .keyPathSpending;

for (const secp of secpBackends()) {
  Deno.test(`bip341_wallet_vectors.json keyPathSpending [${secp.backend}]`, async (t) => {
    let passed = 0;
    for (const [vi, vector] of vectors.entries()) {
      const tx = Transaction.read(new ByteReader(hexToBytes(vector.given.rawUnsignedTx)));
      const spent: SpentOutput[] = vector.given.utxosSpent.map((u) => ({
        output: new TxOut(BigInt(u.amountSats), hexToBytes(u.scriptPubKey)),
        refheight: u.refheight,
      }));
      const cache = new PrecomputedTransactionData(tx, spent);
      await t.step(`#${vi} intermediary hashes`, () => {
        assert.equal(bytesToHex(cache.spentAmountsSingleHash), vector.intermediary.hashAmounts);
        assert.equal(bytesToHex(cache.outputsSingleHash), vector.intermediary.hashOutputs);
        assert.equal(bytesToHex(cache.prevoutsSingleHash), vector.intermediary.hashPrevouts);
        assert.equal(
          bytesToHex(cache.spentScriptsSingleHash),
          vector.intermediary.hashScriptPubkeys,
        );
        assert.equal(bytesToHex(cache.sequencesSingleHash), vector.intermediary.hashSequences);
        passed++;
      });
      for (const [ii, input] of vector.inputSpending.entries()) {
        await t.step(
          `#${vi}.${ii} input ${input.given.txinIndex} hashType ${input.given.hashType}`,
          () => {
            const { txinIndex, hashType } = input.given;
            const privkey = hexToBytes(input.given.internalPrivkey);
            const internal = secp.xOnlyPublicKey(privkey);
            assert.equal(bytesToHex(internal), input.intermediary.internalPubkey);
            const root = input.given.merkleRoot === null
              ? new Uint8Array(0)
              : hexToBytes(input.given.merkleRoot);
            const tweak = taggedHash("TapTweak", concatBytes(internal, root));
            assert.equal(bytesToHex(tweak), input.intermediary.tweak);
            const message = taprootSigMsg(tx, txinIndex, hashType, cache);
            assert.ok(message !== null);
            assert.equal(bytesToHex(message), input.intermediary.sigMsg);
            const sighash = signatureHashTaproot(tx, txinIndex, hashType, cache)!;
            assert.equal(bytesToHex(sighash), input.intermediary.sigHash);
            const signature = secp.signSchnorr(sighash, privkey, new Uint8Array(32), tweak);
            const witness = hashType === 0
              ? signature
              : concatBytes(signature, Uint8Array.of(hashType));
            assert.equal(bytesToHex(witness), input.expected.witness[0]);
            passed++;
          },
        );
      }
    }
    // deno-lint-ignore no-console -- the brief asks the vector tests to report their counts
    console.log(`bip341 keyPathSpending [${secp.backend}]: ${passed} passed, 0 failed`);
  });
}
