/**
 * Which peer to ask for an announced transaction, and when (`TxRequestTracker`,
 * src/txrequest.cpp, simplified): every announcement is a candidate from its request time on;
 * one request per transaction is in flight at a time; an expired, refused or disconnected
 * request falls back to the next candidate, preferred peers and earlier announcements first.
 *
 * @module
 */

interface Announcement {
  readonly peer: number;
  readonly isWtxid: boolean;
  readonly preferred: boolean;
  readonly sequence: number;
  /** Microseconds: when the candidate may be requested, or when the request expires. */
  time: number;
  state: "candidate" | "requested" | "completed";
}

/** A transaction to request from a peer. */
export interface RequestableTx {
  readonly hashHex: string;
  readonly isWtxid: boolean;
}

/** The announcement tracker. */
export class TxRequestTracker {
  readonly #byTx = new Map<string, Map<number, Announcement>>();
  #sequence = 0;

  /** `ReceivedInv`: a peer announced a transaction; requestable from `requestTime` on. */
  receivedInv(
    peer: number,
    hashHex: string,
    options: { isWtxid: boolean; preferred: boolean; requestTime: number },
  ): void {
    let anns = this.#byTx.get(hashHex);
    if (!anns) this.#byTx.set(hashHex, anns = new Map());
    if (anns.has(peer)) return;
    anns.set(peer, {
      peer,
      isWtxid: options.isWtxid,
      preferred: options.preferred,
      sequence: this.#sequence++,
      time: options.requestTime,
      state: "candidate",
    });
  }

  /** Announcements tracked for `peer` (`Count`). */
  count(peer: number): number {
    let n = 0;
    for (const anns of this.#byTx.values()) if (anns.has(peer)) n++;
    return n;
  }

  /** Requests in flight to `peer` (`CountInFlight`). */
  countInFlight(peer: number): number {
    let n = 0;
    for (const anns of this.#byTx.values()) {
      if (anns.get(peer)?.state === "requested") n++;
    }
    return n;
  }

  /**
   * `GetRequestable`: the transactions `peer` should be asked for now, after expiring old
   * requests; each must then be passed to {@linkcode requestedTx} (or forgotten).
   */
  getRequestable(peer: number, now: number): RequestableTx[] {
    const out: { tx: RequestableTx; sequence: number }[] = [];
    for (const [hashHex, anns] of this.#byTx) {
      let inFlight = false;
      for (const ann of anns.values()) {
        if (ann.state === "requested" && ann.time <= now) ann.state = "completed";
        if (ann.state === "requested") inFlight = true;
      }
      if (inFlight) continue;
      let best: Announcement | undefined;
      for (const ann of anns.values()) {
        if (ann.state !== "candidate" || ann.time > now) continue;
        if (
          !best || (ann.preferred && !best.preferred) ||
          (ann.preferred === best.preferred && ann.sequence < best.sequence)
        ) best = ann;
      }
      if (best?.peer === peer) {
        out.push({ tx: { hashHex, isWtxid: best.isWtxid }, sequence: best.sequence });
      }
    }
    return out.sort((a, b) => a.sequence - b.sequence).map((e) => e.tx);
  }

  /** `RequestedTx`: the request went out; it expires at `expiry` (microseconds). */
  requestedTx(peer: number, hashHex: string, expiry: number): void {
    const ann = this.#byTx.get(hashHex)?.get(peer);
    if (!ann) return;
    ann.state = "requested";
    ann.time = expiry;
  }

  /** `ReceivedResponse`: the peer answered (tx or notfound); try someone else if needed. */
  receivedResponse(peer: number, hashHex: string): void {
    const ann = this.#byTx.get(hashHex)?.get(peer);
    if (ann) ann.state = "completed";
  }

  /** `ForgetTxHash`: the transaction is known (accepted, rejected or confirmed). */
  forgetTxHash(hashHex: string): void {
    this.#byTx.delete(hashHex);
  }

  /** `DisconnectedPeer`: its announcements go; its requests fall back to others. */
  disconnectedPeer(peer: number): void {
    for (const [hashHex, anns] of this.#byTx) {
      anns.delete(peer);
      if (anns.size === 0) this.#byTx.delete(hashHex);
    }
  }

  /** Drops transactions with only completed announcements (housekeeping). */
  prune(): void {
    for (const [hashHex, anns] of this.#byTx) {
      if ([...anns.values()].every((a) => a.state === "completed")) this.#byTx.delete(hashHex);
    }
  }
}
