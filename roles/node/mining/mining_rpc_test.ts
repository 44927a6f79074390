import assert from "node:assert/strict";
import { selectParams } from "../../../kernel/chain/mod.ts";
import { bytesToHex, hexToBytes } from "../../../kernel/encoding/mod.ts";
import {
  Block,
  BlockHeader,
  decodeBlock,
  Transaction,
  TxOut,
} from "../../../kernel/primitives/mod.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/mod.ts";
import { formatDouble, type JsonValue, RpcError, type RpcMethod } from "../../../rpc/mod.ts";
import { acceptToMemoryPool, Mempool } from "../mempool/mod.ts";
import { BlockAssembler } from "./block_assembler.ts";
import { generateBlocks, solveBlock } from "./generate_blocks.ts";
import { miningRpcMethods } from "./mining_rpc.ts";
import { TestChain } from "./_test_chain.ts";

const VECTORS = new URL("../../../../shared/vectors/", import.meta.url);
const blocks: Block[] = (JSON.parse(
  Deno.readTextFileSync(new URL("regtest-chain-158.json", VECTORS)),
) as { blocks: string[] }).blocks.map((hex) => decodeBlock(hexToBytes(hex)));
const samples = new Map(
  Object.entries(
    (JSON.parse(Deno.readTextFileSync(new URL("regtest-rpc-samples.json", VECTORS))) as {
      samples: Record<string, { result: unknown }>;
    }).samples,
  ),
);

async function call(method: RpcMethod, params: JsonValue[]): Promise<JsonValue> {
  return await (method.handler({
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

function toPlain(value: JsonValue): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") return Number(v);
    if (v instanceof Map) return Object.fromEntries(v);
    return v;
  }));
}

Deno.test("getblocktemplate and getmininginfo match the reference node at heights 1, 101 and 152", async () => {
  const params = selectParams("regtest");
  let now = 0;
  const chain = new TestChain(params, () => now);
  const mempool = new Mempool();
  chain.listeners.push({ connected: (block) => mempool.removeForBlock(block.transactions, now) });
  const methods = new Map(
    miningRpcMethods({ chain, mempool, now: () => now, secp256k1: createPureSecp256k1() })
      .map((m) => [m.name, m]),
  );
  const gbt = methods.get("getblocktemplate")!;
  const request = { rules: ["segwit", "finaltx"] };
  const expectTemplate = async (name: string) => {
    const expected = samples.get(name)!.result as Record<string, unknown>;
    now = expected.curtime as number;
    const actual = toPlain(await call(gbt, [request])) as Record<string, unknown>;
    // The long-poll id counts mempool updates, which depend on the node's history.
    delete actual.longpollid;
    const { longpollid: _ignored, ...rest } = expected;
    assert.deepEqual(actual, rest, name);
  };
  await expectTemplate("gbt_height1");
  await assert.rejects(
    () => call(gbt, [{ rules: ["segwit"] }]),
    (e: unknown) =>
      e instanceof RpcError && e.code === -8 &&
      e.message === "Support for 'finaltx' rule requires explicit client support",
  );
  for (let height = 1; height <= 100; height++) {
    now = blocks[height].header.time;
    const script = blocks[height].transactions[0].outputs.at(-1)!.scriptPubKey;
    await generateBlocks(chain, mempool, script, 1, 1e6, { now: () => now });
  }
  await expectTemplate("gbt_height101");
  for (let height = 101; height <= 151; height++) {
    now = blocks[height].header.time;
    const script = blocks[height].transactions[0].outputs.at(-1)!.scriptPubKey;
    await generateBlocks(chain, mempool, script, 1, 1e6, { now: () => now });
  }
  // The reference node had block 152's payment waiting in its mempool.
  const payment = blocks[152].transactions[1];
  assert.ok(acceptToMemoryPool(mempool, chain, payment, { acceptTime: now }).ok);
  await expectTemplate("gbt_height152");
  now = blocks[152].header.time;
  const script = blocks[152].transactions[0].outputs.at(-1)!.scriptPubKey;
  await generateBlocks(chain, mempool, script, 1, 1e6, { now: () => now });
  assert.equal(chain.tip().height, 152);
  const info = await call(methods.get("getmininginfo")!, []) as Map<string, JsonValue>;
  const expected = samples.get("getmininginfo")!.result as Record<string, unknown>;
  assert.equal(info.get("blocks"), expected.blocks);
  assert.equal(info.get("currentblockweight"), expected.currentblockweight);
  assert.equal(info.get("currentblocktx"), expected.currentblocktx);
  assert.equal(info.get("pooledtx"), 0);
  // Doubles as freicoind prints them (%.16g).
  assert.equal(formatDouble(info.get("difficulty") as number), "4.656542373906925e-10");
  assert.equal(formatDouble(info.get("networkhashps") as number), "12.00932262713222");
});

