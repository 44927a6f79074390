/**
 * One TCP connection to a peer (`CNode`, src/net.h): the socket, the transport (v1 or BIP324
 * v2), the write
 * queue, and the byte accounting per message type that getpeerinfo reports.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { DecodeError } from "../../../kernel/encoding/mod.ts";
import { decodePayload, encodePayload, type NetMessage } from "./messages.ts";
import type { NetService } from "./net_address.ts";
import type { MessageCapture } from "./message_capture.ts";
import { isKnownMessageType, NET_MESSAGE_TYPE_OTHER } from "./protocol.ts";
import type { NetPermission } from "./net_permissions.ts";
import { createTransport, type Transport } from "./v2/transport.ts";
import type { TransportProtocolType } from "./v2/v2_transport.ts";

/** The connection types of getpeerinfo (`ConnectionType`). */
export type ConnectionType =
  | "inbound"
  | "outbound-full-relay"
  | "manual"
  | "feeler"
  | "block-relay-only"
  | "addr-fetch";

/** Receives what a connection reads. */
export interface PeerConnectionHandler {
  /** A parsed message of a known type. */
  onMessage(peer: PeerConnection, message: NetMessage): void | Promise<void>;
  /** A known type whose payload failed to parse (the reference logs and ignores it). */
  onMalformed(peer: PeerConnection, type: string, size: number, error: Error): void;
  /** The connection ended, for whatever reason. */
  onClosed(peer: PeerConnection): void;
}

/** What a new connection is created with. */
export interface PeerConnectionOptions {
  readonly id: number;
  readonly conn: Deno.TcpConn;
  readonly magic: Uint8Array;
  readonly inbound: boolean;
  readonly connectionType: ConnectionType;
  readonly addr: NetService;
  readonly addrBind: NetService;
  /** The name the connection was opened with (addnode/-connect string), for outbound. */
  readonly addrName: string;
  readonly log: Logger;
  /** Current time in microseconds (mockable). */
  readonly nowMicros: () => number;
  readonly maxMessageLength?: number;
  /** Permissions from -whitelist/-whitebind. */
  readonly permissions?: ReadonlySet<NetPermission>;
  /** Speak BIP324 v2 (inbound: answer v2, detecting and serving v1 peers; outbound: initiate). */
  readonly useV2?: boolean;
  /** `-capturemessages`: where sent and processed messages are recorded. */
  readonly capture?: MessageCapture;
}

const READ_BUFFER_SIZE = 64 * 1024;

/** A live connection. Protocol state lives with the message processor, not here. */
export class PeerConnection {
  readonly id: number;
  readonly inbound: boolean;
  readonly connectionType: ConnectionType;
  readonly addr: NetService;
  readonly addrBind: NetService;
  readonly addrName: string;
  /** Permissions from -whitelist/-whitebind (`m_permission_flags`). */
  readonly permissions: ReadonlySet<NetPermission>;
  /** UNIX seconds the connection was established. */
  readonly connectedAt: number;
  bytesSent = 0;
  bytesReceived = 0;
  /** Seconds (mockable clock) of the last send and receive; 0 = never. */
  lastSend = 0;
  lastReceive = 0;
  readonly sentPerMessage = new Map<string, number>();
  readonly receivedPerMessage = new Map<string, number>();
  /** Set once disconnection was requested (`fDisconnect`). */
  disconnectRequested = false;
  readonly #conn: Deno.TcpConn;
  readonly #transport: Transport;
  /** Whether this connection was opened with v2 (`use_v2transport`, for the v1 retry). */
  readonly usedV2: boolean;
  readonly #log: Logger;
  readonly #nowMicros: () => number;
  readonly #capture: MessageCapture | undefined;
  #writeChain: Promise<void> = Promise.resolve();
  #pendingWriteBytes = 0;
  #closed = false;
  /** Whether any bytes were queued yet (the first ones of a v2 session are its key). */
  #sentAny = false;

