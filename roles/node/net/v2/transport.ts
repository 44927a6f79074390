/**
 * One interface over the v1 and v2 transports, so a connection holds a {@linkcode Transport}
 * and never asks which (`Transport` / `MakeTransport` in the reference's src/net.{h,cpp}).
 *
 * @module
 */
import { encodeFrame, FrameReader, type ReceivedFrame } from "../wire_frame.ts";
import { type TransportProtocolType, V2Transport } from "./v2_transport.ts";

/** A connection's framing and encryption, driven by byte chunks. */
export interface Transport {
  /** "v1", "v2", or "detecting" during a v2 handshake (`transport_protocol_type`). */
  readonly protocolType: TransportProtocolType;
  /** The BIP324 session id (32 bytes) once v2 is established, else `null` (`session_id`). */
  readonly sessionId: Uint8Array | null;
  /**
   * Takes bytes read from the socket; returns the messages they complete.
   *
   * @throws {import("../wire_frame.ts").FrameError} when the peer must be disconnected
   */
  receive(bytes: Uint8Array): ReceivedFrame[];
  /** Queues a message; returns its size on the wire for byte accounting. */
  send(command: string, payload: Uint8Array): number;
  /** Removes and returns the bytes due on the wire (handshake bytes included). */
  takeBytesToSend(): Uint8Array;
  /** After the connection closed: whether to retry this outbound peer with v1. */
  shouldReconnectV1(): boolean;
}

/** The v1 transport behind the {@linkcode Transport} interface. */
export class V1Transport implements Transport {
  readonly protocolType: TransportProtocolType = "v1";
  readonly sessionId: Uint8Array | null = null;
  readonly #magic: Uint8Array;
  readonly #reader: FrameReader;
  #outbox: Uint8Array[] = [];

  /** Creates a v1 transport for `magic`. */
  constructor(magic: Uint8Array, options: { maxMessageLength?: number } = {}) {
    this.#magic = magic.slice();
    this.#reader = new FrameReader(this.#magic, options);
  }

  /** See {@linkcode Transport.receive}. */
  receive(bytes: Uint8Array): ReceivedFrame[] {
    return this.#reader.push(bytes);
  }

  /** See {@linkcode Transport.send}. */
  send(command: string, payload: Uint8Array): number {
    const frame = encodeFrame(this.#magic, command, payload);
    this.#outbox.push(frame);
    return frame.length;
  }

  /** See {@linkcode Transport.takeBytesToSend}. */
  takeBytesToSend(): Uint8Array {
    if (this.#outbox.length === 1) return this.#outbox.pop()!;
    const out = new Uint8Array(this.#outbox.reduce((n, c) => n + c.length, 0));
    let pos = 0;
    for (const chunk of this.#outbox) {
      out.set(chunk, pos);
      pos += chunk.length;
    }
    this.#outbox = [];
    return out;
  }

  /** A v1 connection never retries as v1. */
  shouldReconnectV1(): boolean {
    return false;
  }
}

/** Options of {@linkcode createTransport}. */
export interface CreateTransportOptions {
  /** The network magic. */
  readonly magic: Uint8Array;
  /** Inbound connections answer; outbound ones start the v2 handshake. */
  readonly inbound: boolean;
  /**
   * Use BIP324. The reference uses it for inbound peers whenever we signal NODE_P2P_V2 (a v1
   * peer is detected and served), and for outbound peers that also signal NODE_P2P_V2.
   */
  readonly useV2: boolean;
  /** Largest v1 payload accepted. */
  readonly maxMessageLength?: number;
}

/** `MakeTransport`: a v2 transport (initiating unless inbound) or a v1 one. */
export function createTransport(options: CreateTransportOptions): Transport {
  if (!options.useV2) {
    return new V1Transport(options.magic, { maxMessageLength: options.maxMessageLength });
  }
  return new V2Transport({
    magic: options.magic,
    initiating: !options.inbound,
    maxMessageLength: options.maxMessageLength,
  });
}
