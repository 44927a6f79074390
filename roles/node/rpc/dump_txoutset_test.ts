import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeDestination, scriptForDestination } from "../../../kernel/address/mod.ts";
import { bytesToHex, ByteWriter } from "../../../kernel/encoding/mod.ts";
import { sha256 } from "../../../kernel/hash/sha256.ts";
import type { JsonValue, RpcMethod } from "../../../rpc/mod.ts";
import { RpcError } from "../../../rpc/mod.ts";
import { testSecp256k1 } from "../chain/_test_support.ts";
import { chainStateView, generateBlocks } from "../mining/mod.ts";
import { dumpTxOutSetMethod, encodeSnapshotMetadata } from "./dump_txoutset.ts";
import { TestNode } from "./_test_support.ts";

function call(method: RpcMethod, params: JsonValue[]): Promise<JsonValue> {
  return Promise.resolve(method.handler({
    method: method.name,
    params,
    id: 1,
    uri: "/",
    authUser: "",
    peerAddr: "",
    context: undefined,
    maybeArg: (i) => params[i] ?? undefined,
    arg: (i) => params[i] ?? undefined,
  }));
}

Deno.test("dumptxoutset after 100 blocks at genesis+1 matches rpc_dumptxoutset.py's figures", async () => {
  await using node = await TestNode.open();
  const params = node.context.params;
  const now = node.chain.tip!.time + 1; // mocktime: the genesis time + 1
  const decoded = decodeDestination("mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z", params.prefixes);
  assert.ok(decoded.ok);
  const script = scriptForDestination(decoded.destination);
  const view = chainStateView(node.chain, testSecp256k1(), () => now);
  await generateBlocks(view, undefined, script, 100, 1e6, { now: () => now });
  const method = dumpTxOutSetMethod(node.chain, node.dir);
  const out = await call(method, ["txoutset.dat"]) as Record<string, JsonValue>;
  const path = join(node.dir, "txoutset.dat");
  assert.equal(out.coins_written, 101);
  assert.equal(out.base_height, 100);
  assert.equal(out.path, path);
  assert.equal(out.base_hash, "3c11f1f06ed6e3c4a7fd10f97fa53b5c5bc51dc5fc4071f5e7ccb33c14142111");
  assert.equal(
    bytesToHex(sha256(await Deno.readFile(path))),
    "403c4ba14451f1d0f9c9c7761d769b1ee0e4243c54f748bdde5d7c20392fda66",
  );
  assert.equal(
    out.txoutset_hash,
    "266766ad0fcf4ad3b871f258cf8f3b5f254beca3c4b30fd8faf451428c60de19",
  );
  assert.equal(out.nchaintx, 101);
  await assert.rejects(
    () => call(method, ["txoutset.dat"]),
    (e: unknown) =>
      e instanceof RpcError && e.code === -8 &&
      e.message ===
        `${path} already exists. If you are sure this is what you want, move it out of the way first`,
  );
  const invalid = join(node.dir, "invalid", "path");
  await assert.rejects(
    () => call(method, [invalid]),
    (e: unknown) =>
      e instanceof RpcError && e.code === -8 &&
      e.message === `Couldn't open file ${invalid}.incomplete for writing.`,
  );
});

Deno.test("snapshot metadata flags a block-final tx entry in the hash's top bit", () => {
  const hash = new Uint8Array(32).fill(0x11);
  const plain = encodeSnapshotMetadata(hash, null, 3);
  assert.equal(bytesToHex(plain), "11".repeat(32) + "0300000000000000");
  const finalTx = { hash: new Uint8Array(32).fill(0x22), size: 2 };
  const extended = encodeSnapshotMetadata(hash, finalTx, 3);
  const expected = new ByteWriter().writeBytes(hash.slice(0, 31)).writeU8(0x91).writeU8(1)
    .writeVarInt(2).writeBytes(finalTx.hash).writeU64LE(3n).toBytes();
  assert.deepEqual(extended, expected);
  assert.throws(() => encodeSnapshotMetadata(new Uint8Array(32).fill(0x80), finalTx, 0));
});