Deno.test("generate points to the -generate option and generatetoaddress rejects bad addresses", async () => {
  const params = selectParams("regtest");
  const chain = new TestChain(params);
  const methods = new Map(
    miningRpcMethods({
      chain,
      mempool: new Mempool(),
      now: () => 1356123600,
      secp256k1: createPureSecp256k1(),
    }).map((m) => [m.name, m]),
  );
  await assert.rejects(
    () => call(methods.get("generate")!, []),
    (e: unknown) => e instanceof RpcError && e.code === -32601,
  );
  await assert.rejects(
    () => call(methods.get("generatetoaddress")!, [1, "notanaddress"]),
    (e: unknown) =>
      e instanceof RpcError && e.code === -5 && e.message === "Error: Invalid address",
  );
  const hashes = await call(methods.get("generatetoaddress")!, [
    2,
    "mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z",
  ]);
  assert.equal((hashes as string[]).length, 2);
  assert.equal(chain.tip().height, 2);
  const info = toPlain(await call(methods.get("getmininginfo")!, [])) as Record<string, unknown>;
  assert.equal(info.blocks, 2);
  assert.equal(info.chain, "regtest");
});

Deno.test("getblocktemplate caches for 5 s of mock time and long polls until a new tip", async () => {
  const params = selectParams("regtest");
  let now = 0;
  const chain = new TestChain(params, () => now);
  const mempool = new Mempool();
  chain.listeners.push({ connected: (block) => mempool.removeForBlock(block.transactions, now) });
  for (let height = 1; height <= 151; height++) {
    now = blocks[height].header.time;
    const script = blocks[height].transactions[0].outputs.at(-1)!.scriptPubKey;
    await generateBlocks(chain, mempool, script, 1, 1e6, { now: () => now });
  }
  const methods = new Map(
    miningRpcMethods({ chain, mempool, now: () => now, secp256k1: createPureSecp256k1() })
      .map((m) => [m.name, m]),
  );
  const gbt = methods.get("getblocktemplate")!;
  const request = { rules: ["segwit", "finaltx"] };
  const first = await call(gbt, [request]) as Map<string, JsonValue>;
  assert.deepEqual(first.get("transactions"), []);
  assert.ok(
    acceptToMemoryPool(mempool, chain, blocks[152].transactions[1], { acceptTime: now }).ok,
  );
  const cached = await call(gbt, [request]) as Map<string, JsonValue>;
  assert.deepEqual(cached.get("transactions"), [], "same template within 5 s");
  now += 6;
  const fresh = await call(gbt, [request]) as Map<string, JsonValue>;
  assert.equal((fresh.get("transactions") as JsonValue[]).length, 1);
  assert.equal(fresh.get("curtime"), now);

  // A long poll on the current tip returns once another block arrives.
  const polling = call(gbt, [{ ...request, longpollid: fresh.get("longpollid")! }]);
  let settled = false;
  polling.then(() => settled = true, () => settled = true);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(settled, false);
  await generateBlocks(chain, mempool, new Uint8Array([0x51]), 1, 1e6, { now: () => now });
  const after = await polling as Map<string, JsonValue>;
  assert.equal(after.get("height"), 153);
});

