/**
 * Bounded fuzzing of a serving connection: random bytes, random frames and mutations of real
 * traffic must end the connection with a logged reason (or be answered), never throw out of the
 * runtime or leave an unhandled rejection.
 */
import assert from "node:assert/strict";
import type { ByteStream } from "../byte_stream.ts";
import { encodeFrame, FrameReader } from "../framing.ts";
import { RpcConnection } from "./connection.ts";
import { pipeline } from "./interface.ts";
import { MemoryLogger, memoryPair } from "./_test_streams.ts";
import { COUNTER, CounterImpl, PEER, PeerImpl } from "../../tests/interop/peer_binding.ts";

/** Records every chunk written to a stream. */
function recording(stream: ByteStream, into: Uint8Array[]): ByteStream {
  return {
    description: stream.description,
    write: (bytes) => {
      into.push(bytes.slice());
      stream.write(bytes);
    },
    onData: (r) => stream.onData(r),
    onClose: (l) => stream.onClose(l),
    close: () => stream.close(),
  };
}

/** Real client traffic, as one frame per message. */
async function captureClientFrames(): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const [a, b] = memoryPair();
  const server = new RpcConnection(b, { bootstrap: { binding: PEER, impl: new PeerImpl() } });
  const client = new RpcConnection(recording(a, chunks));
  using peer = client.bootstrap(PEER);
  await peer.echo("hello");
  await peer.fail("x").catch(() => {});
  using counter = pipeline(COUNTER, peer.makeCounter(3));
  await counter.next();
  await peer.callBack({ call: (t) => Promise.resolve(t) }, "cb");
  using back = pipeline(COUNTER, peer.identity(new CounterImpl(1)));
  await back.next();
  const controller = new AbortController();
  const waiting = peer.wait({ signal: controller.signal }).catch(() => {});
  await peer.echo("sync");
  controller.abort();
  await waiting;
  client.close();
  server.close();
  const frames: Uint8Array[] = [];
  const reader = new FrameReader((f) => frames.push(encodeFrame(f.map((s) => new Uint8Array(s)))));
  for (const c of chunks) reader.push(c);
  return frames;
}

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

/** Sends `input` to a fresh serving connection; returns whether it closed and the log. */
async function feed(input: Uint8Array[]): Promise<{ closed: boolean; log: string[] }> {
  const [raw, served] = memoryPair();
  const log = new MemoryLogger(false);
  const server = new RpcConnection(served, {
    bootstrap: { binding: PEER, impl: new PeerImpl() },
    logger: log,
  });
  raw.onData(() => {});
  for (const chunk of input) raw.write(chunk);
  await new Promise((r) => setTimeout(r, 0));
  const closed = server.closed;
  server.close();
  raw.close();
  return { closed, log: log.lines };
}

Deno.test("fuzz: random bytes end the connection with a logged reason", async () => {
  const rand = rng(1);
  for (let i = 0; i < 500; i++) {
    const bytes = new Uint8Array(8 + rand(200)).map(() => rand(256));
    const { closed, log } = await feed([bytes]);
    if (closed) assert.match(log.join("\n"), /ended: /);
  }
});

Deno.test("fuzz: well-framed random segments end the connection or are answered", async () => {
  const rand = rng(2);
  let closedCount = 0;
  for (let i = 0; i < 1000; i++) {
    const segments: Uint8Array[] = [];
    for (let s = 0; s < 1 + rand(3); s++) {
      segments.push(new Uint8Array(8 * (1 + rand(12))).map(() => (rand(3) === 0 ? rand(256) : 0)));
    }
    const { closed, log } = await feed([encodeFrame(segments)]);
    if (closed) {
      closedCount++;
      assert.match(log.join("\n"), /ended: /);
    }
  }
  assert.ok(closedCount > 0);
});

Deno.test("fuzz: mutated real messages never crash the runtime", async () => {
  const frames = await captureClientFrames();
  assert.ok(frames.length > 10);
  const rand = rng(3);
  for (let i = 0; i < 2000; i++) {
    // A valid prefix of the session, then one mutated message.
    const prefix = frames.slice(0, rand(frames.length));
    const victim = frames[rand(frames.length)].slice();
    const flips = 1 + rand(4);
    for (let f = 0; f < flips; f++) {
      const at = rand(victim.length);
      victim[at] = rand(4) === 0 ? 0xff : victim[at] ^ (1 << rand(8));
    }
    const cut = rand(5) === 0 ? victim.subarray(0, rand(victim.length)) : victim;
    await feed([...prefix, cut]);
  }
});
