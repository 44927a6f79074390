/**
 * The network RPC methods (src/rpc/net.cpp) with freicoind's help texts and result shapes.
 *
 * @module
 */
import { CLIENT_VERSION } from "../../../cli/version.ts";
import {
  amountToJson,
  getBool,
  getInt,
  getInt64,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  type JsonValue,
  methodHelp,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import { isSingleAddress, parseSubnet } from "./ban_list.ts";
import { formatService, networkName } from "./net_address.ts";
import { addressMethods } from "./addrman_rpc.ts";
import { parseHashV } from "../rpc/rpc_parse.ts";
import type { P2PNetwork } from "./network.ts";
import type { ConnectionType } from "./peer_connection.ts";
import { permissionNames } from "./net_permissions.ts";
import { MAX_ADDNODE_CONNECTIONS, PROTOCOL_VERSION, serviceNames } from "./protocol.ts";

const UNIX_EPOCH_TIME = "UNIX epoch time";
const NETWORK_NAMES = ["ipv4", "ipv6", "onion", "i2p", "cjdns"];

const CONNECTION_TYPE_DOC = [
  "outbound-full-relay (default automatic connections)",
  "block-relay-only (does not relay transactions or addresses)",
  "inbound (initiated by the peer)",
  "manual (added via addnode RPC or -addnode/-connect configuration options)",
  "addr-fetch (short-lived automatic connection for soliciting addresses)",
  "feeler (short-lived automatic connection for testing addresses)",
];

const TRANSPORT_TYPE_DOC = [
  "detecting (peer could be v1 or v2)",
  "v1 (plaintext transport protocol)",
  "v2 (BIP324 encrypted transport protocol)",
];

const NET_PERMISSIONS_DOC = [
  "bloomfilter (allow requesting BIP37 filtered blocks and transactions)",
  "noban (do not ban for misbehavior; implies download)",
  "forcerelay (relay transactions that are already in the mempool; implies relay)",
  "relay (relay even in -blocksonly mode, and unlimited transaction announcements)",
  "mempool (allow requesting BIP35 mempool contents)",
  "download (allow getheaders during IBD, no disconnect after maxuploadtarget limit)",
  "addr (responses to GETADDR avoid hitting the cache and contain random records with the most up-to-date info)",
];

const NONE_RESULT: RpcResult[] = [{ type: "none", description: "" }];

function hex16(services: bigint): string {
  return services.toString(16).padStart(16, "0");
}

const PEER_INFO_RESULT: RpcResult = {
  type: "arr",
  description: "",
  inner: [{
    type: "obj",
    description: "",
    inner: [
      { type: "num", key: "id", description: "Peer index" },
      { type: "str", key: "addr", description: "(host:port) The IP address and port of the peer" },
      {
        type: "str",
        key: "addrbind",
        optional: true,
        description: "(ip:port) Bind address of the connection to the peer",
      },
      {
        type: "str",
        key: "addrlocal",
        optional: true,
        description: "(ip:port) Local address as reported by the peer",
      },
      {
        type: "str",
        key: "network",
        description: `Network (${[...NETWORK_NAMES, "not_publicly_routable"].join(", ")})`,
      },
      {
        type: "num",
        key: "mapped_as",
        optional: true,
        description: "The AS in the BGP route to the peer used for diversifying\n" +
          "peer selection (only available if the asmap config flag is set)",
      },
      { type: "str_hex", key: "services", description: "The services offered" },
      {
        type: "arr",
        key: "servicesnames",
        description: "the services offered, in human-readable form",
        inner: [{
          type: "str",
          key: "SERVICE_NAME",
          description: "the service name if it is recognised",
        }],
      },
      { type: "bool", key: "relaytxes", description: "Whether we relay transactions to this peer" },
      { type: "num_time", key: "lastsend", description: `The ${UNIX_EPOCH_TIME} of the last send` },
      {
        type: "num_time",
        key: "lastrecv",
        description: `The ${UNIX_EPOCH_TIME} of the last receive`,
      },
      {
        type: "num_time",
        key: "last_transaction",
        description: `The ${UNIX_EPOCH_TIME} of the last valid transaction received from this peer`,
      },
      {
        type: "num_time",
        key: "last_block",
        description: `The ${UNIX_EPOCH_TIME} of the last block received from this peer`,
      },
      { type: "num", key: "bytessent", description: "The total bytes sent" },
      { type: "num", key: "bytesrecv", description: "The total bytes received" },
      {
        type: "num_time",
        key: "conntime",
        description: `The ${UNIX_EPOCH_TIME} of the connection`,
      },
      { type: "num", key: "timeoffset", description: "The time offset in seconds" },
      {
        type: "num",
        key: "pingtime",
        optional: true,
        description: "The last ping time in milliseconds (ms), if any",
      },
      {
        type: "num",
        key: "minping",
        optional: true,
        description: "The minimum observed ping time in milliseconds (ms), if any",
      },
      {
        type: "num",
        key: "pingwait",
        optional: true,
        description: "The duration in milliseconds (ms) of an outstanding ping (if non-zero)",
      },
      { type: "num", key: "version", description: "The peer version, such as 70001" },
      { type: "str", key: "subver", description: "The string version" },
      { type: "bool", key: "inbound", description: "Inbound (true) or Outbound (false)" },
      {
        type: "bool",
        key: "bip152_hb_to",
        description: "Whether we selected peer as (compact blocks) high-bandwidth peer",
      },
      {
        type: "bool",
        key: "bip152_hb_from",
        description: "Whether peer selected us as (compact blocks) high-bandwidth peer",
      },
      {
        type: "num",
        key: "startingheight",
        description: "The starting height (block) of the peer",
      },
      {
        type: "num",
        key: "presynced_headers",
        description:
          "The current height of header pre-synchronization with this peer, or -1 if no low-work sync is in progress",
      },
      {
        type: "num",
        key: "synced_headers",
        description: "The last header we have in common with this peer",
      },
      {
        type: "num",
        key: "synced_blocks",
        description: "The last block we have in common with this peer",
      },
      {
        type: "arr",
        key: "inflight",
        description: "",
        inner: [{
          type: "num",
          key: "n",
          description: "The heights of blocks we're currently asking from this peer",
        }],
      },
      {
        type: "bool",
        key: "addr_relay_enabled",
        description: "Whether we participate in address relay with this peer",
      },
      {
        type: "num",
        key: "addr_processed",
        description:
          "The total number of addresses processed, excluding those dropped due to rate limiting",
      },
      {
        type: "num",
        key: "addr_rate_limited",
        description: "The total number of addresses dropped due to rate limiting",
      },
      {
        type: "arr",
        key: "permissions",
        description: "Any special permissions that have been granted to this peer",
        inner: [{
          type: "str",
          key: "permission_type",
          description: NET_PERMISSIONS_DOC.join(",\n") + ".\n",
        }],
      },
      {
        type: "num",
        key: "minfeefilter",
        description: "The minimum fee rate for transactions this peer accepts",
      },
      {
        type: "obj_dyn",
        key: "bytessent_per_msg",
        description: "",
        inner: [{
          type: "num",
          key: "msg",
          description: "The total bytes sent aggregated by message type\n" +
            "When a message type is not listed in this json object, the bytes sent are 0.\n" +
            "Only known message types can appear as keys in the object.",
        }],
      },
      {
        type: "obj_dyn",
        key: "bytesrecv_per_msg",
        description: "",
        inner: [{
          type: "num",
          key: "msg",
          description: "The total bytes received aggregated by message type\n" +
            "When a message type is not listed in this json object, the bytes received are 0.\n" +
            "Only known message types can appear as keys in the object and all bytes received\n" +
            "of unknown message types are listed under '*other*'.",
        }],
      },
      {
        type: "str",
        key: "connection_type",
        description: "Type of connection: \n" + CONNECTION_TYPE_DOC.join(",\n") + ".\n" +
          "Please note this output is unlikely to be stable in upcoming releases as we iterate to\n" +
          "best capture connection behaviors.",
      },
      {
        type: "str",
        key: "transport_protocol_type",
        description: "Type of transport protocol: \n" + TRANSPORT_TYPE_DOC.join(",\n") + ".\n",
      },
      {
        type: "str",
        key: "session_id",
        description:
          'The session ID for this connection, or "" if there is none ("v2" transport protocol only).\n',
      },
    ],
  }],
};

function perMessage(map: ReadonlyMap<string, number>): JsonObject {
  const out: JsonObject = {};
  for (const key of [...map.keys()].sort()) {
    const value = map.get(key) ?? 0;
    if (value > 0) out[key] = value;
  }
  return out;
}

/** One getpeerinfo entry per connected peer with protocol state. */
export function peerInfo(network: P2PNetwork): JsonValue[] {
  const result: JsonValue[] = [];
  const nowMicros = network.clock.mockTime > 0 ? network.clock.mockTime * 1e6 : Date.now() * 1000;
  for (const connection of network.connections.peers.values()) {
    const state = network.peers.peer(connection.id);
    if (!state) continue;
    const entry: JsonObject = {
      id: connection.id,
      addr: connection.inbound ? formatService(connection.addr) : connection.addrName,
      addrbind: formatService(connection.addrBind),
    };
    if (state.version && state.version.addrRecv.port !== 0) {
      entry.addrlocal = formatService(state.version.addrRecv);
    }
    entry.network = networkName(connection.addr);
    entry.services = hex16(state.services);
    entry.servicesnames = serviceNames(state.services);
    entry.relaytxes = state.relayTxs;
    entry.lastsend = connection.lastSend;
    entry.lastrecv = connection.lastReceive;
    entry.last_transaction = state.lastTxTime;
    entry.last_block = state.lastBlockTime;
    entry.bytessent = connection.bytesSent;
    entry.bytesrecv = connection.bytesReceived;
    entry.conntime = connection.connectedAt;
    entry.timeoffset = 0;
    if (state.lastPingMicros !== undefined && state.lastPingMicros > 0) {
      entry.pingtime = state.lastPingMicros / 1e6;
    }
    if (state.minPingMicros !== undefined) entry.minping = state.minPingMicros / 1e6;
    if (state.pingNonceSent !== 0n) {
      const wait = nowMicros - state.pingStart;
      if (wait >= 1e6) entry.pingwait = Math.floor(wait / 1e6);
      else if (wait > 0) entry.pingwait = wait / 1e6;
    }
    entry.version = state.version?.version ?? 0;
    entry.subver = state.version ? sanitize(state.version.userAgent) : "";
    entry.inbound = connection.inbound;
    entry.bip152_hb_to = state.highBandwidthTo;
    entry.bip152_hb_from = state.compactHighBandwidth;
    entry.startingheight = state.version?.startHeight ?? -1;
    entry.presynced_headers = -1;
    entry.synced_headers = state.bestKnownBlock?.height ?? -1;
    entry.synced_blocks = state.lastCommonBlock?.height ?? -1;
    entry.inflight = [...state.blocksInFlight.keys()].map((hash) =>
      network.peers.heightOf(hash) ?? -1
    );
    entry.addr_relay_enabled = state.addrRelayEnabled;
    entry.addr_processed = state.addrProcessed;
    entry.addr_rate_limited = state.addrRateLimited;
    entry.permissions = permissionNames(connection.permissions);
    entry.minfeefilter = amountToJson(state.feeFilter);
    entry.bytessent_per_msg = perMessage(connection.sentPerMessage);
    entry.bytesrecv_per_msg = perMessage(connection.receivedPerMessage);
    entry.connection_type = connection.connectionType;
    entry.transport_protocol_type = connection.transportProtocolType;
    entry.session_id = connection.sessionId;
    result.push(entry);
  }
  return result;
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9 .,;\-_/:?@()]/g, "");
}

