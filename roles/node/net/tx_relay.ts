/**
 * Transaction relay (the TX, INV and GETDATA parts of src/net_processing.cpp): wtxid relay,
 * announcement queues filtered by each peer's fee filter, downloads of announced
 * transactions, a small orphan pool, and the recently-rejected filter.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { hashFromHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import type { Block, Transaction } from "../../../kernel/primitives/mod.ts";
import type { Inventory } from "./messages.ts";
import type { PeerState } from "./peer_state.ts";
import { InvType, MSG_WITNESS_FLAG } from "./protocol.ts";
import type { RelayPool } from "./relay_pool.ts";
import { TxRequestTracker } from "./tx_request_tracker.ts";

/** Orphans kept at most (`DEFAULT_MAX_ORPHAN_TRANSACTIONS`). */
const MAX_ORPHAN_TRANSACTIONS = 100;
/** Microseconds before a transaction request may go to another peer (`GETDATA_TX_INTERVAL`). */
const GETDATA_TX_INTERVAL = 60e6;
/** Extra wait before asking a non-preferred (inbound) peer (`NONPREF_PEER_TX_DELAY`). */
const NONPREF_PEER_TX_DELAY = 2e6;
/** Extra wait before asking by txid while wtxid peers exist (`TXID_RELAY_DELAY`). */
const TXID_RELAY_DELAY = 2e6;
/** Extra wait for a peer with many requests outstanding (`OVERLOADED_PEER_TX_DELAY`). */
const OVERLOADED_PEER_TX_DELAY = 2e6;
/** Requests in flight per peer before it counts as overloaded (`MAX_PEER_TX_REQUEST_IN_FLIGHT`). */
const MAX_PEER_TX_REQUEST_IN_FLIGHT = 100;
/** Announcements tracked per peer at most (`MAX_PEER_TX_ANNOUNCEMENTS`). */
const MAX_PEER_TX_ANNOUNCEMENTS = 5000;
/** Announcements per send at most (`INVENTORY_BROADCAST_MAX`). */
const INVENTORY_BROADCAST_MAX = 1000;
/** Recently rejected transactions remembered (`m_recent_rejects` size, simplified). */
const MAX_RECENT_REJECTS = 120_000;
/** Recently confirmed ids remembered (`m_recent_confirmed_transactions`: 48,000 entries). */
const MAX_RECENT_CONFIRMED = 48_000;

function outpointKey(prevout: { hash: Uint8Array; n: number }): string {
  return `${hashToHex(prevout.hash)}:${prevout.n}`;
}

/** What the relay needs from the message processor. */
export interface TxRelayHost {
  readonly log: Logger;
  readonly pool: RelayPool;
  /** Seconds, mockable. */
  now(): number;
  /** Microseconds, mockable. */
  nowMicros(): number;
  /** Every connected peer. */
  peers(): Iterable<PeerState>;
  misbehaving(peer: PeerState, howMuch: number, message: string): void;
}

interface Orphan {
  readonly tx: Transaction;
  readonly from: number;
}

/** Per-node transaction relay state. */
export class TxRelay {
  readonly #host: TxRelayHost;
  readonly #requests = new TxRequestTracker();
  readonly #orphans = new Map<string, Orphan>();
  readonly #recentRejects = new Set<string>();
  /** Txids and wtxids of transactions in recently connected blocks (`m_recent_confirmed_transactions`). */
  readonly #recentConfirmed = new Set<string>();
  /** The latest block's transactions by txid and wtxid (`m_most_recent_block_txs`). */
  #mostRecentBlockTxs = new Map<string, Transaction>();
  readonly #unsubscribe: () => void;

  /** Starts relaying what enters the pool. */
  constructor(host: TxRelayHost) {
    this.#host = host;
    this.#unsubscribe = host.pool.onAdded((tx) => this.#queueAnnouncement(tx));
  }

  /** Stops listening to the pool. */
  close(): void {
    this.#unsubscribe();
  }

