/**
 * P2P protocol constants (src/protocol.h, src/node/protocol_version.h, src/net.h,
 * src/net_processing.cpp): versions, service bits, inventory types, limits and the message
 * types a peer may be sent.
 *
 * @module
 */

/** Our protocol version (`PROTOCOL_VERSION`). */
export const PROTOCOL_VERSION = 70017;
/** Oldest peer version we talk to (`MIN_PEER_PROTO_VERSION`). */
export const MIN_PEER_PROTO_VERSION = 31800;
/** Version from which `sendheaders` is understood (`SENDHEADERS_VERSION`). */
export const SENDHEADERS_VERSION = 70012;
/** Version from which `feefilter` is understood (`FEEFILTER_VERSION`). */
export const FEEFILTER_VERSION = 70013;
/** Version from which compact blocks are understood (`SHORT_IDS_BLOCKS_VERSION`). */
export const SHORT_IDS_BLOCKS_VERSION = 70014;
/** Freicoin's `WTXID_RELAY_VERSION` (Bitcoin: 70016). */
export const WTXID_RELAY_VERSION = 70017;
/** The compact-block protocol version we announce (`CMPCTBLOCKS_VERSION`). */
export const CMPCTBLOCKS_VERSION = 2n;

/** Service bits (`ServiceFlags`). */
export const ServiceFlags = {
  NODE_NONE: 0n,
  NODE_NETWORK: 1n,
  NODE_BLOOM: 4n,
  NODE_WITNESS: 8n,
  NODE_COMPACT_FILTERS: 64n,
  NODE_NETWORK_LIMITED: 1024n,
  NODE_P2P_V2: 2048n,
} as const;

/** The names getpeerinfo and getnetworkinfo give the service bits (`serviceFlagToStr`). */
export function serviceNames(services: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0n; bit < 64n; bit++) {
    const flag = 1n << bit;
    if ((services & flag) === 0n) continue;
    switch (flag) {
      case ServiceFlags.NODE_NETWORK:
        names.push("NETWORK");
        break;
      case ServiceFlags.NODE_BLOOM:
        names.push("BLOOM");
        break;
      case ServiceFlags.NODE_WITNESS:
        names.push("WITNESS");
        break;
      case ServiceFlags.NODE_COMPACT_FILTERS:
        names.push("COMPACT_FILTERS");
        break;
      case ServiceFlags.NODE_NETWORK_LIMITED:
        names.push("NETWORK_LIMITED");
        break;
      case ServiceFlags.NODE_P2P_V2:
        names.push("P2P_V2");
        break;
      default:
        names.push(`UNKNOWN[2^${bit}]`);
    }
  }
  return names;
}

/** Inventory types (`GetDataMsg`). */
export const InvType = {
  ERROR: 0,
  MSG_TX: 1,
  MSG_BLOCK: 2,
  MSG_WTX: 5,
  MSG_FILTERED_BLOCK: 3,
  MSG_CMPCT_BLOCK: 4,
  MSG_WITNESS_BLOCK: 0x40000002,
  MSG_WITNESS_TX: 0x40000001,
  MSG_FILTERED_WITNESS_BLOCK: 0x40000003,
} as const;

/** The witness flag in an inventory type (`MSG_WITNESS_FLAG`). */
export const MSG_WITNESS_FLAG = 0x40000000;

