/**
 * Where a node with few known addresses finds peers: the DNS seed step (`ThreadDNSAddressSeed`)
 * and the fixed seed step of the outbound loop (`ThreadOpenConnections`), src/net.cpp. Both log
 * the lines freicoind logs. Automatic outbound connections chosen from the address manager are
 * not made yet: the outbound loop here only adds fixed seeds when the address manager is empty.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import type { AddrMan } from "./addrman.ts";
import { Bip155Network, type NetAddressEntry, type NetService, parseIp } from "./net_address.ts";
import { ServiceFlags } from "./protocol.ts";

/** At most this many addresses are taken from one seed (`nMaxIPs`). */
const MAX_IPS_PER_SEED = 256;
/** Seeds queried at once before checking whether peers are available. */
const DNSSEEDS_TO_QUERY_AT_ONCE = 3;
/** With this many known addresses, wait longer before asking seeds. */
const DNSSEEDS_DELAY_PEER_THRESHOLD = 1000;
const DNSSEEDS_DELAY_FEW_PEERS_SECONDS = 11;
const DNSSEEDS_DELAY_MANY_PEERS_SECONDS = 300;
/** Seconds the other sources get before fixed seeds are used. */
const FIXED_SEED_GRACE_SECONDS = 60;
/** A seed lookup that has not answered by then counts as failed. */
const DNS_TIMEOUT_MS = 10_000;
/** Networks reachable without -onlynet/proxies (fixed seeds are added for empty ones). */
const CLEARNET = [Bip155Network.IPV4, Bip155Network.IPV6];

/** Resolves a host name to IP address texts; throws when it cannot. */
export type HostResolver = (host: string, signal: AbortSignal) => Promise<string[]>;

/** Resolves A and AAAA records with Deno's resolver. */
export async function resolveWithDeno(host: string, signal: AbortSignal): Promise<string[]> {
  const results = await Promise.allSettled([
    Deno.resolveDns(host, "A", { signal }),
    Deno.resolveDns(host, "AAAA", { signal }),
  ]);
  return results.flatMap((r) => r.status === "fulfilled" ? r.value : []);
}

/** What {@linkcode AddressSeeding} needs. */
export interface AddressSeedingOptions {
  readonly addrman: AddrMan;
  readonly log: Logger;
  /** Seconds (mockable: the fixed seed grace period follows setmocktime). */
  readonly now: () => number;
  readonly defaultPort: number;
  readonly dnsSeeds: readonly string[];
  readonly fixedSeeds: readonly NetAddressEntry[];
  /** `-forcednsseed`. */
  readonly forceDnsSeed: boolean;
  /** `-dnsseed` as the outbound loop reads it. */
  readonly dnsSeed: boolean;
  /** `-fixedseeds`. */
  readonly useFixedSeeds: boolean;
  /** Whether `-seednode` was given. */
  readonly useSeedNodes: boolean;
  /** Whether a name proxy is set: seeds are then not resolved locally. */
  readonly nameProxy: boolean;
  /** Whether any -addnode/addnode entry exists. */
  readonly hasAddedNodes: () => boolean;
  /** Full-relay outbound peers that finished the handshake. */
  readonly fullOutboundPeers: () => number;
  readonly resolve?: HostResolver;
}

/** The DNS and fixed seed steps of one node. */
export class AddressSeeding {
  readonly #options: AddressSeedingOptions;
  readonly #abort = new AbortController();
  #start = 0;
  #addFixedSeeds: boolean;

  /** Creates the steps; nothing runs until {@linkcode runDnsSeed} or {@linkcode startOpenConnections}. */
  constructor(options: AddressSeedingOptions) {
    this.#options = options;
    this.#addFixedSeeds = options.useFixedSeeds;
  }

  /** Stops a DNS seed step that is waiting or resolving. */
  stop(): void {
    this.#abort.abort();
  }

