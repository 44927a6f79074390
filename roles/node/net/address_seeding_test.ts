import assert from "node:assert/strict";
import { type Logger, type LogMessage, NULL_LOGGER } from "../../../cli/logger.ts";
import { AddrMan } from "./addrman.ts";
import { AddressSeeding, type AddressSeedingOptions } from "./address_seeding.ts";
import { parseIp } from "./net_address.ts";

const NOW = 1_795_000_000;

function setup(overrides: Partial<AddressSeedingOptions> = {}) {
  const lines: string[] = [];
  const text = (m: LogMessage) => typeof m === "string" ? m : m();
  const log: Logger = { ...NULL_LOGGER, info: (m) => lines.push(text(m)) };
  let now = NOW;
  const addrman = new AddrMan({ log: NULL_LOGGER, now: () => now });
  const seeding = new AddressSeeding({
    addrman,
    log,
    now: () => now,
    defaultPort: 18639,
    dnsSeeds: [],
    fixedSeeds: [],
    forceDnsSeed: false,
    dnsSeed: true,
    useFixedSeeds: true,
    useSeedNodes: false,
    nameProxy: false,
    hasAddedNodes: () => false,
    fullOutboundPeers: () => 0,
    ...overrides,
  });
  return { lines, addrman, seeding, advance: (s: number) => now += s };
}

Deno.test("with no DNS seeds the seed step logs 0 addresses found", async () => {
  const { lines, seeding } = setup();
  await seeding.runDnsSeed();
  assert.deepEqual(lines, ["dnsseed thread start", "0 addresses found from DNS seeds"]);
});

Deno.test("asks x9.<seed> and adds what it resolves to the address manager", async () => {
  const asked: string[] = [];
  const { lines, addrman, seeding } = setup({
    dnsSeeds: ["seed.example."],
    resolve: (host) => {
      asked.push(host);
      return Promise.resolve(["1.2.3.4", "2001:db8::1", "not-an-ip"]);
    },
  });
  await seeding.runDnsSeed();
  assert.deepEqual(asked, ["x9.seed.example."]);
  assert.ok(lines.includes("Loading addresses from DNS seed seed.example."));
  assert.ok(lines.includes("2 addresses found from DNS seeds"));
  assert.equal(addrman.size(), 1, "the documentation range 2001:db8:: is not routable");
});

Deno.test("a failing seed lookup counts as nothing found", async () => {
  const { lines, seeding } = setup({
    dnsSeeds: ["dummySeed.invalid."],
    resolve: () => Promise.reject(new Error("NXDOMAIN")),
  });
  await seeding.runDnsSeed();
  assert.equal(lines.at(-1), "0 addresses found from DNS seeds");
});

Deno.test("adds fixed seeds at once when -dnsseed=0 and no -addnode/-seednode", () => {
  const seed = { ...parseIp("1.2.3.4", 18639)!, time: NOW, services: 9n };
  const { lines, addrman, seeding } = setup({ dnsSeed: false, fixedSeeds: [seed] });
  seeding.startOpenConnections();
  seeding.tickOpenConnections();
  assert.deepEqual(lines, [
    "opencon thread start",
    "Adding fixed seeds as -dnsseed=0 (or IPv4/IPv6 connections are disabled via -onlynet) and neither -addnode nor -seednode are provided",
    "Added 1 fixed seeds from reachable networks.",
  ]);
  assert.equal(addrman.size(), 1);
  seeding.tickOpenConnections();
  assert.equal(lines.length, 3, "fixed seeds are added once");
});

Deno.test("waits 60 seconds of (mock) time for other sources before fixed seeds", () => {
  const { lines, seeding, advance } = setup({ hasAddedNodes: () => true, dnsSeed: false });
  seeding.startOpenConnections();
  seeding.tickOpenConnections();
  assert.deepEqual(lines, ["opencon thread start"]);
  advance(65);
  seeding.tickOpenConnections();
  assert.equal(
    lines[1],
    "Adding fixed seeds as 60 seconds have passed and addrman is empty for at least one reachable network",
  );
  assert.equal(lines[2], "Added 0 fixed seeds from reachable networks.");
});

Deno.test("-fixedseeds=0 logs that fixed seeds are disabled and never adds them", () => {
  const { lines, seeding, advance } = setup({ useFixedSeeds: false, dnsSeed: false });
  seeding.startOpenConnections();
  advance(65);
  seeding.tickOpenConnections();
  assert.deepEqual(lines, ["opencon thread start", "Fixed seeds are disabled"]);
});
