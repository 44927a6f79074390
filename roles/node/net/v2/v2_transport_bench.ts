// Throughput of established v2 sessions: `deno bench --allow-all roles/node/net/v2/v2_transport_bench.ts`.
import { V2Transport } from "./v2_transport.ts";

const MAGIC = new Uint8Array([0x2c, 0xfe, 0x7e, 0x6d]);
const PAYLOAD = new Uint8Array(1024).fill(7);

function established(): [V2Transport, V2Transport] {
  const a = new V2Transport({ magic: MAGIC, initiating: true });
  const b = new V2Transport({ magic: MAGIC, initiating: false });
  b.receive(a.takeBytesToSend());
  a.receive(b.takeBytesToSend());
  b.receive(a.takeBytesToSend());
  return [a, b];
}

const [sender, receiver] = established();

Deno.bench("v2 encrypt 1 KiB tx message", () => {
  sender.send("tx", PAYLOAD);
  sender.takeBytesToSend();
});

const [sender2, receiver2] = established();
Deno.bench("v2 encrypt + decrypt 1 KiB tx message", () => {
  sender2.send("tx", PAYLOAD);
  receiver2.receive(sender2.takeBytesToSend());
});

Deno.bench("v2 handshake (both sides, incl. ElligatorSwift + ECDH)", () => {
  established();
});

void receiver;