/** Largest message payload before the size-expansion rule change (`MAX_PROTOCOL_MESSAGE_LENGTH`). */
export const MAX_PROTOCOL_MESSAGE_LENGTH = 4_000_000;
/** The serialization layer's vector limit (`MAX_SIZE`). */
export const MAX_SERIALIZED_SIZE = 0x02000000;
/** Longest user agent accepted or produced (`MAX_SUBVERSION_LENGTH`). */
export const MAX_SUBVERSION_LENGTH = 256;
/** Entries in an inv/getdata message (`MAX_INV_SZ`). */
export const MAX_INV_SZ = 50000;
/** Hashes in a locator (`MAX_LOCATOR_SZ`). */
export const MAX_LOCATOR_SZ = 101;
/** Headers in one `headers` message (`MAX_HEADERS_RESULTS`). */
export const MAX_HEADERS_RESULTS = 2000;
/** Entries in one addr/addrv2 message (`MAX_ADDR_TO_SEND`). */
export const MAX_ADDR_TO_SEND = 1000;
/** Blocks requested from one peer at a time (`MAX_BLOCKS_IN_TRANSIT_PER_PEER`). */
export const MAX_BLOCKS_IN_TRANSIT_PER_PEER = 16;
/** How far ahead of the tip blocks are fetched (`BLOCK_DOWNLOAD_WINDOW`). */
export const BLOCK_DOWNLOAD_WINDOW = 1024;
/** Blocks announced by headers at most at once (`MAX_BLOCKS_TO_ANNOUNCE`). */
export const MAX_BLOCKS_TO_ANNOUNCE = 8;
/** Unconnecting headers messages tolerated (`MAX_NUM_UNCONNECTING_HEADERS_MSGS`). */
export const MAX_NUM_UNCONNECTING_HEADERS_MSGS = 10;
/** Seconds between pings (`PING_INTERVAL`). */
export const PING_INTERVAL_SECONDS = 120;
/** Seconds of silence before a peer is dropped (`TIMEOUT_INTERVAL`). */
export const TIMEOUT_INTERVAL_SECONDS = 20 * 60;
/** Default `-peertimeout` (`DEFAULT_PEER_CONNECT_TIMEOUT`). */
export const DEFAULT_PEER_CONNECT_TIMEOUT = 60;
/** Default `-maxconnections` (`DEFAULT_MAX_PEER_CONNECTIONS`). */
export const DEFAULT_MAX_PEER_CONNECTIONS = 125;
/** Manual (addnode) connections at most (`MAX_ADDNODE_CONNECTIONS`). */
export const MAX_ADDNODE_CONNECTIONS = 8;
/** Misbehaviour score at which a peer is discouraged (`DISCOURAGEMENT_THRESHOLD`). */
export const DISCOURAGEMENT_THRESHOLD = 100;

/**
 * Every message type freicoind knows (`ALL_NET_MESSAGE_TYPES`), in its order. Nothing else
 * may ever be sent: the reference's test framework drops the connection on an unknown type.
 */
export const ALL_NET_MESSAGE_TYPES = [
  "version",
  "verack",
  "addr",
  "addrv2",
  "sendaddrv2",
  "inv",
  "getdata",
  "merkleblock",
  "getblocks",
  "getheaders",
  "tx",
  "headers",
  "block",
  "getaddr",
  "mempool",
  "ping",
  "pong",
  "notfound",
  "filterload",
  "filteradd",
  "filterclear",
  "sendheaders",
  "feefilter",
  "sendcmpct",
  "cmpctblock",
  "getblocktxn",
  "blocktxn",
  "getcfilters",
  "cfilter",
  "getcfheaders",
  "cfheaders",
  "getcfcheckpt",
  "cfcheckpt",
  "wtxidrelay",
  "sendtxrcncl",
] as const;

/** One of {@linkcode ALL_NET_MESSAGE_TYPES}. */
export type NetMessageType = typeof ALL_NET_MESSAGE_TYPES[number];

const KNOWN_TYPES: ReadonlySet<string> = new Set(ALL_NET_MESSAGE_TYPES);

/** True for a message type freicoind knows. */
export function isKnownMessageType(type: string): type is NetMessageType {
  return KNOWN_TYPES.has(type);
}

/** The byte-accounting bucket for messages of unknown or invalid type (`NET_MESSAGE_TYPE_OTHER`). */
export const NET_MESSAGE_TYPE_OTHER = "*other*";