  /** Wraps an open TCP connection. */
  constructor(options: PeerConnectionOptions) {
    this.id = options.id;
    this.inbound = options.inbound;
    this.connectionType = options.connectionType;
    this.addr = options.addr;
    this.addrBind = options.addrBind;
    this.addrName = options.addrName;
    this.permissions = options.permissions ?? new Set();
    this.#conn = options.conn;
    this.#log = options.log;
    this.#nowMicros = options.nowMicros;
    this.#capture = options.capture;
    this.connectedAt = Math.floor(options.nowMicros() / 1e6);
    this.usedV2 = options.useV2 ?? false;
    this.#transport = createTransport({
      magic: options.magic,
      inbound: options.inbound,
      useV2: this.usedV2,
      maxMessageLength: options.maxMessageLength,
    });
    // An initiator's key and garbage are due right away.
    this.#flush();
  }

  /** getpeerinfo `transport_protocol_type`: "v1", "v2", or "detecting". */
  get transportProtocolType(): TransportProtocolType {
    return this.#transport.protocolType;
  }

  /** getpeerinfo `session_id`: the BIP324 session id in hex, or "". */
  get sessionId(): string {
    const id = this.#transport.sessionId;
    return id ? Array.from(id, (b) => b.toString(16).padStart(2, "0")).join("") : "";
  }

  /** After close: whether this outbound v2 attempt should be retried with v1. */
  shouldReconnectV1(): boolean {
    return !this.inbound && this.#transport.shouldReconnectV1();
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes queued but not yet written to the socket. */
  get pendingWriteBytes(): number {
    return this.#pendingWriteBytes;
  }

  /** True when the connection has `permission`. */
  hasPermission(permission: NetPermission): boolean {
    return this.permissions.has(permission);
  }

  /** Frames and queues a message; accounts its bytes under its type. */
  send(message: NetMessage): void {
    this.sendRaw(message.type, encodePayload(message));
  }

  /** Frames and queues any payload under any command (the sendmsgtopeer RPC). */
  sendRaw(command: string, payload: Uint8Array): void {
    if (this.#closed || this.disconnectRequested) return;
    const size = this.#transport.send(command, payload);
    this.#account(this.sentPerMessage, command, size);
    this.#log.debug(
      "net",
      () => `sending ${command} (${payload.length} bytes) peer=${this.id}`,
    );
    this.#capture?.record(this.addr, command, payload, {
      incoming: false,
      timeMicros: this.#nowMicros(),
    });
    this.#flush();
  }

  /** Queues whatever the transport has due on the wire (handshake bytes included). */
  #flush(): void {
    if (this.#closed) return;
    const bytes = this.#transport.takeBytesToSend();
    if (bytes.length === 0) return;
    if (!this.#sentAny && this.usedV2 && this.#transport.protocolType !== "v1") {
      this.#log.debug("net", () => `start sending v2 handshake to peer=${this.id}`);
    }
    this.#sentAny = true;
    // Handshake bytes count as a send too (`m_last_send`), as getpeerinfo's lastsend shows.
    this.lastSend = Math.floor(this.#nowMicros() / 1e6);
    this.bytesSent += bytes.length;
    this.#pendingWriteBytes += bytes.length;
    this.#writeChain = this.#writeChain.then(async () => {
      try {
        let written = 0;
        while (written < bytes.length && !this.#closed) {
          written += await this.#conn.write(bytes.subarray(written));
        }
      } catch {
        this.close();
      } finally {
        this.#pendingWriteBytes -= bytes.length;
      }
    });
  }

  /** Resolves when everything queued so far has been written (or the socket failed). */
  flushed(): Promise<void> {
    return this.#writeChain;
  }

  /** Reads until the connection ends, handing messages to `handler` one at a time. */
  async run(handler: PeerConnectionHandler): Promise<void> {
    const buffer = new Uint8Array(READ_BUFFER_SIZE);
    try {
      while (!this.#closed) {
        const n = await this.#conn.read(buffer);
        if (n === null) {
          this.#log.debug("net", () => `socket closed for peer=${this.id}`);
          break;
        }
        this.bytesReceived += n;
        this.lastReceive = Math.floor(this.#nowMicros() / 1e6);
        const frames = this.#transport.receive(buffer.subarray(0, n));
        // A responder's handshake answer (or a v2 version packet) becomes due on receive.
        this.#flush();
        for (const frame of frames) {
          if (frame.kind === "rejected") {
            this.#log.debug("net", () => `${frame.reason}, peer=${this.id}`);
            this.#account(this.receivedPerMessage, NET_MESSAGE_TYPE_OTHER, frame.rawSize);
            continue;
          }
          const known = isKnownMessageType(frame.command);
          this.#account(
            this.receivedPerMessage,
            known ? frame.command : NET_MESSAGE_TYPE_OTHER,
            frame.rawSize,
          );
          this.#log.debug(
            "net",
            () => `received: ${frame.command} (${frame.payload.length} bytes) peer=${this.id}`,
          );
          this.#capture?.record(this.addr, frame.command, frame.payload, {
            incoming: true,
            timeMicros: this.#nowMicros(),
          });
          if (!known) {
            this.#log.debug("net", () => `Unknown message type ${frame.command} peer=${this.id}`);
            continue;
          }
          let message: NetMessage;
          try {
            message = decodePayload(
              frame.command as Parameters<typeof decodePayload>[0],
              frame.payload,
            );
          } catch (error) {
            if (!(error instanceof DecodeError) && !(error instanceof RangeError)) throw error;
            handler.onMalformed(this, frame.command, frame.payload.length, error);
            continue;
          }
          await handler.onMessage(this, message);
          if (this.#closed || this.disconnectRequested) break;
        }
      }
    } catch (error) {
      if (!this.#closed) this.#log.debug("net", () => `${errorText(error)}, peer=${this.id}`);
    } finally {
      this.close();
      handler.onClosed(this);
    }
  }

  /** Asks for the connection to end after queued messages are written. */
  disconnect(): void {
    if (this.disconnectRequested) return;
    this.disconnectRequested = true;
    this.#writeChain.then(() => this.close());
  }

  /** Closes the socket now. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.disconnectRequested = true;
    try {
      this.#conn.close();
    } catch {
      // already closed by the peer
    }
  }

  #account(map: Map<string, number>, type: string, bytes: number): void {
    map.set(type, (map.get(type) ?? 0) + bytes);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
