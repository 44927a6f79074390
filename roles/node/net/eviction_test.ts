import assert from "node:assert/strict";
import { type EvictionCandidate, selectNodeToEvict } from "./eviction.ts";

function candidate(id: number, extra: Partial<EvictionCandidate> = {}): EvictionCandidate {
  return {
    id,
    connected: 1000 + id,
    minPingMicros: 100_000,
    lastBlockTime: 0,
    lastTxTime: 0,
    relevantServices: true,
    relayTxs: true,
    keyedNetGroup: "same",
    isLocal: false,
    network: 1,
    ...extra,
  };
}

Deno.test("evicts nobody when every candidate is protected", () => {
  assert.equal(selectNodeToEvict([candidate(1), candidate(2)]), undefined);
  assert.equal(selectNodeToEvict([]), undefined);
});

Deno.test("protects fast pingers, recent block and transaction senders", () => {
  const peers: EvictionCandidate[] = [];
  for (let i = 0; i < 4; i++) peers.push(candidate(i, { lastBlockTime: 50 + i }));
  for (let i = 4; i < 8; i++) peers.push(candidate(i, { lastTxTime: 50 + i }));
  for (let i = 8; i < 16; i++) peers.push(candidate(i, { minPingMicros: 1000 + i }));
  for (let i = 16; i < 21; i++) peers.push(candidate(i, { minPingMicros: 500_000 }));
  const evicted = selectNodeToEvict(peers);
  assert.ok(evicted !== undefined && evicted >= 16, `evicted ${evicted}`);
});

Deno.test("takes the youngest peer of the largest network group", () => {
  const peers: EvictionCandidate[] = [];
  // 30 peers: enough that some remain after all protections.
  for (let i = 0; i < 30; i++) {
    peers.push(candidate(i, { keyedNetGroup: i < 20 ? "big" : `small${i}` }));
  }
  const evicted = selectNodeToEvict(peers)!;
  assert.equal(peers[evicted].keyedNetGroup, "big");
});
