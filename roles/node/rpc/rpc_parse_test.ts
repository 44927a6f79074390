import assert from "node:assert/strict";
import { JsonNumber, RpcError } from "../../../rpc/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { regtestChain } from "../chain/_test_support.ts";
import { decodeHexTx, parseDescriptorRangeArg, parseHashV } from "./rpc_parse.ts";
import { TestNode } from "./_test_support.ts";

/** A small deterministic PRNG (xorshift32) so fuzz cases are reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

Deno.test("decodeHexTx round-trips every transaction of the recorded chain", () => {
  for (const block of regtestChain().blocks) {
    for (const tx of block.transactions) {
      const hex = bytesToHex(tx.toBytes());
      assert.equal(bytesToHex(decodeHexTx(hex)!.toBytes()), hex);
    }
  }
});

Deno.test("decodeHexTx rejects non-hex, truncated and padded input", () => {
  const tx = regtestChain().blocks[152].transactions[1];
  const hex = bytesToHex(tx.toBytes());
  assert.equal(decodeHexTx("zz"), undefined);
  assert.equal(decodeHexTx(hex.slice(0, -2)), undefined);
  assert.equal(decodeHexTx(hex + "00"), undefined);
  assert.equal(decodeHexTx(""), undefined);
});

Deno.test("decodeHexTx and decoderawtransaction survive mutated transactions (bounded fuzz)", async () => {
  await using node = await TestNode.open();
  const random = prng(0x5eed);
  const seeds = regtestChain().blocks.slice(150).flatMap((b) => b.transactions);
  for (let i = 0; i < 300; i++) {
    const bytes = seeds[i % seeds.length].toBytes().slice();
    const edits = 1 + Math.floor(random() * 4);
    for (let e = 0; e < edits; e++) bytes[Math.floor(random() * bytes.length)] = random() * 256;
    const cut = random() < 0.3 ? Math.floor(random() * bytes.length) : bytes.length;
    const hex = bytesToHex(bytes.subarray(0, cut));
    const answer = await node.answer(["decoderawtransaction", hex]) as {
      __error__?: { code: number };
      txid?: string;
    };
    if (answer.__error__) assert.equal(answer.__error__.code, -22);
    else assert.equal(typeof answer.txid, "string");
    await node.answer(["decodescript", hex]);
  }
});

Deno.test("parseHashV names the parameter in its errors", () => {
  assert.throws(() => parseHashV("ab", "txid"), (e) => e instanceof RpcError && e.code === -8);
  assert.throws(
    () => parseHashV(5, "txid"),
    /JSON value of type number is not of expected type string/,
  );
});

Deno.test("parseDescriptorRangeArg follows ParseDescriptorRange (with bounded fuzz)", () => {
  assert.deepEqual(parseDescriptorRangeArg(new JsonNumber("5")), [0, 5]);
  assert.deepEqual(parseDescriptorRangeArg([new JsonNumber("2"), new JsonNumber("7")]), [2, 7]);
  const message = (value: Parameters<typeof parseDescriptorRangeArg>[0]) => {
    try {
      parseDescriptorRangeArg(value);
      return "";
    } catch (error) {
      return (error as Error).message;
    }
  };
  assert.equal(message(new JsonNumber("-1")), "End of range is too high");
  assert.equal(
    message([new JsonNumber("-1"), new JsonNumber("2")]),
    "Range should be greater or equal than 0",
  );
  assert.equal(
    message([new JsonNumber("3"), new JsonNumber("2")]),
    "Range specified as [begin,end] must not have begin after end",
  );
  assert.equal(message(new JsonNumber("2147483648")), "End of range is too high");
  assert.equal(message([new JsonNumber("0"), new JsonNumber("1000000")]), "Range is too large");
  assert.equal(message("5"), "Range must be specified as end or as [begin,end]");
  const random = prng(77);
  for (let i = 0; i < 500; i++) {
    const pick = () => new JsonNumber(String(Math.floor((random() - 0.3) * 2 ** (random() * 40))));
    const value = random() < 0.5 ? pick() : [pick(), pick()];
    const text = message(value);
    if (text === "") {
      const [low, high] = parseDescriptorRangeArg(value);
      assert.ok(low >= 0 && low <= high && high < 2 ** 31 && high - low < 1000000);
    }
  }
});
