/**
 * BIP324 packet contents: a message type as a one-byte short id (`V2_MESSAGE_IDS` in the
 * reference's src/net.cpp) or as 0x00 followed by the 12-byte v1 command field, then the
 * payload.
 *
 * @module
 */

/** Short message ids: index = id. Id 0 means "12-byte type follows"; "" ids are unassigned. */
export const V2_MESSAGE_IDS: readonly string[] = [
  "",
  "addr",
  "block",
  "blocktxn",
  "cmpctblock",
  "feefilter",
  "filteradd",
  "filterclear",
  "filterload",
  "getblocks",
  "getblocktxn",
  "getdata",
  "getheaders",
  "headers",
  "inv",
  "mempool",
  "merkleblock",
  "notfound",
  "ping",
  "pong",
  "sendcmpct",
  "tx",
  "getcfilters",
  "cfilter",
  "getcfheaders",
  "cfheaders",
  "getcfcheckpt",
  "cfcheckpt",
  "addrv2",
  // Assigned by BIP324 to types freicoind does not implement.
  "",
  "",
  "",
  "",
];

const SHORT_ID_BY_TYPE: ReadonlyMap<string, number> = new Map(
  V2_MESSAGE_IDS.flatMap((type, id) => (id > 0 && type !== "" ? [[type, id] as const] : [])),
);

/** Size of the long message type field. */
const COMMAND_SIZE = 12;

/** Encodes packet contents for `command` and `payload`, using a short id when there is one. */
export function encodeV2Contents(command: string, payload: Uint8Array): Uint8Array {
  const shortId = SHORT_ID_BY_TYPE.get(command);
  if (shortId !== undefined) {
    const out = new Uint8Array(1 + payload.length);
    out[0] = shortId;
    out.set(payload, 1);
    return out;
  }
  if (command.length > COMMAND_SIZE) throw new RangeError(`command too long: ${command}`);
  const out = new Uint8Array(1 + COMMAND_SIZE + payload.length); // byte 0 and padding stay 0
  for (let i = 0; i < command.length; i++) out[1 + i] = command.charCodeAt(i);
  out.set(payload, 1 + COMMAND_SIZE);
  return out;
}

/** A decoded packet's message type and payload. */
export interface V2Message {
  readonly command: string;
  readonly payload: Uint8Array;
}

/**
 * Decodes packet contents (`V2Transport::GetMessageType`), or `null` for empty contents, a
 * short id past the table, or a long type that is too short, unprintable, or not NUL-padded.
 */
export function decodeV2Contents(contents: Uint8Array): V2Message | null {
  if (contents.length === 0) return null;
  const first = contents[0];
  if (first !== 0) {
    if (first >= V2_MESSAGE_IDS.length) return null;
    // As the reference, an unassigned id in the table decodes to the empty type "", which the
    // message handler then ignores as unknown.
    return { command: V2_MESSAGE_IDS[first], payload: contents.subarray(1) };
  }
  if (contents.length < 1 + COMMAND_SIZE) return null;
  let length = 0;
  let command = "";
  for (; length < COMMAND_SIZE && contents[1 + length] !== 0; length++) {
    const c = contents[1 + length];
    if (c < 0x20 || c > 0x7f) return null;
    command += String.fromCharCode(c);
  }
  for (; length < COMMAND_SIZE; length++) if (contents[1 + length] !== 0) return null;
  return { command, payload: contents.subarray(1 + COMMAND_SIZE) };
}
