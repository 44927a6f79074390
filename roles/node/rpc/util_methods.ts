/**
 * The node's `util` methods (rpc/output_script.cpp, rpc/node.cpp): validateaddress,
 * createmultisig, getdescriptorinfo, deriveaddresses, getindexinfo, and the control method
 * getmemoryinfo; with the message methods (`message_methods.ts`) in `utilMethods()`. The fee
 * estimates (estimatesmartfee, estimaterawfee) come with the fee estimator (roles/node/fees).
 *
 * @module
 */
import {
  getArray,
  getInt,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import {
  decodeDestination,
  describeDestination,
  type Destination,
  destinationForScript,
  encodeDestination,
  isValidDestination,
  parseOutputType,
  scriptForDestination,
} from "../../../kernel/address/mod.ts";
import {
  deriveAddresses,
  DeriveAddressesError,
  type Descriptor,
  DescriptorError,
  getDescriptorInfo,
  inferDescriptor,
} from "../../../kernel/descriptor/mod.ts";
import { bytesToHex, hexToBytes, isHex } from "../../../kernel/encoding/mod.ts";
import { hash160, ripemd160 } from "../../../kernel/hash/mod.ts";
import {
  MAX_PUBKEYS_PER_MULTISIG,
  MAX_SCRIPT_ELEMENT_SIZE,
  multisigScript,
} from "../../../kernel/script/mod.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { extrasOf, secpOf } from "./node_rpc_extras.ts";
import { parseDescriptorRangeArg } from "./rpc_parse.ts";
import { messageMethods } from "./message_methods.ts";

/** freicoind's example addresses in help texts (`EXAMPLE_ADDRESS`). */
export const EXAMPLE_ADDRESS = [
  "bc1q09vm5lfy0j5reeulh4x5752q25uqqvz34hufdl",
  "bc1q02ad21edsxd23d32dfgqqsz4vv4nmtfzuklhy3",
];

/** `HexToPubKey`: a fully valid public key from hex, else -5 "Invalid public key: ...". */
export function hexToPubKey(secp: Secp256k1, hex: string): Uint8Array {
  if (!isHex(hex)) {
    throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Invalid public key: ${hex}`);
  }
  const bytes = hexToBytes(hex);
  const compressed = bytes.length === 33;
  const valid = (bytes.length === 33 || bytes.length === 65) &&
    secp.normalizePublicKey(bytes, compressed) !== null;
  if (!valid) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Invalid public key: ${hex}`);
  return bytes;
}

/** The multisig script and its destination (`AddAndGetMultisigDestination`). */
export function multisigDestination(
  required: number,
  pubkeys: readonly Uint8Array[],
  type: "legacy" | "bech32",
): { script: Uint8Array; destination: Destination; type: "legacy" | "bech32" } {
  if (required < 1) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "a multisignature address must require at least one key to redeem",
    );
  }
  if (pubkeys.length < required) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `not enough keys supplied (got ${pubkeys.length} keys, but need at least ${required} to redeem)`,
    );
  }
  if (pubkeys.length > MAX_PUBKEYS_PER_MULTISIG) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `Number of keys involved in the multisignature address creation > ${MAX_PUBKEYS_PER_MULTISIG}\nReduce the number`,
    );
  }
  const script = multisigScript(required, pubkeys);
  if (pubkeys.some((key) => key.length !== 33)) type = "legacy";
  if (type === "legacy" && script.length > MAX_SCRIPT_ELEMENT_SIZE) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `redeemScript exceeds size limit: ${script.length} > ${MAX_SCRIPT_ELEMENT_SIZE}`,
    );
  }
  return { script, destination: destinationForScript(script, type), type };
}

