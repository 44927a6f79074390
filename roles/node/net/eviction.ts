/**
 * Inbound eviction (`SelectNodeToEvict`, src/node/eviction.cpp): when the inbound slots are full,
 * a new inbound connection displaces an existing inbound peer, chosen after protecting, in
 * freicoind's order, 4 peers by keyed network group, the 8 with the lowest minimum ping, the 4
 * that last sent a new transaction, up to 8 block-relay-only peers and the 4 that last sent a new
 * block, then half of the rest (a quarter by disadvantaged networks — CJDNS, I2P, localhost,
 * Tor — and the remainder by longest uptime). From what is left, the youngest peer of the
 * network group with the most connections goes.
 *
 * @module
 */

/** One inbound peer as eviction sees it (`NodeEvictionCandidate`). */
export interface EvictionCandidate {
  readonly id: number;
  /** Connection time, seconds. */
  readonly connected: number;
  /** Lowest ping round trip, microseconds; Infinity when none yet. */
  readonly minPingMicros: number;
  /** When the peer last sent us a new block / transaction, seconds (0: never). */
  readonly lastBlockTime: number;
  readonly lastTxTime: number;
  /** The peer offers what we need of a full node (`HasAllDesirableServiceFlags`). */
  readonly relevantServices: boolean;
  /** The peer relays transactions to us (`m_relay_txs`). */
  readonly relayTxs: boolean;
  /** Keyed network group (`nKeyedNetGroup`): equal for peers of one group, else random order. */
  readonly keyedNetGroup: string;
  /** Connected from this machine (`IsLocal`). */
  readonly isLocal: boolean;
  /** BIP155 network id of the connection. */
  readonly network: number;
}

type Compare = (a: EvictionCandidate, b: EvictionCandidate) => number;

/** `std::sort` by a strict-weak "less than", expressed as a comparator. */
function byLess(less: (a: EvictionCandidate, b: EvictionCandidate) => boolean): Compare {
  return (a, b) => less(a, b) ? -1 : less(b, a) ? 1 : 0;
}

const reverseMinPing = byLess((a, b) => a.minPingMicros > b.minPingMicros);
const reverseConnected = byLess((a, b) => a.connected > b.connected);
const netGroup = byLess((a, b) => a.keyedNetGroup < b.keyedNetGroup);
const blockTime = byLess((a, b) => {
  if (a.lastBlockTime !== b.lastBlockTime) return a.lastBlockTime < b.lastBlockTime;
  if (a.relevantServices !== b.relevantServices) return b.relevantServices;
  return a.connected > b.connected;
});
const txTime = byLess((a, b) => {
  if (a.lastTxTime !== b.lastTxTime) return a.lastTxTime < b.lastTxTime;
  if (a.relayTxs !== b.relayTxs) return b.relayTxs;
  return a.connected > b.connected;
});
const blockRelayOnlyTime = byLess((a, b) => {
  if (a.relayTxs !== b.relayTxs) return a.relayTxs;
  if (a.lastBlockTime !== b.lastBlockTime) return a.lastBlockTime < b.lastBlockTime;
  if (a.relevantServices !== b.relevantServices) return b.relevantServices;
  return a.connected > b.connected;
});

/**
 * `EraseLastKElements`: sorts, then drops those of the last `k` that match `predicate` (it does
 * not look further back for more matches).
 */
function eraseLastK(
  candidates: EvictionCandidate[],
  compare: Compare,
  k: number,
  predicate: (c: EvictionCandidate) => boolean = () => true,
): EvictionCandidate[] {
  const sorted = [...candidates].sort(compare);
  const cut = sorted.length - Math.min(k, sorted.length);
  return [...sorted.slice(0, cut), ...sorted.slice(cut).filter((c) => !predicate(c))];
}

const CJDNS = 6;
const I2P = 5;
const ONION = [3, 4];

/** `ProtectEvictionCandidatesByRatio`: shields half of the remaining candidates. */
function protectByRatio(start: EvictionCandidate[]): EvictionCandidate[] {
  let candidates = start;
  const totalProtect = Math.floor(candidates.length / 2);
  const networks = [
    { isLocal: false, matches: (c: EvictionCandidate) => c.network === CJDNS, count: 0 },
    { isLocal: false, matches: (c: EvictionCandidate) => c.network === I2P, count: 0 },
    { isLocal: true, matches: (c: EvictionCandidate) => c.isLocal, count: 0 },
    { isLocal: false, matches: (c: EvictionCandidate) => ONION.includes(c.network), count: 0 },
  ];
  for (const n of networks) n.count = candidates.filter(n.matches).length;
  // Fewer candidates first: they get the first chance at slots others leave unused.
  networks.sort((a, b) => a.count - b.count);
  const maxByNetwork = Math.floor(totalProtect / 2);
  let protectedCount = 0;
  while (protectedCount < maxByNetwork) {
    const withPeers = networks.filter((n) => n.count > 0).length;
    if (withPeers === 0) break;
    const perNetwork = Math.max(Math.floor((maxByNetwork - protectedCount) / withPeers), 1);
    let progress = false;
    for (const n of networks) {
      if (n.count === 0) continue;
      const before = candidates.length;
      // `CompareNodeNetworkTime`: members of the network last, oldest last among them.
      const compare = byLess((a, b) => {
        if (n.matches(a) !== n.matches(b)) return n.matches(b);
        return a.connected > b.connected;
      });
      candidates = eraseLastK(candidates, compare, perNetwork, n.matches);
      const removed = before - candidates.length;
      if (removed > 0) {
        progress = true;
        protectedCount += removed;
        if (protectedCount >= maxByNetwork) break;
        n.count -= removed;
      }
    }
    if (!progress) break;
  }
  return eraseLastK(candidates, reverseConnected, totalProtect - protectedCount);
}

/** The id of the inbound peer to evict, or undefined when every candidate is protected. */
export function selectNodeToEvict(all: readonly EvictionCandidate[]): number | undefined {
  let candidates = [...all];
  candidates = eraseLastK(candidates, netGroup, 4);
  candidates = eraseLastK(candidates, reverseMinPing, 8);
  candidates = eraseLastK(candidates, txTime, 4);
  candidates = eraseLastK(
    candidates,
    blockRelayOnlyTime,
    8,
    (c) => !c.relayTxs && c.relevantServices,
  );
  candidates = eraseLastK(candidates, blockTime, 4);
  candidates = protectByRatio(candidates);
  if (candidates.length === 0) return undefined;
  // The network group with the most connections (ties: the youngest first member) loses its
  // youngest; `candidates` is sorted youngest first by the last protection step.
  const groups = new Map<string, EvictionCandidate[]>();
  let most: string | undefined;
  let mostCount = 0;
  let mostTime = 0;
  for (const candidate of candidates) {
    const group = groups.get(candidate.keyedNetGroup) ?? [];
    group.push(candidate);
    groups.set(candidate.keyedNetGroup, group);
    const groupTime = group[0].connected;
    if (group.length > mostCount || (group.length === mostCount && groupTime > mostTime)) {
      mostCount = group.length;
      mostTime = groupTime;
      most = candidate.keyedNetGroup;
    }
  }
  return groups.get(most!)![0].id;
}
