/**
 * The node's P2P service: reads the network options, starts listening and connecting, wires
 * the message processor to the chainstate, and runs the periodic duties.
 *
 * @module
 */
import * as path from "node:path";
import type { Args } from "../../../cli/args/args.ts";
import type { Logger } from "../../../cli/logger.ts";
import { CLIENT_VERSION } from "../../../cli/version.ts";
import { writeStderr } from "../../../cli/console.ts";
import { parseMoney } from "../../../kernel/amount/money_string.ts";
import type { ChainParams } from "../../../kernel/chain/mod.ts";
import type { ChainState, ChainSubscription } from "../chain/mod.ts";
import type { NodeClock } from "../node_clock.ts";
import { BanList, DEFAULT_BAN_TIME } from "./ban_list.ts";
import { AddrMan } from "./addrman.ts";
import { AddressSeeding } from "./address_seeding.ts";
import { loadPeersFile, PeersFileError, savePeersFile } from "./peers_file.ts";
import { ConnectionManager, DEFAULT_CONNECT_TIMEOUT_MS } from "./connection_manager.ts";
import { OutboundConnector } from "./outbound_connector.ts";
import {
  Bip155Network,
  formatService,
  isRoutable,
  type NetService,
  parseIp,
  splitHostPort,
} from "./net_address.ts";
import { PeerManager } from "./peer_manager.ts";
import type { PeerConnection } from "./peer_connection.ts";
import { MessageCapture } from "./message_capture.ts";
import {
  DEFAULT_MAX_PEER_CONNECTIONS,
  DEFAULT_PEER_CONNECT_TIMEOUT,
  ServiceFlags,
} from "./protocol.ts";
import { userAgentFromComments } from "./user_agent.ts";
import type { RelayPool } from "./relay_pool.ts";
import {
  parseWhitebind,
  parseWhitelist,
  PermissionError,
  permissionsFor,
  type WhitebindEntry,
  type WhitelistEntry,
} from "./net_permissions.ts";

/** What {@linkcode startNetwork} needs. */
export interface NetworkStartOptions {
  readonly args: Args;
  readonly params: ChainParams;
  readonly chain: ChainState;
  readonly clock: NodeClock;
  readonly log: Logger;
  /** The network's data directory (banlist.json lives there). */
  readonly networkDir: string;
  /** The mempool for transaction relay (see {@linkcode mempoolRelayPool}); none: no tx relay. */
  readonly relayPool?: RelayPool;
}

/** Thrown for option errors that stop the start-up, with freicoind's message. */
export class NetworkConfigError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "NetworkConfigError";
  }
}

/** How often the periodic duties run, milliseconds. */
const TICK_MS = 100;
/** Seconds between attempts to reach added nodes. */
const ADDED_NODE_RETRY_SECONDS = 2;

/** The running P2P service: what the net RPCs operate on. */
export class P2PNetwork {
  readonly connections: ConnectionManager;
  readonly peers: PeerManager;
  readonly banList: BanList;
  readonly addrman: AddrMan;
  readonly localServices: bigint;
  readonly userAgent: string;
  readonly listening: boolean;
  /** `-blocksonly`: transaction relay is not requested from peers. */
  readonly blocksOnly: boolean;
  readonly clock: NodeClock;
  /** The chain's name ("main", "test", "signet", "regtest"). */
  readonly chainName: string;
  /** The chainstate (getblockfrompeer looks headers up in it). */
  readonly chain: ChainState;
  readonly #seeding: AddressSeeding | undefined;
  readonly #outbound: OutboundConnector | undefined;
  readonly #networkDir: string;
  readonly #log: Logger;
  readonly #magic: Uint8Array;
  readonly #subscription: ChainSubscription;
  readonly #timer: ReturnType<typeof setInterval>;
  #lastAddedAttempt = 0;
  #addedBusy = false;
  #closed = false;

