import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  authenticateAsClient,
  authenticateAsListener,
  AuthenticationError,
  HANDSHAKE_MAGIC,
  HELLO_BYTES,
  PROOF_BYTES,
} from "./authenticated_stream.ts";
import { createMemoryStreamPair } from "./memory_stream.ts";
import type { ByteStream } from "../byte_stream.ts";

const secret = new Uint8Array(32).fill(7);

function collect(stream: ByteStream): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  stream.onData((c) => chunks.push(c));
  return chunks;
}

function closed(stream: ByteStream): Promise<void> {
  return new Promise((resolve) => stream.onClose(() => resolve()));
}

Deno.test("both sides with the same secret authenticate and then exchange bytes", async () => {
  const [client, listener] = createMemoryStreamPair();
  const [a, b] = await Promise.all([
    authenticateAsClient(client, secret),
    authenticateAsListener(listener, secret),
  ]);
  const atB = collect(b);
  const atA = collect(a);
  a.write(new Uint8Array([1, 2, 3]));
  b.write(new Uint8Array([4]));
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(atB, [new Uint8Array([1, 2, 3])]);
  assert.deepEqual(atA, [new Uint8Array([4])]);
  a.close();
  await Promise.all([closed(a), closed(b)]);
});

Deno.test("a wrong secret is refused, and the listener sends nothing after HELLO", async () => {
  const [client, listener] = createMemoryStreamPair();
  const seenByClient: Uint8Array[] = [];
  const wrong = new Uint8Array(32).fill(8);
  // Watch the raw bytes the client receives by wrapping its receiver registration.
  const original = client.onData.bind(client);
  client.onData = (receiver) =>
    original((chunk) => {
      seenByClient.push(chunk);
      receiver(chunk);
    });
  const results = await Promise.allSettled([
    authenticateAsClient(client, wrong),
    authenticateAsListener(listener, secret),
  ]);
  assert.equal(results[0].status, "rejected");
  assert.equal(results[1].status, "rejected");
  const clientError = (results[0] as PromiseRejectedResult).reason;
  const listenerError = (results[1] as PromiseRejectedResult).reason;
  assert.ok(clientError instanceof AuthenticationError);
  assert.match(clientError.message, /refused the IPC cookie secret/);
  assert.ok(listenerError instanceof AuthenticationError);
  assert.match(listenerError.message, /does not know the IPC cookie secret/);
  const received = seenByClient.reduce((n, c) => n + c.length, 0);
  assert.equal(received, HELLO_BYTES);
});

Deno.test("a client rejects a listener that does not know the secret", async () => {
  const [client, fake] = createMemoryStreamPair();
  // A fake listener: valid HELLO, then 32 bytes of garbage instead of the right ACCEPT.
  fake.onData(() => fake.write(new Uint8Array(32)));
  fake.write(new Uint8Array([...HANDSHAKE_MAGIC, ...new Uint8Array(32)]));
  await assert.rejects(
    authenticateAsClient(client, secret),
    /listener does not know the IPC cookie secret/,
  );
});

Deno.test("a peer speaking another protocol is refused", async () => {
  const [client, listener] = createMemoryStreamPair();
  client.onData(() => {});
  client.write(new Uint8Array(PROOF_BYTES).fill(0x41));
  await assert.rejects(authenticateAsListener(listener, secret), /wrong protocol/);
});

Deno.test("a silent peer times out", async () => {
  const [client, listener] = createMemoryStreamPair();
  client.onData(() => {});
  await assert.rejects(
    authenticateAsListener(listener, secret, { timeoutMs: 20 }),
    /timed out/,
  );
  await closed(client);
});

Deno.test("bytes that arrive together with the handshake are delivered afterwards", async () => {
  const [client, listener] = createMemoryStreamPair();
  const listening = authenticateAsListener(listener, secret);
  // Hand-rolled client that pipelines data right behind its proof, in the same chunk.
  const hello = await new Promise<Uint8Array>((resolve) => client.onData(resolve));
  const { createHmac } = await import("node:crypto");
  const clientNonce = new Uint8Array(32).fill(1);
  const mac = createHmac("sha256", secret)
    .update("freicoin-ipc client")
    .update(hello.subarray(8))
    .update(clientNonce)
    .digest();
  client.write(new Uint8Array([...HANDSHAKE_MAGIC, ...clientNonce, ...mac, 9, 9, 9]));
  const stream = await listening;
  const got = collect(stream);
  assert.deepEqual(got, [new Uint8Array([9, 9, 9])]);
  stream.close();
  await closed(stream);
});

Deno.test("fuzz: random proofs never authenticate and only fail with AuthenticationError", async () => {
  for (let i = 0; i < 200; i++) {
    const [client, listener] = createMemoryStreamPair();
    client.onData(() => {});
    const junk = new Uint8Array(randomBytes(1 + (i * 37) % 150));
    if (i % 2 === 0) junk.set(HANDSHAKE_MAGIC.subarray(0, Math.min(8, junk.length)));
    client.write(junk);
    if (junk.length < PROOF_BYTES) client.close();
    const result = await authenticateAsListener(listener, secret, { timeoutMs: 1000 }).then(
      () => "accepted",
      (error) => error,
    );
    assert.ok(result instanceof AuthenticationError, String(result));
  }
});
