import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { addressGroup, AddrMan } from "./addrman.ts";
import { parseIp } from "./net_address.ts";

const NOW = 1_795_000_000;

function entry(text: string, port = 8639) {
  return { ...parseIp(text, port)!, services: 9n, time: NOW };
}

Deno.test("groups addresses by /16 for IPv4, /32 for IPv6, one group for local ones", () => {
  assert.deepEqual([...addressGroup(parseIp("1.2.3.4", 0)!)], [1, 1, 2]);
  assert.deepEqual([...addressGroup(parseIp("2803:0:1234:abcd::1", 0)!)], [2, 0x28, 3, 0, 0]);
  assert.deepEqual([...addressGroup(parseIp("127.0.0.1", 0)!)], [0]);
});

Deno.test("adds routable addresses once, moves them to tried, and reports per table", () => {
  const addrman = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
  const a = entry("1.2.3.4");
  assert.ok(addrman.add([a], a));
  assert.ok(!addrman.add([a], a), "already known");
  assert.ok(!addrman.add([entry("127.0.0.1")], a), "not routable");
  assert.ok(addrman.good(a));
  assert.ok(!addrman.good(a), "already tried");
  assert.ok(addrman.add([entry("2.0.0.0")], entry("2.0.0.0")));
  assert.equal(addrman.size(undefined, "new"), 1);
  assert.equal(addrman.size(undefined, "tried"), 1);
  assert.equal(addrman.size(1), 2);
  assert.equal(addrman.entries(true).length, 1);
  const [position] = addrman.entries(false).map((e) => e.position);
  assert.ok(position.bucket < 1024 && position.position < 64);
});

Deno.test("bucket collisions keep the table below the number of addresses offered", () => {
  const addrman = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
  for (let i = 0; i < 3000; i++) {
    const a = entry(`${i >> 8}.${i % 256}.1.1`);
    addrman.add([a], a);
  }
  const size = addrman.size();
  assert.ok(size > 1500 && size < 3000, `size ${size}`);
  assert.equal(addrman.getAddresses(8, 0, 1).length, 8);
  assert.equal(addrman.getAddresses(0, 23).length, Math.floor(size * 23 / 100));
});

Deno.test("old addresses are terrible and not handed out", () => {
  const addrman = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
  const old = { ...entry("3.3.3.3"), time: NOW - 31 * 24 * 3600 };
  assert.ok(addrman.add([old], old));
  assert.deepEqual(addrman.getAddresses(0, 0), []);
});