/** getblockfrompeer (a blockchain RPC in freicoind, but all about peers). */
function getBlockFromPeerMethod<Context>(network: P2PNetwork): RpcMethod<Context> {
  const example = '"00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09" 0';
  return {
    name: "getblockfrompeer",
    category: "blockchain",
    description: "Attempt to fetch block from a given peer.\n\n" +
      "We must have the header for this block, e.g. using submitheader.\n" +
      "Subsequent calls for the same block may cause the response from the previous peer to be ignored.\n" +
      "Peers generally ignore requests for a stale block that they never fully verified, or one that is more than a month old.\n" +
      "When a peer does not respond with a block, we will disconnect.\n" +
      "Note: The block could be re-pruned as soon as it is received.\n\n" +
      "Returns an empty JSON object if the request was successfully scheduled.",
    args: [
      { names: "blockhash", type: "str_hex", description: "The block hash to try to fetch" },
      {
        names: "peer_id",
        type: "num",
        description: "The peer to fetch it from (see getpeerinfo for peer IDs)",
      },
    ],
    results: [{ type: "obj", description: "", inner: [] }],
    examples: helpExampleCli("getblockfrompeer", example) +
      helpExampleRpc("getblockfrompeer", example),
    handler: (call) => {
      const hash = parseHashV(call.params[0], "blockhash");
      const peerId = Number(getInt64(call.params[1]));
      const entry = network.chain.lookupBlockIndex(hash);
      if (!entry) throw new RpcError(RPC_ERROR.MISC_ERROR, "Block header missing");
      if (entry.haveData) throw new RpcError(RPC_ERROR.MISC_ERROR, "Block already downloaded");
      const error = network.peers.fetchBlock(peerId, entry);
      if (error) throw new RpcError(RPC_ERROR.MISC_ERROR, error);
      return {};
    },
  };
}

