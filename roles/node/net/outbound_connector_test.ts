import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { AddrMan } from "./addrman.ts";
import { BanList } from "./ban_list.ts";
import type { ConnectionManager } from "./connection_manager.ts";
import { parseIp } from "./net_address.ts";
import { OutboundConnector } from "./outbound_connector.ts";
import type { PeerConnection } from "./peer_connection.ts";

const NOW = 1_795_000_000;

/** A connection manager that records connect calls and connects nothing. */
function fakeConnections(existing: Partial<PeerConnection>[] = []) {
  const calls: { name: string; type: string; useV2: boolean }[] = [];
  let release: () => void = () => {};
  const fake = {
    networkActive: true,
    peers: new Map(existing.map((p, i) => [i, p])),
    findByName: () => undefined,
    connect(name: string, type: string, useV2: boolean) {
      calls.push({ name, type, useV2 });
      return new Promise<undefined>((resolve) => release = () => resolve(undefined));
    },
  };
  return { connections: fake as unknown as ConnectionManager, calls, release: () => release() };
}

function connector(addrman: AddrMan, connections: ConnectionManager) {
  return new OutboundConnector({
    addrman,
    connections,
    banList: new BanList(undefined, NULL_LOGGER, () => NOW),
    log: NULL_LOGGER,
    now: () => NOW,
    defaultPort: 8639,
    isReachable: () => true,
    v2Transport: true,
    maxConnections: 125,
  });
}

Deno.test("connects to an address from the address manager, one attempt at a time", async () => {
  const addrman = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
  const source = parseIp("9.9.9.9", 8639)!;
  addrman.add([{ ...parseIp("1.2.3.4", 8639)!, services: 1n | 2048n, time: NOW }], source);
  const { connections, calls, release } = fakeConnections();
  const outbound = connector(addrman, connections);
  outbound.tick();
  outbound.tick(); // still busy with the first attempt
  assert.deepEqual(calls, [{ name: "1.2.3.4:8639", type: "outbound-full-relay", useV2: true }]);
  release();
  await new Promise((resolve) => setTimeout(resolve, 0));
  // The attempt was recorded: the address is now deprioritized, but still the only one.
  assert.equal(addrman.getAddresses(0, 0)[0].attempts, 1);
});

Deno.test("skips addresses in the network group of an existing outbound peer", () => {
  const addrman = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
  addrman.add(
    [{ ...parseIp("1.2.3.4", 8639)!, services: 1n, time: NOW }],
    parseIp("9.9.9.9", 8639)!,
  );
  const { connections, calls } = fakeConnections([
    { inbound: false, connectionType: "outbound-full-relay", addr: parseIp("1.2.200.1", 8639)! },
  ]);
  connector(addrman, connections).tick();
  assert.deepEqual(calls, []);
});

Deno.test("fills block-relay-only slots once the full-relay ones are taken", () => {
  const addrman = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
  addrman.add(
    [{ ...parseIp("1.2.3.4", 8639)!, services: 1n, time: NOW }],
    parseIp("9.9.9.9", 8639)!,
  );
  const full = Array.from({ length: 8 }, (_, i) => ({
    inbound: false,
    connectionType: "outbound-full-relay" as const,
    addr: parseIp(`${20 + i}.1.1.1`, 8639)!,
  }));
  const { connections, calls } = fakeConnections(full);
  connector(addrman, connections).tick();
  assert.deepEqual(calls, [{ name: "1.2.3.4:8639", type: "block-relay-only", useV2: false }]);
});
