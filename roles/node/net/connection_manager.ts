/**
 * Sockets and connections (`CConnman`, src/net.cpp): listening, outbound connections
 * (-connect, -addnode, the addnode and addconnection RPCs), connection ids, totals, the
 * network-active switch, bans, and the inactivity checks.
 *
 * @module
 */
import type { MessageCapture } from "./message_capture.ts";
import { type EvictionCandidate, selectNodeToEvict } from "./eviction.ts";
import type { Logger } from "../../../cli/logger.ts";
import type { BanList } from "./ban_list.ts";
import {
  Bip155Network,
  formatService,
  type NetService,
  parseIp,
  parseService,
  splitHostPort,
} from "./net_address.ts";
import {
  type ConnectionType,
  PeerConnection,
  type PeerConnectionHandler,
} from "./peer_connection.ts";
import { MAX_ADDNODE_CONNECTIONS, TIMEOUT_INTERVAL_SECONDS } from "./protocol.ts";
import type { NetPermission } from "./net_permissions.ts";

/** What the connection manager tells the message processor. */
export interface ConnectionEvents extends PeerConnectionHandler {
  /** A new connection is open (send version first when outbound). */
  onConnected(peer: PeerConnection): void;
  /** Whether the handshake of this connection finished (for the inactivity check). */
  isHandshakeDone(peer: PeerConnection): boolean;
  /** What inbound eviction weighs for this peer (ping, last block and transaction, …). */
  evictionCandidate?(peer: PeerConnection): EvictionCandidate;
}

/** Options of a {@linkcode ConnectionManager}. */
export interface ConnectionManagerOptions {
  readonly magic: Uint8Array;
  readonly defaultPort: number;
  readonly log: Logger;
  /** Seconds (mockable). */
  readonly now: () => number;
  /** Microseconds (mockable). */
  readonly nowMicros: () => number;
  /** `-peertimeout`, seconds. */
  readonly peerTimeout: number;
  /** `-maxconnections`. */
  readonly maxConnections: number;
  readonly maxMessageLength?: number;
  readonly banList: BanList;
  /** Permissions of an inbound connection from `peer` accepted on `bind`. */
  readonly permissionsFor?: (peer: NetService, bind: NetService) => Set<NetPermission>;
  /** `-v2transport`: we signal NODE_P2P_V2, answer v2 inbound and try v2 outbound. */
  readonly v2Transport?: boolean;
  /** `-timeout`: milliseconds a TCP connect may take (default 5000). */
  readonly connectTimeoutMs?: number;
  /** `-capturemessages`: records every message of every connection. */
  readonly capture?: MessageCapture;
}

/** Milliseconds a TCP connect may take by default (`DEFAULT_CONNECT_TIMEOUT`). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** An `addnode` entry (`AddedNodeParams`). */
export interface AddedNode {
  readonly name: string;
  readonly useV2: boolean;
}

/** Thrown for connection requests the RPC turns into errors. */
export class ConnectionError extends Error {
  /** Creates an error with freicoind's message. */
  constructor(message: string) {
    super(message);
    this.name = "ConnectionError";
  }
}

/** The connections of a node. */
export class ConnectionManager {
  readonly #options: ConnectionManagerOptions;
  readonly #peers = new Map<number, PeerConnection>();
  readonly #listeners: Deno.TcpListener[] = [];
  readonly #tasks = new Set<Promise<void>>();
  readonly #addedNodes: AddedNode[] = [];
  /** Names being connected to right now, so a second attempt does not race the first. */
  readonly #connecting = new Set<string>();
  #events: ConnectionEvents | undefined;
  #nextId = 0;
  #networkActive = true;
  #closed = false;
  /** Bytes of connections already closed, so totals never go backwards. */
  #closedBytesSent = 0;
  #closedBytesReceived = 0;

  /** Creates a manager; call {@linkcode setEvents} and then {@linkcode listen}. */
  constructor(options: ConnectionManagerOptions) {
    this.#options = options;
  }

