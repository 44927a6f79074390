import assert from "node:assert/strict";
import { encodeCaptureRecord, MessageCapture } from "./message_capture.ts";

Deno.test("a capture record is time, NUL-padded type, length and payload", () => {
  const record = encodeCaptureRecord(1_700_000_000_123_456, "ping", new Uint8Array([1, 2, 3]));
  assert.equal(record.length, 8 + 12 + 4 + 3);
  const view = new DataView(record.buffer);
  assert.equal(view.getBigInt64(0, true), 1_700_000_000_123_456n);
  assert.deepEqual([...record.subarray(8, 20)], [112, 105, 110, 103, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(view.getUint32(20, true), 3);
  assert.deepEqual([...record.subarray(24)], [1, 2, 3]);
});

Deno.test("captures go to <addr_port>/msgs_sent.dat and msgs_recv.dat, appended", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const capture = new MessageCapture(`${dir}/message_capture`);
    const peer = { network: 1, ip: new Uint8Array([127, 0, 0, 1]), port: 18444 };
    capture.record(peer, "verack", new Uint8Array(), { incoming: false, timeMicros: 1 });
    capture.record(peer, "verack", new Uint8Array(), { incoming: false, timeMicros: 2 });
    capture.record(peer, "pong", new Uint8Array(8), { incoming: true, timeMicros: 3 });
    const sent = Deno.readFileSync(`${dir}/message_capture/127.0.0.1_18444/msgs_sent.dat`);
    const received = Deno.readFileSync(`${dir}/message_capture/127.0.0.1_18444/msgs_recv.dat`);
    assert.equal(sent.length, 2 * 24);
    assert.equal(received.length, 24 + 8);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
