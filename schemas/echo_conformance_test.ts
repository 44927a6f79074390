/**
 * One conformance suite for Echo, run against the in-process implementation and against a
 * proxy over each kind of connection: callers cannot tell them apart.
 */
import assert from "node:assert/strict";
import { RpcConnection } from "../ipc/rpc/connection.ts";
import { pipeline } from "../ipc/rpc/interface.ts";
import { memoryPair, socketPair } from "../ipc/rpc/_test_streams.ts";
import { ECHO, type Echo, INIT, type Init } from "./mod.ts";

const LOCAL_ECHO: Echo = { echo: (text) => Promise.resolve(text) };
const LOCAL_INIT: Init = {
  makeEcho: () => Promise.resolve(LOCAL_ECHO),
  configure: () => Promise.reject(new Error("not a spawned child")),
  makeRpc: () => Promise.reject(new Error("no RPC here")),
};

async function conformance(init: Init): Promise<void> {
  using echo = pipeline(ECHO, init.makeEcho());
  for (const text of ["hello", "", "ünïcödé ✓ 🚀", "line\nbreak\0nul", "x".repeat(100_000)]) {
    assert.equal(await echo.echo(text), text);
  }
  const many = await Promise.all(Array.from({ length: 100 }, (_, i) => echo.echo(`#${i}`)));
  assert.deepEqual(many, Array.from({ length: 100 }, (_, i) => `#${i}`));
  const controller = new AbortController();
  controller.abort();
  // An aborted call either never starts (remote) or is ignored by a trivially fast local echo.
  await echo.echo("x", { signal: controller.signal }).catch((e: Error) => {
    assert.equal(e.name, "AbortError");
  });
}

Deno.test("Echo conformance: in-process implementation", async () => {
  await conformance(LOCAL_INIT);
});

Deno.test("Echo conformance: proxy over an in-memory stream", async () => {
  const [a, b] = memoryPair();
  const server = new RpcConnection(b, { bootstrap: { binding: INIT, impl: LOCAL_INIT } });
  const client = new RpcConnection(a);
  using init = client.bootstrap(INIT);
  await conformance(init);
  client.close();
  server.close();
});

Deno.test("Echo conformance: proxy over a unix socket", async () => {
  const pair = await socketPair("unix");
  const server = new RpcConnection(pair.server, { bootstrap: { binding: INIT, impl: LOCAL_INIT } });
  const client = new RpcConnection(pair.client);
  using init = client.bootstrap(INIT);
  await conformance(init);
  client.close();
  server.close();
  await pair.close();
});
