import assert from "node:assert/strict";
import { HttpBindError, HttpServer } from "./http_server.ts";
import { SILENT_RPC_LOGGER } from "./logger.ts";
import { parseSubnet } from "./subnet.ts";
import { RawClient } from "./_test_support.ts";

async function get(port: number, request: string): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    await client.send(request);
    return (await client.readReply()) ?? "";
  } finally {
    client.close();
  }
}

Deno.test("clients outside the allowed subnets get 403", async () => {
  const server = HttpServer.bind({
    endpoints: [{ hostname: "127.0.0.1", port: 0 }],
    allowedSubnets: [parseSubnet("10.0.0.0/8")!],
    logger: SILENT_RPC_LOGGER,
  });
  server.registerHandler("/", true, () => Promise.resolve({ status: 200, body: "hi" }));
  server.start();
  try {
    const reply = await get(server.addresses[0].port, "POST / HTTP/1.1\r\n\r\n");
    assert.match(
      reply,
      /^HTTP\/1.1 403 Forbidden\r\nDate: [^\r]+\r\nContent-Length: 0\r\nContent-Type: text\/html; charset=ISO-8859-1\r\n\r\n$/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("path handlers: exact /, prefix /wallet/, unknown methods", async () => {
  const server = HttpServer.bind({
    endpoints: [{ hostname: "127.0.0.1", port: 0 }],
    allowedSubnets: [parseSubnet("127.0.0.0/8")!],
    logger: SILENT_RPC_LOGGER,
  });
  server.registerHandler("/", true, () => Promise.resolve({ status: 200, body: "root" }));
  server.registerHandler(
    "/wallet/",
    false,
    (_r, sub) => Promise.resolve({ status: 200, body: sub }),
  );
  server.start();
  const port = server.addresses[0].port;
  const body = (reply: string) => reply.slice(reply.indexOf("\r\n\r\n") + 4);
  try {
    assert.equal(body(await get(port, "POST / HTTP/1.1\r\n\r\n")), "root");
    assert.equal(body(await get(port, "POST /wallet/a%20b HTTP/1.1\r\n\r\n")), "a%20b");
    assert.match(await get(port, "POST /x HTTP/1.1\r\n\r\n"), /^HTTP\/1.1 404 Not Found\r\n/);
    assert.match(
      await get(port, "DELETE / HTTP/1.1\r\n\r\n"),
      /^HTTP\/1.1 405 Method Not Allowed\r\n/,
    );
    assert.match(await get(port, "BREW / HTTP/1.1\r\n\r\n"), /^HTTP\/1.1 400 Bad Request\r\n/);
    assert.match(
      await get(port, "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
      /^HTTP\/1.1 400 Bad Request\r\n/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("binding nothing is an error", () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    assert.throws(
      () =>
        HttpServer.bind({
          endpoints: [{ hostname: "127.0.0.1", port: (taken.addr as Deno.NetAddr).port }],
          allowedSubnets: [],
          logger: SILENT_RPC_LOGGER,
        }),
      HttpBindError,
    );
  } finally {
    taken.close();
  }
});