  /** Wires the message processor. */
  setEvents(events: ConnectionEvents): void {
    this.#events = events;
  }

  /** The open connections, by id. */
  get peers(): ReadonlyMap<number, PeerConnection> {
    return this.#peers;
  }

  /** The local addresses we listen on. */
  get listenAddresses(): NetService[] {
    return this.#listeners.map((l) => addrOf(l.addr as Deno.NetAddr));
  }

  /** Whether P2P activity is enabled (setnetworkactive). */
  get networkActive(): boolean {
    return this.#networkActive;
  }

  /** Total bytes received and sent, closed connections included. */
  get totals(): { received: number; sent: number } {
    let received = this.#closedBytesReceived;
    let sent = this.#closedBytesSent;
    for (const peer of this.#peers.values()) {
      received += peer.bytesReceived;
      sent += peer.bytesSent;
    }
    return { received, sent };
  }

  /** The addnode list. */
  get addedNodes(): readonly AddedNode[] {
    return this.#addedNodes;
  }

  /** Starts accepting connections on `hostname:port`. */
  listen(hostname: string, port: number): NetService {
    const listener = Deno.listen({ hostname, port, transport: "tcp" });
    this.#listeners.push(listener);
    this.#track(this.#acceptLoop(listener));
    return addrOf(listener.addr);
  }

