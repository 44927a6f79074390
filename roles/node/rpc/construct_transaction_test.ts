import assert from "node:assert/strict";
import { TestNode } from "./_test_support.ts";

const TXID = "1d1d4e24ed99057e84c3f80fd8fbec79ed9e1acee37da269356ecea000000000";
const ADDRESS = "fcrt1q8mtf0auqclufj82l6y3swwgs60vxwpvhk7s7pz";

/** createrawtransaction's argument errors (codes, and texts the answers contain), from rpc_rawtransaction.py. */
const CASES: [string, number, string][] = [
  [`[]`, -1, 'createrawtransaction [{"txid":"hex","vout":n,"sequence":n},...]'],
  [`["foo", {}]`, -3, "JSON value of type string is not of expected type array"],
  [`[["foo"], {}]`, -3, "JSON value of type string is not of expected type object"],
  [`[[{}], {}]`, -3, "JSON value of type null is not of expected type string"],
  [`[[{"txid": "foo"}], {}]`, -8, "txid must be of length 64 (not 3, for 'foo')"],
  [`[[{"txid": "${TXID}"}], {}]`, -8, "Invalid parameter, missing vout key"],
  [`[[{"txid": "${TXID}", "vout": "foo"}], {}]`, -8, "Invalid parameter, missing vout key"],
  [`[[{"txid": "${TXID}", "vout": -1}], {}]`, -8, "Invalid parameter, vout cannot be negative"],
  [
    `[[{"txid": "${TXID}", "vout": 0, "sequence": -1}], {}]`,
    -8,
    "Invalid parameter, sequence number is out of range",
  ],
  [`[[], "foo"]`, -3, "JSON value of type string is not of expected type array"],
  [`[[], {"data": "foo"}]`, -8, "Data must be hexadecimal string (not 'foo')"],
  [`[[], {"foo": 0}]`, -5, "Invalid Freicoin address: foo"],
  [`[[], {"${ADDRESS}": "foo"}]`, -3, "Invalid amount"],
  [`[[], {"${ADDRESS}": -1}]`, -3, "Amount out of range"],
  [
    `[[], {"${ADDRESS}": 1, "${ADDRESS}": 1}]`,
    -8,
    `Invalid parameter, duplicated address: ${ADDRESS}`,
  ],
  [
    `[[], [{"${ADDRESS}": 1}, {"${ADDRESS}": 1}]]`,
    -8,
    `Invalid parameter, duplicated address: ${ADDRESS}`,
  ],
  [`[[], [{"data": "aa"}, {"data": "bb"}]]`, -8, "Invalid parameter, duplicate key: data"],
  [`[[], {"data": "aa", "data": "bb"}]`, -8, "Invalid parameter, duplicate key: data"],
  [`[[], [{"destroy": 1}, {"destroy": 2}]]`, -8, "Invalid parameter, duplicate key: destroy"],
  [
    `[[], [{"a": 1, "b": 2}]]`,
    -8,
    "Invalid parameter, key-value pair must contain exactly one key",
  ],
  [
    `[[], [["key-value pair1"], ["2"]]]`,
    -8,
    "Invalid parameter, key-value pair not an object as expected",
  ],
  [`[[], {}, "foo"]`, -3, "JSON value of type string is not of expected type number"],
  [`[[], {}, -1]`, -8, "Invalid parameter, locktime out of range"],
  [`[[], {}, 4294967296]`, -8, "Invalid parameter, locktime out of range"],
  [`[[], {}, 0, "foo"]`, -3, "JSON value of type string is not of expected type number"],
  [`[[], {}, 0, -2]`, -8, "Invalid parameter, lockheight out of range"],
  [`[[], {}, 0, 4294967296]`, -8, "Invalid parameter, lockheight out of range"],
  [`[[], {}, 0, -1, "foo"]`, -3, "JSON value of type string is not of expected type bool"],
  [
    `[[{"txid": "${TXID}", "vout": 0, "sequence": 4294967295}], {}, 0, 0, true]`,
    -8,
    "Invalid parameter combination: Sequence number(s) contradict replaceable option",
  ],
];

Deno.test("createrawtransaction rejects bad arguments as freicoind does", async (t) => {
  await using node = await TestNode.open();
  for (const [params, code, message] of CASES) {
    await t.step(params.slice(0, 60), async () => {
      const answer = await node.answerText("createrawtransaction", params) as {
        __error__: { code: number; message: string };
      };
      assert.equal(answer.__error__?.code, code, JSON.stringify(answer));
      assert.ok(answer.__error__.message.includes(message), answer.__error__.message);
    });
  }
});

Deno.test("createrawtransaction merges data and destroy into one OP_RETURN output", async () => {
  await using node = await TestNode.open();
  const hex = await node.call("createrawtransaction", [[], [{ destroy: 0.5 }, { data: "aabb" }]]);
  const decoded = await node.call("decoderawtransaction", [hex as string]) as {
    vout: { value: number; scriptPubKey: { hex: string; type: string } }[];
    lockheight: number;
  };
  assert.deepEqual(decoded.vout.map((o) => [o.value, o.scriptPubKey.hex]), [[0.5, "6a02aabb"]]);
  assert.equal(decoded.lockheight, 1, "the next block's height");
  const sequences = await node.call("decoderawtransaction", [
    await node.call("createrawtransaction", [[{ txid: TXID, vout: 0 }], [], 7, 0, false]) as string,
  ]) as { vin: { sequence: number }[]; locktime: number };
  assert.equal(sequences.vin[0].sequence, 0xfffffffe, "non-final because of the locktime");
});
