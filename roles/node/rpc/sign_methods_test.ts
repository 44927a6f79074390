import assert from "node:assert/strict";
import { decodeTransaction, TxOut } from "../../../kernel/primitives/mod.ts";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import {
  STANDARD_SCRIPT_VERIFY_FLAGS,
  TransactionSignatureChecker,
  verifyScript,
} from "../../../kernel/script/mod.ts";
import { testSecp256k1 } from "../chain/_test_support.ts";
import { rpcSamples, TestNode } from "./_test_support.ts";

const BLOCK1_COINBASE = "c3742dfa696b1c853afd45b6a31a2cee5f5ef6ead302ed205ec8d46b4b2c37f3";

const KEY = "cVpF924EspNh8KjYsfhgY96mmxvT6DgdWiTYMtMjuM74hJaU5psW";
const PUBKEY = "0227d85ba011276cf25b51df6a188b75e604b38770a462b2d0e9fb2fc839ef5d3f";
/** The key's P2WPK output and witness script (inner version 0, `<pubkey> OP_CHECKSIG`). */
const P2WPK_SCRIPT = "00140b8a7e6f9b13e158ae0415ebb4e29f6d0bd57149";
const P2WPK_WITNESS_SCRIPT = `0021${PUBKEY}ac`;
const P2PKH_SCRIPT = "76a9142b4569203694fc997e13f2c0a1383b9e16c77a0d88ac";
const PAYEE = "fcrt1q8mtf0auqclufj82l6y3swwgs60vxwpvhk7s7pz";
const OUTPOINT_A = "aa".repeat(32);
const OUTPOINT_B = "bb".repeat(32);

/** Checks every input of `hex` against its prevout with the standard script flags. */
function verifyAll(hex: string, prevouts: { script: string; value: bigint; refheight: number }[]) {
  const tx = decodeTransaction(hexToBytes(hex));
  const secp = testSecp256k1();
  return tx.inputs.map((input, i) =>
    verifyScript(
      input.scriptSig,
      hexToBytes(prevouts[i].script),
      input.witness,
      STANDARD_SCRIPT_VERIFY_FLAGS,
      new TransactionSignatureChecker(secp, tx, i, prevouts[i].value, prevouts[i].refheight),
    ).ok
  );
}

Deno.test("signrawtransactionwithkey signs P2WPK and P2PKH inputs that verify", async () => {
  await using node = await TestNode.open();
  const unsigned = await node.call("createrawtransaction", [
    [{ txid: OUTPOINT_A, vout: 0 }, { txid: OUTPOINT_B, vout: 3 }],
    [{ [PAYEE]: 14 }],
    0,
    120,
  ]) as string;
  const prevtxs = [
    {
      txid: OUTPOINT_A,
      vout: 0,
      scriptPubKey: P2WPK_SCRIPT,
      witnessScript: P2WPK_WITNESS_SCRIPT,
      refheight: 100,
      value: 10,
    },
    { txid: OUTPOINT_B, vout: 3, scriptPubKey: P2PKH_SCRIPT, refheight: 50 },
  ];
  const signed = await node.call("signrawtransactionwithkey", [unsigned, [KEY], prevtxs]) as {
    hex: string;
    complete: boolean;
  };
  assert.deepEqual(signed.complete ? [] : signed, []);
  assert.deepEqual(
    verifyAll(signed.hex, [
      { script: P2WPK_SCRIPT, value: 1_000_000_000n, refheight: 100 },
      { script: P2PKH_SCRIPT, value: 0n, refheight: 50 },
    ]),
    [true, true],
  );
  const decoded = await node.call("decoderawtransaction", [signed.hex]) as {
    vin: { txinwitness?: string[]; scriptSig: { hex: string } }[];
  };
  assert.equal(decoded.vin[0].txinwitness?.length, 3);
  assert.equal(decoded.vin[0].txinwitness?.[1], P2WPK_WITNESS_SCRIPT);
  assert.equal(decoded.vin[0].txinwitness?.[2], "");
  assert.ok(decoded.vin[1].scriptSig.hex.endsWith(`21${PUBKEY}`));
  // RFC 6979 signing is deterministic.
  assert.deepEqual(
    await node.call("signrawtransactionwithkey", [unsigned, [KEY], prevtxs]),
    signed,
  );
});

