import assert from "node:assert/strict";
import { DecodeError } from "../../../kernel/encoding/mod.ts";
import { BlockLocator } from "../../../kernel/primitives/mod.ts";
import { regtestChain } from "../chain/_test_support.ts";
import { decodePayload, encodePayload, type NetMessage } from "./messages.ts";
import { ALL_NET_MESSAGE_TYPES, type NetMessageType } from "./protocol.ts";

const { blocks } = regtestChain();
const block = blocks[120];
const tx = block.transactions[0];
const hash = (n: number) => new Uint8Array(32).fill(n);

/** One sample of every message we encode. */
const SAMPLES: NetMessage[] = [
  {
    type: "version",
    version: {
      version: 70017,
      services: 1033n,
      time: 1_795_000_000n,
      addrRecv: { network: 1, ip: new Uint8Array([127, 0, 0, 1]), port: 18444 },
      addrRecvServices: 9n,
      addrFrom: { network: 2, ip: new Uint8Array(16), port: 0 },
      addrFromServices: 1033n,
      nonce: 0x0123456789abcdefn,
      userAgent: "/Satoshi:27.1.1(testnode0)/",
      startHeight: 157,
      relay: true,
    },
  },
  { type: "verack" },
  { type: "sendheaders" },
  { type: "getaddr" },
  { type: "mempool" },
  { type: "wtxidrelay" },
  { type: "sendaddrv2" },
  { type: "filterclear" },
  { type: "ping", nonce: 42n },
  { type: "pong", nonce: 2n ** 64n - 1n, payloadSize: 8 },
  { type: "inv", inventory: [{ type: 2, hash: hash(1) }, { type: 5, hash: hash(2) }] },
  { type: "getdata", inventory: [{ type: 0x40000002, hash: hash(3) }] },
  { type: "notfound", inventory: [] },
  {
    type: "getheaders",
    locator: new BlockLocator([hash(4), hash(5)]),
    hashStop: new Uint8Array(32),
  },
  { type: "getblocks", locator: new BlockLocator([hash(6)]), hashStop: hash(7) },
  { type: "headers", headers: blocks.slice(1, 4).map((b) => b.header) },
  { type: "block", block, bytes: block.toBytes() },
  { type: "tx", tx },
  { type: "feefilter", feeRate: 1000n },
  { type: "sendcmpct", highBandwidth: true, version: 2n },
  {
    type: "addr",
    addresses: [{
      network: 1,
      ip: new Uint8Array([1, 2, 3, 4]),
      port: 8639,
      time: 1_700_000_000,
      services: 9n,
    }],
  },
  {
    type: "addrv2",
    addresses: [{
      network: 4,
      ip: new Uint8Array(32).fill(9),
      port: 8639,
      time: 1_700_000_000,
      services: 1033n,
    }],
  },
  {
    type: "cmpctblock",
    compact: {
      header: block.header,
      nonce: 99n,
      shortIds: [0, 0xffffffffffff, 12345678901],
      prefilled: [{ index: 0, tx }, { index: 4, tx: block.transactions[1] }],
    },
  },
  { type: "getblocktxn", blockHash: hash(8), indexes: [1, 2, 5, 700] },
  { type: "blocktxn", blockHash: hash(9), transactions: [...block.transactions] },
  { type: "sendtxrcncl", version: 1, salt: 77n },
  { type: "merkleblock", payload: new Uint8Array([1, 2, 3]) },
];

function normalize(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v) => {
    if (typeof v === "bigint") return `${v}n`;
    if (v instanceof Uint8Array) return Array.from(v);
    if (v && typeof v === "object" && "toBytes" in v && typeof v.toBytes === "function") {
      return Array.from(v.toBytes() as Uint8Array);
    }
    return v;
  }));
}

for (const sample of SAMPLES) {
  Deno.test(`round-trips a ${sample.type} message`, () => {
    const payload = encodePayload(sample);
    const decoded = decodePayload(sample.type as NetMessageType, payload);
    assert.deepEqual(normalize(decoded), normalize(sample));
    assert.deepEqual(encodePayload(decoded), payload);
  });
}

Deno.test("rejects a version user agent longer than 256 bytes", () => {
  const version = SAMPLES[0] as NetMessage & { type: "version" };
  const long = { ...version, version: { ...version.version, userAgent: "x".repeat(257) } };
  assert.throws(() => decodePayload("version", encodePayload(long)), /String length limit/);
});

Deno.test("reads a bare pre-31402 version with only the receiver's address", () => {
  const payload = encodePayload(SAMPLES[0]).slice(0, 46);
  const decoded = decodePayload("version", payload);
  assert.equal(decoded.type, "version");
  if (decoded.type === "version") assert.equal(decoded.version.userAgent, "");
});

Deno.test("rejects an inv count the payload cannot hold, before allocating", () => {
  const payload = new Uint8Array([0xfe, 0xff, 0xff, 0xff, 0x01]); // 33 million entries
  assert.throws(() => decodePayload("inv", payload), DecodeError);
});

Deno.test("rejects getblocktxn indexes past 16 bits", () => {
  const payload = encodePayload({ type: "getblocktxn", blockHash: hash(1), indexes: [70000] });
  assert.throws(() => decodePayload("getblocktxn", payload), /overflow/);
});

Deno.test("rejects an addrv2 address of the wrong size for its network", () => {
  const payload = new Uint8Array([1, 0, 0, 0, 0, 0, 1, 5, 1, 2, 3, 4, 5, 0x21, 0xbf]);
  assert.throws(() => decodePayload("addrv2", payload), DecodeError);
});

Deno.test("fuzz: truncated, mutated and random payloads only raise decode errors", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const encoded = SAMPLES.map((s) => [s.type, encodePayload(s)] as const);
  let decoded = 0;
  for (let round = 0; round < 3000; round++) {
    const [type, base] = encoded[round % encoded.length];
    let bytes: Uint8Array;
    const mode = round % 3;
    if (mode === 0) bytes = base.slice(0, Math.floor(random() * base.length));
    else if (mode === 1) {
      bytes = base.slice();
      for (let i = 0; i < 1 + random() * 5; i++) {
        if (bytes.length) bytes[Math.floor(random() * bytes.length)] = random() * 256;
      }
    } else {
      bytes = new Uint8Array(Math.floor(random() * 200)).map(() => random() * 256);
    }
    const asType = mode === 2
      ? ALL_NET_MESSAGE_TYPES[Math.floor(random() * ALL_NET_MESSAGE_TYPES.length)]
      : type as NetMessageType;
    try {
      decodePayload(asType, bytes);
      decoded++;
    } catch (error) {
      assert.ok(
        error instanceof DecodeError || error instanceof RangeError,
        `${asType}: ${error}`,
      );
    }
  }
  assert.ok(decoded > 0);
});