/** The descriptor of a multisig destination, knowing its redeem or witness script. */
export function multisigDescriptor(
  context: NodeContext,
  script: Uint8Array,
  destination: Destination,
): Descriptor {
  const entry = Uint8Array.of(0, ...script);
  return inferDescriptor(scriptForDestination(destination), {
    getScript: (id) => bytesEqualTo(id, hash160(script)) ? script : undefined,
    getWitnessV0Script: (short) =>
      destination.kind === "WitnessV0LongHash" && bytesEqualTo(short, ripemd160(destination.hash))
        ? entry
        : undefined,
  }, { prefixes: context.params.prefixes, secp: secpOf(context) });
}

function bytesEqualTo(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function descriptorOptions(context: NodeContext) {
  return { prefixes: context.params.prefixes, secp: secpOf(context) };
}

function validateAddressMethod(): RpcMethod<NodeContext> {
  return {
    name: "validateaddress",
    category: "util",
    description: "\nReturn information about the given freicoin address.\n",
    args: [{ names: "address", type: "str", description: "The freicoin address to validate" }],
    results: [{
      type: "obj",
      inner: [
        { type: "bool", key: "isvalid", description: "If the address is valid or not" },
        {
          type: "str",
          key: "address",
          optional: true,
          description: "The freicoin address validated",
        },
        {
          type: "str_hex",
          key: "scriptPubKey",
          optional: true,
          description: "The hex-encoded scriptPubKey generated by the address",
        },
        { type: "bool", key: "isscript", optional: true, description: "If the key is a script" },
        {
          type: "bool",
          key: "iswitness",
          optional: true,
          description: "If the address is a witness address",
        },
        {
          type: "num",
          key: "witness_version",
          optional: true,
          description: "The version number of the witness program",
        },
        {
          type: "str_hex",
          key: "witness_program",
          optional: true,
          description: "The hex value of the witness program",
        },
        { type: "str", key: "error", optional: true, description: "Error message, if any" },
        {
          type: "arr",
          key: "error_locations",
          optional: true,
          description:
            "Indices of likely error locations in address, if known (e.g. Bech32 errors)",
          inner: [{ type: "num", key: "index", description: "index of a potential error" }],
        },
      ],
    }],
    examples: helpExampleCli("validateaddress", `"${EXAMPLE_ADDRESS[0]}"`) +
      helpExampleRpc("validateaddress", `"${EXAMPLE_ADDRESS[0]}"`),
    handler: (call) => {
      const prefixes = call.context.params.prefixes;
      const decoded = decodeDestination(getStr(call.params[0]), prefixes);
      if (!decoded.ok || !isValidDestination(decoded.destination)) {
        return {
          isvalid: false,
          error_locations: decoded.ok ? [] : [...decoded.errorLocations],
          error: decoded.ok ? "" : decoded.error,
        };
      }
      const dest = decoded.destination;
      return {
        isvalid: true,
        address: encodeDestination(dest, prefixes),
        scriptPubKey: bytesToHex(scriptForDestination(dest)),
        ...describeDestination(dest),
      };
    },
  };
}

function createMultisigMethod(): RpcMethod<NodeContext> {
  const keysExample =
    `"[\\"03789ed0bb717d88f7d321a368d905e7430207ebbd82bd342cf11ae157a7ace5fd\\",\\"03dbc6764b8884a92e871274b87583e6d5c2a58819473e17e107ef3f6aa5a61626\\"]"`;
  return {
    name: "createmultisig",
    category: "util",
    description: "\nCreates a multi-signature address with n signature of m keys required.\n" +
      "It returns a json object with the address and redeemScript.\n",
    args: [
      {
        names: "nrequired",
        type: "num",
        description: "The number of required signatures out of the n keys.",
      },
      {
        names: "keys",
        type: "arr",
        description: "The hex-encoded public keys.",
        inner: [{
          names: "key",
          type: "str_hex",
          optional: true,
          description: "The hex-encoded public key",
        }],
      },
      {
        names: "address_type",
        type: "str",
        default: "legacy",
        description: 'The address type to use. Options are "legacy" or "bech32".',
      },
    ],
    results: [{
      type: "obj",
      inner: [
        { type: "str", key: "address", description: "The value of the new multisig address." },
        {
          type: "str_hex",
          key: "redeemScript",
          description: "The string value of the hex-encoded redemption script.",
        },
        { type: "str", key: "descriptor", description: "The descriptor for this multisig" },
        {
          type: "arr",
          key: "warnings",
          optional: true,
          description: "Any warnings resulting from the creation of this multisig",
          inner: [{ type: "str", description: "" }],
        },
      ],
    }],
    examples: "\nCreate a multisig address from 2 public keys\n" +
      helpExampleCli("createmultisig", `2 ${keysExample}`) +
      "\nAs a JSON-RPC call\n" +
      helpExampleRpc(
        "createmultisig",
        '2, ["03789ed0bb717d88f7d321a368d905e7430207ebbd82bd342cf11ae157a7ace5fd","03dbc6764b8884a92e871274b87583e6d5c2a58819473e17e107ef3f6aa5a61626"]',
      ),
    handler: (call) => {
      const required = getInt(call.params[0]);
      const secp = secpOf(call.context);
      const pubkeys = getArray(call.params[1]).map((item) => {
        const hex = getStr(item);
        if (!isHex(hex) || (hex.length !== 66 && hex.length !== 130)) {
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Invalid public key: ${hex}\n.`);
        }
        return hexToPubKey(secp, hex);
      });
      let outputType: "legacy" | "bech32" = "legacy";
      const typeArg = call.maybeArg(2);
      if (typeArg !== undefined) {
        const parsed = parseOutputType(getStr(typeArg));
        if (parsed === null) {
          throw new RpcError(
            RPC_ERROR.INVALID_ADDRESS_OR_KEY,
            `Unknown address type '${getStr(typeArg)}'`,
          );
        }
        outputType = parsed;
      }
      const { script, destination } = multisigDestination(required, pubkeys, outputType);
      const descriptor = multisigDescriptor(call.context, script, destination);
      const result: JsonObject = {
        address: encodeDestination(destination, call.context.params.prefixes),
        redeemScript: bytesToHex(script),
        descriptor: descriptor.toString(),
      };
      if (descriptor.outputType !== outputType) {
        result.warnings = [
          "Unable to make chosen address type, please ensure no uncompressed public keys are present.",
        ];
      }
      return result;
    },
  };
}

function getDescriptorInfoMethod(): RpcMethod<NodeContext> {
  const example =
    "wpk([d34db33f/84h/0h/0h]0279be667ef9dcbbac55a06295Ce870b07029Bfcdb2dce28d959f2815b16f81798)";
  return {
    name: "getdescriptorinfo",
    category: "util",
    description: "\nAnalyses a descriptor.\n",
    args: [{ names: "descriptor", type: "str", description: "The descriptor." }],
    results: [{
      type: "obj",
      inner: [
        {
          type: "str",
          key: "descriptor",
          description: "The descriptor in canonical form, without private keys",
        },
        { type: "str", key: "checksum", description: "The checksum for the input descriptor" },
        { type: "bool", key: "isrange", description: "Whether the descriptor is ranged" },
        { type: "bool", key: "issolvable", description: "Whether the descriptor is solvable" },
        {
          type: "bool",
          key: "hasprivatekeys",
          description: "Whether the input descriptor contained at least one private key",
        },
      ],
    }],
    examples: "Analyse a descriptor\n" + helpExampleCli("getdescriptorinfo", `"${example}"`) +
      helpExampleRpc("getdescriptorinfo", `"${example}"`),
    handler: (call) => {
      try {
        const info = getDescriptorInfo(getStr(call.params[0]), descriptorOptions(call.context));
        return { ...info };
      } catch (error) {
        if (error instanceof DescriptorError) {
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, error.message);
        }
        throw error;
      }
    },
  };
}

function deriveAddressesMethod(): RpcMethod<NodeContext> {
  const example =
    "wpk([d34db33f/84h/0h/0h]xpub6DJ2dNUysrn5Vt36jH2KLBT2i1auw1tTSSomg8PhqNiUtx8QX2SvC9nrHu81fT41fvDUnhMjEzQgXnQjKEu3oaqMSzhSrHMxyyoEAmUHQbY/0/*)#cjjspncu";
  return {
    name: "deriveaddresses",
    category: "util",
    description: "\nDerives one or more addresses corresponding to an output descriptor.\n" +
      "Examples of output descriptors are:\n" +
      "    pkh(<pubkey>)                                     P2PKH outputs for the given pubkey\n" +
      "    wpk(<pubkey>)                                     Native segwit P2PK outputs for the given pubkey\n" +
      "    sh(multi(<n>,<pubkey>,<pubkey>,...))              P2SH-multisig outputs for the given threshold and pubkeys\n" +
      "    raw(<hex script>)                                 Outputs whose scriptPubKey equals the specified hex scripts\n" +
      "    tr(<pubkey>,multi_a(<n>,<pubkey>,<pubkey>,...))   P2TR-multisig outputs for the given threshold and pubkeys\n" +
      "\nIn the above, <pubkey> either refers to a fixed public key in hexadecimal notation, or to an xpub/xprv optionally followed by one\n" +
      'or more path elements separated by "/", where "h" represents a hardened child key.\n' +
      "For more information on output descriptors, see the documentation in the doc/descriptors.md file.\n",
    args: [
      { names: "descriptor", type: "str", description: "The descriptor." },
      {
        names: "range",
        type: "range",
        optional: true,
        description:
          "If a ranged descriptor is used, this specifies the end or the range (in [begin,end] notation) to derive.",
      },
    ],
    results: [{
      type: "arr",
      inner: [{ type: "str", key: "address", description: "the derived addresses" }],
    }],
    examples: "First three native segwit receive addresses\n" +
      helpExampleCli("deriveaddresses", `"${example}" "[0,2]"`) +
      helpExampleRpc("deriveaddresses", `"${example}", "[0,2]"`),
    handler: (call) => {
      const text = getStr(call.params[0]);
      const rangeArg = call.maybeArg(1);
      try {
        const range = rangeArg === undefined ? undefined : parseDescriptorRangeArg(rangeArg);
        // freicoind checks "range given" by the number of params, so an explicit null counts.
        const given = call.params.length > 1 ? range ?? [0, 0] as [number, number] : undefined;
        const addresses = deriveAddresses(text, descriptorOptions(call.context), given);
        if (addresses.length === 0) {
          throw new RpcError(RPC_ERROR.MISC_ERROR, "Unexpected empty result");
        }
        return addresses;
      } catch (error) {
        if (error instanceof DeriveAddressesError) {
          throw new RpcError(
            error.kind === "invalid_parameter"
              ? RPC_ERROR.INVALID_PARAMETER
              : RPC_ERROR.INVALID_ADDRESS_OR_KEY,
            error.message,
          );
        }
        if (error instanceof DescriptorError) {
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, error.message);
        }
        throw error;
      }
    },
  };
}

function getIndexInfoMethod(): RpcMethod<NodeContext> {
  return {
    name: "getindexinfo",
    category: "util",
    description:
      "\nReturns the status of one or all available indices currently running in the node.\n",
    args: [{
      names: "index_name",
      type: "str",
      optional: true,
      description: "Filter results for an index with a specific name.",
    }],
    results: [{
      type: "obj_dyn",
      inner: [{
        type: "obj",
        key: "name",
        description: "The name of the index",
        inner: [
          { type: "bool", key: "synced", description: "Whether the index is synced or not" },
          {
            type: "num",
            key: "best_block_height",
            description: "The block height to which the index is synced",
          },
        ],
      }],
    }],
    examples: helpExampleCli("getindexinfo", "") + helpExampleRpc("getindexinfo", "") +
      helpExampleCli("getindexinfo", "txindex") + helpExampleRpc("getindexinfo", "txindex"),
    handler: (call) => {
      const filter = call.maybeArg(0) === undefined ? "" : getStr(call.params[0]);
      const result: JsonObject = {};
      for (const summary of extrasOf(call.context).indexSummaries?.() ?? []) {
        if (filter !== "" && filter !== summary.name) continue;
        result[summary.name] = {
          synced: summary.synced,
          best_block_height: summary.bestBlockHeight,
        };
      }
      return result;
    },
  };
}

/** Granularity of the chunk counts (an arena page size). */
const CHUNK_BYTES = 4096;

/** Locked-memory figures in the shape of freicoind's secure-allocator arena statistics. */
function lockedMemoryStats(): JsonObject {
  // Keys live in ordinary memory here; report the JS heap the way the arena is reported.
  const usage = Deno.memoryUsage();
  return {
    used: usage.heapUsed,
    free: Math.max(0, usage.heapTotal - usage.heapUsed),
    total: usage.heapTotal,
    locked: 0,
    chunks_used: Math.max(1, Math.ceil(usage.heapUsed / CHUNK_BYTES)),
    chunks_free: Math.max(1, Math.ceil((usage.heapTotal - usage.heapUsed) / CHUNK_BYTES)),
  };
}

function getMemoryInfoMethod(): RpcMethod<NodeContext> {
  return {
    name: "getmemoryinfo",
    category: "control",
    description: "Returns an object containing information about memory usage.\n",
    args: [{
      names: "mode",
      type: "str",
      default: "stats",
      description: "determines what kind of information is returned.\n" +
        '  - "stats" returns general statistics about memory usage in the daemon.\n' +
        '  - "mallocinfo" returns an XML string describing low-level heap state (only available if compiled with glibc).',
    }],
    results: [
      {
        type: "obj",
        cond: 'mode "stats"',
        inner: [{
          type: "obj",
          key: "locked",
          description: "Information about locked memory manager",
          inner: [
            { type: "num", key: "used", description: "Number of bytes used" },
            {
              type: "num",
              key: "free",
              description: "Number of bytes available in current arenas",
            },
            { type: "num", key: "total", description: "Total number of bytes managed" },
            {
              type: "num",
              key: "locked",
              description:
                "Amount of bytes that succeeded locking. If this number is smaller than total, locking pages failed at some point and key data could be swapped to disk.",
            },
            { type: "num", key: "chunks_used", description: "Number allocated chunks" },
            { type: "num", key: "chunks_free", description: "Number unused chunks" },
          ],
        }],
      },
      { type: "str", cond: 'mode "mallocinfo"', description: '"<malloc version="1">..."' },
    ],
    examples: helpExampleCli("getmemoryinfo", "") + helpExampleRpc("getmemoryinfo", ""),
    handler: (call) => {
      const mode = call.maybeArg(0) === undefined ? "stats" : getStr(call.params[0]);
      if (mode === "stats") return { locked: lockedMemoryStats() };
      if (mode === "mallocinfo") {
        const usage = Deno.memoryUsage();
        return `<malloc version="1"><heap nr="0"><total type="rest" count="0" size="${usage.heapTotal}"/></heap><system type="current" size="${usage.rss}"/></malloc>\n`;
      }
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `unknown mode ${mode}`);
    },
  };
}

/** The util methods and getmemoryinfo. */

export function utilMethods(): RpcMethod<NodeContext>[] {
  return [
    validateAddressMethod(),
    createMultisigMethod(),
    deriveAddressesMethod(),
    getDescriptorInfoMethod(),
    ...messageMethods(),
    getIndexInfoMethod(),
    getMemoryInfoMethod(),
  ];
}
