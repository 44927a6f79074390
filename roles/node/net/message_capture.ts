/**
 * `-capturemessages` (src/net.cpp `CaptureMessageToFile`): every message sent to or processed
 * from a peer is appended to `<netdir>/message_capture/<addr_port>/msgs_sent.dat` or
 * `msgs_recv.dat`, in freicoind's format so contrib/message-capture/message-capture-parser.py
 * reads ours: per message, the time in microseconds (int64 LE), the message type padded with
 * NULs to 12 bytes, the payload length (uint32 LE), then the payload.
 *
 * @module
 */
import * as path from "node:path";
import { formatService, type NetService } from "./net_address.ts";

/** Bytes of the message-type field (`CMessageHeader::COMMAND_SIZE`). */
const COMMAND_SIZE = 12;

/** Encodes one capture record (header and payload). */
export function encodeCaptureRecord(
  timeMicros: number,
  type: string,
  payload: Uint8Array,
): Uint8Array {
  const record = new Uint8Array(8 + COMMAND_SIZE + 4 + payload.length);
  const view = new DataView(record.buffer);
  view.setBigInt64(0, BigInt(Math.trunc(timeMicros)), true);
  const typeBytes = new TextEncoder().encode(type).subarray(0, COMMAND_SIZE);
  record.set(typeBytes, 8);
  view.setUint32(8 + COMMAND_SIZE, payload.length, true);
  record.set(payload, 8 + COMMAND_SIZE + 4);
  return record;
}

/** Appends captured messages under one directory (`<netdir>/message_capture`). */
export class MessageCapture {
  readonly #directory: string;
  readonly #created = new Set<string>();

  /** Captures into `directory`, created on first use. */
  constructor(directory: string) {
    this.#directory = directory;
  }

  /**
   * Appends a message exchanged with `peer`. Write failures are swallowed: a full disk must not
   * take the connection down (freicoind's AutoFile on a failed fopen writes nothing either).
   */
  record(
    peer: NetService,
    type: string,
    payload: Uint8Array,
    options: { incoming: boolean; timeMicros: number },
  ): void {
    // Folder names cannot hold a colon on Windows: freicoind writes 127.0.0.1_8639.
    const folder = path.join(this.#directory, formatService(peer).replaceAll(":", "_"));
    const file = path.join(folder, options.incoming ? "msgs_recv.dat" : "msgs_sent.dat");
    try {
      if (!this.#created.has(folder)) {
        Deno.mkdirSync(folder, { recursive: true });
        this.#created.add(folder);
      }
      Deno.writeFileSync(file, encodeCaptureRecord(options.timeMicros, type, payload), {
        append: true,
      });
    } catch {
      // see above
    }
  }
}
