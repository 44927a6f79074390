/**
 * The BIP330 (Erlay) handshake (`TxReconciliationTracker`, src/node/txreconciliation.cpp): with
 * `-txreconciliation` we announce `sendtxrcncl` with a random salt before verack and register
 * peers that answer in kind. Only the handshake is implemented, as far as freicoind 27.1 goes:
 * reconciliation itself is not used for relay.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";

/** Our reconciliation protocol version (`TXRECONCILIATION_VERSION`). */
export const TXRECONCILIATION_VERSION = 1;

/** The outcome of {@linkcode TxReconciliationTracker.register} (`ReconciliationRegisterResult`). */
export type ReconciliationRegisterResult =
  | "not-found"
  | "success"
  | "already-registered"
  | "protocol-violation";

interface Registered {
  readonly inbound: boolean;
  readonly version: number;
  readonly remoteSalt: bigint;
}

/** Per-peer handshake state: a pre-registration salt, then the registration. */
export class TxReconciliationTracker {
  readonly #log: Logger;
  readonly #random: () => bigint;
  readonly #states = new Map<number, { localSalt: bigint } | Registered>();

  /** A tracker logging to `log`; `random` draws the 64-bit salts. */
  constructor(log: Logger, random: () => bigint) {
    this.#log = log;
    this.#random = random;
  }

  /** `PreRegisterPeer`: remembers and returns our salt for the peer. */
  preRegister(peerId: number): bigint {
    this.#log.debug("txreconciliation", () => `Pre-register peer=${peerId}`);
    const localSalt = this.#random();
    this.#states.set(peerId, { localSalt });
    return localSalt;
  }

  /** `RegisterPeer`: the peer's sendtxrcncl after our pre-registration. */
  register(
    peerId: number,
    inbound: boolean,
    peerVersion: number,
    remoteSalt: bigint,
  ): ReconciliationRegisterResult {
    const state = this.#states.get(peerId);
    if (state === undefined) return "not-found";
    if (!("localSalt" in state)) return "already-registered";
    const version = Math.min(peerVersion, TXRECONCILIATION_VERSION);
    // v1 is the lowest version, so suggesting something below must be a protocol violation.
    if (version < 1) return "protocol-violation";
    this.#log.debug(
      "txreconciliation",
      () => `Register peer=${peerId} (inbound=${inbound ? 1 : 0})`,
    );
    this.#states.set(peerId, { inbound, version, remoteSalt });
    return "success";
  }

  /** Whether the handshake with the peer completed. */
  isRegistered(peerId: number): boolean {
    const state = this.#states.get(peerId);
    return state !== undefined && !("localSalt" in state);
  }

  /** `ForgetPeer`: drops whatever state the peer had. */
  forget(peerId: number): void {
    if (!this.#states.delete(peerId)) return;
    this.#log.debug("txreconciliation", () => `Forget txreconciliation state of peer=${peerId}`);
  }
}
