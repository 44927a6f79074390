import assert from "node:assert/strict";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { OutPoint, Transaction, TxIn, TxOut } from "../../../kernel/primitives/mod.ts";
import { multisigScript } from "../../../kernel/script/mod.ts";
import { FeeRate } from "./fee_rate.ts";
import {
  areInputsStandard,
  dustThreshold,
  isStandardTx,
  isWitnessStandard,
  type StandardnessOptions,
} from "./policy.ts";

const P2PKH = hexToBytes("76a91485e54144c4020a65fa0a8fdbac8bba75dbc2fd0088ac");
const P2WPK = hexToBytes("0014994ed986d2d0eef68a4784ceb2fae45839b921cd");
const P2WSH = hexToBytes("00200a79b1ef09c72139cad5b6909685b7a96afdbe5f35caab1a7fd06af8e1834f57");
const P2SH = hexToBytes("a914000102030405060708090a0b0c0d0e0f1011121387");
const KEY = hexToBytes("02" + "11".repeat(32));
const DEFAULTS: StandardnessOptions = {
  maxDatacarrierBytes: null,
  permitBareMultisig: true,
  dustRelayFeeRate: new FeeRate(3000n),
};

function txWith(fields: Partial<ConstructorParameters<typeof Transaction>[0]>): Transaction {
  return new Transaction({
    version: 2,
    inputs: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(9), 0) })],
    outputs: [new TxOut(100_000n, P2PKH)],
    lockTime: 0,
    lockHeight: 1,
    ...fields,
  });
}

Deno.test("dust thresholds at the default 3000 kria/kvB: 546 for P2PKH, 294 for P2WPK", () => {
  const rate = new FeeRate(3000n);
  assert.equal(dustThreshold(new TxOut(0n, P2PKH), rate), 546n);
  assert.equal(dustThreshold(new TxOut(0n, P2WPK), rate), 294n);
  assert.equal(dustThreshold(new TxOut(0n, hexToBytes("6a")), rate), 0n);
});

Deno.test("IsStandardTx names each rule it breaks", async (t) => {
  const cases: [string, Transaction, string | null, Partial<StandardnessOptions>?][] = [
    ["a P2PKH payment", txWith({}), null],
    ["version 0", txWith({ version: 0 }), "version"],
    ["version 3", txWith({ version: 3 }), "version"],
    [
      "an oversized scriptSig",
      txWith({
        inputs: [
          new TxIn({
            prevout: new OutPoint(new Uint8Array(32), 0),
            scriptSig: new Uint8Array(1651),
          }),
        ],
      }),
      "scriptsig-size",
    ],
    [
      "a scriptSig with an opcode",
      txWith({
        inputs: [
          new TxIn({
            prevout: new OutPoint(new Uint8Array(32), 0),
            scriptSig: new Uint8Array([0x76]),
          }),
        ],
      }),
      "scriptsig-not-pushonly",
    ],
    [
      "a nonstandard output",
      txWith({ outputs: [new TxOut(100_000n, hexToBytes("51"))] }),
      "scriptpubkey",
    ],
    ["a 545-kria P2PKH output", txWith({ outputs: [new TxOut(545n, P2PKH)] }), "dust"],
    ["a 546-kria P2PKH output", txWith({ outputs: [new TxOut(546n, P2PKH)] }), null],
    [
      "a data output with -datacarrier off (Freicoin's default)",
      txWith({ outputs: [new TxOut(0n, hexToBytes("6a0401020304"))] }),
      "scriptpubkey",
    ],
    [
      "a data output with -datacarrier on",
      txWith({ outputs: [new TxOut(0n, hexToBytes("6a0401020304")), new TxOut(1000n, P2WSH)] }),
      null,
      { maxDatacarrierBytes: 51 },
    ],
    [
      "a bare OP_RETURN (destroy) is standard with data carriers off",
      txWith({ outputs: [new TxOut(5000n, hexToBytes("6a")), new TxOut(1000n, P2WSH)] }),
      null,
    ],
    [
      "two OP_RETURN outputs",
      txWith({ outputs: [new TxOut(0n, hexToBytes("6a")), new TxOut(0n, hexToBytes("6a"))] }),
      "multi-op-return",
    ],
    [
      "1-of-1 bare multisig",
      txWith({ outputs: [new TxOut(100_000n, multisigScript(1, [KEY]))] }),
      null,
    ],
    [
      "bare multisig with -permitbaremultisig=0",
      txWith({ outputs: [new TxOut(100_000n, multisigScript(1, [KEY]))] }),
      "bare-multisig",
      { permitBareMultisig: false },
    ],
    [
      "1-of-4 bare multisig",
      txWith({ outputs: [new TxOut(100_000n, multisigScript(1, [KEY, KEY, KEY, KEY]))] }),
      "scriptpubkey",
    ],
  ];
  for (const [name, tx, expected, options] of cases) {
    await t.step(name, () => {
      assert.equal(isStandardTx(tx, { ...DEFAULTS, ...options }), expected);
    });
  }
});

