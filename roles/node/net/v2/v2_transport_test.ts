import assert from "node:assert/strict";
import { encodeFrame, FrameError, type ReceivedFrame } from "../wire_frame.ts";
import { MAX_GARBAGE_LEN, V2Transport, V2TransportError } from "./v2_transport.ts";
import { decodeV2Contents, encodeV2Contents, V2_MESSAGE_IDS } from "./message_ids.ts";

const MAGIC = new Uint8Array([0x2c, 0xfe, 0x7e, 0x6d]);

/** A small deterministic PRNG so failures reproduce. */
function prng(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

function bytesFrom(random: (n: number) => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = random(256);
  return out;
}

/** Moves `from`'s pending output into `to` in random-sized chunks; returns what `to` produced. */
function pump(from: V2Transport, to: V2Transport, random: (n: number) => number): ReceivedFrame[] {
  const bytes = from.takeBytesToSend();
  const frames: ReceivedFrame[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const size = 1 + random(random(2) === 0 ? 8 : 700);
    frames.push(...to.receive(bytes.subarray(pos, pos + size)));
    pos += size;
  }
  return frames;
}

function connect(seed: number, garbage?: [number, number]) {
  const random = prng(seed);
  const initiator = new V2Transport({
    magic: MAGIC,
    initiating: true,
    garbage: garbage ? bytesFrom(random, garbage[0]) : undefined,
  });
  const responder = new V2Transport({
    magic: MAGIC,
    initiating: false,
    garbage: garbage ? bytesFrom(random, garbage[1]) : undefined,
  });
  return { initiator, responder, random };
}

function messages(frames: ReceivedFrame[]) {
  return frames.map((f) => {
    assert.equal(f.kind, "message");
    return f.kind === "message" ? [f.command, Array.from(f.payload)] : [];
  });
}

Deno.test("two V2Transports complete the handshake and exchange messages over a chunked pipe", async (t) => {
  for (
    const [seed, garbage] of [[1, [0, 0]], [2, [MAX_GARBAGE_LEN, 17]], [3, undefined]] as const
  ) {
    await t.step(`seed ${seed}`, () => {
      const { initiator, responder, random } = connect(seed, garbage ? [...garbage] : undefined);
      // Messages queued before the handshake are sent once the keys exist.
      initiator.send("version", new Uint8Array([1, 2, 3]));
      assert.equal(initiator.protocolType, "detecting");
      let toResponder: ReceivedFrame[] = [];
      let toInitiator: ReceivedFrame[] = [];
      for (let round = 0; round < 3; round++) {
        toResponder = toResponder.concat(pump(initiator, responder, random));
        toInitiator = toInitiator.concat(pump(responder, initiator, random));
      }
      assert.equal(initiator.protocolType, "v2");
      assert.equal(responder.protocolType, "v2");
      assert.deepEqual(initiator.sessionId, responder.sessionId);
      assert.deepEqual(messages(toResponder), [["version", [1, 2, 3]]]);
      assert.deepEqual(toInitiator, []);

      // Every short id and some long types, both ways, with decoys in between.
      const sent: [string, number[]][] = [];
      for (const command of [...V2_MESSAGE_IDS.filter((c) => c !== ""), "verack", "wtxidrelay"]) {
        const payload = Array.from(bytesFrom(random, random(3) === 0 ? 3000 : random(40)));
        sent.push([command, payload]);
        initiator.send(command, new Uint8Array(payload));
        responder.send(command, new Uint8Array(payload));
        if (random(4) === 0) initiator.sendDecoy(random(100));
        if (random(4) === 0) responder.sendDecoy(random(100));
      }
      assert.deepEqual(messages(pump(initiator, responder, random)), sent);
      assert.deepEqual(messages(pump(responder, initiator, random)), sent);
    });
  }
});

Deno.test("a message's wire size is its contents plus 20 bytes", () => {
  const { initiator, responder, random } = connect(4);
  pump(initiator, responder, random);
  pump(responder, initiator, random);
  pump(initiator, responder, random);
  assert.equal(initiator.send("ping", new Uint8Array(8)), 1 + 8 + 20);
  assert.equal(initiator.send("verack", new Uint8Array(0)), 13 + 20);
  const frames = pump(initiator, responder, random);
  assert.deepEqual(frames.map((f) => f.rawSize), [29, 33]);
});

Deno.test("a responder falls back to v1 when the peer opens with a v1 version message", () => {
  const responder = new V2Transport({ magic: MAGIC, initiating: false });
  const version = encodeFrame(MAGIC, "version", new Uint8Array([9, 9]));
  const verack = encodeFrame(MAGIC, "verack", new Uint8Array(0));
  const wire = new Uint8Array([...version, ...verack]);
  const frames: ReceivedFrame[] = [];
  for (let i = 0; i < wire.length; i += 5) {
    frames.push(...responder.receive(wire.subarray(i, i + 5)));
  }
  assert.equal(responder.protocolType, "v1");
  assert.equal(responder.takeBytesToSend().length, 0, "sent no key to a v1 peer");
  assert.deepEqual(messages(frames), [["version", [9, 9]], ["verack", []]]);
  assert.equal(responder.send("verack", new Uint8Array(0)), 24);
  assert.deepEqual(responder.takeBytesToSend(), verack);
});

Deno.test("a responder rejects a v1 version message with another network's magic", () => {
  const responder = new V2Transport({ magic: MAGIC, initiating: false });
  const foreign = encodeFrame(
    new Uint8Array([0xf9, 0xbe, 0xb4, 0xd9]),
    "version",
    new Uint8Array(80),
  );
  assert.throws(() => responder.receive(foreign), (e) => {
    assert.ok(e instanceof V2TransportError);
    assert.equal(e.message, "V2 transport error: V1 peer with wrong MessageStart f9beb4d9");
    return true;
  });
});

Deno.test("an initiator that received nothing may reconnect with v1", () => {
  const initiator = new V2Transport({ magic: MAGIC, initiating: true });
  assert.equal(initiator.shouldReconnectV1(), false, "nothing sent yet");
  assert.ok(initiator.takeBytesToSend().length >= 64);
  assert.equal(initiator.shouldReconnectV1(), true);
  initiator.receive(new Uint8Array([1]));
  assert.equal(initiator.shouldReconnectV1(), false);
});

Deno.test("more than 4095 bytes of garbage end the session", () => {
  const key = new V2Transport({ magic: MAGIC, initiating: true, garbage: new Uint8Array(0) })
    .takeBytesToSend();
  const fresh = new V2Transport({ magic: MAGIC, initiating: false });
  fresh.receive(key);
  assert.throws(
    () => fresh.receive(new Uint8Array(MAX_GARBAGE_LEN + 16)),
    /V2 transport error: missing garbage terminator/,
  );
  assert.throws(() => fresh.receive(new Uint8Array(1)), V2TransportError, "stays dead");
});

Deno.test("a damaged packet ends the session with a decryption failure", () => {
  const { initiator, responder, random } = connect(6, [10, 10]);
  pump(initiator, responder, random);
  pump(responder, initiator, random);
  pump(initiator, responder, random);
  initiator.send("ping", new Uint8Array(8));
  const packet = initiator.takeBytesToSend();
  packet[10] ^= 1;
  assert.throws(
    () => responder.receive(packet),
    /V2 transport error: packet decryption failure \(9 bytes\)/,
  );
});

Deno.test("a packet whose length exceeds the limit ends the session before any allocation", () => {
  const { initiator, responder, random } = connect(7, [0, 0]);
  pump(initiator, responder, random);
  pump(responder, initiator, random);
  pump(initiator, responder, random);
  // Flip the encrypted length's top byte: the decrypted length becomes huge.
  initiator.send("ping", new Uint8Array(8));
  const packet = initiator.takeBytesToSend();
  packet[2] ^= 0x80;
  assert.throws(() => responder.receive(packet.subarray(0, 3)), /packet too large/);
});

Deno.test("an unknown message type is rejected without ending the session", () => {
  assert.equal(decodeV2Contents(new Uint8Array([33])), null);
  assert.equal(decodeV2Contents(new Uint8Array(0)), null);
  assert.equal(decodeV2Contents(new Uint8Array([0, 0x41])), null, "long type too short");
  const bad = new Uint8Array(13);
  bad[1] = 0x41;
  bad[3] = 0x42; // non-NUL after a NUL
  assert.equal(decodeV2Contents(bad), null);
  assert.deepEqual(
    decodeV2Contents(new Uint8Array([29, 5]))?.command,
    "",
    "unassigned id: empty type",
  );
  assert.deepEqual(
    decodeV2Contents(encodeV2Contents("ping", new Uint8Array([1])))?.command,
    "ping",
  );
  assert.equal(encodeV2Contents("ping", new Uint8Array(0)).length, 1, "short id used");
  assert.equal(encodeV2Contents("version", new Uint8Array(0)).length, 13, "long encoding");
});

Deno.test("a packet with an invalid message type is dropped and the session goes on", () => {
  const { initiator, responder, random } = connect(8, [0, 0]);
  pump(initiator, responder, random);
  pump(responder, initiator, random);
  pump(initiator, responder, random);
  initiator.send("\x01bad", new Uint8Array([1, 2]));
  initiator.send("pong", new Uint8Array([3]));
  const frames = pump(initiator, responder, random);
  assert.equal(frames.length, 2);
  assert.equal(frames[0].kind, "rejected");
  assert.equal(frames[0].rawSize, 13 + 2 + 20);
  assert.deepEqual(messages(frames.slice(1)), [["pong", [3]]]);
});

Deno.test("random bytes never crash a transport (bounded fuzz)", () => {
  const random = prng(99);
  for (let run = 0; run < 200; run++) {
    const transport = new V2Transport({ magic: MAGIC, initiating: random(2) === 0 });
    try {
      for (let chunk = 0; chunk < 20; chunk++) transport.receive(bytesFrom(random, random(300)));
    } catch (error) {
      assert.ok(error instanceof FrameError, `unexpected ${error}`);
    }
  }
});

Deno.test("mutated handshakes and packets end the session with an error, never a crash (bounded fuzz)", () => {
  const random = prng(7);
  for (let run = 0; run < 60; run++) {
    const { initiator, responder } = connect(1000 + run, [random(50), random(50)]);
    initiator.send("version", bytesFrom(random, random(120)));
    initiator.send("ping", new Uint8Array(8));
    const wire = initiator.takeBytesToSend();
    for (let flips = 1 + random(3); flips > 0; flips--) wire[random(wire.length)] ^= 1 << random(8);
    try {
      responder.receive(wire);
      initiator.receive(responder.takeBytesToSend());
    } catch (error) {
      assert.ok(error instanceof FrameError, `unexpected ${error}`);
    }
  }
});
