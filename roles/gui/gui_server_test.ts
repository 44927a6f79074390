import assert from "node:assert/strict";
import { startGuiServer } from "./gui_server.ts";
import { NodeLink } from "./node_link.ts";

const SILENT = {
  info() {},
  warning() {},
  error() {},
  debug() {},
  trace() {},
  willLog: () => false,
};

/** A server over a link that was never started (the node is down). */
function serve() {
  const link = new NodeLink(
    { kind: "connect", address: "unix", networkDir: "/nonexistent" },
    SILENT,
  );
  return startGuiServer({ link, port: 0, token: "t0ken" });
}

async function call(
  port: number,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: response.status, body: await response.text() };
}

Deno.test("serves the page without a token, and the URL carries the token", async () => {
  const server = serve();
  try {
    assert.equal(server.url, `http://127.0.0.1:${server.port}/#token=t0ken`);
    const page = await call(server.port, "/");
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Freicoin<\/title>/);
    assert.equal((await call(server.port, "/app.js")).status, 200);
    assert.equal((await call(server.port, "/nothing")).status, 404);
  } finally {
    await server.close();
  }
});

Deno.test("refuses API calls without the token (another site or user cannot drive the node)", async () => {
  const server = serve();
  try {
    assert.equal((await call(server.port, "/api/node")).status, 403);
    const wrong = { headers: { "x-gui-token": "guess" } };
    assert.equal((await call(server.port, "/api/node", wrong)).status, 403);
    const rpc = { method: "POST", body: '{"method":"stop"}' };
    assert.equal((await call(server.port, "/api/rpc", rpc)).status, 403);
  } finally {
    await server.close();
  }
});

Deno.test("rejects malformed RPC calls and answers 503 while the node is down", async () => {
  const server = serve();
  const post = (body: string | Uint8Array<ArrayBuffer>) =>
    call(server.port, "/api/rpc", { method: "POST", headers: { "x-gui-token": "t0ken" }, body });
  try {
    const state = await call(server.port, "/api/node", { headers: { "x-gui-token": "t0ken" } });
    assert.deepEqual(JSON.parse(state.body), {
      state: "down",
      mode: "connected",
      reason: "not started",
    });
    assert.equal((await post("not json")).status, 400);
    assert.equal((await post("null")).status, 400);
    assert.equal((await post('{"method":1}')).status, 400);
    assert.equal((await post('{"method":"x","params":{}}')).status, 400);
    assert.equal((await post('{"method":"x","wallet":3}')).status, 400);
    assert.equal((await post(new Uint8Array((1 << 20) + 1))).status, 413);
    const down = await post('{"method":"getblockcount"}');
    assert.equal(down.status, 503);
    assert.match(JSON.parse(down.body).error, /the node is down/);
  } finally {
    await server.close();
  }
});

Deno.test("never crashes on random API bodies (bounded fuzz)", async () => {
  const server = serve();
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pieces = ['{"method":', '"getblockcount"', ',"params":', "[", "]", "{", "}", '"', ","];
  try {
    for (let i = 0; i < 100; i++) {
      let body = "";
      for (let j = Math.floor(random() * 10); j > 0; j--) {
        body += pieces[Math.floor(random() * pieces.length)];
      }
      const reply = await call(server.port, "/api/rpc", {
        method: "POST",
        headers: { "x-gui-token": "t0ken" },
        body,
      });
      assert.ok([400, 503].includes(reply.status), `${reply.status} for ${body}`);
      JSON.parse(reply.body);
    }
  } finally {
    await server.close();
  }
});