  async #acceptLoop(listener: Deno.TcpListener): Promise<void> {
    while (!this.#closed) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch {
        return;
      }
      const addr = addrOf(conn.remoteAddr);
      if (!this.#networkActive) {
        this.#options.log.debug(
          "net",
          () => `connection from ${formatService(addr)} dropped (not accepting new connections)`,
        );
        conn.close();
        continue;
      }
      const permissions = this.#options.permissionsFor?.(addr, addrOf(conn.localAddr)) ??
        new Set<NetPermission>();
      if (!permissions.has("noban") && this.#options.banList.isBanned(addr)) {
        this.#options.log.debug(
          "net",
          () => `connection from ${formatService(addr)} dropped (banned)`,
        );
        conn.close();
        continue;
      }
      const inbound = [...this.#peers.values()].filter((p) => p.inbound).length;
      if (inbound >= Math.max(this.#options.maxConnections - 11, 0) && !this.#evictInbound()) {
        this.#options.log.debug(
          "net",
          "failed to find an eviction candidate - connection dropped (full)",
        );
        conn.close();
        continue;
      }
      this.#start(conn, {
        inbound: true,
        type: "inbound",
        name: "",
        permissions,
        useV2: this.v2Enabled,
      });
    }
  }

  /** `AttemptToEvictConnection`: makes room by dropping one inbound peer, if one may go. */
  #evictInbound(): boolean {
    const events = this.#events;
    if (!events?.evictionCandidate) return false;
    const candidates = [...this.#peers.values()]
      .filter((p) => p.inbound && !p.hasPermission("noban") && !p.disconnectRequested)
      .map((p) => events.evictionCandidate!(p));
    const id = selectNodeToEvict(candidates);
    const peer = id === undefined ? undefined : this.#peers.get(id);
    if (!peer) return false;
    this.#options.log.debug(
      "net",
      () =>
        `selected ${peer.connectionType} connection for eviction peer=${peer.id}; disconnecting`,
    );
    peer.disconnect();
    return true;
  }

  /** Whether `-v2transport` is on (our NODE_P2P_V2). */
  get v2Enabled(): boolean {
    return this.#options.v2Transport ?? false;
  }

  /**
   * Opens an outbound connection (`OpenNetworkConnection`). Resolves to the connection, or
   * undefined when the connection could not be made. `useV2` defaults to `-v2transport`.
   */
  async connect(
    name: string,
    type: ConnectionType,
    useV2: boolean = this.v2Enabled,
  ): Promise<PeerConnection | undefined> {
    if (this.#closed || !this.#networkActive) return undefined;
    const target = splitHostPort(name, this.#options.defaultPort);
    if (!target) return undefined;
    if (this.findByName(name) || this.#connecting.has(name)) return undefined;
    const ip = parseIp(target.host, target.port);
    if (ip && this.#options.banList.isBanned(ip) && type !== "manual") return undefined;
    let conn: Deno.TcpConn;
    this.#options.log.debug(
      "net",
      () => `trying ${useV2 ? "v2" : "v1"} connection ${name} lastseen=0.0hrs`,
    );
    this.#connecting.add(name);
    try {
      conn = await Deno.connect({
        hostname: target.host,
        port: target.port,
        transport: "tcp",
        // `-timeout`: an address that does not answer must not hold the attempt forever.
        signal: AbortSignal.timeout(this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS),
      });
    } catch (error) {
      this.#options.log.debug("net", () => `connection to ${name} failed: ${error}`);
      return undefined;
    } finally {
      this.#connecting.delete(name);
    }
    if (this.#closed) {
      conn.close();
      return undefined;
    }
    return this.#start(conn, { inbound: false, type, name, useV2 });
  }

  #start(
    conn: Deno.TcpConn,
    how: {
      inbound: boolean;
      type: ConnectionType;
      name: string;
      permissions?: ReadonlySet<NetPermission>;
      useV2: boolean;
    },
  ): PeerConnection {
    conn.setNoDelay(true);
    const peer = new PeerConnection({
      id: this.#nextId++,
      conn,
      magic: this.#options.magic,
      inbound: how.inbound,
      connectionType: how.type,
      addr: addrOf(conn.remoteAddr),
      addrBind: addrOf(conn.localAddr),
      addrName: how.name || formatService(addrOf(conn.remoteAddr)),
      log: this.#options.log,
      nowMicros: this.#options.nowMicros,
      maxMessageLength: this.#options.maxMessageLength,
      permissions: how.permissions,
      useV2: how.useV2,
      capture: this.#options.capture,
    });
    this.#peers.set(peer.id, peer);
    const events = this.#events;
    if (!events) throw new Error("ConnectionManager used before setEvents");
    this.#options.log.debug(
      "net",
      () =>
        `${how.inbound ? "Added connection" : "Added connection to " + how.name} peer=${peer.id}`,
    );
    events.onConnected(peer);
    const handler: PeerConnectionHandler = {
      onMessage: (p, m) => events.onMessage(p, m),
      onMalformed: (p, t, n, e) => events.onMalformed(p, t, n, e),
      onClosed: (p) => {
        this.#peers.delete(p.id);
        this.#closedBytesReceived += p.bytesReceived;
        this.#closedBytesSent += p.bytesSent;
        events.onClosed(p);
        if (p.shouldReconnectV1() && !this.#closed) {
          // The peer closed during our v2 handshake without a v2 answer: an old node.
          this.#options.log.debug(
            "net",
            () => `retrying with v1 transport protocol for peer=${p.id}`,
          );
          void this.connect(how.name, how.type, false);
        }
      },
    };
    this.#track(peer.run(handler));
    return peer;
  }

  /** The connection opened under `name` (or to that address), if any. */
  findByName(name: string): PeerConnection | undefined {
    for (const peer of this.#peers.values()) {
      if (peer.addrName === name || formatService(peer.addr) === name) return peer;
    }
    return undefined;
  }

  /** Adds an addnode entry (`AddNode`); false when present by name or by address. */
  addNode(node: AddedNode): boolean {
    const port = this.#options.defaultPort;
    const resolved = parseService(node.name, port);
    const same = (other: AddedNode) => {
      if (other.name === node.name) return true;
      const theirs = parseService(other.name, port);
      return resolved !== undefined && theirs !== undefined &&
        formatService(resolved) === formatService(theirs);
    };
    if (this.#addedNodes.some(same)) return false;
    this.#addedNodes.push(node);
    return true;
  }

  /** Removes an addnode entry; false when absent. */
  removeAddedNode(name: string): boolean {
    const index = this.#addedNodes.findIndex((n) => n.name === name);
    if (index < 0) return false;
    this.#addedNodes.splice(index, 1);
    return true;
  }

  /** Connects to added nodes that are not connected (`ThreadOpenAddedConnections`). */
  async openAddedConnections(): Promise<void> {
    const manual = [...this.#peers.values()].filter((p) => p.connectionType === "manual").length;
    let slots = MAX_ADDNODE_CONNECTIONS - manual;
    for (const node of this.#addedNodes) {
      if (slots <= 0) break;
      if (this.findByName(node.name) || this.#connecting.has(node.name)) continue;
      slots--;
      await this.connect(node.name, "manual", node.useV2);
    }
  }

  /** Disconnects every peer at `address` (text form); true if one was found. */
  disconnectByAddress(address: string): boolean {
    let found = false;
    for (const peer of this.#peers.values()) {
      if (formatService(peer.addr) === address || peer.addrName === address) {
        peer.disconnect();
        found = true;
      }
    }
    return found;
  }

  /** Disconnects the peer with `id`; false when unknown. */
  disconnectById(id: number): boolean {
    const peer = this.#peers.get(id);
    if (!peer) return false;
    peer.disconnect();
    return true;
  }

  /** Disconnects peers a new ban covers. */
  disconnectBanned(): void {
    for (const peer of this.#peers.values()) {
      if (this.#options.banList.isBanned(peer.addr)) peer.disconnect();
    }
  }

  /** setnetworkactive: when off, drops every connection and accepts none. */
  setNetworkActive(active: boolean): void {
    this.#options.log.info(`SetNetworkActive: ${active}`);
    if (this.#networkActive === active) return;
    this.#networkActive = active;
    if (!active) { for (const peer of this.#peers.values()) peer.disconnect(); }
  }

  /**
   * `InactivityCheck`: after `-peertimeout`, drops a peer that has not sent or received, whose
   * traffic stopped for 20 minutes, or that has not finished the handshake.
   */
  checkInactivity(): void {
    const now = this.#options.now();
    const events = this.#events;
    for (const peer of this.#peers.values()) {
      if (peer.disconnectRequested) continue;
      // `ShouldRunInactivityChecks`: only once the connect timeout has passed.
      if (now <= peer.connectedAt + this.#options.peerTimeout) continue;
      let reason: string | undefined;
      if (peer.lastReceive === 0 || peer.lastSend === 0) {
        reason = `socket no message in first ${this.#options.peerTimeout} seconds, ${
          peer.lastReceive !== 0 ? 1 : 0
        } ${peer.lastSend !== 0 ? 1 : 0}`;
      } else if (now > peer.lastSend + TIMEOUT_INTERVAL_SECONDS) {
        reason = `socket sending timeout: ${now - peer.lastSend}s`;
      } else if (now > peer.lastReceive + TIMEOUT_INTERVAL_SECONDS) {
        reason = `socket receive timeout: ${now - peer.lastReceive}s`;
      } else if (events && !events.isHandshakeDone(peer)) {
        reason = "version handshake timeout";
      }
      if (reason) {
        this.#options.log.debug("net", () => `${reason} peer=${peer.id}`);
        peer.disconnect();
      }
    }
  }

  #track(task: Promise<void>): void {
    this.#tasks.add(task);
    task.finally(() => this.#tasks.delete(task));
  }

  /** Stops listening, closes every connection and waits for their loops to end. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const listener of this.#listeners) {
      try {
        listener.close();
      } catch {
        // already closed
      }
    }
    for (const peer of this.#peers.values()) peer.close();
    await Promise.allSettled([...this.#tasks]);
  }
}

function addrOf(addr: Deno.Addr): NetService {
  const net = addr as Deno.NetAddr;
  return parseIp(net.hostname, net.port) ??
    { network: Bip155Network.IPV4, ip: new Uint8Array(4), port: net.port };
}
