/**
 * Automatic outbound connections (the connection-opening part of `ThreadOpenConnections`,
 * src/net.cpp): keeps 8 full-relay and 2 block-relay-only outbound peers, drawn from the address
 * manager one attempt at a time, never two in the same network group, preferring the default
 * port and addresses not tried in the last ten minutes; BIP324 v2 when the address advertises
 * NODE_P2P_V2. Feelers and anchors are not made.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { addressGroup, type AddrMan } from "./addrman.ts";
import type { BanList } from "./ban_list.ts";
import type { ConnectionManager } from "./connection_manager.ts";
import type { ConnectionType } from "./peer_connection.ts";
import { formatService, isRoutable } from "./net_address.ts";
import { ServiceFlags } from "./protocol.ts";

/** `MAX_OUTBOUND_FULL_RELAY_CONNECTIONS` and `MAX_BLOCK_RELAY_ONLY_CONNECTIONS`. */
const MAX_FULL_RELAY = 8;
const MAX_BLOCK_RELAY_ONLY = 2;
/** Candidates drawn per attempt before giving up for this round. */
const MAX_TRIES = 100;

/** What {@linkcode OutboundConnector} needs. */
export interface OutboundConnectorOptions {
  readonly addrman: AddrMan;
  readonly connections: ConnectionManager;
  readonly banList: BanList;
  readonly log: Logger;
  /** Seconds, mockable. */
  readonly now: () => number;
  readonly defaultPort: number;
  /** `g_reachable_nets`. */
  readonly isReachable: (network: number) => boolean;
  /** `-v2transport`. */
  readonly v2Transport: boolean;
  /** `-maxconnections`: with fewer than the outbound slots, fewer are made. */
  readonly maxConnections: number;
}

/** Opens outbound connections to addresses from the address manager. */
export class OutboundConnector {
  readonly #options: OutboundConnectorOptions;
  #busy = false;

  /** Creates the connector; {@linkcode tick} does the work. */
  constructor(options: OutboundConnectorOptions) {
    this.#options = options;
  }

  /** One round: if an outbound slot is free, tries one address. */
  tick(): void {
    if (this.#busy) return;
    const { connections } = this.#options;
    if (!connections.networkActive) return;
    const peers = [...connections.peers.values()].filter((p) => !p.inbound);
    const fullRelay = peers.filter((p) => p.connectionType === "outbound-full-relay").length;
    const blockRelay = peers.filter((p) => p.connectionType === "block-relay-only").length;
    const maxFull = Math.min(MAX_FULL_RELAY, this.#options.maxConnections);
    const maxBlock = Math.min(
      MAX_BLOCK_RELAY_ONLY,
      Math.max(0, this.#options.maxConnections - maxFull),
    );
    let type: ConnectionType;
    if (fullRelay < maxFull) type = "outbound-full-relay";
    else if (blockRelay < maxBlock) type = "block-relay-only";
    else return;
    const target = this.#choose(new Set(peers.map((p) => groupKey(p.addr))));
    if (!target) return;
    this.#busy = true;
    const name = formatService(target);
    this.#options.addrman.attempt(target, true);
    const useV2 = this.#options.v2Transport &&
      (target.services & ServiceFlags.NODE_P2P_V2) !== 0n;
    connections.connect(name, type, useV2).finally(() => this.#busy = false);
  }

  #choose(groups: Set<string>) {
    const { addrman, connections, banList, now, defaultPort, isReachable } = this.#options;
    for (let tries = 1; tries <= MAX_TRIES; tries++) {
      const info = addrman.select();
      if (!info) return undefined;
      if (!isRoutable(info) || !isReachable(info.network)) continue;
      if (groups.has(groupKey(info)) || banList.isBanned(info) || banList.isDiscouraged(info)) {
        continue;
      }
      if (connections.findByName(formatService(info))) continue;
      // Recently tried addresses only after 30 draws; odd ports only after 50.
      if (now() - info.lastTry < 10 * 60 && tries < 30) continue;
      if (info.port !== defaultPort && tries < 50) continue;
      return info;
    }
    return undefined;
  }
}

function groupKey(service: { network: number; ip: Uint8Array; port: number }): string {
  return addressGroup(service).join(",");
}
