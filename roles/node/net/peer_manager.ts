/**
 * The message processor (`PeerManagerImpl`, src/net_processing.cpp): the handshake in
 * freicoind's order, ping, headers-first sync, block download and serving, block
 * announcements, and misbehaviour.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { bytesEqual, bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import type {
  Block,
  BlockHeader,
  BlockLocator,
  Transaction,
} from "../../../kernel/primitives/mod.ts";
import { AsyncLock, type BlockIndexEntry, BlockStatus, type ChainState } from "../chain/mod.ts";
import type { BanList } from "./ban_list.ts";
import {
  findForkInActiveChain,
  lastCommonAncestor,
  locatorFor,
  nextBlocksToDownload,
} from "./chain_queries.ts";
import type { ConnectionEvents, ConnectionManager } from "./connection_manager.ts";
import type { CompactBlock, Inventory, NetMessage } from "./messages.ts";
import { blockFailurePenalty } from "./misbehaviour.ts";
import { buildCompactBlock } from "./compact_block.ts";
import { PartialBlock } from "./partial_block.ts";
import { checkBlockHeader, checkMerkleRoot } from "../../../kernel/consensus/check_block.ts";
import { checkWitnessMalleation } from "../../../kernel/consensus/witness_malleation.ts";
import type { BlockValidationResult } from "../../../kernel/consensus/validation_result.ts";
import { sha256d } from "../../../kernel/hash/mod.ts";
import { getBlockProof } from "../../../kernel/chain/pow.ts";
import { formatService, isRoutable, type NetAddressEntry, type NetService } from "./net_address.ts";
import type { PeerConnection } from "./peer_connection.ts";
import { PeerState } from "./peer_state.ts";
import type { VersionMessage } from "./version_message.ts";
import type { RelayPool } from "./relay_pool.ts";
import { TxRelay } from "./tx_relay.ts";
import type { EvictionCandidate } from "./eviction.ts";
import { FeeFilterRounder } from "./fee_filter_rounder.ts";
import { TXRECONCILIATION_VERSION, TxReconciliationTracker } from "./tx_reconciliation.ts";
import { addressGroup, type AddrMan } from "./addrman.ts";
import {
  BLOCK_DOWNLOAD_WINDOW,
  CMPCTBLOCKS_VERSION,
  DISCOURAGEMENT_THRESHOLD,
  FEEFILTER_VERSION,
  InvType,
  MAX_ADDR_TO_SEND,
  MAX_BLOCKS_IN_TRANSIT_PER_PEER,
  MAX_BLOCKS_TO_ANNOUNCE,
  MAX_HEADERS_RESULTS,
  MAX_INV_SZ,
  MAX_LOCATOR_SZ,
  MAX_NUM_UNCONNECTING_HEADERS_MSGS,
  MIN_PEER_PROTO_VERSION,
  MSG_WITNESS_FLAG,
  PING_INTERVAL_SECONDS,
  PROTOCOL_VERSION,
  SENDHEADERS_VERSION,
  ServiceFlags,
  SHORT_IDS_BLOCKS_VERSION,
  TIMEOUT_INTERVAL_SECONDS,
  WTXID_RELAY_VERSION,
} from "./protocol.ts";

/** Blocks served from the tip as `getblocks` answers at most (the reference's 500). */
const MAX_GETBLOCKS_RESULTS = 500;
/** Peers a compact block may be fetched from at once (`MAX_CMPCTBLOCKS_INFLIGHT_PER_BLOCK`). */
const MAX_CMPCTBLOCKS_INFLIGHT_PER_BLOCK = 3;
/** How deep a block may be for a blocktxn answer (`MAX_BLOCKTXN_DEPTH`). */
const MAX_BLOCKTXN_DEPTH = 10;
/** How deep a block may be to be served as a compact block (`MAX_CMPCTBLOCK_DEPTH`). */
const MAX_CMPCTBLOCK_DEPTH = 5;
/** Addresses accepted per second per peer (`MAX_ADDR_RATE_PER_SECOND`). */
const MAX_ADDR_RATE_PER_SECOND = 0.1;
/** How long an addr-fetch peer may take to answer (10 × `AVG_ADDRESS_BROADCAST_INTERVAL`). */
const ADDR_FETCH_TIMEOUT_MICROS = 10 * 30e6;
/** Default and ceiling of the block stalling timeout (`BLOCK_STALLING_TIMEOUT_DEFAULT/_MAX`). */
const BLOCK_STALLING_TIMEOUT_DEFAULT_SECONDS = 2;
const BLOCK_STALLING_TIMEOUT_MAX_SECONDS = 64;
/** All the money there will ever be, kria (`MAX_MONEY`): the fee filter during IBD. */
const MAX_MONEY = 2_100_000_000_000_000n;
/** Mean time between fee filter sends (`AVG_FEEFILTER_BROADCAST_INTERVAL`, 10 min). */
const AVG_FEEFILTER_BROADCAST_INTERVAL_MICROS = 10 * 60e6;
/** A big fee change goes out within this (`MAX_FEEFILTER_CHANGE_DELAY`, 5 min). */
const MAX_FEEFILTER_CHANGE_DELAY_MICROS = 5 * 60e6;

/** An exponentially distributed delay with the given mean (`GetExponentialRand`). */
function poissonDelay(meanMicros: number): number {
  return Math.round(-Math.log(1 - Math.random()) * meanMicros);
}

/** Share of the address manager a getaddr answer reveals (`MAX_PCT_ADDR_TO_SEND`). */
const MAX_PCT_ADDR_TO_SEND = 23;
/** How long a getheaders may go unanswered before another is sent (`HEADERS_RESPONSE_TIME`). */
const HEADERS_RESPONSE_TIME = 120e6;
/** Stale blocks older than this are not served (`STALE_RELAY_AGE_LIMIT`). */
const STALE_RELAY_AGE_LIMIT = 30 * 24 * 60 * 60;
/** Seconds before an unanswered block request makes us drop the peer. */
const BLOCK_DOWNLOAD_TIMEOUT_SECONDS = 600;

/** Options of a {@linkcode PeerManager}. */
export interface PeerManagerOptions {
  readonly chain: ChainState;
  readonly connections: ConnectionManager;
  readonly banList: BanList;
  readonly log: Logger;
  /** Our services. */
  readonly localServices: bigint;
  /** Our user agent (`/Satoshi:27.1.1(comment)/`). */
  readonly userAgent: string;
  /** Seconds, mockable. */
  readonly now: () => number;
  /** Microseconds, mockable. */
  readonly nowMicros: () => number;
  /** Random 64-bit values (nonces). */
  readonly randomU64: () => bigint;
  /** `-blocksonly`: do not ask for transaction announcements. */
  readonly blocksOnly: boolean;
  /** Fee filter to send, kria per kvB (`-minrelaytxfee`). */
  readonly minRelayFeeRate: bigint;
  /** The mempool for transaction relay; without it transactions are ignored. */
  readonly relayPool?: RelayPool;
  /** The address manager; without it addresses are ignored and getaddr gets nothing. */
  readonly addrman?: AddrMan;
  /** `-txreconciliation`: the BIP330 handshake (sendtxrcncl) with tx-relaying peers. */
  readonly txReconciliation?: boolean;
  /** Whether we could connect to a BIP155 network (`g_reachable_nets`); default: all. */
  readonly isReachable?: (network: number) => boolean;
  /**
   * Our own address to advertise to a peer (`GetLocalAddrForPeer`), given the address the peer
   * says it sees us at (its version's addrRecv), or undefined when we have none worth
   * advertising (not listening, or no routable address).
   */
  readonly localAddressFor?: (
    peer: PeerConnection,
    seenAs: NetService | undefined,
  ) => NetService | undefined;
}

/** Handles every peer's messages and the periodic sending duties. */
export class PeerManager implements ConnectionEvents {
  readonly #options: PeerManagerOptions;
  readonly #chain: ChainState;
  readonly #log: Logger;
  readonly #peers = new Map<number, PeerState>();
  /** Block hash hex → peer id it was requested from (`mapBlocksInFlight`). */
  readonly #blocksInFlight = new Map<string, number>();
  /**
   * getaddr answers per local socket (`m_addr_response_caches`): every requester reaching us
   * through the same address and port sees the same answer for 21-27 hours, so repeated
   * requests cannot scrape the address manager.
   */
  readonly #addrResponseCache = new Map<
    string,
    { addresses: NetAddressEntry[]; expiresMicros: number }
  >();
  #syncStarted = 0;
  readonly #txRelay: TxRelay | undefined;
  /**
   * One message (or send pass) at a time across all peers, as freicoind's single message
   * handler thread: a message's effects (say, a direct fetch after headers) are complete
   * before another peer's message or the timer looks at the shared state.
   */
  readonly #processing = new AsyncLock();
  /** `m_txreconciliation`, only with `-txreconciliation`. */
  readonly #txReconciliation: TxReconciliationTracker | undefined;
  /** Seconds a peer may hold up the download window (`m_block_stalling_timeout`). */
  #stallingTimeoutSeconds = BLOCK_STALLING_TIMEOUT_DEFAULT_SECONDS;
  /** `m_fee_filter_rounder`, built from the default minimum relay fee as freicoind's. */
  readonly #feeFilterRounder = new FeeFilterRounder();
  /** The filter sent during initial block download (`MAX_MONEY` rounded). */
  readonly #maxFeeFilter = this.#feeFilterRounder.round(MAX_MONEY);
  /** Who sent us each block being validated (`mapBlockSource`), to punish invalid ones. */
  readonly #blockSource = new Map<string, { peer: number; viaCompactBlock: boolean }>();
  /** The last block inv that started a headers sync with a new peer. */
  #lastBlockInvTriggeringSync = "";
  /** Salt of the address-relay peer choice (`RANDOMIZER_ID_ADDRESS_RELAY` key). */
  readonly #relaySalt = crypto.randomUUID();
  /** Peers we asked for high-bandwidth compact blocks, oldest first (at most 3). */
  #highBandwidthPeers: number[] = [];