  /** Use {@linkcode startNetwork}. */
  constructor(parts: {
    connections: ConnectionManager;
    peers: PeerManager;
    banList: BanList;
    addrman: AddrMan;
    localServices: bigint;
    userAgent: string;
    listening: boolean;
    blocksOnly: boolean;
    clock: NodeClock;
    chain: ChainState;
    chainName: string;
    /** The DNS/fixed seed steps; none when the outbound loop does not run (-connect=0). */
    seeding?: AddressSeeding;
    /** Automatic outbound connections; none when the outbound loop does not run. */
    outbound?: OutboundConnector;
    /** Where peers.dat is saved at shutdown. */
    networkDir: string;
    log: Logger;
    /** The network magic (peers.dat starts with it). */
    magic: Uint8Array;
  }) {
    this.connections = parts.connections;
    this.peers = parts.peers;
    this.banList = parts.banList;
    this.addrman = parts.addrman;
    this.localServices = parts.localServices;
    this.userAgent = parts.userAgent;
    this.listening = parts.listening;
    this.blocksOnly = parts.blocksOnly;
    this.clock = parts.clock;
    this.chainName = parts.chainName;
    this.chain = parts.chain;
    this.#seeding = parts.seeding;
    this.#outbound = parts.outbound;
    this.#networkDir = parts.networkDir;
    this.#log = parts.log;
    this.#magic = parts.magic;
    const peers = parts.peers;
    this.#subscription = parts.chain.subscribe({
      blockChecked: (block, result) => peers.blockChecked(block, result),
      blockConnected: (block) => peers.blockConnected(block),
      blockDisconnected: () => peers.blockDisconnected(),
      updatedTip: (tip, fork, initialDownload) => {
        // Announce after the chain mutation returns, never from inside it.
        if (!initialDownload) queueMicrotask(() => peers.blockTipChanged(tip, fork));
      },
    });
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  #tick(): void {
    if (this.#closed) return;
    this.connections.checkInactivity();
    void this.peers.tick();
    this.#seeding?.tickOpenConnections();
    this.#outbound?.tick();
    const now = Math.floor(Date.now() / 1000);
    if (!this.#addedBusy && now - this.#lastAddedAttempt >= ADDED_NODE_RETRY_SECONDS) {
      this.#lastAddedAttempt = now;
      this.#addedBusy = true;
      this.connections.openAddedConnections().finally(() => this.#addedBusy = false);
    }
  }

  /** Stops timers, closes connections, saves the ban list. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#seeding?.stop();
    this.#subscription.disconnect();
    this.peers.close();
    await this.connections.close();
    try {
      this.banList.save();
      savePeersFile(this.#networkDir, this.addrman, { log: this.#log, magic: this.#magic });
    } catch {
      // a read-only datadir must not stop the shutdown
    }
  }
}

function randomU64(): bigint {
  const bytes = new BigUint64Array(1);
  crypto.getRandomValues(bytes);
  return bytes[0];
}

/** Reads the P2P options, listens, connects, and returns the running service. */
export function startNetwork(options: NetworkStartOptions): P2PNetwork {
  const { args, params, chain, clock, log } = options;
  const ua = userAgentFromComments(CLIENT_VERSION, args.getAll("-uacomment"));
  if (!ua.ok) throw new NetworkConfigError(ua.error);
  // -connect given (even as -connect=0/-noconnect): no outbound connections from the address
  // manager; only the listed targets, if any.
  const connectSet = args.isSet("-connect");
  const connectTargets = args.isNegated("-connect")
    ? []
    : args.getAll("-connect").filter((c) => c !== "" && c !== "0");
  const seeding = readSeedingOptions(args, connectSet);
  // -bind and -whitebind imply listening (parameter interaction); only -listen=0 conflicts.
  const userBinds = args.getAll("-bind").length + args.getAll("-whitebind").length;
  // -bind soft-sets -listen=1 before -connect soft-sets it to 0.
  const listen = args.getBool("-listen", userBinds > 0 || connectTargets.length === 0);
  if (userBinds > 0 && !listen) {
    throw new NetworkConfigError("Cannot set -bind or -whitebind together with -listen=0");
  }
  const port = args.getInt("-port", params.defaultPort);
  const peerTimeout = args.getInt("-peertimeout", DEFAULT_PEER_CONNECT_TIMEOUT);
  const maxConnections = args.getInt("-maxconnections", DEFAULT_MAX_PEER_CONNECTIONS);
  const blocksOnly = args.getBool("-blocksonly", false);
  const now = () => clock.now();
  const nowMicros = () => clock.mockTime > 0 ? clock.mockTime * 1e6 : Date.now() * 1000;
  let whitelist: WhitelistEntry[];
  let whitebind: WhitebindEntry[];
  try {
    whitelist = args.getAll("-whitelist").map(parseWhitelist);
    whitebind = args.getAll("-whitebind").map(parseWhitebind);
  } catch (error) {
    if (error instanceof PermissionError) throw new NetworkConfigError(error.message);
    throw error;
  }
  const implicit = {
    whitelistRelay: args.getBool("-whitelistrelay", true),
    whitelistForceRelay: args.getBool("-whitelistforcerelay", false),
  };
  const banList = new BanList(
    path.join(options.networkDir, "banlist.json"),
    log,
    now,
    args.getInt("-bantime", DEFAULT_BAN_TIME),
  );
  banList.load();
  // -v2transport: BIP324, on by default in 27.1 (DEFAULT_V2_TRANSPORT).
  const v2Transport = args.getBool("-v2transport", true);
  const connections = new ConnectionManager({
    v2Transport,
    magic: params.messageStart,
    defaultPort: params.defaultPort,
    log,
    now,
    nowMicros,
    peerTimeout,
    maxConnections,
    banList,
    connectTimeoutMs: Math.max(1, args.getInt("-timeout", DEFAULT_CONNECT_TIMEOUT_MS)),
    capture: args.getBool("-capturemessages", false)
      ? new MessageCapture(path.join(options.networkDir, "message_capture"))
      : undefined,
    permissionsFor: (peer, bind) => permissionsFor(peer, bind, { whitelist, whitebind, implicit }),
  });
  const addrman = new AddrMan({ log, now, check: args.getInt("-checkaddrman", 0) > 0 });
  try {
    loadPeersFile(options.networkDir, addrman, { log, magic: params.messageStart });
  } catch (error) {
    if (error instanceof PeersFileError) throw new NetworkConfigError(error.message);
    throw error;
  }
  // A pruned node only offers recent blocks: NODE_NETWORK_LIMITED without NODE_NETWORK.
  const pruned = args.getInt("-prune", 0) !== 0;
  const localServices = (pruned ? 0n : ServiceFlags.NODE_NETWORK) | ServiceFlags.NODE_WITNESS |
    ServiceFlags.NODE_NETWORK_LIMITED | (v2Transport ? ServiceFlags.NODE_P2P_V2 : 0n);
  const reachable = reachableNetworks(args);
  const peers = new PeerManager({
    chain,
    connections,
    banList,
    log,
    localServices,
    userAgent: ua.userAgent,
    now,
    nowMicros,
    randomU64,
    blocksOnly,
    minRelayFeeRate: parseMoney(args.get("-minrelaytxfee") ?? "") ?? 1000n,
    relayPool: options.relayPool,
    addrman,
    isReachable: reachable,
    txReconciliation: args.getBool("-txreconciliation", false),
    localAddressFor: listen ? localAddressAdvertiser(args, port, whitebind) : undefined,
  });
  connections.setEvents(peers);
  // As CConnman's constructor: the switch is set (and logged) from -networkactive at start-up.
  connections.setNetworkActive(args.getBool("-networkactive", true));
  if (listen) {
    const binds = args.getAll("-bind").concat(
      whitebind.map((entry) => `${formatService(entry.service)}`),
    );
    const targets = binds.length > 0 ? binds : ["0.0.0.0"];
    let bound = 0;
    for (const bind of targets) {
      const split = splitHostPort(bind.replace(/=onion$/, ""), port);
      if (!split) throw new NetworkConfigError(`Cannot resolve -bind address: '${bind}'`);
      try {
        const service = connections.listen(split.host, split.port);
        log.info(`Bound to ${split.host}:${service.port}`);
        bound++;
      } catch {
        // As freicoind: each failed bind is reported, start-up fails only if none worked.
        const message = `Unable to bind to ${split.host}:${split.port} on this computer. ` +
          "Freicoin is probably already running.";
        log.error(message);
        writeStderr(`Error: ${message}\n`);
      }
    }
    if (bound === 0) {
      throw new NetworkConfigError("Failed to listen on any port. Use -listen=0 if you want this.");
    }
  }
  if (connectSet) {
    if (connectTargets.length > 0 && args.getAll("-seednode").length > 0) {
      log.info("-seednode is ignored when -connect is used");
    }
    if (args.isSet("-dnsseed") && args.getBool("-dnsseed", true) && args.isSet("-proxy")) {
      log.info("-dnsseed is ignored when -connect is used and -proxy is specified");
    }
  }
  for (const target of connectTargets) connections.addNode({ name: target, useV2: v2Transport });
  for (const target of args.getAll("-addnode")) {
    connections.addNode({ name: target, useV2: v2Transport });
  }
  // The "threads" freicoind starts, in its order and with its log lines.
  const addressSeeding = new AddressSeeding({
    addrman,
    log,
    now,
    defaultPort: params.defaultPort,
    dnsSeeds: params.dnsSeeds,
    fixedSeeds: [],
    forceDnsSeed: seeding.forceDnsSeed,
    dnsSeed: seeding.dnsSeed,
    useFixedSeeds: seeding.fixedSeeds,
    useSeedNodes: args.isSet("-seednode"),
    nameProxy: args.isSet("-proxy") && !args.isNegated("-proxy"),
    hasAddedNodes: () => connections.addedNodes.length > 0,
    fullOutboundPeers: () =>
      [...connections.peers.values()].filter((p) =>
        p.connectionType === "outbound-full-relay" && peers.isHandshakeDone(p)
      ).length,
  });
  if (!seeding.dnsSeed) log.info("DNS seeding disabled");
  else void addressSeeding.runDnsSeed();
  log.info("addcon thread start");
  const runOutboundLoop = !connectSet;
  if (runOutboundLoop) addressSeeding.startOpenConnections();
  // With -connect targets the outbound loop only keeps those connected (the added-node retry).
  else if (connectTargets.length > 0) log.info("opencon thread start");
  const network = new P2PNetwork({
    connections,
    peers,
    banList,
    addrman,
    localServices,
    userAgent: ua.userAgent,
    listening: listen,
    blocksOnly,
    clock,
    chain,
    chainName: params.chain,
    seeding: runOutboundLoop ? addressSeeding : undefined,
    outbound: runOutboundLoop
      ? new OutboundConnector({
        addrman,
        connections,
        banList,
        log,
        now,
        defaultPort: params.defaultPort,
        isReachable: reachable,
        v2Transport,
        maxConnections,
      })
      : undefined,
    networkDir: options.networkDir,
    log,
    magic: params.messageStart,
  });
  // First attempt right away rather than after the first tick.
  void connections.openAddedConnections();
  return network;
}

/**
 * `g_reachable_nets` after start-up: the `-onlynet` networks (all when none is given), without
 * CJDNS unless `-cjdnsreachable`, Tor unless a proxy for it is given or `-listenonion` may find
 * one, I2P unless `-i2psam`.
 */
function reachableNetworks(args: Args): (network: number) => boolean {
  const names: Record<string, number[]> = {
    ipv4: [Bip155Network.IPV4],
    ipv6: [Bip155Network.IPV6],
    onion: [Bip155Network.TORV2, Bip155Network.TORV3],
    i2p: [Bip155Network.I2P],
    cjdns: [Bip155Network.CJDNS],
  };
  const onlynet = args.getAll("-onlynet").map((name) => name.toLowerCase());
  const reachable = new Set<number>(
    onlynet.length > 0 ? onlynet.flatMap((name) => names[name] ?? []) : Object.values(names).flat(),
  );
  if (!args.getBool("-cjdnsreachable", false)) reachable.delete(Bip155Network.CJDNS);
  const onionProxy = (args.isSet("-onion") && !args.isNegated("-onion")) ||
    (args.isSet("-proxy") && !args.isNegated("-proxy") && !args.isSet("-onion"));
  if (!onionProxy && !args.getBool("-listenonion", true)) {
    reachable.delete(Bip155Network.TORV2);
    reachable.delete(Bip155Network.TORV3);
  }
  if (!args.isSet("-i2psam") || args.isNegated("-i2psam")) reachable.delete(Bip155Network.I2P);
  return (network) => reachable.has(network);
}

/**
 * `GetLocalAddrForPeer` for the addresses we know of ourselves: 127.0.0.1 under `-addrmantest`,
 * else the first routable `-externalip`, else (with `-discover`) the routable address the peer
 * says it sees us at. Local interfaces are not enumerated, so without any of these nothing is
 * advertised.
 */
function localAddressAdvertiser(
  args: Args,
  port: number,
  whitebind: readonly WhitebindEntry[],
): (peer: PeerConnection, seenAs: NetService | undefined) => NetService | undefined {
  const listenPort = listenPortOf(args, port, whitebind);
  if (args.getBool("-addrmantest", false)) {
    const loopback = parseIp("127.0.0.1", listenPort);
    return () => loopback;
  }
  const externalIps = args.getAll("-externalip");
  const external = externalIps
    .map((text) => {
      const split = splitHostPort(text, listenPort);
      return split ? parseIp(split.host, split.port) : undefined;
    })
    .find((service) => service !== undefined && isRoutable(service));
  // -discover (on unless -externalip or -proxy is given): believe a peer that sees us at a
  // routable address (`IsPeerAddrLocalGood`); an inbound peer saw our port too, an outbound one
  // did not.
  const discover = args.getBool("-discover", externalIps.length === 0 && !args.isSet("-proxy"));
  return (peer, seenAs) => {
    if (discover && !external && seenAs && isRoutable(seenAs) && isRoutable(peer.addr)) {
      return peer.inbound ? seenAs : { ...seenAs, port: listenPort };
    }
    return external;
  };
}

/** `GetListenPort`: an explicit `-bind` port, else a non-noban `-whitebind`'s, else `-port`. */
function listenPortOf(args: Args, port: number, whitebind: readonly WhitebindEntry[]): number {
  for (const bind of args.getAll("-bind")) {
    const split = splitHostPort(bind.replace(/=onion$/, ""), 0);
    if (split && split.port !== 0) return split.port;
  }
  for (const entry of whitebind) {
    if (!entry.permissions.has("noban")) return entry.service.port;
  }
  return port;
}

/** The seeding switches after freicoind's parameter interactions, or a start-up error. */
function readSeedingOptions(
  args: Args,
  connectSet: boolean,
): { dnsSeed: boolean; forceDnsSeed: boolean; fixedSeeds: boolean } {
  const onlynet = args.getAll("-onlynet").map((n) => n.toLowerCase());
  const clearnetReachable = onlynet.length === 0 ||
    onlynet.some((n) => n === "ipv4" || n === "ipv6");
  // -connect, -maxconnections=0 or an -onlynet without IPv4/IPv6 turn DNS seeding off by default.
  const softOff = connectSet || args.getInt("-maxconnections", DEFAULT_MAX_PEER_CONNECTIONS) <= 0 ||
    !clearnetReachable;
  const dnsSeed = args.getBool("-dnsseed", !softOff);
  if (dnsSeed && !clearnetReachable) {
    throw new NetworkConfigError(
      "Incompatible options: -dnsseed=1 was explicitly specified, but -onlynet forbids connections to IPv4/IPv6",
    );
  }
  const forceDnsSeed = args.getBool("-forcednsseed", false);
  if (forceDnsSeed && !dnsSeed) {
    throw new NetworkConfigError(
      "Cannot set -forcednsseed to true when setting -dnsseed to false.",
    );
  }
  return { dnsSeed, forceDnsSeed, fixedSeeds: args.getBool("-fixedseeds", true) };
}