  /** `ThreadDNSAddressSeed`: asks the DNS seeds for addresses when the need is acute. */
  async runDnsSeed(): Promise<void> {
    const { addrman, log } = this.#options;
    log.info("dnsseed thread start");
    const seeds = [...this.#options.dnsSeeds].sort(() => Math.random() - 0.5);
    let rightNow = this.#options.forceDnsSeed || addrman.size() === 0 ? seeds.length : 0;
    const waitSeconds = addrman.size() >= DNSSEEDS_DELAY_PEER_THRESHOLD
      ? DNSSEEDS_DELAY_MANY_PEERS_SECONDS
      : DNSSEEDS_DELAY_FEW_PEERS_SECONDS;
    let found = 0;
    for (const seed of seeds) {
      if (rightNow === 0) {
        rightNow += DNSSEEDS_TO_QUERY_AT_ONCE;
        if (addrman.size() > 0) {
          log.info(`Waiting ${waitSeconds} seconds before querying DNS seeds.`);
          if (!await this.#sleep(waitSeconds * 1000)) return;
          if (this.#options.fullOutboundPeers() >= 2) {
            if (found > 0) {
              log.info(`${found} addresses found from DNS seeds`);
              log.info("P2P peers available. Finished DNS seeding.");
            } else {
              log.info("P2P peers available. Skipped DNS seeding.");
            }
            return;
          }
        }
      }
      if (this.#abort.signal.aborted) return;
      log.info(`Loading addresses from DNS seed ${seed}`);
      // Without ADDR_FETCH connections a proxied node cannot ask the seed: skip it rather than
      // leak a DNS lookup outside the proxy.
      if (!this.#options.nameProxy) found += await this.#querySeed(seed);
      rightNow--;
    }
    log.info(`${found} addresses found from DNS seeds`);
  }

  async #querySeed(seed: string): Promise<number> {
    // Seeds filter by the services we need: NODE_NETWORK | NODE_WITNESS (`x9.`).
    const flags = ServiceFlags.NODE_NETWORK | ServiceFlags.NODE_WITNESS;
    const host = `x${flags.toString(16)}.${seed}`;
    const resolve = this.#options.resolve ?? resolveWithDeno;
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(DNS_TIMEOUT_MS)]);
    let texts: string[];
    try {
      texts = await resolve(host, signal);
    } catch {
      return 0;
    }
    const now = this.#options.now();
    const entries: NetAddressEntry[] = [];
    for (const text of texts.slice(0, MAX_IPS_PER_SEED)) {
      const service = parseIp(text, this.#options.defaultPort);
      if (!service) continue;
      // As freicoind: seen 3 to 7 days ago, so these rank below addresses peers vouch for.
      const age = 3 * 86400 + Math.floor(Math.random() * 4 * 86400);
      entries.push({ ...service, time: now - age, services: flags });
    }
    if (entries.length === 0) return 0;
    this.#options.addrman.add(entries, seedSource(entries[0]));
    return entries.length;
  }

  /** Starts the outbound loop (`ThreadOpenConnections`): call {@linkcode tickOpenConnections} after. */
  startOpenConnections(): void {
    this.#options.log.info("opencon thread start");
    this.#start = this.#options.now();
    if (!this.#addFixedSeeds) this.#options.log.info("Fixed seeds are disabled");
  }

  /** One pass of the outbound loop: adds the fixed seeds when their time has come. */
  tickOpenConnections(): void {
    const { addrman, log } = this.#options;
    if (!this.#addFixedSeeds) return;
    const empty = CLEARNET.filter((network) => addrman.size(network) === 0);
    if (empty.length === 0) return;
    if (this.#options.now() > this.#start + FIXED_SEED_GRACE_SECONDS) {
      log.info(
        "Adding fixed seeds as 60 seconds have passed and addrman is empty for at least one reachable network",
      );
    } else if (
      !this.#options.dnsSeed && !this.#options.useSeedNodes && !this.#options.hasAddedNodes()
    ) {
      log.info(
        "Adding fixed seeds as -dnsseed=0 (or IPv4/IPv6 connections are disabled via -onlynet) " +
          "and neither -addnode nor -seednode are provided",
      );
    } else {
      return;
    }
    const seeds = this.#options.fixedSeeds.filter((s) => empty.includes(s.network as 1 | 2));
    if (seeds.length > 0) addrman.add(seeds, FIXED_SEEDS_SOURCE);
    this.#addFixedSeeds = false;
    log.info(`Added ${seeds.length} fixed seeds from reachable networks.`);
  }

  #sleep(ms: number): Promise<boolean> {
    const signal = this.#abort.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(true), ms);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve(false);
      }, { once: true });
    });
  }
}

/**
 * The source recorded for seed addresses. freicoind uses an internal pseudo-address named after
 * the seed; we have no internal network, so the first address found stands in (it only chooses
 * the new-table bucket).
 */
function seedSource(first: NetService): NetService {
  return first;
}

/** Source recorded for fixed seeds (unroutable, so all share one source group). */
const FIXED_SEEDS_SOURCE: NetService = {
  network: Bip155Network.IPV4,
  ip: new Uint8Array(4),
  port: 0,
};