Deno.test("standard inputs: P2SH redeem scripts up to 20 sigops, no unknown witness versions", () => {
  const coinWith = (script: Uint8Array) => () => ({
    output: new TxOut(1000n, script),
    height: 1,
    isCoinBase: false,
    refheight: 1,
  });
  // A redeem script of 21 CHECKSIGs (accurate count 21) is too many; 20 is fine.
  const redeem = (n: number) => new Uint8Array(n).fill(0xac);
  const spendP2sh = (n: number) =>
    txWith({
      inputs: [
        new TxIn({
          prevout: new OutPoint(new Uint8Array(32), 0),
          scriptSig: new Uint8Array([n, ...redeem(n)]),
        }),
      ],
    });
  assert.equal(areInputsStandard(spendP2sh(20), coinWith(P2SH)), true);
  assert.equal(areInputsStandard(spendP2sh(21), coinWith(P2SH)), false);
  // Witness version 1 programs are "witness_unknown" and not standard to spend.
  const v1 = hexToBytes("5120" + "00".repeat(32));
  assert.equal(areInputsStandard(txWith({}), coinWith(v1)), false);
  assert.equal(areInputsStandard(txWith({}), coinWith(hexToBytes("51"))), false);
});

Deno.test("standard witnesses: P2WSH script and stack-item limits, nothing on P2SH or bare outputs", () => {
  const spend = (witness: Uint8Array[]) =>
    txWith({ inputs: [new TxIn({ prevout: new OutPoint(new Uint8Array(32), 0), witness })] });
  const coinWith = (script: Uint8Array) => () => ({
    output: new TxOut(1000n, script),
    height: 1,
    isCoinBase: false,
    refheight: 1,
  });
  const script = new Uint8Array([0x00, 0x51]);
  assert.equal(isWitnessStandard(spend([script, new Uint8Array(0)]), coinWith(P2WSH)), true);
  assert.equal(
    isWitnessStandard(spend([new Uint8Array(81), script, new Uint8Array(0)]), coinWith(P2WSH)),
    false,
    "an 81-byte stack item",
  );
  assert.equal(
    isWitnessStandard(spend([new Uint8Array(3601), new Uint8Array(0)]), coinWith(P2WSH)),
    false,
    "a 3601-byte witness script",
  );
  const items = Array.from({ length: 101 }, () => new Uint8Array(1));
  assert.equal(
    isWitnessStandard(spend([...items, script, new Uint8Array(0)]), coinWith(P2WSH)),
    false,
    "101 stack items",
  );
  assert.equal(isWitnessStandard(spend([script, new Uint8Array(0)]), coinWith(P2SH)), false);
  assert.equal(isWitnessStandard(spend([script, new Uint8Array(0)]), coinWith(P2PKH)), false);
});
