import assert from "node:assert/strict";
import { DebugLog } from "../../cli/debug_log.ts";
import { createMemoryStreamPair } from "../../ipc/transport/memory_stream.ts";
import { RpcConnection } from "../../ipc/rpc/connection.ts";
import { pipeline, release } from "../../ipc/rpc/interface.ts";
import type { RpcRegistry } from "../../rpc/mod.ts";
import { ECHO, INIT, type Rpc } from "../../schemas/mod.ts";
import { ChildInit } from "./child_init.ts";
import { NodeChildInit, type RunNodeFunction } from "./node_child.ts";

const silentLog = () => new DebugLog({ timestamps: false }, { writeFile() {}, writeConsole() {} });

/** A runNode stand-in: starts at once (or fails with `failWith`), stops when asked. */
function fakeNode(failWith?: number) {
  const calls: (readonly string[])[] = [];
  let stopped = false;
  const runNode: RunNodeFunction = async (argv, program) => {
    calls.push(argv);
    if (failWith !== undefined) return failWith;
    program.onStarted({} as RpcRegistry<unknown>);
    await program.shutdown.requested;
    stopped = true;
    return 0;
  };
  const rpc: Rpc = { executeRpc: (request) => Promise.resolve(`reply to ${request}`) };
  return { calls, runNode, makeRpc: () => rpc, isStopped: () => stopped };
}

/** The NodeChildInit served over an in-memory channel, and the parent's proxy of it. */
function serve(hooks: ReturnType<typeof fakeNode>) {
  const log = silentLog();
  const init = new NodeChildInit(new ChildInit(log, "freicoin-node-1"), log, hooks);
  const [a, b] = createMemoryStreamPair();
  const server = new RpcConnection(a, { bootstrap: { binding: INIT, impl: init } });
  const client = new RpcConnection(b);
  return { init, server, client, proxy: client.bootstrap(INIT) };
}

Deno.test("startNode runs the node with the parent's arguments and makeRpc then reaches it", async () => {
  const hooks = fakeNode();
  const { init, server, client, proxy } = serve(hooks);
  await proxy.configure(["-chain=regtest"], null);
  await proxy.startNode!(["-regtest", "-datadir=/x"]);
  assert.deepEqual(hooks.calls, [["-regtest", "-datadir=/x"]]);
  const made = await proxy.makeRpc();
  assert.equal(await made.executeRpc("r", "/", "u"), "reply to r");
  await assert.rejects(proxy.startNode!([]), /already started/);
  release(made);
  release(proxy);
  client.close();
  server.close();
  await init.parentGone();
  assert.ok(hooks.isStopped(), "closing the channel stops the node");
});

Deno.test("a child configured without startNode stays an echo child with no RPC", async () => {
  const hooks = fakeNode();
  const { init, server, client, proxy } = serve(hooks);
  await proxy.configure(["-chain=regtest"], null);
  const echo = pipeline(ECHO, proxy.makeEcho());
  assert.equal(await echo.echo("hello"), "hello");
  await assert.rejects(proxy.makeRpc(), /no JSON-RPC server/);
  assert.equal(hooks.calls.length, 0);
  release(echo);
  release(proxy);
  client.close();
  server.close();
  await init.parentGone();
});

Deno.test("startNode fails with the exit code when the node start-up fails", async () => {
  const hooks = fakeNode(1);
  const { init, server, client, proxy } = serve(hooks);
  await assert.rejects(proxy.startNode!(["-regtest"]), /stopped during start-up \(exit code 1\)/);
  release(proxy);
  client.close();
  server.close();
  await init.parentGone();
});
