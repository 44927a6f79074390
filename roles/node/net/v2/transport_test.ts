import assert from "node:assert/strict";
import { FrameError, type ReceivedFrame } from "../wire_frame.ts";
import { createTransport, type Transport, V1Transport } from "./transport.ts";
import { V2Transport } from "./v2_transport.ts";

const MAGIC = new Uint8Array([0x2c, 0xfe, 0x7e, 0x6d]);

function deliver(from: Transport, to: Transport): ReceivedFrame[] {
  return to.receive(from.takeBytesToSend());
}

Deno.test("a v1 outbound peer and a v2-capable inbound peer talk v1", () => {
  const outbound = createTransport({ magic: MAGIC, inbound: false, useV2: false });
  const inbound = createTransport({ magic: MAGIC, inbound: true, useV2: true });
  assert.ok(outbound instanceof V1Transport);
  assert.ok(inbound instanceof V2Transport);
  outbound.send("version", new Uint8Array([1]));
  const frames = deliver(outbound, inbound);
  assert.equal(frames.length, 1);
  assert.equal(frames[0].kind === "message" && frames[0].command, "version");
  assert.equal(inbound.protocolType, "v1");
  inbound.send("version", new Uint8Array([2]));
  inbound.send("verack", new Uint8Array(0));
  const replies = deliver(inbound, outbound);
  assert.deepEqual(replies.map((f) => f.kind === "message" ? f.command : f.kind), [
    "version",
    "verack",
  ]);
});

Deno.test("a v2 outbound peer meeting a v1-only peer is dropped and may retry with v1", () => {
  const outbound = createTransport({ magic: MAGIC, inbound: false, useV2: true });
  const v1Only = createTransport({ magic: MAGIC, inbound: true, useV2: false });
  outbound.send("version", new Uint8Array([1]));
  // The v1 peer sees a random key where a header should be and disconnects.
  assert.throws(() => deliver(outbound, v1Only), FrameError);
  assert.equal(outbound.shouldReconnectV1(), true);
  assert.equal(v1Only.shouldReconnectV1(), false);
});

Deno.test("two v2 peers report v2 and the same session id", () => {
  const outbound = createTransport({ magic: MAGIC, inbound: false, useV2: true });
  const inbound = createTransport({ magic: MAGIC, inbound: true, useV2: true });
  deliver(outbound, inbound);
  deliver(inbound, outbound);
  deliver(outbound, inbound);
  assert.equal(outbound.protocolType, "v2");
  assert.equal(inbound.protocolType, "v2");
  assert.ok(outbound.sessionId !== null);
  assert.deepEqual(outbound.sessionId, inbound.sessionId);
});

Deno.test("two v2 transports talk over a real TCP connection on loopback", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const [client, server] = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port }),
    listener.accept(),
  ]);
  listener.close();
  const outbound = createTransport({ magic: MAGIC, inbound: false, useV2: true });
  const inbound = createTransport({ magic: MAGIC, inbound: true, useV2: true });

  /** Reads and answers until `want` messages arrived on `transport`. */
  async function serve(conn: Deno.Conn, transport: Transport, want: number) {
    const got: string[] = [];
    const buffer = new Uint8Array(4096); // reused on purpose: the transport must copy
    const flush = async () => {
      const out = transport.takeBytesToSend();
      if (out.length > 0) await conn.write(out);
    };
    await flush();
    while (got.length < want) {
      const n = await conn.read(buffer);
      if (n === null) break;
      for (const frame of transport.receive(buffer.subarray(0, n))) {
        if (frame.kind === "message") {
          got.push(`${frame.command}:${frame.payload.length}`);
          if (frame.command === "ping") transport.send("pong", frame.payload);
        }
      }
      await flush();
    }
    return got;
  }

  outbound.send("version", new Uint8Array(100));
  outbound.send("ping", new Uint8Array(8));
  outbound.send("block", new Uint8Array(200_000));
  const [clientGot, serverGot] = await Promise.all([
    serve(client, outbound, 1),
    serve(server, inbound, 3),
  ]);
  client.close();
  server.close();
  assert.deepEqual(serverGot, ["version:100", "ping:8", "block:200000"]);
  assert.deepEqual(clientGot, ["pong:8"]);
  assert.equal(outbound.protocolType, "v2");
});
