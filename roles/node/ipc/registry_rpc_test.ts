import assert from "node:assert/strict";
import { Args } from "../../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../../cli/args/option_registry.ts";
import {
  getInt,
  makeJsonRpcHandler,
  parseJson,
  RpcAuthenticator,
  RpcRegistry,
  SILENT_RPC_LOGGER,
} from "../../../rpc/mod.ts";
import { createMemoryStreamPair } from "../../../ipc/transport/memory_stream.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import { pipeline, release } from "../../../ipc/rpc/interface.ts";
import { ECHO, INIT, RPC } from "../../../schemas/mod.ts";
import { childSettingsArgs } from "./child_settings.ts";
import { echoIpcMethod } from "./echo_ipc_method.ts";
import { NodeInit } from "./node_init.ts";
import { ParentLogSink } from "./parent_log_sink.ts";
import { executeJsonRpcText, RegistryRpc } from "./registry_rpc.ts";

function registry(): RpcRegistry<unknown> {
  const r = new RpcRegistry<unknown>(undefined);
  r.register({
    name: "double",
    category: "test",
    description: "\nDoubles n.\n",
    args: [{ names: "n", type: "num", description: "A number" }],
    results: [{ type: "num", description: "2n" }],
    examples: "",
    handler: (call) => {
      const n = getInt(call.params[0]);
      if (n < 0) throw new Error("negative");
      return 2 * n;
    },
  });
  r.register(echoIpcMethod((text) => Promise.resolve(text)));
  r.setWarmupFinished();
  return r;
}

/** The body the HTTP server sends for `body` (without its trailing newline). */
async function httpBody(r: RpcRegistry<unknown>, body: string): Promise<string> {
  const handler = makeJsonRpcHandler({
    registry: r,
    auth: new RpcAuthenticator({ userColonPass: "u:p" }),
    logger: SILENT_RPC_LOGGER,
  });
  const reply = await handler({
    method: "POST",
    uri: "/",
    headers: [["Authorization", `Basic ${btoa("u:p")}`]],
    body: new TextEncoder().encode(body),
    peer: "127.0.0.1:1",
  }, "");
  return String(reply.body ?? "").trimEnd();
}

const REQUESTS = [
  '{"method":"double","params":[21],"id":1}',
  '{"method":"double","params":{"n":4},"id":"named"}',
  '{"method":"double","params":[-1],"id":2}',
  '{"method":"double","params":["x"],"id":3}',
  '{"method":"double","params":[],"id":4}',
  '{"method":"nosuch","id":5}',
  '{"id":6}',
  '{"method":7,"id":7}',
  '[{"method":"double","params":[1],"id":8},{"method":"nosuch","id":9},3]',
  "[]",
  '{"method":"echoipc","params":["hello"],"id":10}',
  "not json",
  '"a string"',
];

Deno.test("executeRpc gives the same reply text as the HTTP server for the same requests", async () => {
  const r = registry();
  for (const request of REQUESTS) {
    assert.equal(
      await executeJsonRpcText(r, request, "/", "u"),
      await httpBody(r, request),
      `for ${request}`,
    );
  }
});

Deno.test("executeJsonRpcText never throws and always answers JSON, whatever the text (bounded fuzz)", async () => {
  const r = registry();
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pieces = ['{"method":', '"double"', ',"params":', "[", "]", "{", "}", "1", '"', ",", ":"];
  for (let i = 0; i < 500; i++) {
    let text = "";
    const n = Math.floor(random() * 12);
    for (let j = 0; j < n; j++) {
      text += random() < 0.8
        ? pieces[Math.floor(random() * pieces.length)]
        : String.fromCharCode(Math.floor(random() * 0x3000));
    }
    const reply = await executeJsonRpcText(r, text, "/", "u");
    parseJson(reply);
  }
});

Deno.test("a connected peer reaches the node's registry through Init.makeRpc, and its Echo", async () => {
  const [a, b] = createMemoryStreamPair();
  const server = new RpcConnection(a, {
    bootstrap: { binding: INIT, impl: new NodeInit(new RegistryRpc(registry())) },
  });
  const client = new RpcConnection(b);
  const init = client.bootstrap(INIT);
  const rpc = pipeline(RPC, init.makeRpc());
  assert.equal(
    await rpc.executeRpc('{"method":"double","params":[5],"id":1}', "/", "u"),
    '{"result":10,"error":null,"id":1}',
  );
  const echo = pipeline(ECHO, init.makeEcho());
  assert.equal(await echo.echo("hello"), "hello");
  await assert.rejects(init.configure([], null), /for spawned processes/);
  release(echo);
  release(rpc);
  release(init);
  client.close();
  server.close();
});

Deno.test("a node without an RPC server says so when asked for its Rpc", async () => {
  await assert.rejects(new NodeInit(null).makeRpc(), /JSON-RPC server is disabled/);
});

Deno.test("the child's settings are the parent's effective network and logging options", () => {
  const args = new Args(nodeOptionRegistry());
  args.parseCommandLine([
    "-regtest",
    "-debug=ipc",
    "-debug=net",
    "-nologtimestamps",
    "-logthreadnames",
    "-rpcport=1234",
  ]);
  args.selectNetwork(args.chainName());
  assert.deepEqual(childSettingsArgs(args), [
    "-chain=regtest",
    "-logtimestamps=0",
    "-logthreadnames=1",
    "-debug=ipc",
    "-debug=net",
  ]);
});

Deno.test("forwarded child lines are appended to the parent's file and console as they are", async () => {
  const file: string[] = [];
  const consoleLines: string[] = [];
  const decoder = new TextDecoder();
  const output = {
    writeFile: (b: Uint8Array) => file.push(decoder.decode(b)),
    writeConsole: (b: Uint8Array) => consoleLines.push(decoder.decode(b)),
  };
  await new ParentLogSink(output, { file: true, console: false }).write("a\nb");
  await new ParentLogSink(output, { file: true, console: true }).write("c\n");
  await new ParentLogSink(output, { file: true, console: true }).write("");
  assert.deepEqual(file, ["a\nb\n", "c\n"]);
  assert.deepEqual(consoleLines, ["c\n"]);
  await assert.rejects(
    new ParentLogSink(output, { file: true, console: false }).write("x".repeat(9 << 20)),
    /too large/,
  );
});
