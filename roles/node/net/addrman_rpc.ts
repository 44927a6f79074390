/**
 * The address-manager RPC methods (src/rpc/net.cpp) and sendmsgtopeer, with freicoind's help
 * texts: getnodeaddresses, addpeeraddress, getaddrmaninfo, getrawaddrman, sendmsgtopeer.
 *
 * @module
 */
import {
  getBigInt,
  getBool,
  getInt,
  getInt64,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { hexToBytes, isHex } from "../../../kernel/encoding/mod.ts";
import type { AddrInfo } from "./addrman.ts";
import { formatIp, type NetService, networkName, parseIp } from "./net_address.ts";
import type { P2PNetwork } from "./network.ts";
import { ServiceFlags } from "./protocol.ts";
import { COMMAND_SIZE } from "./wire_frame.ts";

const UNIX_EPOCH_TIME = "UNIX epoch time";
const NETWORK_NAMES = ["ipv4", "ipv6", "onion", "i2p", "cjdns"];

/** BIP155 network ids by the names RPCs accept (`ParseNetwork`). */
const NETWORK_IDS: Record<string, number> = { ipv4: 1, ipv6: 2, onion: 4, i2p: 5, cjdns: 6 };

function addressNetworkName(entry: NetService): string {
  return networkName(entry);
}

/** getnodeaddresses, addpeeraddress, getaddrmaninfo, getrawaddrman, sendmsgtopeer. */
export function addressMethods<Context>(network: P2PNetwork): RpcMethod<Context>[] {
  const addrman = network.addrman;
  const networkList = NETWORK_NAMES.join(", ");
  const entryJson = (info: AddrInfo): JsonObject => ({
    address: formatIp(info),
    port: info.port,
    services: Number(info.services),
    time: info.time,
    network: addressNetworkName(info),
    source: formatIp(info.source),
    source_network: addressNetworkName(info.source),
  });
  return [
    {
      name: "getnodeaddresses",
      category: "network",
      description: "Return known addresses, after filtering for quality and recency.\n" +
        "These can potentially be used to find new peers in the network.\n" +
        "The total number of addresses known to the node may be higher.",
      args: [
        {
          names: "count",
          type: "num",
          default: 1,
          description:
            "The maximum number of addresses to return. Specify 0 to return all known addresses.",
        },
        {
          names: "network",
          type: "str",
          defaultHint: "all networks",
          description:
            `Return only addresses of the specified network. Can be one of: ${networkList}.`,
        },
      ],
      results: [{
        type: "arr",
        description: "",
        inner: [{
          type: "obj",
          description: "",
          inner: [
            {
              type: "num_time",
              key: "time",
              description: `The ${UNIX_EPOCH_TIME} when the node was last seen`,
            },
            { type: "num", key: "services", description: "The services offered by the node" },
            { type: "str", key: "address", description: "The address of the node" },
            { type: "num", key: "port", description: "The port number of the node" },
            {
              type: "str",
              key: "network",
              description: `The network (${networkList}) the node connected through`,
            },
          ],
        }],
      }],
      examples: helpExampleCli("getnodeaddresses", "8") +
        helpExampleCli("getnodeaddresses", '4 "i2p"') +
        helpExampleCli("-named getnodeaddresses", "network=onion count=12") +
        helpExampleRpc("getnodeaddresses", "8") +
        helpExampleRpc("getnodeaddresses", '4, "i2p"'),
      handler: (call) => {
        const count = call.params[0] === undefined || call.params[0] === null
          ? 1
          : getInt(call.params[0]);
        if (count < 0) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Address count out of range");
        }
        let id: number | undefined;
        if (call.params[1] !== undefined && call.params[1] !== null) {
          const name = getStr(call.params[1]);
          id = NETWORK_IDS[name.toLowerCase()];
          if (id === undefined) {
            throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `Network not recognized: ${name}`);
          }
        }
        return addrman.getAddresses(count, 0, id).map((info) => ({
          time: info.time,
          services: Number(info.services),
          address: formatIp(info),
          port: info.port,
          network: addressNetworkName(info),
        }));
      },
    },
    {
      name: "addpeeraddress",
      category: "hidden",
      description:
        "\nAdd the address of a potential peer to the address manager. This RPC is for testing only.\n",
      args: [
        { names: "address", type: "str", description: "The IP address of the peer" },
        { names: "port", type: "num", description: "The port of the peer" },
        {
          names: "tried",
          type: "bool",
          default: false,
          description: "If true, attempt to add the peer to the tried addresses table",
        },
      ],
      results: [{
        type: "obj",
        description: "",
        inner: [{
          type: "bool",
          key: "success",
          description: "whether the peer address was successfully added to the address manager",
        }],
      }],
      examples: helpExampleCli("addpeeraddress", '"1.2.3.4" 8639 true') +
        helpExampleRpc("addpeeraddress", '"1.2.3.4", 8639, true'),
      handler: (call) => {
        const text = getStr(call.params[0]);
        const port = Number(getBigInt(call.params[1], 0n, 65535n));
        const tried = call.params[2] === undefined || call.params[2] === null
          ? false
          : getBool(call.params[2]);
        const service = parseIp(text, port);
        let success = false;
        if (service) {
          const address = {
            ...service,
            services: ServiceFlags.NODE_NETWORK | ServiceFlags.NODE_WITNESS,
            time: network.clock.now(),
          };
          // The source is the address itself, as if the peer announced itself.
          if (addrman.add([address], service)) {
            success = true;
            if (tried) addrman.good(service);
          }
        }
        return { success };
      },
    },
    {
      name: "sendmsgtopeer",
      category: "hidden",
      description: "Send a p2p message to a peer specified by id.\n" +
        "The message type and body must be provided, the message header will be generated.\n" +
        "This RPC is for testing only.",
      args: [
        { names: "peer_id", type: "num", description: "The peer to send the message to." },
        {
          names: "msg_type",
          type: "str",
          description: `The message type (maximum length ${COMMAND_SIZE})`,
        },
        {
          names: "msg",
          type: "str_hex",
          description: "The serialized message body to send, in hex, without a message header",
        },
      ],
      results: [{ type: "obj", description: "", inner: [] }],
      examples: helpExampleCli("sendmsgtopeer", '0 "addr" "ffffff"') +
        helpExampleRpc("sendmsgtopeer", '0 "addr" "ffffff"'),
      handler: (call) => {
        const id = Number(getInt64(call.params[0]));
        const type = getStr(call.params[1]);
        if (type.length > COMMAND_SIZE) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `Error: msg_type too long, max length is ${COMMAND_SIZE}`,
          );
        }
        const hex = getStr(call.params[2]);
        if (!isHex(hex)) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Error parsing input for msg");
        }
        const peer = network.connections.peers.get(id);
        if (!peer) {
          throw new RpcError(RPC_ERROR.MISC_ERROR, "Error: Could not send message to peer");
        }
        peer.sendRaw(type, hexToBytes(hex));
        return {};
      },
    },
    {
      name: "getaddrmaninfo",
      category: "network",
      description:
        "\nProvides information about the node's address manager by returning the number of " +
        "addresses in the `new` and `tried` tables and their sum for all networks.\n",
      args: [],
      results: [{
        type: "obj_dyn",
        description: "json object with network type as keys",
        inner: [{
          type: "obj",
          key: "network",
          description: `the network (${networkList}, all_networks)`,
          inner: [
            {
              type: "num",
              key: "new",
              description:
                "number of addresses in the new table, which represent potential peers the node has discovered but hasn't yet successfully connected to.",
            },
            {
              type: "num",
              key: "tried",
              description:
                "number of addresses in the tried table, which represent peers the node has successfully connected to in the past.",
            },
            {
              type: "num",
              key: "total",
              description: "total number of addresses in both new/tried tables",
            },
          ],
        }],
      }],
      examples: helpExampleCli("getaddrmaninfo", "") + helpExampleRpc("getaddrmaninfo", ""),
      handler: () => {
        const out: JsonObject = {};
        for (const name of NETWORK_NAMES) {
          const id = NETWORK_IDS[name];
          out[name] = {
            new: addrman.size(id, "new"),
            tried: addrman.size(id, "tried"),
            total: addrman.size(id),
          };
        }
        out.all_networks = {
          new: addrman.size(undefined, "new"),
          tried: addrman.size(undefined, "tried"),
          total: addrman.size(),
        };
        return out;
      },
    },
    {
      name: "getrawaddrman",
      category: "hidden",
      description: "EXPERIMENTAL warning: this call may be changed in future releases.\n" +
        "\nReturns information on all address manager entries for the new and tried tables.\n",
      args: [],
      results: [{
        type: "obj_dyn",
        description: "",
        inner: [{
          type: "obj_dyn",
          key: "table",
          description: "buckets with addresses in the address manager table ( new, tried )",
          inner: [{
            type: "obj",
            key: "bucket/position",
            description: "the location in the address manager table (<bucket>/<position>)",
            inner: [
              { type: "str", key: "address", description: "The address of the node" },
              { type: "num", key: "port", description: "The port number of the node" },
              {
                type: "str",
                key: "network",
                description: `The network (${networkList}) of the address`,
              },
              { type: "num", key: "services", description: "The services offered by the node" },
              {
                type: "num_time",
                key: "time",
                description: `The ${UNIX_EPOCH_TIME} when the node was last seen`,
              },
              {
                type: "str",
                key: "source",
                description: "The address that relayed the address to us",
              },
              {
                type: "str",
                key: "source_network",
                description: `The network (${networkList}) of the source address`,
              },
            ],
          }],
        }],
      }],
      examples: helpExampleCli("getrawaddrman", "") + helpExampleRpc("getrawaddrman", ""),
      handler: () => {
        const table = (tried: boolean): JsonObject => {
          const out: JsonObject = {};
          for (const { info, position } of addrman.entries(tried)) {
            out[`${position.bucket}/${position.position}`] = entryJson(info);
          }
          return out;
        };
        return { new: table(false), tried: table(true) };
      },
    },
  ];
}