  /** Creates the processor; pass it to {@linkcode ConnectionManager.setEvents}. */
  constructor(options: PeerManagerOptions) {
    this.#options = options;
    this.#txReconciliation = options.txReconciliation
      ? new TxReconciliationTracker(options.log, options.randomU64)
      : undefined;
    this.#chain = options.chain;
    this.#log = options.log;
    const pool = options.relayPool;
    if (pool) {
      this.#txRelay = new TxRelay({
        log: options.log,
        pool,
        now: options.now,
        nowMicros: options.nowMicros,
        peers: () => this.#peers.values(),
        misbehaving: (peer, howMuch, message) => this.misbehaving(peer, howMuch, message),
      });
    }
  }

  /** Stops transaction relay's pool subscription. */
  close(): void {
    this.#txRelay?.close();
  }

  /** The protocol state of peer `id`. */
  peer(id: number): PeerState | undefined {
    return this.#peers.get(id);
  }

  /** The height of a block in the index, by display hash. */
  heightOf(hashHex: string): number | undefined {
    return this.#chain.lookupBlockIndex(hashHex)?.height;
  }

  /** Every peer's state. */
  get peers(): ReadonlyMap<number, PeerState> {
    return this.#peers;
  }

  // ---------------------------------------------------------------------------------------
  // Connection events

  /** A connection opened: outbound peers get our version first. */
  onConnected(connection: PeerConnection): void {
    const state = new PeerState(connection, this.#options.randomU64());
    this.#peers.set(connection.id, state);
    if (!connection.inbound) this.#pushVersion(state);
  }

  /** True once the peer's verack arrived. */
  /** `NodeEvictionCandidate` for inbound eviction. */
  evictionCandidate(connection: PeerConnection): EvictionCandidate {
    const state = this.#peers.get(connection.id);
    const services = state?.services ?? 0n;
    const witness = (services & ServiceFlags.NODE_WITNESS) !== 0n;
    const network = (services & (ServiceFlags.NODE_NETWORK | ServiceFlags.NODE_NETWORK_LIMITED)) !==
      0n;
    return {
      id: connection.id,
      connected: connection.connectedAt,
      minPingMicros: state?.minPingMicros ?? Infinity,
      lastBlockTime: state?.lastBlockTime ?? 0,
      lastTxTime: state?.lastTxTime ?? 0,
      relevantServices: witness && network,
      relayTxs: state?.relayTxs ?? false,
      keyedNetGroup: this.#keyedNetGroup(connection.addr),
      isLocal: isLocal(connection.addr),
      network: connection.addr.network,
    };
  }

  /** `nKeyedNetGroup`: the address group hashed with a per-node salt. */
  #keyedNetGroup(service: NetService): string {
    const group = addressGroup(service).join(",");
    return bytesToHex(sha256d(new TextEncoder().encode(`${this.#relaySalt}:${group}`)));
  }

  isHandshakeDone(connection: PeerConnection): boolean {
    return this.#peers.get(connection.id)?.successfullyConnected ?? false;
  }

  /** The reference logs and ignores a payload it cannot parse. */
  onMalformed(connection: PeerConnection, type: string, size: number, error: Error): void {
    this.#log.debug(
      "net",
      () =>
        `ProcessMessages(${type}, ${size} bytes): Exception '${error.message}' (${error.name}) caught, peer=${connection.id}`,
    );
  }

  /** A connection ended: forget its state and its requests. */
  onClosed(connection: PeerConnection): void {
    const state = this.#peers.get(connection.id);
    if (!state) return;
    for (const hash of state.blocksInFlight.keys()) this.#blocksInFlight.delete(hash);
    if (state.syncStarted) this.#syncStarted--;
    this.#peers.delete(connection.id);
    this.#txRelay?.peerGone(connection.id);
    this.#txReconciliation?.forget(connection.id);
    this.#highBandwidthPeers = this.#highBandwidthPeers.filter((id) => id !== connection.id);
    this.#log.debug("net", () => `Cleared nodestate for peer=${connection.id}`);
    // Another peer may now serve what this one was downloading.
    if (state.blocksInFlight.size > 0) void this.tick();
  }

  /** Dispatches one message, after the messages before it from every peer. */
  onMessage(connection: PeerConnection, message: NetMessage): Promise<void> {
    return this.#processing.run(() => this.#handleMessage(connection, message));
  }

  async #handleMessage(connection: PeerConnection, message: NetMessage): Promise<void> {
    const state = this.#peers.get(connection.id);
    if (!state || connection.disconnectRequested) return;
    try {
      await this.#process(state, message);
    } catch (error) {
      this.#log.debug(
        "net",
        () => `ProcessMessages(${message.type}): Exception '${error}' caught, peer=${state.id}`,
      );
    }
    if (!connection.disconnectRequested) this.sendMessages(state);
    // freicoind's message loop runs every peer's SendMessages after any message: at least the
    // pings must go out now, or a mock-time jump leaves them to the next tick, too late for
    // the peer to answer before the next jump (p2p_addr_relay's day-long steps). Only new
    // pings: a timeout is judged in the peer's own turn, after its queued pong was read.
    for (const other of this.#peers.values()) {
      if (other === state || !other.successfullyConnected) continue;
      if (!other.connection.disconnectRequested) this.#maybeSendPing(other, false);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Sending

  #send(state: PeerState, message: NetMessage): void {
    state.connection.send(message);
  }

  /** `PushNodeVersion`. */
  #pushVersion(state: PeerState): void {
    const connection = state.connection;
    const tip = this.#chain.tip;
    this.#send(state, {
      type: "version",
      version: {
        version: PROTOCOL_VERSION,
        services: this.#options.localServices,
        time: BigInt(this.#options.now()),
        // The peer's address as we see it, only when routable (else the empty address).
        addrRecv: isRoutable(connection.addr) && connection.addr.port !== 0
          ? connection.addr
          : UNSPECIFIED_V6,
        addrRecvServices: 0n,
        addrFrom: UNSPECIFIED_V6,
        addrFromServices: this.#options.localServices,
        nonce: state.localNonce,
        userAgent: this.#options.userAgent,
        startHeight: tip ? tip.height : 0,
        // `RejectIncomingTxs`: no transactions on block-relay-only and feeler connections, nor
        // in -blocksonly mode unless the peer has the relay permission.
        relay: !this.#rejectsIncomingTxs(connection),
      },
    });
    this.#log.debug(
      "net",
      () =>
        `send version message: version ${PROTOCOL_VERSION}, blocks=${
          tip?.height ?? 0
        }, txrelay=${!this.#rejectsIncomingTxs(connection)}, peer=${state.id}`,
    );
  }

  /** `Misbehaving`: adds points; at the threshold the peer is disconnected and discouraged. */
  misbehaving(state: PeerState, howMuch: number, message: string): void {
    const before = state.misbehaviour;
    state.misbehaviour += howMuch;
    const crossed = before < DISCOURAGEMENT_THRESHOLD &&
      state.misbehaviour >= DISCOURAGEMENT_THRESHOLD;
    this.#log.debug(
      "net",
      () =>
        `Misbehaving: peer=${state.id} (${before} -> ${state.misbehaviour})${
          crossed ? " DISCOURAGE THRESHOLD EXCEEDED" : ""
        }${message ? ": " + message : ""}`,
    );
    if (!crossed) return;
    state.shouldDiscourage = true;
    const connection = state.connection;
    if (connection.hasPermission("noban")) {
      this.#log.info(`Warning: not punishing noban peer ${state.id}!`);
      return;
    }
    if (connection.connectionType === "manual") {
      this.#log.info(`Warning: not punishing manually connected peer ${state.id}!`);
      return;
    }
    this.#log.debug("net", () => `Disconnecting and discouraging peer ${state.id}!`);
    if (!isLocal(connection.addr)) this.#options.banList.discourage(connection.addr);
    connection.disconnect();
  }

  /**
   * `SendMessages`: pings, sync start, block requests and announcements for one peer.
   * Called after each message from the peer, on chain events, and on a timer.
   */
  sendMessages(state: PeerState): void {
    const connection = state.connection;
    if (connection.disconnectRequested || !state.successfullyConnected) return;
    // An addr-fetch peer gets ten address-broadcast intervals (5 min) to answer.
    if (
      connection.connectionType === "addr-fetch" &&
      this.#options.nowMicros() - connection.connectedAt * 1e6 > ADDR_FETCH_TIMEOUT_MICROS
    ) {
      this.#log.debug("net", () => `addrfetch connection timeout; disconnecting peer=${state.id}`);
      connection.disconnect();
      return;
    }
    this.#maybeSendPing(state);
    if (connection.disconnectRequested) return;
    if (this.#disconnectIfStalling(state)) return;
    this.#processBlockAvailability(state);
    this.#maybeStartSync(state);
    this.#announceBlocks(state);
    this.#requestBlocks(state);
    this.#checkDownloadTimeouts(state);
    this.#maybeSendFeeFilter(state);
    this.#maybeSendAddr(state);
    this.#txRelay?.announce(state, (inventory) => this.#send(state, { type: "inv", inventory }));
    const txRequests = this.#txRelay?.requestsFor(state) ?? [];
    if (txRequests.length > 0) this.#send(state, { type: "getdata", inventory: txRequests });
  }

  /**
   * A peer that held up the download window longer than the stalling timeout is dropped, and
   * the timeout doubles (up to 64 s) so a slow link of ours does not cost every peer.
   */
  #disconnectIfStalling(state: PeerState): boolean {
    const timeout = this.#stallingTimeoutSeconds;
    if (state.stallingSince === 0) return false;
    if (state.stallingSince >= this.#options.nowMicros() - timeout * 1e6) return false;
    this.#log.info(`Peer=${state.id} is stalling block download, disconnecting`);
    state.connection.disconnect();
    const doubled = Math.min(2 * timeout, BLOCK_STALLING_TIMEOUT_MAX_SECONDS);
    if (doubled !== timeout) {
      this.#stallingTimeoutSeconds = doubled;
      this.#log.debug("net", () => `Increased stalling timeout temporarily to ${doubled} seconds`);
    }
    return true;
  }

  /** Runs {@linkcode sendMessages} for every peer (the timer tick), between messages. */
  tick(): Promise<void> {
    return this.#processing.run(() => {
      for (const state of this.#peers.values()) this.sendMessages(state);
    });
  }

  /**
   * `IsBlockMutated` before processing a block that connects to something we know: a block
   * whose transactions do not match its header says nothing about that header, so it must not
   * disturb the download of the real block; the sender is dropped.
   */
  #isMutated(state: PeerState, block: Block): boolean {
    const prev = this.#chain.lookupBlockIndex(block.header.hashPrevBlock);
    if (!prev) return false;
    const consensus = this.#chain.params.consensus;
    let failure = checkMerkleRoot(block, consensus);
    const txs = block.transactions;
    if (failure.ok && txs.length > 0 && txs[0].isCoinBase()) {
      failure = checkWitnessMalleation(block, prev.height + 1 >= consensus.segwitHeight);
    } else if (failure.ok && txs.some((tx) => tx.strippedSize === 64)) {
      failure = { ok: false, category: "mutated", reason: "bad-txns-64-byte", debugMessage: "" };
    }
    if (failure.ok) return false;
    const text = failure.debugMessage
      ? `${failure.reason}, ${failure.debugMessage}`
      : failure.reason;
    this.#log.debug("validation", () => `Block mutated: ${text}`);
    this.#log.debug("net", () => `Received mutated block from peer=${state.id}`);
    this.misbehaving(state, 100, "mutated block");
    this.#removeBlockRequest(state, block.hashHex);
    return true;
  }

  /**
   * `FetchBlock` (getblockfrompeer): asks `peerId` for the block of `entry`; returns
   * freicoind's error text, or undefined when the request went out.
   */
  fetchBlock(peerId: number, entry: BlockIndexEntry): string | undefined {
    const state = this.#peers.get(peerId);
    if (!state) return "Peer does not exist";
    if ((state.services & 8n) === 0n) return "Pre-SegWit peer";
    if (state.blocksInFlight.has(entry.hashHex)) return "Already requested from this peer";
    if (!state.successfullyConnected) return "Peer not fully connected";
    // A block fetched on request replaces any other peer's request for it.
    for (const other of this.#peers.values()) other.blocksInFlight.delete(entry.hashHex);
    this.#blocksInFlight.set(entry.hashHex, state.id);
    state.blocksInFlight.set(entry.hashHex, this.#options.nowMicros());
    this.#send(state, {
      type: "getdata",
      inventory: [{ type: InvType.MSG_WITNESS_BLOCK, hash: entry.hash }],
    });
    this.#log.debug("net", () => `Requesting block ${entry.hashHex} from peer=${state.id}`);
    return undefined;
  }

  /** The ping RPC: a ping to every peer at the next send (`m_ping_queued`). */
  queuePings(): void {
    for (const state of this.#peers.values()) state.pingQueued = true;
    void this.tick();
  }

  #maybeSendPing(state: PeerState, checkTimeout = true): void {
    const now = this.#options.nowMicros();
    if (
      checkTimeout && state.pingNonceSent !== 0n &&
      now > state.pingStart + TIMEOUT_INTERVAL_SECONDS * 1e6
    ) {
      this.#log.debug(
        "net",
        () => `ping timeout: ${((now - state.pingStart) / 1e6).toFixed(6)}s peer=${state.id}`,
      );
      state.connection.disconnect();
      return;
    }
    let ping = state.pingQueued;
    if (state.pingNonceSent === 0n && now > state.pingStart + PING_INTERVAL_SECONDS * 1e6) {
      ping = true;
    }
    if (!ping) return;
    let nonce = 0n;
    while (nonce === 0n) nonce = this.#options.randomU64();
    state.pingQueued = false;
    state.pingStart = now;
    state.pingNonceSent = nonce;
    this.#send(state, { type: "ping", nonce });
  }

  #maybeSendFeeFilter(state: PeerState): void {
    const connection = state.connection;
    // Peers with forcerelay get everything anyway: no filter for them.
    if (connection.hasPermission("forcerelay")) return;
    if (state.commonVersion < FEEFILTER_VERSION || this.#options.blocksOnly) return;
    if (connection.connectionType === "block-relay-only") return;
    const now = this.#options.nowMicros();
    const minRelay = this.#options.minRelayFeeRate;
    let current: bigint;
    if (this.#chain.isInitialBlockDownload(this.#options.now())) {
      current = MAX_MONEY; // send us nothing while syncing
    } else {
      current = this.#options.relayPool?.feeFilter() ?? minRelay;
      // Out of initial download: replace the sync-time filter right away.
      if (state.feeFilterSent === this.#maxFeeFilter) state.nextSendFeeFilter = 0;
    }
    if (now > state.nextSendFeeFilter) {
      // Rounded to a bucket (never below our minimum relay fee), re-sent only when it changed.
      let filter = this.#feeFilterRounder.round(current);
      if (filter < minRelay) filter = minRelay;
      if (filter !== state.feeFilterSent) {
        state.feeFilterSent = filter;
        this.#send(state, { type: "feefilter", feeRate: filter });
      }
      state.nextSendFeeFilter = now + poissonDelay(AVG_FEEFILTER_BROADCAST_INTERVAL_MICROS);
    } else if (
      now + MAX_FEEFILTER_CHANGE_DELAY_MICROS < state.nextSendFeeFilter &&
      (current < 3n * state.feeFilterSent / 4n || current > 4n * state.feeFilterSent / 3n)
    ) {
      // A big change goes out within five minutes rather than at the next scheduled send.
      state.nextSendFeeFilter = now + Math.floor(Math.random() * MAX_FEEFILTER_CHANGE_DELAY_MICROS);
    }
  }

  #maybeStartSync(state: PeerState): void {
    if (state.syncStarted || !state.canServeBlocks()) return;
    if (state.connection.connectionType === "addr-fetch") return;
    const best = this.#chain.bestHeader ?? this.#chain.tip;
    if (!best) return;
    const preferred = !state.connection.inbound || state.connection.hasPermission("noban");
    const recent = best.time > this.#options.now() - 24 * 60 * 60;
    if (!((this.#syncStarted === 0 && (preferred || this.#preferredCount() === 0)) || recent)) {
      return;
    }
    state.syncStarted = true;
    state.headersSyncStart = this.#options.nowMicros();
    this.#syncStarted++;
    // Start from the parent of the best header so the answer is never empty.
    const start = best.prev ?? best;
    this.#log.debug(
      "net",
      () =>
        `initial getheaders (${start.height}) to peer=${state.id} (startheight:${
          state.version?.startHeight ?? 0
        })`,
    );
    this.#sendGetHeaders(state, start);
  }

  #preferredCount(): number {
    let count = 0;
    for (const peer of this.#peers.values()) {
      if (!peer.connection.inbound && peer.successfullyConnected) count++;
    }
    return count;
  }

  /**
   * `MaybeSendGetHeaders`: at most one getheaders in flight per peer (two minutes to answer);
   * returns whether one was sent.
   */
  #sendGetHeaders(state: PeerState, from: BlockIndexEntry | undefined): boolean {
    const now = this.#options.nowMicros();
    if (state.lastGetheadersTime !== 0 && now - state.lastGetheadersTime < HEADERS_RESPONSE_TIME) {
      this.#log.debug(
        "net",
        () => `Ignoring getheaders request to peer=${state.id}: one is already in flight`,
      );
      return false;
    }
    state.lastGetheadersTime = now;
    this.#send(state, {
      type: "getheaders",
      locator: locatorFor(from),
      hashStop: new Uint8Array(32),
    });
    return true;
  }

  /** Requests blocks the peer has and we lack (`FindNextBlocksToDownload` + getdata). */
  #requestBlocks(state: PeerState): void {
    if (!state.successfullyConnected || state.connection.disconnectRequested) return;
    const best = state.bestKnownBlock;
    if (!best || !state.canServeBlocks()) return;
    // A pruned (NODE_NETWORK_LIMITED only) peer has just the last 288 blocks: not during IBD.
    if (state.isLimitedPeer() && this.#chain.isInitialBlockDownload(this.#options.now())) return;
    const room = MAX_BLOCKS_IN_TRANSIT_PER_PEER - state.blocksInFlight.size;
    if (room <= 0) return;
    const { blocks, lastCommon, staller } = nextBlocksToDownload({
      chain: this.#chain,
      peerBest: best,
      lastCommon: state.lastCommonBlock,
      count: room,
      inFlight: (entry) => this.#blocksInFlight.has(entry.hashHex),
      window: BLOCK_DOWNLOAD_WINDOW,
      peerId: state.id,
      inFlightFrom: (entry) => this.#blocksInFlight.get(entry.hashHex),
    });
    state.lastCommonBlock = lastCommon;
    if (blocks.length === 0) {
      // Nothing to ask this idle peer because another holds up the window: start its clock.
      const stalling = staller === undefined ? undefined : this.#peers.get(staller);
      if (stalling && state.blocksInFlight.size === 0 && stalling.stallingSince === 0) {
        stalling.stallingSince = this.#options.nowMicros();
        this.#log.debug("net", () => `Stall started peer=${stalling.id}`);
      }
      return;
    }
    const now = this.#options.nowMicros();
    const inventory: Inventory[] = [];
    for (const entry of blocks) {
      this.#blocksInFlight.set(entry.hashHex, state.id);
      state.blocksInFlight.set(entry.hashHex, now);
      inventory.push({ type: InvType.MSG_WITNESS_BLOCK, hash: entry.hash });
      this.#log.debug(
        "net",
        () => `Requesting block ${entry.hashHex} (${entry.height}) peer=${state.id}`,
      );
    }
    this.#send(state, { type: "getdata", inventory });
  }

  #checkDownloadTimeouts(state: PeerState): void {
    const now = this.#options.nowMicros();
    for (const [hash, since] of state.blocksInFlight) {
      if (now - since > BLOCK_DOWNLOAD_TIMEOUT_SECONDS * 1e6) {
        this.#log.info(`Timeout downloading block ${hash} from peer=${state.id}, disconnecting`);
        state.connection.disconnect();
        return;
      }
    }
  }

  /**
   * `BlockChecked`: a block someone sent us failed validation (at once or when a reorg
   * tried to connect it): the sender is punished as freicoind does.
   */
  blockChecked(block: Block, result: BlockValidationResult): void {
    const hex = block.hashHex;
    const source = this.#blockSource.get(hex);
    if (result.ok) {
      if (source) this.#blockSource.delete(hex);
      return;
    }
    if (!source) return;
    this.#blockSource.delete(hex);
    const state = this.#peers.get(source.peer);
    if (!state) return;
    const penalty = blockFailurePenalty(result.category, {
      inbound: state.connection.inbound,
      viaCompactBlock: source.viaCompactBlock,
    });
    if (penalty > 0) this.misbehaving(state, penalty, result.reason);
  }

  /** A block joined the active chain (`BlockConnected`): transaction relay forgets its txs. */
  blockConnected(block: Block): void {
    this.#txRelay?.blockConnected(block);
    // A doubled stalling timeout drifts back to its default as blocks connect.
    const timeout = this.#stallingTimeoutSeconds;
    if (timeout !== BLOCK_STALLING_TIMEOUT_DEFAULT_SECONDS) {
      const reduced = Math.max(Math.floor(timeout * 0.85), BLOCK_STALLING_TIMEOUT_DEFAULT_SECONDS);
      this.#stallingTimeoutSeconds = reduced;
      this.#log.debug("net", () => `Decreased stalling timeout to ${reduced} seconds`);
    }
  }

  /** A block left the active chain (`BlockDisconnected`). */
  blockDisconnected(): void {
    this.#txRelay?.blockDisconnected();
  }

  /** Queues the blocks of a tip change for announcement (`UpdatedBlockTip`). */
  blockTipChanged(tip: BlockIndexEntry, fork: BlockIndexEntry | undefined): void {
    const added: BlockIndexEntry[] = [];
    for (
      let entry: BlockIndexEntry | undefined = tip;
      entry && entry !== fork;
      entry = entry.prev
    ) {
      added.push(entry);
      if (added.length === MAX_BLOCKS_TO_ANNOUNCE) break;
    }
    added.reverse();
    this.#announceCompact(tip);
    for (const state of this.#peers.values()) {
      state.blocksToAnnounce.push(...added);
    }
    void this.tick();
  }

  /**
   * `NewPoWValidBlock`: peers that asked for high-bandwidth compact blocks get the new tip as
   * a cmpctblock at once, when they have its parent and not the block itself.
   */
  #announceCompact(tip: BlockIndexEntry): void {
    const hbPeers = [...this.#peers.values()].filter((state) =>
      state.compactHighBandwidth && state.compactVersion === CMPCTBLOCKS_VERSION &&
      state.successfullyConnected && !this.#peerHas(state, tip) &&
      tip.prev !== undefined && this.#peerHas(state, tip.prev)
    );
    if (hbPeers.length === 0) return;
    const block = this.#chain.readBlock(tip);
    if (!block) return;
    const compact = buildCompactBlock(block, this.#options.randomU64());
    for (const state of hbPeers) {
      this.#log.debug(
        "net",
        () =>
          `PeerManager::NewPoWValidBlock sending header-and-ids ${tip.hashHex} to peer=${state.id}`,
      );
      this.#send(state, { type: "cmpctblock", compact });
      state.bestHeaderSent = tip;
    }
  }

  /** Sends queued block announcements as headers (when preferred and possible) or an inv. */
  #announceBlocks(state: PeerState): void {
    if (state.blocksToAnnounce.length === 0) return;
    const queued = state.blocksToAnnounce;
    state.blocksToAnnounce = [];
    if (this.#chain.isInitialBlockDownload(this.#options.now())) return;
    const tip = this.#chain.tip;
    if (!tip) return;
    if (state.preferHeaders && queued.length <= MAX_BLOCKS_TO_ANNOUNCE) {
      const headers = this.#headersToAnnounce(state, queued);
      if (headers === "none") return;
      if (headers !== "revert") {
        this.#send(state, { type: "headers", headers: headers.map((e) => e.header) });
        state.bestHeaderSent = headers[headers.length - 1];
        return;
      }
    }
    // Announce the last block by inv unless the peer already has it.
    const last = queued[queued.length - 1];
    if (!this.#chain.contains(last)) return;
    if (this.#peerHas(state, last)) return;
    this.#send(state, { type: "inv", inventory: [{ type: InvType.MSG_BLOCK, hash: last.hash }] });
  }

  #headersToAnnounce(
    state: PeerState,
    queued: readonly BlockIndexEntry[],
  ): BlockIndexEntry[] | "none" | "revert" {
    const out: BlockIndexEntry[] = [];
    let foundStart = false;
    for (const entry of queued) {
      if (!this.#chain.contains(entry)) return "revert"; // reorged away since
      if (out.length > 0 && entry.prev !== out[out.length - 1]) return "revert";
      if (!foundStart && this.#peerHas(state, entry)) continue;
      if (!foundStart) {
        const prev = entry.prev;
        if (prev && !this.#peerHas(state, prev)) return "revert";
        foundStart = true;
      }
      out.push(entry);
    }
    return out.length > 0 ? out : "none";
  }

  #peerHas(state: PeerState, entry: BlockIndexEntry): boolean {
    for (const known of [state.bestKnownBlock, state.bestHeaderSent]) {
      if (known && known.height >= entry.height && known.ancestor(entry.height) === entry) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------
  // Receiving

  async #process(state: PeerState, message: NetMessage): Promise<void> {
    const connection = state.connection;
    if (message.type === "version") return this.#onVersion(state, message.version);
    if (!state.version) {
      this.#log.debug(
        "net",
        () =>
          `non-version message before version handshake. Message "${message.type}" from peer=${state.id}`,
      );
      return;
    }
    if (message.type === "verack") return this.#onVerack(state);
    if (message.type === "sendheaders") {
      state.preferHeaders = true;
      return;
    }
    if (message.type === "sendcmpct") {
      if (message.version === CMPCTBLOCKS_VERSION) {
        state.compactVersion = message.version;
        state.compactHighBandwidth = message.highBandwidth;
      }
      return;
    }
    if (message.type === "wtxidrelay" || message.type === "sendaddrv2") {
      if (state.successfullyConnected) {
        this.#log.debug(
          "net",
          () => `${message.type} received after verack from peer=${state.id}; disconnecting`,
        );
        connection.disconnect();
        return;
      }
      if (message.type === "wtxidrelay") {
        if (state.commonVersion >= WTXID_RELAY_VERSION) state.wtxidRelay = true;
      } else {
        state.wantsAddrV2 = true;
      }
      return;
    }
    if (message.type === "sendtxrcncl") return this.#onSendTxRcncl(state, message);
    if (!state.successfullyConnected) {
      this.#log.debug(
        "net",
        () => `Unsupported message "${message.type}" prior to verack from peer=${state.id}`,
      );
      return;
    }
    switch (message.type) {
      case "ping":
        this.#send(state, { type: "pong", nonce: message.nonce });
        return;
      case "pong":
        return this.#onPong(state, message.nonce, message.payloadSize ?? 8);
      case "feefilter":
        if (message.feeRate >= 0n && message.feeRate <= 2_100_000_000_000_000n) {
          state.feeFilter = message.feeRate;
        }
        return;
      case "getaddr":
        return this.#onGetAddr(state);
      case "addr":
      case "addrv2":
        return this.#onAddr(state, message.type, message.addresses);
      case "inv":
        return this.#onInv(state, message.inventory);
      case "getdata":
        return this.#onGetData(state, message.inventory);
      case "notfound":
        this.#txRelay?.onNotFound(state, message.inventory);
        for (const inv of message.inventory) {
          const hex = hashToHex(inv.hash);
          if (state.blocksInFlight.delete(hex)) this.#blocksInFlight.delete(hex);
        }
        return;
      case "getheaders":
        return this.#onGetHeaders(state, message.locator, message.hashStop);
      case "getblocks":
        return this.#onGetBlocks(state, message.locator, message.hashStop);
      case "headers":
        return await this.#onHeaders(state, message.headers);
      case "block":
        if (!message.block) return;
        if (this.#isMutated(state, message.block)) return;
        return await this.#onBlock(state, message.block, message.bytes);
      case "cmpctblock":
        return await this.#onCompactBlock(state, message.compact);
      case "blocktxn":
        return await this.#onBlockTxn(state, message.blockHash, message.transactions);
      case "getblocktxn":
        return this.#onGetBlockTxn(state, message.blockHash, message.indexes);
      case "tx":
        return this.#onTx(state, message.tx);
      case "mempool":
      case "filterload":
      case "filteradd":
      case "filterclear":
        // Bloom filters are off (-peerbloomfilters=0): such requests end the connection,
        // except mempool from a peer with the mempool permission.
        if (message.type === "mempool" && connection.hasPermission("mempool")) return;
        this.#log.debug(
          "net",
          () => `${message.type} request with bloom filters disabled, disconnect peer=${state.id}`,
        );
        connection.disconnect();
        return;
      case "getcfilters":
      case "getcfheaders":
      case "getcfcheckpt":
        // We do not serve compact filters (no -peerblockfilters).
        this.#log.debug("net", () => `peer ${state.id} requested unsupported block filter type`);
        connection.disconnect();
        return;
      default:
        // tx, blocktxn, merkleblock, cfilter, cfheaders, cfcheckpt: nothing to do yet.
        return;
    }
  }

  #onVersion(state: PeerState, version: VersionMessage): void {
    const connection = state.connection;
    if (state.version) {
      this.#log.debug("net", () => `redundant version message from peer=${state.id}`);
      return;
    }
    if (version.version < MIN_PEER_PROTO_VERSION) {
      this.#log.debug(
        "net",
        () => `peer=${state.id} using obsolete version ${version.version}; disconnecting`,
      );
      connection.disconnect();
      return;
    }
    if (connection.inbound) {
      for (const other of this.#peers.values()) {
        if (
          !other.connection.inbound && other.localNonce === version.nonce && version.nonce !== 0n
        ) {
          this.#log.info(
            `connected to self at ${formatService(connection.addr)}, disconnecting`,
          );
          connection.disconnect();
          return;
        }
      }
    }
    state.version = version;
    state.commonVersion = Math.min(version.version, PROTOCOL_VERSION);
    const type = connection.connectionType;
    state.relayTxs = version.relay && type !== "block-relay-only" && type !== "feeler";
    if (connection.inbound) this.#pushVersion(state);
    if (state.commonVersion >= WTXID_RELAY_VERSION) this.#send(state, { type: "wtxidrelay" });
    // BIP155 as a courtesy only to peers that can know it.
    if (state.commonVersion >= 70017) this.#send(state, { type: "sendaddrv2" });
    // BIP330: offered to tx-relaying peers that know wtxid relay, not to addr-fetch peers, not
    // in -blocksonly.
    if (
      this.#txReconciliation && state.commonVersion >= WTXID_RELAY_VERSION && state.relayTxs &&
      type !== "addr-fetch" && !this.#options.blocksOnly
    ) {
      const salt = this.#txReconciliation.preRegister(state.id);
      this.#send(state, { type: "sendtxrcncl", version: TXRECONCILIATION_VERSION, salt });
    }
    this.#send(state, { type: "verack" });
    this.#log.debug(
      "net",
      () =>
        `receive version message: ${version.userAgent}: version ${version.version}, blocks=${version.startHeight}, us=${
          formatService(version.addrRecv)
        }, txrelay=${version.relay}, peer=${state.id}`,
    );
    if (type === "feeler") {
      connection.disconnect();
      return;
    }
    // An outbound peer answered: the address manager learns the address works (`Good`).
    if (!connection.inbound) this.#options.addrman?.good(connection.addr);
    if (!connection.inbound && type !== "block-relay-only") {
      state.addrRelayEnabled = true;
      state.getaddrSent = true;
      // The answer to our getaddr may be large: allow it past the rate limit.
      state.addrTokenBucket += MAX_ADDR_TO_SEND;
      this.#send(state, { type: "getaddr" });
    }
  }

  /** SENDTXRCNCL: the BIP330 handshake, between version and verack only. */
  #onSendTxRcncl(state: PeerState, message: { version: number; salt: bigint }): void {
    const tracker = this.#txReconciliation;
    const connection = state.connection;
    const fail = (why: string) => {
      this.#log.debug("net", () => why);
      connection.disconnect();
    };
    if (!tracker) {
      this.#log.debug(
        "net",
        () =>
          `sendtxrcncl from peer=${state.id} ignored, as our node does not have txreconciliation enabled`,
      );
      return;
    }
    if (state.successfullyConnected) {
      return fail(`sendtxrcncl received after verack from peer=${state.id}; disconnecting`);
    }
    if (this.#rejectsTxs(state)) {
      return fail(
        `sendtxrcncl received from peer=${state.id} to which we indicated no tx relay; disconnecting`,
      );
    }
    if (!state.relayTxs) {
      return fail(
        `sendtxrcncl received from peer=${state.id} which indicated no tx relay to us; disconnecting`,
      );
    }
    const result = tracker.register(state.id, connection.inbound, message.version, message.salt);
    if (result === "not-found") {
      this.#log.debug(
        "net",
        () => `Ignore unexpected txreconciliation signal from peer=${state.id}`,
      );
    } else if (result === "already-registered") {
      fail(
        `txreconciliation protocol violation from peer=${state.id} (sendtxrcncl received from already registered peer); disconnecting`,
      );
    } else if (result === "protocol-violation") {
      fail(`txreconciliation protocol violation from peer=${state.id}; disconnecting`);
    }
  }

  #onVerack(state: PeerState): void {
    if (state.successfullyConnected) {
      this.#log.debug("net", () => `ignoring redundant verack message from peer=${state.id}`);
      return;
    }
    const connection = state.connection;
    // Inbound connections only with -debug=net: an attacker could make them at a high rate.
    if (!connection.inbound || this.#log.willLog("net", "debug")) {
      this.#log.info(
        `New ${connection.connectionType} ${connection.transportProtocolType} peer connected: version: ${state.version?.version}, blocks=${state.version?.startHeight}, peer=${state.id}`,
      );
    }
    // Without wtxid relay (announced before verack or never) reconciliation cannot be used.
    if (
      this.#txReconciliation &&
      (!state.wtxidRelay || !this.#txReconciliation.isRegistered(state.id))
    ) {
      this.#txReconciliation.forget(state.id);
    }
    if (state.commonVersion >= SENDHEADERS_VERSION) this.#send(state, { type: "sendheaders" });
    if (state.commonVersion >= SHORT_IDS_BLOCKS_VERSION) {
      this.#send(state, { type: "sendcmpct", highBandwidth: false, version: CMPCTBLOCKS_VERSION });
    }
    state.successfullyConnected = true;
  }

  /** The PONG branch of `ProcessMessage`, with its log lines. */
  #onPong(state: PeerState, nonce: bigint, payloadSize: number): void {
    const sent = state.pingNonceSent;
    let finished = false;
    let problem = "";
    if (payloadSize >= 8) {
      if (sent !== 0n) {
        if (nonce === sent) {
          finished = true;
          const rtt = this.#options.nowMicros() - state.pingStart;
          if (rtt >= 0) {
            state.lastPingMicros = rtt;
            state.minPingMicros = Math.min(state.minPingMicros ?? rtt, rtt);
          } else {
            problem = "Timing mishap";
          }
        } else {
          problem = "Nonce mismatch";
          if (nonce === 0n) {
            // Most likely a bug in the other implementation: cancel this ping.
            finished = true;
            problem = "Nonce zero";
          }
        }
      } else {
        problem = "Unsolicited pong without ping";
      }
    } else {
      finished = true;
      problem = "Short payload";
    }
    if (problem) {
      this.#log.debug(
        "net",
        () =>
          `pong peer=${state.id}: ${problem}, ${sent.toString(16)} expected, ${
            nonce.toString(16)
          } received, ${payloadSize} bytes`,
      );
    }
    if (finished) state.pingNonceSent = 0n;
  }

  /** The ADDR/ADDRV2 branch: rate-limited, then into the address manager. */
  #onAddr(state: PeerState, type: string, addresses: readonly NetAddressEntry[]): void {
    const connection = state.connection;
    if (connection.connectionType === "block-relay-only") {
      this.#log.debug(
        "net",
        () => `ignoring ${type} message from block-relay-only peer=${state.id}`,
      );
      return;
    }
    state.addrRelayEnabled = true;
    if (addresses.length > MAX_ADDR_TO_SEND) {
      this.misbehaving(state, 20, `${type} message size = ${addresses.length}`);
      return;
    }
    const now = this.#options.now();
    if (state.addrTokenBucket < MAX_ADDR_TO_SEND) {
      if (state.addrTokenTimestamp !== 0) {
        const elapsed = Math.max(0, now - state.addrTokenTimestamp);
        state.addrTokenBucket = Math.min(
          state.addrTokenBucket + elapsed * MAX_ADDR_RATE_PER_SECOND,
          MAX_ADDR_TO_SEND,
        );
      }
    }
    state.addrTokenTimestamp = now;
    const accepted: NetAddressEntry[] = [];
    let rateLimited = 0;
    for (const address of addresses) {
      if (state.addrTokenBucket < 1 && !connection.hasPermission("addr")) {
        rateLimited++;
        continue;
      }
      if (state.addrTokenBucket >= 1) state.addrTokenBucket -= 1;
      state.addrProcessed++;
      // Timestamps far in the past or future become five days ago.
      const time = address.time <= 100_000_000 || address.time > now + 10 * 60
        ? now - 5 * 24 * 60 * 60
        : address.time;
      state.addKnownAddress(addressKey(address));
      if (!isRoutable(address)) continue;
      const entry = { ...address, time };
      // Relayed whatever its network, kept only when we could connect to it.
      if (this.#options.isReachable?.(address.network) ?? true) accepted.push(entry);
      // Fresh self-contained announcements (not a getaddr answer) are passed on.
      if (time > now - 10 * 60 && !state.getaddrSent && addresses.length <= 10) {
        this.#relayAddress(state.id, entry);
      }
    }
    if (addresses.length < MAX_ADDR_TO_SEND) state.getaddrSent = false;
    state.addrRateLimited += rateLimited;
    if (rateLimited > 0) {
      this.#log.debug(
        "net",
        () =>
          `Received addr: ${addresses.length} addresses (${
            addresses.length - rateLimited
          } processed, ${rateLimited} rate-limited) from peer=${state.id}`,
      );
    }
    if (accepted.length > 0) this.#options.addrman?.add(accepted, connection.addr, 2 * 60 * 60);
    // An addr-fetch connection is done once it got a real answer (not a self-announcement).
    if (connection.connectionType === "addr-fetch" && addresses.length > 1) {
      this.#log.debug(
        "net",
        () => `addrfetch connection completed peer=${state.id}; disconnecting`,
      );
      connection.disconnect();
    }
  }

  /**
   * `RelayAddress`: to the same two address-relay peers for a day (keyed by the address and
   * a day-long time bucket), never back to the originator.
   */
  #relayAddress(originator: number, address: NetAddressEntry): void {
    const key = addressKey(address);
    const bucket = Math.floor(this.#options.now() / (24 * 60 * 60));
    const ranked: { score: bigint; state: PeerState }[] = [];
    for (const state of this.#peers.values()) {
      if (!state.addrRelayEnabled || state.id === originator) continue;
      if (!isAddrCompatible(state, address)) continue;
      const digest = sha256d(
        new TextEncoder().encode(`${this.#relaySalt}|${key}|${bucket}|${state.id}`),
      );
      const score = new DataView(digest.buffer, digest.byteOffset).getBigUint64(0, true);
      ranked.push({ score, state });
    }
    ranked.sort((a, b) => (a.score < b.score ? 1 : a.score > b.score ? -1 : 0));
    for (const { state } of ranked.slice(0, 2)) this.#pushAddress(state, address);
  }

  /** `PushAddress`: queue for the next address send, unless the peer knows it. */
  #pushAddress(state: PeerState, address: NetAddressEntry): void {
    if (state.addrKnown.has(addressKey(address)) || !isAddrCompatible(state, address)) return;
    if (state.addrsToSend.length >= MAX_ADDR_TO_SEND) {
      state.addrsToSend[Math.floor(Math.random() * state.addrsToSend.length)] = address;
    } else {
      state.addrsToSend.push(address);
    }
  }

  /** `MaybeSendAddr`: queued addresses go out on a Poisson timer (30 s mean). */
  #maybeSendAddr(state: PeerState): void {
    if (!state.addrRelayEnabled) return;
    const now = this.#options.nowMicros();
    this.#maybeAdvertiseSelf(state, now);
    if (now <= state.nextAddrSend) return;
    state.nextAddrSend = now + Math.round(-Math.log(1 - Math.random()) * 30e6);
    const fresh = state.addrsToSend.filter((address) => {
      const key = addressKey(address);
      if (state.addrKnown.has(key)) return false;
      state.addKnownAddress(key);
      return true;
    });
    state.addrsToSend = [];
    if (fresh.length === 0) return;
    this.#send(state, { type: state.wantsAddrV2 ? "addrv2" : "addr", addresses: fresh });
  }

  /**
   * Once a day on average (first right away) our own address is queued for the peer, outside
   * initial block download, with our services and the current time.
   */
  #maybeAdvertiseSelf(state: PeerState, now: number): void {
    const localAddressFor = this.#options.localAddressFor;
    if (!localAddressFor || now <= state.nextLocalAddrSend) return;
    if (this.#chain.isInitialBlockDownload(this.#options.now())) return;
    // After the first one, forget what the peer knows so the announcement really goes out.
    if (state.nextLocalAddrSend !== 0) state.addrKnown.clear();
    const local = localAddressFor(state.connection, state.version?.addrRecv);
    if (local) {
      this.#log.debug(
        "net",
        () => `Advertising address ${formatService(local)} to peer=${state.id}`,
      );
      this.#pushAddress(state, {
        ...local,
        services: this.#options.localServices,
        time: Math.floor(now / 1e6),
      });
    }
    state.nextLocalAddrSend = now + Math.round(-Math.log(1 - Math.random()) * 24 * 3600e6);
  }

  #onGetAddr(state: PeerState): void {
    // Only inbound peers may ask, once per connection (a fingerprinting defence).
    if (!state.connection.inbound) {
      this.#log.debug("net", () => `Ignoring "getaddr" from outbound connection. peer=${state.id}`);
      return;
    }
    if (state.getaddrAnswered) {
      this.#log.debug("net", () => `Ignoring repeated "getaddr". peer=${state.id}`);
      return;
    }
    state.getaddrAnswered = true;
    state.addrRelayEnabled = true;
    const addrman = this.#options.addrman;
    if (!addrman) return;
    // An "addr"-permitted peer gets a fresh answer; others the cached one of their socket.
    const addresses = state.connection.hasPermission("addr")
      ? addrman.getAddresses(MAX_ADDR_TO_SEND, MAX_PCT_ADDR_TO_SEND)
      : this.#cachedAddrResponse(state.connection.addrBind);
    // Queued like relayed addresses; they go out at the next address send.
    for (const address of addresses) this.#pushAddress(state, address);
  }

  #cachedAddrResponse(local: NetService): NetAddressEntry[] {
    const key = formatService(local);
    const now = this.#options.nowMicros();
    let entry = this.#addrResponseCache.get(key);
    if (!entry || entry.expiresMicros < now) {
      const hour = 3600 * 1e6;
      entry = {
        addresses: this.#options.addrman!.getAddresses(MAX_ADDR_TO_SEND, MAX_PCT_ADDR_TO_SEND),
        expiresMicros: now + 21 * hour + Math.floor(Math.random() * 6 * hour),
      };
      this.#addrResponseCache.set(key, entry);
    }
    return entry.addresses;
  }

  #onInv(state: PeerState, inventory: readonly Inventory[]): void {
    if (inventory.length > MAX_INV_SZ) {
      this.misbehaving(state, 20, `inv message size = ${inventory.length}`);
      return;
    }
    this.#onTxInventory(state, inventory);
    let bestBlock: Uint8Array | undefined;
    for (const inv of inventory) {
      if ((inv.type & ~MSG_WITNESS_FLAG) !== InvType.MSG_BLOCK) continue;
      const hex = hashToHex(inv.hash);
      this.#log.debug("net", () => `got inv: block ${hex} peer=${state.id}`);
      const known = this.#chain.lookupBlockIndex(inv.hash);
      if (known) {
        this.#updateBestKnown(state, known);
        continue;
      }
      if (!this.#blocksInFlight.has(hex)) bestBlock = inv.hash;
    }
    if (bestBlock) {
      state.lastUnknownBlock = bestBlock;
      const hex = hashToHex(bestBlock);
      // Headers-first: ask for the headers leading to the announced block, from peers we
      // sync with, and from one more peer per new block.
      if (
        state.syncStarted ||
        (!state.invTriggeredGetheadersBeforeSync && hex !== this.#lastBlockInvTriggeringSync)
      ) {
        if (this.#sendGetHeaders(state, this.#chain.bestHeader ?? this.#chain.tip)) {
          this.#log.debug(
            "net",
            () => `getheaders (${this.#chain.bestHeader?.height}) ${hex} to peer=${state.id}`,
          );
        }
        if (!state.syncStarted) {
          state.invTriggeredGetheadersBeforeSync = true;
          this.#lastBlockInvTriggeringSync = hex;
        }
      }
    }
  }

  #onTxInventory(state: PeerState, inventory: readonly Inventory[]): void {
    const txInvs = inventory.filter((inv) => {
      const base = inv.type & ~MSG_WITNESS_FLAG;
      return base === InvType.MSG_TX || base === InvType.MSG_WTX;
    });
    if (txInvs.length === 0) return;
    if (this.#rejectsTxs(state)) {
      this.#log.debug(
        "net",
        () =>
          `transaction (${
            hashToHex(txInvs[0].hash)
          }) inv sent in violation of protocol, disconnecting peer=${state.id}`,
      );
      state.connection.disconnect();
      return;
    }
    // No transaction downloads while catching up on blocks.
    if (this.#chain.isInitialBlockDownload(this.#options.now())) return;
    this.#txRelay?.onInventory(state, txInvs);
  }

  /** `RejectIncomingTxs`: block-relay-only peers, and -blocksonly without relay permission. */
  #rejectsTxs(state: PeerState): boolean {
    return this.#rejectsIncomingTxs(state.connection);
  }

  #rejectsIncomingTxs(connection: PeerConnection): boolean {
    const type = connection.connectionType;
    if (type === "block-relay-only" || type === "feeler") return true;
    return this.#options.blocksOnly && !connection.hasPermission("relay");
  }

  #onTx(state: PeerState, tx: Transaction): void {
    if (this.#rejectsTxs(state)) {
      this.#log.debug(
        "net",
        () => `transaction sent in violation of protocol peer=${state.id}`,
      );
      state.connection.disconnect();
      return;
    }
    // Unvalidatable before the chain is synced; unsolicited transactions are no violation.
    if (this.#chain.isInitialBlockDownload(this.#options.now())) return;
    this.#txRelay?.onTransaction(state, tx);
  }

  #onGetData(state: PeerState, inventory: readonly Inventory[]): void {
    if (inventory.length > MAX_INV_SZ) {
      this.misbehaving(state, 20, `getdata message size = ${inventory.length}`);
      return;
    }
    this.#log.debug("net", () => `received getdata (${inventory.length} invsz) peer=${state.id}`);
    if (inventory.length > 0) {
      this.#log.debug(
        "net",
        () => `received getdata for: ${inventoryText(inventory[0])} peer=${state.id}`,
      );
    }
    const notFound: Inventory[] = [];
    for (const inv of inventory) {
      if (state.connection.disconnectRequested) return;
      const base = inv.type & ~MSG_WITNESS_FLAG;
      if (base === InvType.MSG_BLOCK || base === InvType.MSG_CMPCT_BLOCK) {
        this.#serveBlock(state, inv);
      } else if (base === InvType.MSG_FILTERED_BLOCK) {
        // No bloom filters: nothing to send.
      } else if (base === InvType.MSG_TX || base === InvType.MSG_WTX) {
        const tx = this.#txRelay?.serve(state, inv);
        if (!tx) {
          notFound.push(inv);
          continue;
        }
        const witness = base === InvType.MSG_WTX || (inv.type & MSG_WITNESS_FLAG) !== 0;
        this.#send(state, { type: "tx", tx, witness });
      }
    }
    if (notFound.length > 0) this.#send(state, { type: "notfound", inventory: notFound });
  }

  /**
   * `BlockRequestAllowed`: blocks of the active chain, or fully validated stale blocks less
   * than a month older than the best header (a fingerprinting defence).
   */
  #blockRequestAllowed(entry: BlockIndexEntry): boolean {
    if (this.#chain.contains(entry)) return true;
    const best = this.#chain.bestHeader;
    return entry.isValid(BlockStatus.VALID_SCRIPTS) && best !== undefined &&
      best.time - entry.time < STALE_RELAY_AGE_LIMIT;
  }

  #serveBlock(state: PeerState, inv: Inventory): void {
    const entry = this.#chain.lookupBlockIndex(inv.hash);
    if (!entry || !(entry.status & BlockStatus.HAVE_DATA)) return;
    // A pruned node (NODE_NETWORK_LIMITED only) serves the last 288 blocks (+2 for races).
    const services = this.#options.localServices;
    if (
      !state.connection.hasPermission("noban") && (services & 1024n) !== 0n &&
      (services & 1n) === 0n && this.#chain.height - entry.height > 288 + 2
    ) {
      this.#log.debug(
        "net",
        () =>
          `Ignore block request below NODE_NETWORK_LIMITED threshold, disconnect peer=${state.id}`,
      );
      state.connection.disconnect();
      return;
    }
    if (!this.#blockRequestAllowed(entry)) {
      this.#log.debug(
        "net",
        () =>
          `ProcessGetBlockData: ignoring request from peer=${state.id} for old block that isn't in the main chain`,
      );
      return;
    }
    const bytes = this.#chain.readBlockBytes(entry);
    if (!bytes) {
      this.#log.debug(
        "net",
        () => `Cannot load block ${entry.hashHex} from disk, disconnecting peer=${state.id}`,
      );
      state.connection.disconnect();
      return;
    }
    const base = inv.type & ~MSG_WITNESS_FLAG;
    const witness = (inv.type & MSG_WITNESS_FLAG) !== 0;
    if (base === InvType.MSG_BLOCK && witness) {
      this.#send(state, { type: "block", bytes });
    } else {
      const block = this.#chain.readBlock(entry);
      if (!block) return;
      if (base === InvType.MSG_BLOCK) {
        this.#send(state, { type: "block", block, bytes: block.toBytes({ witness: false }) });
      } else {
        // MSG_CMPCT_BLOCK: compact for recent blocks, the whole block deeper down.
        const tip = this.#chain.tip;
        if (tip && entry.height >= tip.height - MAX_CMPCTBLOCK_DEPTH) {
          this.#send(state, {
            type: "cmpctblock",
            compact: buildCompactBlock(block, this.#options.randomU64()),
          });
        } else {
          this.#send(state, { type: "block", block, bytes });
        }
      }
    }
  }

  #onGetHeaders(state: PeerState, locator: BlockLocator, hashStop: Uint8Array): void {
    if (locator.have.length > MAX_LOCATOR_SZ) {
      this.#log.debug(
        "net",
        () =>
          `getheaders locator size ${locator.have.length} > ${MAX_LOCATOR_SZ}, disconnect peer=${state.id}`,
      );
      state.connection.disconnect();
      return;
    }
    // Serving a chain with less than the minimum work could partition a new peer onto it:
    // answer empty instead (so the peer does not take us for unresponsive).
    const tip = this.#chain.tip;
    if (
      !tip ||
      (tip.chainWork < this.#chain.params.consensus.minimumChainWork &&
        !state.connection.hasPermission("download"))
    ) {
      this.#log.debug(
        "net",
        () =>
          `Ignoring getheaders from peer=${state.id} because active chain has too little work; sending empty response`,
      );
      this.#send(state, { type: "headers", headers: [] });
      return;
    }
    let start: BlockIndexEntry | undefined;
    if (locator.isNull()) {
      const stop = this.#chain.lookupBlockIndex(hashStop);
      if (!stop) return;
      if (!this.#blockRequestAllowed(stop)) {
        this.#log.debug(
          "net",
          () =>
            `ProcessMessage: ignoring request from peer=${state.id} for old block header that isn't in the main chain`,
        );
        return;
      }
      start = stop;
    } else {
      const fork = findForkInActiveChain(this.#chain, locator);
      start = fork ? this.#chain.getBlockEntry(fork.height + 1) : undefined;
    }
    const headers: BlockHeader[] = [];
    let last: BlockIndexEntry | undefined;
    for (let entry = start; entry; entry = this.#chain.getBlockEntry(entry.height + 1)) {
      headers.push(entry.header);
      last = entry;
      if (headers.length >= MAX_HEADERS_RESULTS || bytesEqual(entry.hash, hashStop)) break;
      if (locator.isNull()) break;
    }
    state.bestHeaderSent = last ?? this.#chain.tip;
    this.#send(state, { type: "headers", headers });
  }

  #onGetBlocks(state: PeerState, locator: BlockLocator, hashStop: Uint8Array): void {
    if (locator.have.length > MAX_LOCATOR_SZ) {
      state.connection.disconnect();
      return;
    }
    const fork = findForkInActiveChain(this.#chain, locator);
    if (!fork) return;
    const inventory: Inventory[] = [];
    for (let h = fork.height + 1; inventory.length < MAX_GETBLOCKS_RESULTS; h++) {
      const entry = this.#chain.getBlockEntry(h);
      if (!entry || bytesEqual(entry.hash, hashStop)) break;
      inventory.push({ type: InvType.MSG_BLOCK, hash: entry.hash });
    }
    if (inventory.length > 0) this.#send(state, { type: "inv", inventory });
  }

  /** The GETBLOCKTXN branch: transactions of a recent block, the whole block if older. */
  #onGetBlockTxn(state: PeerState, blockHash: Uint8Array, indexes: readonly number[]): void {
    const entry = this.#chain.lookupBlockIndex(blockHash);
    if (!entry || !(entry.status & BlockStatus.HAVE_DATA)) {
      this.#log.debug(
        "net",
        () => `Peer ${state.id} sent us a getblocktxn for a block we don't have`,
      );
      return;
    }
    if (entry.height < this.#chain.height - MAX_BLOCKTXN_DEPTH) {
      // Deep blocks cost a disk read: make the peer take the whole block (as freicoind).
      this.#log.debug(
        "net",
        () => `Peer ${state.id} sent us a getblocktxn for a block > ${MAX_BLOCKTXN_DEPTH} deep`,
      );
      this.#serveBlock(state, { type: InvType.MSG_WITNESS_BLOCK, hash: blockHash });
      return;
    }
    const block = this.#chain.readBlock(entry);
    if (!block) return;
    const transactions = [];
    for (const index of indexes) {
      if (index >= block.transactions.length) {
        this.misbehaving(state, 100, "getblocktxn with out-of-bounds tx indices");
        return;
      }
      transactions.push(block.transactions[index]);
    }
    this.#send(state, { type: "blocktxn", blockHash, transactions });
  }

  async #onHeaders(
    state: PeerState,
    headers: readonly BlockHeader[],
    how: { fromCompact?: boolean } = {},
  ): Promise<void> {
    if (headers.length > MAX_HEADERS_RESULTS) {
      this.misbehaving(state, 20, `headers message size = ${headers.length}`);
      return;
    }
    // Any headers answer (even empty) ends the getheaders in flight.
    if (!how.fromCompact) state.lastGetheadersTime = 0;
    if (headers.length === 0) return;
    // `CheckHeadersPoW`: proof of work first, then continuity.
    const consensus = this.#chain.params.consensus;
    if (headers.some((header) => !checkBlockHeader(header, consensus).ok)) {
      this.misbehaving(state, 100, "header with invalid proof of work");
      return;
    }
    for (let i = 1; i < headers.length; i++) {
      if (!bytesEqual(headers[i].hashPrevBlock, headers[i - 1].hash)) {
        this.misbehaving(state, 20, "non-continuous headers sequence");
        return;
      }
    }
    const first = headers[0];
    if (!this.#chain.lookupBlockIndex(first.hashPrevBlock)) {
      // Does not connect: ask for the headers in between (`HandleFewUnconnectingHeaders`).
      state.unconnectingHeaders++;
      this.#sendGetHeaders(state, this.#chain.bestHeader ?? this.#chain.tip);
      this.#log.debug(
        "net",
        () =>
          `received header ${first.hashHex}: missing prev block ${
            hashToHex(first.hashPrevBlock)
          }, sending getheaders (${this.#chain.bestHeader?.height}) to end (peer=${state.id}, m_num_unconnecting_headers_msgs=${state.unconnectingHeaders})`,
      );
      state.lastUnknownBlock = headers[headers.length - 1].hash;
      if (state.unconnectingHeaders % MAX_NUM_UNCONNECTING_HEADERS_MSGS === 0) {
        this.misbehaving(state, 20, `${state.unconnectingHeaders} non-connecting headers`);
      }
      return;
    }
    const result = await this.#chain.processBlockHeaders(headers);
    if (!result.ok) {
      const penalty = blockFailurePenalty(result.category, {
        inbound: state.connection.inbound,
        viaCompactBlock: how.fromCompact ?? false,
      });
      if (penalty > 0) this.misbehaving(state, penalty, `invalid header received`);
      this.#log.debug("net", () => `peer=${state.id}: ${result.reason}`);
      return;
    }
    state.unconnectingHeaders = 0;
    const last = result.last;
    if (!last) return;
    this.#updateBestKnown(state, last);
    if (headers.length === MAX_HEADERS_RESULTS) {
      // There may be more: continue from the last one received.
      this.#log.debug(
        "net",
        () =>
          `more getheaders (${last.height}) to end to peer=${state.id} (startheight:${state.version?.startHeight})`,
      );
      this.#sendGetHeaders(state, last);
    }
    this.#directFetch(state, last);
    this.#requestBlocks(state);
  }

  /** The CMPCTBLOCK branch: header first, then reconstruction from the mempool. */
  async #onCompactBlock(state: PeerState, compact: CompactBlock): Promise<void> {
    const header = compact.header;
    const prev = this.#chain.lookupBlockIndex(header.hashPrevBlock);
    if (!prev) {
      // We cannot place it: ask for the headers in between, as for an unconnecting header.
      if (!this.#chain.isInitialBlockDownload(this.#options.now())) {
        this.#sendGetHeaders(state, this.#chain.bestHeader ?? this.#chain.tip);
      }
      return;
    }
    if (prev.chainWork + getBlockProof(header.bits) < this.#antiDosWorkThreshold()) {
      this.#log.debug("net", () => `Ignoring low-work compact block from peer ${state.id}`);
      return;
    }
    if (!checkBlockHeader(header, this.#chain.params.consensus).ok) {
      this.misbehaving(state, 100, "invalid header via cmpctblock");
      return;
    }
    const result = await this.#chain.processBlockHeaders([header]);
    if (!result.ok) {
      const penalty = blockFailurePenalty(result.category, {
        inbound: state.connection.inbound,
        viaCompactBlock: true,
      });
      if (penalty > 0) this.misbehaving(state, penalty, "invalid header via cmpctblock");
      return;
    }
    const entry = result.last;
    if (!entry) return;
    this.#updateBestKnown(state, entry);
    await this.#reconstructCompact(state, entry, compact);
  }

  /** The reconstruction part of the CMPCTBLOCK branch, with freicoind's parallel-fetch rules. */
  async #reconstructCompact(
    state: PeerState,
    entry: BlockIndexEntry,
    compact: CompactBlock,
  ): Promise<void> {
    const hex = entry.hashHex;
    if (entry.haveData) return;
    const tip = this.#chain.tip;
    if (!tip) return;
    const flight = [...this.#peers.values()].filter((p) => p.blocksInFlight.has(hex))
      .sort((a, b) => a.blocksInFlight.get(hex)! - b.blocksInFlight.get(hex)!);
    const alreadyInFlight = flight.length;
    const requestedFromThis = state.blocksInFlight.has(hex);
    const firstInFlight = alreadyInFlight === 0 || flight[0] === state;
    if (entry.chainWork <= tip.chainWork || entry.txCount !== 0) {
      // Something better is known: the mempool will not help, fetch it whole if we asked.
      if (requestedFromThis) this.#requestFullBlock(state, entry);
      return;
    }
    if (alreadyInFlight === 0 && !this.#canDirectFetch()) return;
    if (entry.height > tip.height + 2) {
      if (requestedFromThis) this.#requestFullBlock(state, entry);
      else this.#directFetch(state, entry);
      return;
    }
    const pool = this.#options.relayPool?.transactions() ?? [];
    const canQueue = alreadyInFlight < MAX_CMPCTBLOCKS_INFLIGHT_PER_BLOCK &&
      state.blocksInFlight.size < MAX_BLOCKS_IN_TRANSIT_PER_PEER;
    if (!canQueue && !requestedFromThis) {
      // In flight elsewhere: rebuild only if no round trip is needed.
      const init = PartialBlock.init(compact, pool);
      if (init.status !== "ok" || init.partial.missing().length > 0) return;
      const filled = init.partial.fill([]);
      if ("block" in filled) {
        await this.#onBlock(state, filled.block, filled.block.toBytes(), { viaCompactBlock: true });
      }
      return;
    }
    if (state.partialBlocks.has(hex)) {
      this.#log.debug("net", () => "Peer sent us compact block we were already syncing!");
      return;
    }
    if (!this.#blocksInFlight.has(hex)) this.#blocksInFlight.set(hex, state.id);
    state.blocksInFlight.set(hex, this.#options.nowMicros());
    const init = PartialBlock.init(compact, pool);
    if (init.status === "invalid") {
      this.#removeBlockRequest(state, hex);
      this.misbehaving(state, 100, "invalid compact block");
      return;
    }
    if (init.status !== "ok") {
      if (firstInFlight) this.#requestFullBlock(state, entry);
      else this.#removeBlockRequest(state, hex);
      return;
    }
    const partial = init.partial;
    const missing = partial.missing();
    if (missing.length === 0) return await this.#completePartial(state, entry, partial, []);
    const fromOutbound = flight.some((p) => !p.connection.inbound);
    if (
      firstInFlight ||
      (state.highBandwidthTo &&
        (!state.connection.inbound || fromOutbound ||
          alreadyInFlight < MAX_CMPCTBLOCKS_INFLIGHT_PER_BLOCK - 1))
    ) {
      state.partialBlocks.set(hex, partial);
      this.#send(state, { type: "getblocktxn", blockHash: entry.hash, indexes: missing });
    } else {
      // Give up on this peer and wait for the others.
      this.#removeBlockRequest(state, hex);
    }
  }

  #removeBlockRequest(state: PeerState, hex: string): void {
    state.blocksInFlight.delete(hex);
    state.partialBlocks.delete(hex);
    if (this.#blocksInFlight.get(hex) === state.id) {
      this.#blocksInFlight.delete(hex);
      const other = [...this.#peers.values()].find((p) => p.blocksInFlight.has(hex));
      if (other) this.#blocksInFlight.set(hex, other.id);
    }
  }

  /** `CanDirectFetch`: our tip is recent enough to fetch announced blocks at once. */
  #canDirectFetch(): boolean {
    const tip = this.#chain.tip;
    if (!tip) return false;
    return tip.time > this.#options.now() - this.#chain.params.consensus.powTargetSpacing * 20;
  }

  /**
   * `GetAntiDoSWorkThreshold`: headers with less work than our tip minus 144 blocks (or the
   * minimum chain work) are not worth storing.
   */
  #antiDosWorkThreshold(): bigint {
    const tip = this.#chain.tip;
    let nearTip = 0n;
    if (tip) {
      const margin = 144n * getBlockProof(tip.bits);
      nearTip = tip.chainWork - (margin < tip.chainWork ? margin : tip.chainWork);
    }
    const minimum = this.#chain.params.consensus.minimumChainWork;
    return nearTip > minimum ? nearTip : minimum;
  }

  /**
   * `MaybeSetPeerAsAnnouncingHeaderAndIDs`: the peer that gave us a new valid block becomes
   * one of (at most) three high-bandwidth compact block peers, keeping an outbound one.
   */
  #maybeSetHighBandwidth(state: PeerState): void {
    if (this.#options.blocksOnly || state.compactVersion !== CMPCTBLOCKS_VERSION) return;
    const list = this.#highBandwidthPeers;
    const existing = list.indexOf(state.id);
    if (existing >= 0) {
      list.splice(existing, 1);
      list.push(state.id);
      return;
    }
    const outboundCount = list.filter((id) => !this.#peers.get(id)?.connection.inbound).length;
    if (state.connection.inbound && list.length >= 3 && outboundCount === 1) {
      // Do not let an inbound peer push out our last outbound high-bandwidth peer.
      const first = this.#peers.get(list[0]);
      if (first && !first.connection.inbound) [list[0], list[1]] = [list[1], list[0]];
    }
    if (list.length >= 3) {
      const stop = this.#peers.get(list.shift()!);
      if (stop) {
        this.#send(stop, { type: "sendcmpct", highBandwidth: false, version: CMPCTBLOCKS_VERSION });
        stop.highBandwidthTo = false;
      }
    }
    this.#send(state, { type: "sendcmpct", highBandwidth: true, version: CMPCTBLOCKS_VERSION });
    state.highBandwidthTo = true;
    list.push(state.id);
  }

  /** The BLOCKTXN branch: the missing transactions of a compact block we asked for. */
  async #onBlockTxn(
    state: PeerState,
    blockHash: Uint8Array,
    transactions: readonly Transaction[],
  ): Promise<void> {
    const hex = hashToHex(blockHash);
    const partial = state.partialBlocks.get(hex);
    const entry = this.#chain.lookupBlockIndex(blockHash);
    if (!partial || !entry) {
      this.#log.debug(
        "net",
        () => `Peer ${state.id} sent us block transactions for block we weren't expecting`,
      );
      return;
    }
    state.partialBlocks.delete(hex);
    await this.#completePartial(state, entry, partial, transactions);
  }

  async #completePartial(
    state: PeerState,
    entry: BlockIndexEntry,
    partial: PartialBlock,
    extra: readonly Transaction[],
  ): Promise<void> {
    const filled = partial.fill(extra);
    if (filled.status === "invalid") {
      this.misbehaving(state, 100, "invalid compact block/non-matching block transactions");
      return;
    }
    if (!("block" in filled)) return this.#requestFullBlock(state, entry);
    await this.#onBlock(state, filled.block, filled.block.toBytes(), { viaCompactBlock: true });
  }

  #requestFullBlock(state: PeerState, entry: BlockIndexEntry): void {
    this.#blocksInFlight.set(entry.hashHex, state.id);
    state.blocksInFlight.set(entry.hashHex, this.#options.nowMicros());
    this.#send(state, {
      type: "getdata",
      inventory: [{ type: InvType.MSG_WITNESS_BLOCK, hash: entry.hash }],
    });
  }

  /**
   * `HeadersDirectFetchBlocks`: when our tip is recent and the announced chain has at least
   * our work, fetch its missing blocks right away from the announcing peer (whatever
   * services it advertised), unless that would be a large reorg.
   */
  #directFetch(state: PeerState, last: BlockIndexEntry): void {
    const tip = this.#chain.tip;
    if (!tip || !last.isValid(BlockStatus.VALID_TREE) || tip.chainWork > last.chainWork) return;
    if (!this.#canDirectFetch()) return;
    const toFetch: BlockIndexEntry[] = [];
    let walk: BlockIndexEntry | undefined = last;
    while (
      walk && !this.#chain.contains(walk) && toFetch.length <= MAX_BLOCKS_IN_TRANSIT_PER_PEER
    ) {
      if (!walk.haveData && !this.#blocksInFlight.has(walk.hashHex)) toFetch.push(walk);
      walk = walk.prev;
    }
    if (!walk || !this.#chain.contains(walk)) {
      this.#log.debug(
        "net",
        () => `Large reorg, won't direct fetch to ${last.hashHex} (${last.height})`,
      );
      return;
    }
    const now = this.#options.nowMicros();
    const inventory: Inventory[] = [];
    for (const entry of toFetch.reverse()) {
      if (state.blocksInFlight.size >= MAX_BLOCKS_IN_TRANSIT_PER_PEER) break;
      this.#blocksInFlight.set(entry.hashHex, state.id);
      state.blocksInFlight.set(entry.hashHex, now);
      inventory.push({ type: InvType.MSG_WITNESS_BLOCK, hash: entry.hash });
      this.#log.debug(
        "net",
        () => `Requesting block ${entry.hashHex} from  peer=${state.id}`,
      );
    }
    if (inventory.length > 1) {
      this.#log.debug(
        "net",
        () => `Downloading blocks toward ${last.hashHex} (${last.height}) via headers direct fetch`,
      );
    }
    // The one block at the tip, from a compact-block peer, while nothing else is downloading:
    // ask for it as a compact block (not in -blocksonly, which has no mempool to rebuild from).
    if (
      inventory.length === 1 && this.#blocksInFlight.size === 1 && !this.#options.blocksOnly &&
      state.compactVersion === CMPCTBLOCKS_VERSION && last.prev !== undefined &&
      last.prev.chainWork > 0n
    ) {
      inventory[0] = { type: InvType.MSG_CMPCT_BLOCK, hash: inventory[0].hash };
    }
    if (inventory.length > 0) this.#send(state, { type: "getdata", inventory });
  }

  /**
   * `ProcessBlockAvailability`: a block the peer announced before we knew its header counts
   * as known to the peer once the header arrives (from anyone).
   */
  #processBlockAvailability(state: PeerState): void {
    const hash = state.lastUnknownBlock;
    if (!hash) return;
    const entry = this.#chain.lookupBlockIndex(hash);
    if (!entry || entry.chainWork === 0n) return;
    state.lastUnknownBlock = undefined;
    this.#updateBestKnown(state, entry);
  }

  #updateBestKnown(state: PeerState, entry: BlockIndexEntry): void {
    const best = state.bestKnownBlock;
    if (!best || entry.chainWork >= best.chainWork) state.bestKnownBlock = entry;
    if (best && state.bestKnownBlock && lastCommonAncestor(best, state.bestKnownBlock) !== best) {
      state.lastCommonBlock = undefined;
    }
  }

  async #onBlock(
    state: PeerState,
    block: Block,
    bytes: Uint8Array,
    how: { viaCompactBlock?: boolean } = {},
  ): Promise<void> {
    const hex = block.hashHex;
    this.#log.debug("net", () => `received block ${hex} peer=${state.id}`);
    const requested = state.blocksInFlight.has(hex);
    if (requested) state.stallingSince = 0;
    state.blocksInFlight.delete(hex);
    state.partialBlocks.delete(hex);
    if (this.#blocksInFlight.get(hex) === state.id) this.#blocksInFlight.delete(hex);
    if (this.#blockSource.size >= 1000) {
      // Side-chain blocks may never be checked: keep the map bounded.
      this.#blockSource.delete(this.#blockSource.keys().next().value!);
    }
    this.#blockSource.set(hex, { peer: state.id, viaCompactBlock: how.viaCompactBlock ?? false });
    // `min_pow_checked`: the claimed work of the block's chain meets the anti-DoS threshold
    // (a reconstructed compact block's header was checked already).
    const prev = this.#chain.lookupBlockIndex(block.header.hashPrevBlock);
    const minPowChecked = (how.viaCompactBlock ?? false) ||
      (prev !== undefined &&
        prev.chainWork + getBlockProof(block.header.bits) >= this.#antiDosWorkThreshold());
    const result = await this.#chain.processNewBlock(block, {
      requested: requested || state.connection.connectionType === "manual",
      bytes,
      minPowChecked,
    });
    // Invalid blocks are punished from `blockChecked`, which also covers blocks found
    // invalid later, when a reorganization tries to connect them.
    if (!result.accepted || result.entry?.haveData !== true) this.#blockSource.delete(hex);
    if (result.entry?.haveData) {
      // `RemoveBlockRequest`: whoever else we asked, this block needs no more asking.
      this.#blocksInFlight.delete(hex);
      for (const peer of this.#peers.values()) {
        if (peer.blocksInFlight.delete(hex)) peer.stallingSince = 0;
        peer.partialBlocks.delete(hex);
      }
    }
    if (result.entry) this.#updateBestKnown(state, result.entry);
    if (result.newBlock) state.lastBlockTime = this.#options.now();
    const checked = result.checked;
    if (
      checked?.ok && result.newBlock && this.#blocksInFlight.size === 0 &&
      !this.#chain.isInitialBlockDownload(this.#options.now())
    ) {
      this.#maybeSetHighBandwidth(state);
    }
    this.#requestBlocks(state);
  }
}