Deno.test("submitblock, proposals and generateblock answer as freicoind does", async () => {
  const params = selectParams("regtest");
  const now = 1356123600;
  const chain = new TestChain(params, () => now);
  const mempool = new Mempool();
  const methods = new Map(
    miningRpcMethods({ chain, mempool, now: () => now, secp256k1: createPureSecp256k1() })
      .map((m) => [m.name, m]),
  );
  const address = "mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z";
  const made = await call(methods.get("generateblock")!, [address, [], false]) as Map<
    string,
    JsonValue
  >;
  const hex = made.get("hex") as string;
  assert.equal(chain.tip().height, 0, "submit=false leaves the chain alone");
  const gbt = methods.get("getblocktemplate")!;
  assert.equal(await call(gbt, [{ mode: "proposal", data: hex }]), null);
  assert.equal(await call(methods.get("submitblock")!, [hex]), null);
  assert.equal(chain.tip().height, 1);
  assert.equal(await call(methods.get("submitblock")!, [hex]), "duplicate");
  assert.equal(await call(gbt, [{ mode: "proposal", data: hex }]), "duplicate");
  await assert.rejects(
    () => call(methods.get("submitblock")!, ["00"]),
    (e: unknown) => e instanceof RpcError && e.code === -22 && e.message === "Block decode failed",
  );
  // submitheader reads the header at the front of its data and ignores the rest.
  await assert.rejects(
    () => call(methods.get("submitheader")!, ["ff".repeat(78)]),
    (e: unknown) =>
      e instanceof RpcError && e.code === -22 && e.message === "Block header decode failed",
  );
  const orphan = new Block(
    new BlockHeader({ ...decodeBlock(hexToBytes(hex)).header, hashPrevBlock: new Uint8Array(32) }),
    decodeBlock(hexToBytes(hex)).transactions,
  );
  await assert.rejects(
    () => call(methods.get("submitheader")!, [bytesToHex(orphan.toBytes())]),
    (e: unknown) =>
      e instanceof RpcError && e.code === -25 &&
      e.message.startsWith("Must submit previous header (0000000000000000"),
  );
  // A coinbase paying one kria too much.
  const next = await call(methods.get("generateblock")!, [address, [], false]) as Map<
    string,
    JsonValue
  >;
  const base = decodeBlock(hexToBytes(next.get("hex") as string));
  const coinbase2 = base.transactions[0];
  const bad = new Block(base.header, [
    new Transaction({
      ...coinbase2,
      outputs: [new TxOut(coinbase2.outputs[0].value + 1n, coinbase2.outputs[0].scriptPubKey)],
    }),
  ]);
  const solved = solveBlock(bad, chain, { value: 1e6 });
  assert.ok(solved instanceof Block);
  assert.equal(
    await call(methods.get("submitblock")!, [bytesToHex(solved.toBytes())]),
    "bad-cb-amount",
  );
});

