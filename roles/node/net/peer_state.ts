/**
 * What the message processor knows about one peer (`Peer` and `CNodeState`,
 * src/net_processing.cpp): handshake results, ping, headers sync, blocks in flight,
 * announcements, misbehaviour.
 *
 * @module
 */
import type { BlockIndexEntry } from "../chain/mod.ts";
import type { PeerConnection } from "./peer_connection.ts";
import type { VersionMessage } from "./version_message.ts";
import type { PartialBlock } from "./partial_block.ts";
import type { NetAddressEntry } from "./net_address.ts";

/** Per-peer protocol state. */
export class PeerState {
  readonly connection: PeerConnection;
  /** The peer's version message, once received. */
  version: VersionMessage | undefined;
  /** min(their version, ours) (`GetCommonVersion`). */
  commonVersion = 0;
  /** The peer acknowledged our version (`fSuccessfullyConnected`). */
  successfullyConnected = false;
  /** Nonce of the version we sent (to detect connections to ourselves). */
  readonly localNonce: bigint;
  wtxidRelay = false;
  wantsAddrV2 = false;
  preferHeaders = false;
  /** sendcmpct received: the peer's announced compact-block version and mode. */
  compactVersion = 0n;
  compactHighBandwidth = false;
  /** We asked this peer to announce blocks as compact blocks (`m_bip152_highbandwidth_to`). */
  highBandwidthTo = false;
  /** The peer's fee filter in kria per kvB. */
  feeFilter = 0n;
  feeFilterSent = -1n;
  /** When the fee filter is next recomputed, microseconds (`m_next_send_feefilter`). */
  nextSendFeeFilter = 0;
  /** Since when this peer holds up the block download window, microseconds (0: not). */
  stallingSince = 0;
  /** Whether the peer wants transaction announcements. */
  relayTxs = false;
  getaddrAnswered = false;
  getaddrSent = false;

  /** Ping nonce awaiting a pong, 0 when none (`m_ping_nonce_sent`). */
  pingNonceSent = 0n;
  /** When the last ping was sent, microseconds (`m_ping_start`). */
  pingStart = 0;
  pingQueued = false;
  /** Last and minimum round trip, microseconds; undefined until measured. */
  lastPingMicros: number | undefined;
  minPingMicros: number | undefined;

  syncStarted = false;
  /** When our last getheaders went out, microseconds; 0 when answered (`m_last_getheaders_timestamp`). */
  lastGetheadersTime = 0;
  /** An inv already made us start a headers sync with this peer (`m_inv_triggered_getheaders_before_sync`). */
  invTriggeredGetheadersBeforeSync = false;
  /** When the first getheaders for sync was sent (microseconds). */
  headersSyncStart = 0;
  /** The most-work block the peer is known to have (`pindexBestKnownBlock`). */
  bestKnownBlock: BlockIndexEntry | undefined;
  /** Hash of an announced block we could not place yet (`hashLastUnknownBlock`). */
  lastUnknownBlock: Uint8Array | undefined;
  /** The last block we have in common with the peer (`pindexLastCommonBlock`). */
  lastCommonBlock: BlockIndexEntry | undefined;
  /** The best header we sent the peer (`pindexBestHeaderSent`). */
  bestHeaderSent: BlockIndexEntry | undefined;
  unconnectingHeaders = 0;
  /** Blocks requested from this peer: hash hex → request time (microseconds). */
  readonly blocksInFlight = new Map<string, number>();
  /** Compact blocks awaiting this peer's blocktxn, by block hash hex. */
  readonly partialBlocks = new Map<string, PartialBlock>();
  /** Tips to announce at the next send (`m_blocks_for_headers_relay`). */
  blocksToAnnounce: BlockIndexEntry[] = [];
  /**
   * When transactions are next announced, microseconds (`m_next_inv_send_time`); 0 until the
   * first send after the handshake, and nothing is queued before that.
   */
  nextInvSend = 0;
  /** Pool sequence at our last transaction announcement (`m_last_inv_sequence`). */
  lastInvSequence = 1;
  /** Transactions to announce (txid or wtxid hex, per the relay mode). */
  readonly txsToAnnounce = new Set<string>();
  /** Transactions the peer is known to have (bounded). */
  readonly knownTxs = new Set<string>();
  /** UNIX seconds of the last new block / transaction from this peer. */
  lastBlockTime = 0;
  lastTxTime = 0;
  misbehaviour = 0;
  /** Set when the score reached the threshold (`m_should_discourage`). */
  shouldDiscourage = false;
  /** Number of addresses processed and rate-limited (getpeerinfo). */
  addrProcessed = 0;
  addrRateLimited = 0;
  addrRelayEnabled = false;
  /** Addresses queued for this peer (`m_addrs_to_send`). */
  addrsToSend: NetAddressEntry[] = [];
  /** Addresses the peer knows (`m_addr_known`), as `network:ip:port` keys; bounded. */
  readonly addrKnown = new Set<string>();
  /** When queued addresses next go out, microseconds (`m_next_addr_send`). */
  nextAddrSend = 0;
  /** When we next advertise our own address, microseconds (`m_next_local_addr_send`). */
  nextLocalAddrSend = 0;
  /** Addresses this peer may still send us (`m_addr_token_bucket`). */
  addrTokenBucket = 1;
  /** When the bucket was last refilled, seconds (0: not yet). */
  addrTokenTimestamp = 0;

  /** Creates the state of a fresh connection. */
  constructor(connection: PeerConnection, localNonce: bigint) {
    this.connection = connection;
    this.localNonce = localNonce;
  }

  /** The connection id (`NodeId`). */
  get id(): number {
    return this.connection.id;
  }

  /** The peer's services, 0 before its version. */
  get services(): bigint {
    return this.version?.services ?? 0n;
  }

  /** The peer can serve blocks (`CanServeBlocks`: NODE_NETWORK or NODE_NETWORK_LIMITED). */
  canServeBlocks(): boolean {
    return (this.services & (1n | 1024n)) !== 0n;
  }

  /** The peer keeps only recent blocks (`IsLimitedPeer`: NODE_NETWORK_LIMITED, no NODE_NETWORK). */
  isLimitedPeer(): boolean {
    return (this.services & 1n) === 0n && (this.services & 1024n) !== 0n;
  }

  /** Remembers an address the peer knows; bounded like the reference's rolling filter. */
  addKnownAddress(key: string): void {
    if (this.addrKnown.size >= 5000) this.addrKnown.clear();
    this.addrKnown.add(key);
  }

  /** Remembers a transaction the peer has; bounded so a peer cannot grow it without limit. */
  addKnownTx(hashHex: string): void {
    if (this.knownTxs.size >= 50_000) this.knownTxs.clear();
    this.knownTxs.add(hashHex);
  }
}
