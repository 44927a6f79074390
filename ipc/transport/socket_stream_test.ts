import assert from "node:assert/strict";
import net from "node:net";
import { socketToByteStream } from "./socket_stream.ts";
import type { ByteStream, CloseReason } from "../byte_stream.ts";

/** A connected pair over TCP loopback: our stream, and the raw peer socket. */
async function pair(): Promise<{ stream: ByteStream; peer: net.Socket; server: net.Server }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const port = (server.address() as net.AddressInfo).port;
  const peerReady = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
  const socket = net.connect({ host: "127.0.0.1", port });
  await new Promise((resolve) => socket.once("connect", resolve));
  const peer = await peerReady;
  server.close();
  return { stream: socketToByteStream(socket, "test"), peer, server };
}

function closeReason(stream: ByteStream): Promise<CloseReason> {
  return new Promise((resolve) => stream.onClose(resolve));
}

function peerData(peer: net.Socket): { bytes: () => number[]; ended: Promise<void> } {
  const got: number[] = [];
  peer.on("data", (d: Uint8Array) => got.push(...d));
  const ended = new Promise<void>((resolve) => peer.on("close", () => resolve()));
  peer.on("end", () => peer.end());
  return { bytes: () => got, ended };
}

Deno.test("chunks that arrive before a receiver is set are delivered to it in order", async () => {
  const { stream, peer } = await pair();
  peer.write(new Uint8Array([1, 2]));
  await new Promise((r) => setTimeout(r, 30));
  peer.write(new Uint8Array([3]));
  await new Promise((r) => setTimeout(r, 30));
  const got: number[] = [];
  stream.onData((chunk) => {
    assert.equal(Object.getPrototypeOf(chunk), Uint8Array.prototype, "not a plain Uint8Array");
    got.push(...chunk);
  });
  assert.deepEqual(got, [1, 2, 3]);
  const closed = closeReason(stream);
  peer.end();
  assert.equal(await closed, undefined);
});

Deno.test("close() flushes queued writes, then both ends close; later writes are ignored", async () => {
  const { stream, peer } = await pair();
  const seen = peerData(peer);
  const buffer = new Uint8Array(100_000).fill(5);
  stream.write(buffer);
  buffer.fill(6); // the stream kept its own copy
  stream.close();
  stream.write(new Uint8Array([9]));
  stream.close(); // idempotent
  assert.equal(await closeReason(stream), undefined);
  await seen.ended;
  assert.equal(seen.bytes().length, 100_000);
  assert.ok(seen.bytes().every((b) => b === 5));
});

Deno.test("a close listener added after the close still runs, once", async () => {
  const { stream, peer } = await pair();
  peer.end();
  await closeReason(stream);
  let calls = 0;
  stream.onClose(() => calls++);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(calls, 1);
});

Deno.test("a reset by the peer closes the stream with an error reason", async () => {
  const { stream, peer } = await pair();
  stream.onData(() => {});
  const closed = closeReason(stream);
  peer.resetAndDestroy();
  const reason = await closed;
  assert.ok(reason instanceof Error, `reason was ${reason}`);
});