Deno.test("prioritisetransaction records deltas that getprioritisedtransactions lists", async () => {
  const params = selectParams("regtest");
  const chain = new TestChain(params);
  const mempool = new Mempool();
  const methods = new Map(
    miningRpcMethods({ chain, mempool, now: () => 0, secp256k1: createPureSecp256k1() })
      .map((m) => [m.name, m]),
  );
  const txid = "ab".repeat(32);
  const { JsonNumber } = await import("../../../rpc/mod.ts");
  assert.equal(
    await call(methods.get("prioritisetransaction")!, [txid, new JsonNumber("0.0"), 10000]),
    true,
  );
  await assert.rejects(
    () => call(methods.get("prioritisetransaction")!, [txid, 1, 10000]),
    (e: unknown) =>
      e instanceof RpcError && e.code === -8 &&
      e.message ===
        "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.",
  );
  await assert.rejects(
    () => call(methods.get("prioritisetransaction")!, ["zz", null, 1]),
    (e: unknown) =>
      e instanceof RpcError && e.message === "txid must be of length 64 (not 2, for 'zz')",
  );
  const listed = await call(methods.get("getprioritisedtransactions")!, []) as Map<
    string,
    Map<string, JsonValue>
  >;
  assert.deepEqual([...listed.keys()], [txid]);
  assert.equal(listed.get(txid)!.get("fee_delta"), 10000n);
  assert.equal(listed.get(txid)!.get("in_mempool"), false);
});

Deno.test("miner options: -blockmaxweight, -blockmintxfee, -blockversion on regtest only", async () => {
  const { blockAssemblerOptionsFromArgs } = await import("./block_assembler_options.ts");
  const argsOf = (values: Record<string, string>) => ({
    isSet: (name: string) => name in values,
    get: (name: string) => values[name],
    getInt: (name: string, fallback: number) => name in values ? Number(values[name]) : fallback,
  });
  const options = blockAssemblerOptionsFromArgs(
    argsOf({ "-blockmaxweight": "8000", "-blockmintxfee": "0.00002", "-blockversion": "4" }),
    true,
  );
  assert.equal(options.blockMaxWeight, 8000);
  assert.equal(options.blockMinFeeRate?.perKvB, 2000n);
  assert.equal(options.blockVersion, 4);
  assert.equal(
    blockAssemblerOptionsFromArgs(argsOf({ "-blockversion": "4" }), false).blockVersion,
    undefined,
  );
  assert.throws(
    () => blockAssemblerOptionsFromArgs(argsOf({ "-blockmintxfee": "abc" }), true),
    (e: unknown) =>
      e instanceof Error && e.message === "Invalid amount for -blockmintxfee=<amount>: 'abc'",
  );
  // -blockversion reaches the template on regtest.
  const chain = new TestChain(selectParams("regtest"));
  const template = new BlockAssembler(chain, undefined, { now: () => 1356123600, blockVersion: 4 })
    .createNewBlock(new Uint8Array([0x51]));
  assert.equal(template.block.header.version, 4);
});

Deno.test("submitblock restores a stripped coinbase witness nonce (UpdateUncommittedBlockStructures)", async () => {
  const params = selectParams("regtest");
  const now = 1356123600;
  const chain = new TestChain(params, () => now);
  const mempool = new Mempool();
  await generateBlocks(chain, mempool, new Uint8Array([0x51]), 100, 1e6, { now: () => now });
  const methods = new Map(
    miningRpcMethods({ chain, mempool, now: () => now, secp256k1: createPureSecp256k1() })
      .map((m) => [m.name, m]),
  );
  const made = await call(methods.get("generateblock")!, [
    "mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z",
    [],
    false,
  ]) as Map<string, JsonValue>;
  const block = decodeBlock(hexToBytes(made.get("hex") as string));
  const coinbase = block.transactions[0];
  assert.deepEqual(coinbase.inputs[0].witness.map((w) => w.length), [0]);
  const { TxIn } = await import("../../../kernel/primitives/mod.ts");
  const stripped = new Block(block.header, [
    new Transaction({
      ...coinbase,
      inputs: [new TxIn({ ...coinbase.inputs[0], witness: [] })],
    }),
    ...block.transactions.slice(1),
  ]);
  assert.equal(stripped.hashHex, block.hashHex, "the witness is not part of the block hash");
  assert.equal(await call(methods.get("submitblock")!, [bytesToHex(stripped.toBytes())]), null);
  assert.equal(chain.tip().height, 101);
  assert.equal(bytesToHex(chain.blockAt(101)!.toBytes()), bytesToHex(block.toBytes()));
});