/** The network RPC methods bound to a running P2P service. */
export function netRpcMethods<Context>(network: P2PNetwork): RpcMethod<Context>[] {
  const connections = network.connections;
  const methods: RpcMethod<Context>[] = [
    {
      name: "getconnectioncount",
      category: "network",
      description: "\nReturns the number of connections to other nodes.\n",
      args: [],
      results: [{ type: "num", description: "The connection count" }],
      examples: helpExampleCli("getconnectioncount", "") +
        helpExampleRpc("getconnectioncount", ""),
      handler: () => connections.peers.size,
    },
    {
      name: "ping",
      category: "network",
      description: "\nRequests that a ping be sent to all other nodes, to measure ping time.\n" +
        "Results provided in getpeerinfo, pingtime and pingwait fields are decimal seconds.\n" +
        "Ping command is handled in queue with all other commands, so it measures processing backlog, not just network ping.\n",
      args: [],
      results: NONE_RESULT,
      examples: helpExampleCli("ping", "") + helpExampleRpc("ping", ""),
      handler: () => {
        network.peers.queuePings();
        return null;
      },
    },
    {
      name: "getpeerinfo",
      category: "network",
      description: "Returns data about each connected network peer as a json array of objects.",
      args: [],
      results: [PEER_INFO_RESULT],
      examples: helpExampleCli("getpeerinfo", "") + helpExampleRpc("getpeerinfo", ""),
      handler: () => peerInfo(network),
    },
    {
      name: "addnode",
      category: "network",
      description: "\nAttempts to add or remove a node from the addnode list.\n" +
        "Or try a connection to a node once.\n" +
        "Nodes added using addnode (or -connect) are protected from DoS disconnection and are not required to be\n" +
        "full nodes/support SegWit as other outbound peers are (though such peers will not be synced from).\n" +
        `Addnode connections are limited to ${MAX_ADDNODE_CONNECTIONS} at a time` +
        " and are counted separately from the -maxconnections limit.\n",
      args: [
        { names: "node", type: "str", description: "The address of the peer to connect to" },
        {
          names: "command",
          type: "str",
          description:
            "'add' to add a node to the list, 'remove' to remove a node from the list, 'onetry' to try a connection to the node once",
        },
        {
          names: "v2transport",
          type: "bool",
          defaultHint: "set by -v2transport",
          description:
            "Attempt to connect using BIP324 v2 transport protocol (ignored for 'remove' command)",
        },
      ],
      results: NONE_RESULT,
      examples: helpExampleCli("addnode", '"192.168.0.6:8639" "onetry" true') +
        helpExampleRpc("addnode", '"192.168.0.6:8639", "onetry" true'),
      handler: async (call) => {
        const command = getStr(call.params[1]);
        if (command !== "onetry" && command !== "add" && command !== "remove") {
          throw new RpcError(RPC_ERROR.MISC_ERROR, methodHelp(findMethod("addnode")));
        }
        const node = getStr(call.params[0]);
        const v2 = call.params[2] === undefined || call.params[2] === null
          ? connections.v2Enabled
          : getBool(call.params[2]);
        if (v2 && !connections.v2Enabled) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Error: v2transport requested but not enabled (see -v2transport)",
          );
        }
        if (command === "onetry") {
          await connections.connect(node, "manual", v2);
          return null;
        }
        if (command === "add") {
          if (!connections.addNode({ name: node, useV2: v2 })) {
            throw new RpcError(RPC_ERROR.CLIENT_NODE_ALREADY_ADDED, "Error: Node already added");
          }
          void connections.openAddedConnections();
        } else if (!connections.removeAddedNode(node)) {
          throw new RpcError(
            RPC_ERROR.CLIENT_NODE_NOT_ADDED,
            "Error: Node could not be removed. It has not been added previously.",
          );
        }
        return null;
      },
    },
    {
      name: "addconnection",
      category: "hidden",
      description:
        "\nOpen an outbound connection to a specified node. This RPC is for testing only.\n",
      args: [
        {
          names: "address",
          type: "str",
          description: "The IP address and port to attempt connecting to.",
        },
        {
          names: "connection_type",
          type: "str",
          description:
            'Type of connection to open ("outbound-full-relay", "block-relay-only", "addr-fetch" or "feeler").',
        },
        {
          names: "v2transport",
          type: "bool",
          description: "Attempt to connect using BIP324 v2 transport protocol",
        },
      ],
      results: [{
        type: "obj",
        description: "",
        inner: [
          { type: "str", key: "address", description: "Address of newly added connection." },
          { type: "str", key: "connection_type", description: "Type of connection opened." },
        ],
      }],
      examples: helpExampleCli("addconnection", '"192.168.0.6:8639" "outbound-full-relay" true') +
        helpExampleRpc("addconnection", '"192.168.0.6:8639" "outbound-full-relay" true'),
      handler: (call) => {
        if (network.chainName !== "regtest") {
          throw new RpcError(
            RPC_ERROR.MISC_ERROR,
            "addconnection is for regression testing (-regtest mode) only.",
          );
        }
        const address = getStr(call.params[0]);
        const type = getStr(call.params[1]).trim();
        const types = ["outbound-full-relay", "block-relay-only", "addr-fetch", "feeler"];
        if (!types.includes(type)) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, methodHelp(findMethod("addconnection")));
        }
        const v2 = getBool(call.params[2]);
        if (v2 && !connections.v2Enabled) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Error: Adding v2transport connections requires -v2transport init flag to be set.",
          );
        }
        const limits: Record<string, number> = {
          "outbound-full-relay": 8,
          "block-relay-only": 2,
          "addr-fetch": 1,
          "feeler": 1,
        };
        const open = [...connections.peers.values()].filter((p) => p.connectionType === type);
        if (open.length >= limits[type]) {
          throw new RpcError(
            RPC_ERROR.CLIENT_NODE_CAPACITY_REACHED,
            "Error: Already at capacity for specified connection type.",
          );
        }
        // Like the reference, the connection is attempted in the background.
        void connections.connect(address, type as ConnectionType, v2);
        return { address, connection_type: type };
      },
    },
    {
      name: "disconnectnode",
      category: "network",
      description: "\nImmediately disconnects from the specified peer node.\n" +
        "\nStrictly one out of 'address' and 'nodeid' can be provided to identify the node.\n" +
        "\nTo disconnect by nodeid, either set 'address' to the empty string, or call using the named 'nodeid' argument only.\n",
      args: [
        {
          names: "address",
          type: "str",
          defaultHint: "fallback to nodeid",
          description: "The IP address/port of the node",
        },
        {
          names: "nodeid",
          type: "num",
          defaultHint: "fallback to address",
          description: "The node ID (see getpeerinfo for node IDs)",
        },
      ],
      results: NONE_RESULT,
      examples: helpExampleCli("disconnectnode", '"192.168.0.6:8639"') +
        helpExampleCli("disconnectnode", '"" 1') +
        helpExampleRpc("disconnectnode", '"192.168.0.6:8639"') +
        helpExampleRpc("disconnectnode", '"", 1'),
      handler: (call) => {
        const address = call.params[0] ?? null;
        const id = call.params[1] ?? null;
        let success: boolean;
        if (address !== null && id === null) {
          success = connections.disconnectByAddress(getStr(address));
        } else if (id !== null && (address === null || address === "")) {
          success = connections.disconnectById(Number(getInt64(id)));
        } else {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMS,
            "Only one of address and nodeid should be provided.",
          );
        }
        if (!success) {
          throw new RpcError(
            RPC_ERROR.CLIENT_NODE_NOT_CONNECTED,
            "Node not found in connected nodes",
          );
        }
        return null;
      },
    },
    {
      name: "getaddednodeinfo",
      category: "network",
      description: "\nReturns information about the given added node, or all added nodes\n" +
        "(note that onetry addnodes are not listed here)\n",
      args: [{
        names: "node",
        type: "str",
        defaultHint: "all nodes",
        description:
          "If provided, return information about this specific node, otherwise all nodes are returned.",
      }],
      results: [{
        type: "arr",
        description: "",
        inner: [{
          type: "obj",
          description: "",
          inner: [
            {
              type: "str",
              key: "addednode",
              description: "The node IP address or name (as provided to addnode)",
            },
            { type: "bool", key: "connected", description: "If connected" },
            {
              type: "arr",
              key: "addresses",
              description: "Only when connected = true",
              inner: [{
                type: "obj",
                description: "",
                inner: [
                  {
                    type: "str",
                    key: "address",
                    description: "The freicoin server IP and port we're connected to",
                  },
                  {
                    type: "str",
                    key: "connected",
                    description: "connection, inbound or outbound",
                  },
                ],
              }],
            },
          ],
        }],
      }],
      examples: helpExampleCli("getaddednodeinfo", '"192.168.0.201"') +
        helpExampleRpc("getaddednodeinfo", '"192.168.0.201"'),
      handler: (call) => {
        let nodes = [...connections.addedNodes];
        const wanted = call.params[0];
        if (wanted !== undefined && wanted !== null) {
          const name = getStr(wanted);
          nodes = nodes.filter((n) => n.name === name);
          if (nodes.length === 0) {
            throw new RpcError(RPC_ERROR.CLIENT_NODE_NOT_ADDED, "Error: Node has not been added.");
          }
        }
        return nodes.map((node) => {
          const peer = connections.findByName(node.name);
          const addresses: JsonValue[] = peer
            ? [{
              address: formatService(peer.addr),
              connected: peer.inbound ? "inbound" : "outbound",
            }]
            : [];
          return { addednode: node.name, connected: peer !== undefined, addresses };
        });
      },
    },
    {
      name: "getnettotals",
      category: "network",
      description: "Returns information about network traffic, including bytes in, bytes out,\n" +
        "and current system time.",
      args: [],
      results: [{
        type: "obj",
        description: "",
        inner: [
          { type: "num", key: "totalbytesrecv", description: "Total bytes received" },
          { type: "num", key: "totalbytessent", description: "Total bytes sent" },
          {
            type: "num_time",
            key: "timemillis",
            description: `Current system ${UNIX_EPOCH_TIME} in milliseconds`,
          },
          {
            type: "obj",
            key: "uploadtarget",
            description: "",
            inner: [
              {
                type: "num",
                key: "timeframe",
                description: "Length of the measuring timeframe in seconds",
              },
              { type: "num", key: "target", description: "Target in bytes" },
              { type: "bool", key: "target_reached", description: "True if target is reached" },
              {
                type: "bool",
                key: "serve_historical_blocks",
                description: "True if serving historical blocks",
              },
              {
                type: "num",
                key: "bytes_left_in_cycle",
                description: "Bytes left in current time cycle",
              },
              {
                type: "num",
                key: "time_left_in_cycle",
                description: "Seconds left in current time cycle",
              },
            ],
          },
        ],
      }],
      examples: helpExampleCli("getnettotals", "") + helpExampleRpc("getnettotals", ""),
      handler: () => {
        const totals = connections.totals;
        return {
          totalbytesrecv: totals.received,
          totalbytessent: totals.sent,
          timemillis: Date.now(),
          uploadtarget: {
            timeframe: 86400,
            target: 0,
            target_reached: false,
            serve_historical_blocks: true,
            bytes_left_in_cycle: 0,
            time_left_in_cycle: 0,
          },
        };
      },
    },
    {
      name: "getnetworkinfo",
      category: "network",
      description: "Returns an object containing various state info regarding P2P networking.\n",
      args: [],
      results: [{
        type: "obj",
        description: "",
        inner: [
          { type: "num", key: "version", description: "the server version" },
          { type: "str", key: "subversion", description: "the server subversion string" },
          { type: "num", key: "protocolversion", description: "the protocol version" },
          {
            type: "str_hex",
            key: "localservices",
            description: "the services we offer to the network",
          },
          {
            type: "arr",
            key: "localservicesnames",
            description: "the services we offer to the network, in human-readable form",
            inner: [{ type: "str", key: "SERVICE_NAME", description: "the service name" }],
          },
          {
            type: "bool",
            key: "localrelay",
            description: "true if transaction relay is requested from peers",
          },
          { type: "num", key: "timeoffset", description: "the time offset" },
          { type: "num", key: "connections", description: "the total number of connections" },
          {
            type: "num",
            key: "connections_in",
            description: "the number of inbound connections",
          },
          {
            type: "num",
            key: "connections_out",
            description: "the number of outbound connections",
          },
          {
            type: "bool",
            key: "networkactive",
            description: "whether p2p networking is enabled",
          },
          {
            type: "arr",
            key: "networks",
            description: "information per network",
            inner: [{
              type: "obj",
              description: "",
              inner: [
                { type: "str", key: "name", description: `network (${NETWORK_NAMES.join(", ")})` },
                {
                  type: "bool",
                  key: "limited",
                  description: "is the network limited using -onlynet?",
                },
                { type: "bool", key: "reachable", description: "is the network reachable?" },
                {
                  type: "str",
                  key: "proxy",
                  description:
                    '("host:port") the proxy that is used for this network, or empty if none',
                },
                {
                  type: "bool",
                  key: "proxy_randomize_credentials",
                  description: "Whether randomized credentials are used",
                },
              ],
            }],
          },
          {
            type: "num",
            key: "relayfee",
            description: "minimum relay fee rate for transactions in FRC/kvB",
          },
          {
            type: "num",
            key: "incrementalfee",
            description:
              "minimum fee rate increment for mempool limiting or replacement in FRC/kvB",
          },
          {
            type: "arr",
            key: "localaddresses",
            description: "list of local addresses",
            inner: [{
              type: "obj",
              description: "",
              inner: [
                { type: "str", key: "address", description: "network address" },
                { type: "num", key: "port", description: "network port" },
                { type: "num", key: "score", description: "relative score" },
              ],
            }],
          },
          { type: "str", key: "warnings", description: "any network and blockchain warnings" },
        ],
      }],
      examples: helpExampleCli("getnetworkinfo", "") + helpExampleRpc("getnetworkinfo", ""),
      handler: () => {
        const all = [...connections.peers.values()];
        const inbound = all.filter((p) => p.inbound).length;
        return {
          version: CLIENT_VERSION,
          subversion: network.userAgent,
          protocolversion: PROTOCOL_VERSION,
          localservices: hex16(network.localServices),
          localservicesnames: serviceNames(network.localServices),
          localrelay: !network.blocksOnly,
          timeoffset: 0,
          networkactive: connections.networkActive,
          connections: all.length,
          connections_in: inbound,
          connections_out: all.length - inbound,
          networks: NETWORK_NAMES.map((name) => ({
            name,
            limited: name === "onion" || name === "i2p" || name === "cjdns",
            reachable: !(name === "onion" || name === "i2p" || name === "cjdns"),
            proxy: "",
            proxy_randomize_credentials: false,
          })),
          relayfee: amountToJson(1000n),
          incrementalfee: amountToJson(1000n),
          localaddresses: [],
          warnings: "",
        };
      },
    },
    {
      name: "setban",
      category: "network",
      description: "\nAttempts to add or remove an IP/Subnet from the banned list.\n",
      args: [
        {
          names: "subnet",
          type: "str",
          description:
            "The IP/Subnet (see getpeerinfo for nodes IP) with an optional netmask (default is /32 = single IP)",
        },
        {
          names: "command",
          type: "str",
          description:
            "'add' to add an IP/Subnet to the list, 'remove' to remove an IP/Subnet from the list",
        },
        {
          names: "bantime",
          type: "num",
          default: 0,
          description:
            "time in seconds how long (or until when if [absolute] is set) the IP is banned (0 or empty means using the default time of 24h which can also be overwritten by the -bantime startup argument)",
        },
        {
          names: "absolute",
          type: "bool",
          default: false,
          description:
            `If set, the bantime must be an absolute timestamp expressed in ${UNIX_EPOCH_TIME}`,
        },
      ],
      results: NONE_RESULT,
      examples: helpExampleCli("setban", '"192.168.0.6" "add" 86400') +
        helpExampleCli("setban", '"192.168.0.0/24" "add"') +
        helpExampleRpc("setban", '"192.168.0.6", "add", 86400'),
      handler: (call) => {
        const command = call.params[1] === undefined || call.params[1] === null
          ? ""
          : getStr(call.params[1]);
        if (command !== "add" && command !== "remove") {
          throw new RpcError(RPC_ERROR.MISC_ERROR, methodHelp(findMethod("setban")));
        }
        const text = getStr(call.params[0]);
        const subnet = parseSubnet(text);
        if (!subnet || (!text.includes("/") && !isSingleAddress(subnet))) {
          throw new RpcError(RPC_ERROR.CLIENT_INVALID_IP_OR_SUBNET, "Error: Invalid IP/Subnet");
        }
        const banList = network.banList;
        if (command === "remove") {
          if (!banList.unban(subnet)) {
            throw new RpcError(
              RPC_ERROR.CLIENT_INVALID_IP_OR_SUBNET,
              "Error: Unban failed. Requested address/subnet was not previously manually banned.",
            );
          }
          return null;
        }
        // A single address counts as banned when any ban covers it (`IsBanned(CNetAddr)`).
        const alreadyBanned = text.includes("/")
          ? banList.isSubnetBanned(subnet)
          : banList.isBanned({ network: subnet.network, ip: subnet.ip, port: 0 });
        if (alreadyBanned) {
          throw new RpcError(
            RPC_ERROR.CLIENT_NODE_ALREADY_ADDED,
            "Error: IP/Subnet already banned",
          );
        }
        let banTime = call.params[2] === undefined || call.params[2] === null
          ? 0
          : getInt(call.params[2]);
        let absolute = call.params[3] === undefined || call.params[3] === null
          ? false
          : getBool(call.params[3]);
        const now = network.clock.now();
        if (absolute && banTime < now) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Error: Absolute timestamp is in the past",
          );
        }
        if (banTime <= 0) {
          banTime = banList.defaultBanTime;
          absolute = false;
        }
        banList.ban(subnet, absolute ? banTime : now + banTime);
        connections.disconnectBanned();
        return null;
      },
    },
    {
      name: "listbanned",
      category: "network",
      description: "\nList all manually banned IPs/Subnets.\n",
      args: [],
      results: [{
        type: "arr",
        description: "",
        inner: [{
          type: "obj",
          description: "",
          inner: [
            { type: "str", key: "address", description: "The IP/Subnet of the banned node" },
            {
              type: "num_time",
              key: "ban_created",
              description: `The ${UNIX_EPOCH_TIME} the ban was created`,
            },
            {
              type: "num_time",
              key: "banned_until",
              description: `The ${UNIX_EPOCH_TIME} the ban expires`,
            },
            { type: "num_time", key: "ban_duration", description: "The ban duration, in seconds" },
            {
              type: "num_time",
              key: "time_remaining",
              description: "The time remaining until the ban expires, in seconds",
            },
          ],
        }],
      }],
      examples: helpExampleCli("listbanned", "") + helpExampleRpc("listbanned", ""),
      handler: () => {
        const now = network.clock.now();
        return network.banList.list().map((ban) => ({
          address: ban.subnet,
          ban_created: ban.created,
          banned_until: ban.until,
          ban_duration: ban.until - ban.created,
          time_remaining: ban.until - now,
        }));
      },
    },
    {
      name: "clearbanned",
      category: "network",
      description: "\nClear all banned IPs.\n",
      args: [],
      results: NONE_RESULT,
      examples: helpExampleCli("clearbanned", "") + helpExampleRpc("clearbanned", ""),
      handler: () => {
        network.banList.clear();
        return null;
      },
    },
    {
      name: "setnetworkactive",
      category: "network",
      description: "\nDisable/enable all p2p network activity.\n",
      args: [{
        names: "state",
        type: "bool",
        description: "true to enable networking, false to disable",
      }],
      results: [{ type: "bool", description: "The value that was passed in" }],
      examples: "",
      handler: (call) => {
        connections.setNetworkActive(getBool(call.params[0]));
        return connections.networkActive;
      },
    },
  ];
  methods.push(...addressMethods<Context>(network), getBlockFromPeerMethod<Context>(network));
  const byName = new Map(methods.map((m) => [m.name, m]));
  function findMethod(name: string): RpcMethod<never> {
    return byName.get(name) as unknown as RpcMethod<never>;
  }
  return methods;
}
