import assert from "node:assert/strict";
import { rpcSamples, TestNode } from "./_test_support.ts";

const SAMPLES = [
  "createpst_3params",
  "createpst_pos3_number_BUG",
  "createpst_pos3_bool_BUG",
  "decodepst_processed",
  "analyzepst",
];

function processedPst(): { unsigned: string; signed: string; hex: string } {
  const sample = rpcSamples()["walletprocesspst"];
  const result = sample.result as { pst: string; hex: string };
  return { unsigned: sample.call[1] as string, signed: result.pst, hex: result.hex };
}

Deno.test("PST methods answer as the reference node did", async (t) => {
  await using node = await TestNode.open();
  await node.feedTo(157);
  for (const name of SAMPLES) {
    await t.step(name, async () => {
      const sample = rpcSamples()[name];
      assert.deepEqual(await node.answer(sample.call), sample.result);
    });
  }
  await t.step(
    "finalizepst extracts the signed transaction walletprocesspst returned",
    async () => {
      const { signed, hex } = processedPst();
      assert.deepEqual(await node.call("finalizepst", [signed]), { hex, complete: true });
      assert.deepEqual(await node.call("finalizepst", [signed, false]), {
        pst: signed,
        complete: true,
      });
    },
  );
  await t.step(
    "combinepst merges and refuses an empty list or different transactions",
    async () => {
      const { unsigned, signed } = processedPst();
      assert.equal(await node.call("combinepst", [[unsigned, signed]]), signed);
      const other = await node.call("createpst", [[], [{ data: "00" }]]) as string;
      assert.deepEqual(await node.answer(["combinepst", [unsigned, other]]), {
        __error__: { code: -8, message: "PSTs not compatible (different transactions)" },
      });
      assert.deepEqual(await node.answer(["combinepst", []]), {
        __error__: { code: -8, message: "Parameter 'txs' cannot be empty" },
      });
    },
  );
  await t.step("decodepst reports a bad PST as freicoind does", async () => {
    assert.deepEqual(await node.answer(["decodepst", "00"]), {
      __error__: {
        code: -22,
        message: "TX decode failed DataStream::read(): end of data: iostream error",
      },
    });
    assert.deepEqual(await node.answer(["decodepst", "xyz"]), {
      __error__: { code: -22, message: "TX decode failed invalid hex" },
    });
  });
  await t.step("converttopst gives createpst's PST for the same transaction", async () => {
    const sample = rpcSamples()["createpst_3params"];
    const [, inputs, outputs, locktime] = sample.call;
    const raw = await node.call("createrawtransaction", [inputs, outputs, locktime] as never);
    assert.equal(await node.call("converttopst", [raw as string]), sample.result);
  });
  await t.step("joinpsts joins distinct inputs and refuses a repeated one", async () => {
    const { unsigned } = processedPst();
    const other = await node.call("createpst", [
      [{ txid: "11".repeat(32), vout: 1 }],
      [{ data: "00" }],
    ]) as string;
    const joined = await node.call("joinpsts", [[unsigned, other]]) as string;
    const decoded = await node.call("decodepst", [joined]) as { tx: { vin: unknown[] } };
    assert.equal(decoded.tx.vin.length, 2);
    const repeated = await node.answer(["joinpsts", [unsigned, unsigned]]) as {
      __error__: { message: string };
    };
    assert.match(repeated.__error__.message, /exists in multiple PSTs$/);
  });
});