  #queueAnnouncement(tx: Transaction): void {
    for (const peer of this.#host.peers()) {
      // Nothing is queued before the first send after the handshake (a timing leak).
      if (!peer.relayTxs || !peer.successfullyConnected || peer.nextInvSend === 0) continue;
      const key = peer.wtxidRelay ? tx.wtxidHex : tx.txidHex;
      if (peer.knownTxs.has(key)) continue;
      peer.txsToAnnounce.add(tx.txidHex);
    }
  }

  /** The announcement of a transaction, as the peer wants it (txid or wtxid). */
  #inventoryFor(peer: PeerState, tx: Transaction): Inventory {
    return peer.wtxidRelay
      ? { type: InvType.MSG_WTX, hash: tx.wtxid }
      : { type: InvType.MSG_TX, hash: tx.txid };
  }

  /**
   * At the peer's next trickle time (Poisson, 5 s mean inbound, 2 s outbound; every time for
   * noban peers), announces its queued transactions above its fee filter, at most 1000.
   */
  announce(peer: PeerState, send: (inventory: Inventory[]) => void): void {
    const now = this.#host.nowMicros();
    let trickle = peer.connection.hasPermission("noban");
    if (peer.nextInvSend < now) {
      trickle = true;
      const mean = peer.connection.inbound ? 5e6 : 2e6;
      peer.nextInvSend = now + Math.round(-Math.log(1 - Math.random()) * mean);
    }
    if (!trickle) return;
    this.#flush(peer, send);
    // Whatever is in the pool now may be requested by this peer.
    peer.lastInvSequence = this.#host.pool.sequence();
  }

  #flush(peer: PeerState, send: (inventory: Inventory[]) => void): void {
    if (peer.txsToAnnounce.size === 0) return;
    const inventory: Inventory[] = [];
    for (const txid of peer.txsToAnnounce) {
      peer.txsToAnnounce.delete(txid);
      const tx = this.#host.pool.lookup(txid, false);
      if (!tx) continue;
      const rate = this.#host.pool.feeRatePerKvB(txid) ?? 0n;
      if (peer.feeFilter > 0n && rate < peer.feeFilter) continue;
      const inv = this.#inventoryFor(peer, tx);
      peer.addKnownTx(hashToHex(inv.hash));
      inventory.push(inv);
      if (inventory.length >= INVENTORY_BROADCAST_MAX) break;
    }
    if (inventory.length > 0) send(inventory);
  }

  /** Handles the transaction entries of an inv: candidates for a later request. */
  onInventory(peer: PeerState, inventory: readonly Inventory[]): void {
    for (const inv of inventory) {
      const base = inv.type & ~MSG_WITNESS_FLAG;
      if (base !== InvType.MSG_TX && base !== InvType.MSG_WTX) continue;
      // A wtxid-relay peer announces by wtxid only, others by txid only; ignore the rest.
      if ((base === InvType.MSG_WTX) !== peer.wtxidRelay) continue;
      const hex = hashToHex(inv.hash);
      peer.addKnownTx(hex);
      if (this.#alreadyHave(hex, peer.wtxidRelay)) continue;
      this.#addAnnouncement(peer, hex, base === InvType.MSG_WTX);
    }
  }

  /** `AddTxAnnouncement`, with freicoind's delays for inbound, txid and overloaded peers. */
  #addAnnouncement(peer: PeerState, hex: string, isWtxid: boolean): void {
    const relay = peer.connection.hasPermission("relay");
    if (!relay && this.#requests.count(peer.id) >= MAX_PEER_TX_ANNOUNCEMENTS) return;
    const preferred = !peer.connection.inbound || peer.connection.hasPermission("noban");
    let delay = 0;
    if (!preferred) delay += NONPREF_PEER_TX_DELAY;
    if (!isWtxid && [...this.#host.peers()].some((p) => p.wtxidRelay)) delay += TXID_RELAY_DELAY;
    if (!relay && this.#requests.countInFlight(peer.id) >= MAX_PEER_TX_REQUEST_IN_FLIGHT) {
      delay += OVERLOADED_PEER_TX_DELAY;
    }
    this.#requests.receivedInv(peer.id, hex, {
      isWtxid,
      preferred,
      requestTime: this.#host.nowMicros() + delay,
    });
  }

  /** The getdata entries due to `peer` now (the transaction part of `SendMessages`). */
  requestsFor(peer: PeerState): Inventory[] {
    const now = this.#host.nowMicros();
    const out: Inventory[] = [];
    for (const { hashHex, isWtxid } of this.#requests.getRequestable(peer.id, now)) {
      if (this.#alreadyHave(hashHex, isWtxid)) {
        this.#requests.forgetTxHash(hashHex);
        continue;
      }
      this.#host.log.debug(
        "net",
        () => `Requesting ${isWtxid ? "wtx" : "tx"} ${hashHex} peer=${peer.id}`,
      );
      out.push({
        type: isWtxid ? InvType.MSG_WTX : InvType.MSG_WITNESS_TX,
        hash: hashFromHex(hashHex),
      });
      this.#requests.requestedTx(peer.id, hashHex, now + GETDATA_TX_INTERVAL);
    }
    return out;
  }

  /** A notfound for transactions: ask another peer. */
  onNotFound(peer: PeerState, inventory: readonly Inventory[]): void {
    for (const inv of inventory) {
      const base = inv.type & ~MSG_WITNESS_FLAG;
      if (base === InvType.MSG_TX || base === InvType.MSG_WTX) {
        this.#requests.receivedResponse(peer.id, hashToHex(inv.hash));
      }
    }
  }

  /**
   * A block joined the active chain: its transactions count as already had, orphans it
   * confirms or conflicts with go, and the reject filter starts over (the new tip may make a
   * rejected transaction valid).
   */
  blockConnected(block: Block): void {
    this.#recentRejects.clear();
    this.#mostRecentBlockTxs = new Map();
    for (const tx of block.transactions) {
      this.#mostRecentBlockTxs.set(tx.txidHex, tx);
      this.#mostRecentBlockTxs.set(tx.wtxidHex, tx);
    }
    if (this.#recentConfirmed.size >= MAX_RECENT_CONFIRMED) this.#recentConfirmed.clear();
    for (const tx of block.transactions) {
      this.#recentConfirmed.add(tx.txidHex);
      this.#recentConfirmed.add(tx.wtxidHex);
    }
    // The spent outpoints only matter to orphans (most blocks arrive with none).
    if (this.#orphans.size === 0) return;
    const spent = new Set<string>();
    for (const tx of block.transactions) {
      for (const input of tx.inputs) spent.add(outpointKey(input.prevout));
    }
    let erased = 0;
    for (const [key, orphan] of this.#orphans) {
      const included = this.#recentConfirmed.has(orphan.tx.wtxidHex);
      if (included || orphan.tx.inputs.some((input) => spent.has(outpointKey(input.prevout)))) {
        this.#orphans.delete(key);
        erased++;
      }
    }
    if (erased > 0) {
      this.#host.log.debug(
        "txpackages",
        () => `Erased ${erased} orphan tx included or conflicted by block`,
      );
    }
  }

  /** A block left the active chain: its transactions may be needed again. */
  blockDisconnected(): void {
    this.#recentRejects.clear();
    this.#recentConfirmed.clear();
  }

  #hasOrphanTxid(txidHex: string): boolean {
    for (const orphan of this.#orphans.values()) if (orphan.tx.txidHex === txidHex) return true;
    return false;
  }

  #alreadyHave(hex: string, byWtxid: boolean): boolean {
    return this.#recentRejects.has(hex) || this.#orphans.has(hex) ||
      this.#recentConfirmed.has(hex) || (!byWtxid && this.#hasOrphanTxid(hex)) ||
      this.#host.pool.lookup(hex, byWtxid) !== undefined;
  }

  /**
   * A transaction a peer asked for, if it entered the pool before our last announcement to
   * that peer or is in the latest block (`FindTxForGetData`); otherwise undefined (it goes into
   * notfound).
   */
  serve(peer: PeerState, inv: Inventory): Transaction | undefined {
    const base = inv.type & ~MSG_WITNESS_FLAG;
    const hex = hashToHex(inv.hash);
    // Or from the latest block: a peer reconstructing its compact block may still ask.
    return this.#host.pool.lookup(hex, base === InvType.MSG_WTX, peer.lastInvSequence) ??
      this.#mostRecentBlockTxs.get(hex);
  }

  /** A transaction received from `peer`; returns the parents to request for an orphan. */
  onTransaction(peer: PeerState, tx: Transaction): void {
    const log = this.#host.log;
    this.#requests.receivedResponse(peer.id, tx.txidHex);
    this.#requests.receivedResponse(peer.id, tx.wtxidHex);
    peer.addKnownTx(tx.txidHex);
    peer.addKnownTx(tx.wtxidHex);
    if (this.#alreadyHave(tx.wtxidHex, true)) {
      if (peer.connection.hasPermission("forcerelay")) this.#forceRelay(peer, tx);
      return;
    }
    const result = this.#host.pool.accept(tx);
    if (result.ok || result.category !== "missing-inputs") {
      this.#requests.forgetTxHash(tx.txidHex);
      this.#requests.forgetTxHash(tx.wtxidHex);
    }
    if (result.ok) {
      peer.lastTxTime = this.#host.now();
      log.debug(
        "mempool",
        () => `AcceptToMemoryPool: peer=${peer.id}: accepted ${tx.txidHex} (wtxid=${tx.wtxidHex})`,
      );
      this.#retryOrphans(tx);
      return;
    }
    log.debug(
      "mempoolrej",
      () =>
        `${tx.txidHex} (wtxid=${tx.wtxidHex}) from peer=${peer.id} was not accepted: ${result.reason}`,
    );
    if (result.category === "missing-inputs") return this.#addOrphan(peer, tx);
    if (result.category === "consensus") this.#host.misbehaving(peer, 100, "");
    this.#rejectFailed(tx, result.category);
  }

  /**
   * A forcerelay peer sent a transaction we already have: announced again to every peer (a
   * gateway for nodes behind us) when it is in the pool, as freicoind, with its log lines.
   */
  #forceRelay(peer: PeerState, tx: Transaction): void {
    const log = this.#host.log;
    if (!this.#host.pool.lookup(tx.txidHex, false)) {
      log.info(
        `Not relaying non-mempool transaction ${tx.txidHex} (wtxid=${tx.wtxidHex}) from forcerelay peer=${peer.id}`,
      );
      return;
    }
    log.info(`Force relaying tx ${tx.txidHex} (wtxid=${tx.wtxidHex}) from peer=${peer.id}`);
    this.#queueAnnouncement(tx);
  }

  /**
   * The reject filter after a failure other than missing inputs, as freicoind 27.1: the wtxid
   * (never for a witness-stripped copy, whose txid a good witness may still redeem); the txid
   * only when the failure cannot depend on the witness (`TX_INPUTS_NOT_STANDARD`), since a
   * malleated witness must not block the real transaction's relay by txid.
   */
  #rejectFailed(tx: Transaction, category: string): void {
    if (category === "witness-stripped") return;
    this.#reject(tx.wtxidHex);
    this.#requests.forgetTxHash(tx.wtxidHex);
    if (category === "input-not-standard" && tx.hasWitness()) {
      this.#reject(tx.txidHex);
      this.#requests.forgetTxHash(tx.txidHex);
    }
  }

  #reject(hex: string): void {
    if (this.#recentRejects.size >= MAX_RECENT_REJECTS) this.#recentRejects.clear();
    this.#recentRejects.add(hex);
  }

  #addOrphan(peer: PeerState, tx: Transaction): void {
    for (const input of tx.inputs) {
      const parent = hashToHex(input.prevout.hash);
      if (this.#recentRejects.has(parent)) {
        // A parent was rejected: the orphan can never be valid.
        this.#host.log.debug(
          "mempool",
          () => `not keeping orphan with rejected parents ${tx.txidHex} (wtxid=${tx.wtxidHex})`,
        );
        // Whatever its witness, it cannot be accepted: both ids, so no peer is asked again.
        this.#reject(tx.txidHex);
        this.#reject(tx.wtxidHex);
        this.#requests.forgetTxHash(tx.txidHex);
        this.#requests.forgetTxHash(tx.wtxidHex);
        return;
      }
    }
    // Ask the announcing peer for the missing parents, by txid.
    for (const input of tx.inputs) {
      const parent = hashToHex(input.prevout.hash);
      if (!this.#alreadyHave(parent, false)) this.#addAnnouncement(peer, parent, false);
    }
    this.#orphans.set(tx.wtxidHex, { tx, from: peer.id });
    this.#host.log.debug(
      "txpackages",
      () =>
        `stored orphan tx ${tx.txidHex} (wtxid=${tx.wtxidHex}), orphanage size ${this.#orphans.size}`,
    );
    // `LimitOrphans`: random eviction down to the limit.
    let evicted = 0;
    while (this.#orphans.size > MAX_ORPHAN_TRANSACTIONS) {
      const keys = [...this.#orphans.keys()];
      this.#orphans.delete(keys[Math.floor(Math.random() * keys.length)]);
      evicted++;
    }
    if (evicted > 0) {
      this.#host.log.debug("txpackages", () => `orphanage overflow, removed ${evicted} tx`);
    }
  }

  /** Offers orphans spending `parent` to the pool again (`ProcessOrphanTx`). */
  #retryOrphans(parent: Transaction): void {
    const queue = [parent];
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const [key, orphan] of this.#orphans) {
        if (!orphan.tx.inputs.some((i) => hashToHex(i.prevout.hash) === current.txidHex)) continue;
        const result = this.#host.pool.accept(orphan.tx);
        if (result.ok) {
          this.#orphans.delete(key);
          queue.push(orphan.tx);
        } else if (result.category !== "missing-inputs") {
          this.#host.log.debug(
            "txpackages",
            () =>
              `   invalid orphan tx ${orphan.tx.txidHex} (wtxid=${orphan.tx.wtxidHex}) from peer=${orphan.from}. ${result.reason}`,
          );
          // The peer that gave us the orphan answers for it (`MaybePunishNodeForTx`).
          if (result.category === "consensus") {
            const from = [...this.#host.peers()].find((p) => p.id === orphan.from);
            if (from) this.#host.misbehaving(from, 100, "");
          }
          this.#orphans.delete(key);
          this.#rejectFailed(orphan.tx, result.category);
        }
      }
    }
  }

  /** Forgets a disconnected peer's orphans. */
  peerGone(id: number): void {
    let erased = 0;
    for (const [key, orphan] of this.#orphans) {
      if (orphan.from !== id) continue;
      this.#orphans.delete(key);
      erased++;
    }
    if (erased > 0) {
      this.#host.log.debug("txpackages", () => `Erased ${erased} orphan tx from peer=${id}`);
    }
    this.#requests.disconnectedPeer(id);
  }

  /** Number of orphans held (for tests and logging). */
  get orphanCount(): number {
    return this.#orphans.size;
  }
}