Deno.test("signrawtransactionwithkey reports missing keys, refheight and value", async () => {
  await using node = await TestNode.open();
  await node.feedTo(151);
  const sample = rpcSamples()["signrawtransactionwithkey_missing_refheight"];
  assert.deepEqual(await node.answer(sample.call), sample.result);
  const unsigned = await node.call("createrawtransaction", [
    [{ txid: BLOCK1_COINBASE, vout: 1 }],
    [{ "fcrt1q8mtf0auqclufj82l6y3swwgs60vxwpvhk7s7pz": 1 }],
  ]) as string;
  const unknownOutput = {
    txid: "00".repeat(31) + "01",
    vout: 1,
    scriptPubKey: P2WPK_SCRIPT,
    witnessScript: P2WPK_WITNESS_SCRIPT,
    refheight: 5,
  };
  const noValue = await node.answer([
    "signrawtransactionwithkey",
    unsigned.replace(BLOCK1_COINBASE.match(/../g)!.reverse().join(""), "01" + "00".repeat(31)),
    [KEY],
    [unknownOutput],
  ]);
  assert.deepEqual(noValue, {
    __error__: {
      code: -3,
      message:
        "Missing value for CTxOut(nValue=90071992.54740991, scriptPubKey=00140b8a7e6f9b13e158ae0415ebb4)",
    },
  });
  const withoutKey = await node.call("signrawtransactionwithkey", [unsigned, []]) as {
    complete: boolean;
    errors: { error: string; vout: number }[];
  };
  assert.equal(withoutKey.complete, false);
  assert.equal(withoutKey.errors[0].vout, 1);
  assert.equal(withoutKey.errors[0].error, "Witness program was passed an empty witness");
  assert.deepEqual(await node.answer(["signrawtransactionwithkey", unsigned, ["bad"]]), {
    __error__: { code: -5, message: "Invalid private key" },
  });
  assert.deepEqual(await node.answer(["signrawtransactionwithkey", unsigned, [], null, "ALL|X"]), {
    __error__: { code: -8, message: "'ALL|X' is not a valid sighash parameter." },
  });
  // RPCTypeCheckObj's wording in freicoind 27 (fields checked in name order).
  const wrongTypes = { ...unknownOutput, vout: "1", refheight: "5" };
  assert.deepEqual(
    await node.answer(["signrawtransactionwithkey", unsigned, [KEY], [wrongTypes]]),
    {
      __error__: {
        code: -3,
        message: "JSON value of type string for field refheight is not of expected type number",
      },
    },
  );
  const { refheight: _omitted, ...noRefheight } = unknownOutput;
  assert.deepEqual(
    await node.answer(["signrawtransactionwithkey", unsigned, [KEY], [noRefheight]]),
    {
      __error__: { code: -3, message: "Missing refheight" },
    },
  );
});

Deno.test("combinerawtransaction merges multisig signatures from partial transactions", async () => {
  let spentScript = "";
  await using node = await TestNode.open({
    // The multisig output waits in the mempool (so combinerawtransaction can find it).
    mempoolCoin: (outpoint) =>
      outpoint.txid === "11".repeat(32) && outpoint.n === 0 && spentScript !== ""
        ? {
          output: new TxOut(1_000_000_000n, hexToBytes(spentScript)),
          height: 0x7fffffff,
          isCoinBase: false,
          refheight: 1,
        }
        : undefined,
  });
  await node.feedTo(1);
  const keys = [KEY, "cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N"];
  const pubkeys: string[] = [];
  for (const key of keys) {
    const info = await node.call("getdescriptorinfo", [`pk(${key})`]) as { descriptor: string };
    pubkeys.push(info.descriptor.slice(3, 69));
  }
  const multisig = await node.call("createmultisig", [2, pubkeys, "bech32"]) as {
    address: string;
    redeemScript: string;
  };
  const decoded = await node.call("validateaddress", [multisig.address]) as {
    scriptPubKey: string;
  };
  const prevtx = {
    txid: "11".repeat(32),
    vout: 0,
    scriptPubKey: decoded.scriptPubKey,
    witnessScript: "00" + multisig.redeemScript,
    refheight: 1,
    value: 10,
  };
  const unsigned = await node.call("createrawtransaction", [
    [{ txid: prevtx.txid, vout: 0 }],
    [{ [PAYEE]: 9 }],
  ]) as string;
  type Signed = { hex: string; complete: boolean };
  const partial: Signed[] = [];
  for (const key of keys) {
    partial.push(
      await node.call("signrawtransactionwithkey", [unsigned, [key], [prevtx]]) as Signed,
    );
  }
  assert.deepEqual(partial.map((p) => p.complete), [false, false]);
  const both = await node.call("signrawtransactionwithkey", [unsigned, keys, [prevtx]]) as Signed;
  assert.equal(both.complete, true);
  const prevouts = [{ script: decoded.scriptPubKey, value: 1_000_000_000n, refheight: 1 }];
  assert.deepEqual(verifyAll(both.hex, prevouts), [true]);
  // Not in the UTXO set or mempool yet: freicoind's refusal.
  assert.deepEqual(await node.answer(["combinerawtransaction", partial.map((p) => p.hex)]), {
    __error__: { code: -25, message: "Input not found or already spent" },
  });
  spentScript = decoded.scriptPubKey;
  const combined = await node.call("combinerawtransaction", [partial.map((p) => p.hex)]) as string;
  assert.deepEqual(verifyAll(combined, prevouts), [true]);
  assert.equal(combined, both.hex);
});