const UNSPECIFIED_V6: NetService = { network: 2, ip: new Uint8Array(16), port: 0 };

/** `CInv::ToString`: `wtx <hash>`, `witness-block <hash>`, ... */
function inventoryText(inv: Inventory): string {
  const names: Record<number, string> = {
    [InvType.MSG_TX]: "tx",
    [InvType.MSG_BLOCK]: "block",
    [InvType.MSG_FILTERED_BLOCK]: "merkleblock",
    [InvType.MSG_CMPCT_BLOCK]: "cmpctblock",
    [InvType.MSG_WTX]: "wtx",
  };
  const base = inv.type & ~MSG_WITNESS_FLAG;
  const name = names[base] ?? `0x${inv.type.toString(16).padStart(8, "0")}`;
  const prefix = (inv.type & MSG_WITNESS_FLAG) !== 0 ? "witness-" : "";
  return `${prefix}${name} ${hashToHex(inv.hash)}`;
}

function addressKey(address: NetService): string {
  return `${address.network}:${formatService(address)}`;
}

/** `IsAddrCompatible`: addr (v1) peers only get IPv4 and IPv6 addresses. */
function isAddrCompatible(state: PeerState, address: NetService): boolean {
  return state.wantsAddrV2 || address.network === 1 || address.network === 2;
}

function isLocal(service: NetService): boolean {
  return service.network === 1 && service.ip[0] === 127;
}
