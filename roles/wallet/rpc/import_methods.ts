/**
 * Descriptor import and rescan RPCs (`src/wallet/rpc/backup.cpp`, `transactions.cpp`):
 * importdescriptors, listdescriptors, rescanblockchain, abortrescan.
 *
 * @module
 */
import {
  DescriptorError,
  parseDescriptor,
  parseDescriptorRange,
} from "../../../kernel/descriptor/mod.ts";
import {
  getBool,
  getInt,
  getObject,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { addressOf, type Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { ensureUnlocked, parseLabel, type WalletCall, withWallet } from "./_util.ts";

type Method = RpcMethod<WalletLoaderService>;

async function rescanWallet(
  call: WalletCall,
  wallet: Wallet,
  start: number,
  stop: number | undefined,
): Promise<number> {
  const loader = call.context;
  if (loader.rescans.has(wallet.name)) {
    throw new RpcError(
      RPC_ERROR.WALLET_ERROR,
      "Wallet is currently rescanning. Abort existing rescan or wait.",
    );
  }
  const controller = new AbortController();
  loader.rescans.set(wallet.name, controller);
  try {
    return await wallet.rescan(start, stop, controller.signal);
  } finally {
    loader.rescans.delete(wallet.name);
  }
}

function rescanBlockchain(): Method {
  return {
    name: "rescanblockchain",
    category: "wallet",
    description:
      '\nRescan the local blockchain for wallet related transactions.\nNote: Use "getwalletinfo" to query the scanning progress.\nThe rescan is significantly faster when used on a descriptor wallet\nand block filters are available (using startup option "-blockfilterindex=1").\n',
    args: [
      {
        names: "start_height",
        type: "num",
        default: 0,
        description: "block height where the rescan should start",
      },
      {
        names: "stop_height",
        type: "num",
        optional: true,
        description:
          "the last block height that should be scanned. If none is provided it will rescan up to the tip at return time of this call.",
      },
    ],
    results: [
      {
        type: "obj",
        inner: [
          {
            type: "num",
            key: "start_height",
            description: "The block height where the rescan started (the requested height or 0)",
          },
          {
            type: "num",
            key: "stop_height",
            description:
              "The height of the last rescanned block. May be null in rare cases if there was a reorg and the call didn't scan any blocks because they were already scanned in the background.",
          },
        ],
      },
    ],
    examples: helpExampleCli("rescanblockchain", "100000 120000") +
      helpExampleRpc("rescanblockchain", "100000, 120000"),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const tip = await wallet.options.chain.getTip();
        const start = getInt(call.arg(0));
        if (start < 0 || start > tip.height) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid start_height");
        }
        let stop: number | undefined;
        const stopArg = call.maybeArg(1);
        if (stopArg !== undefined) {
          stop = getInt(stopArg);
          if (stop < 0 || stop > tip.height) {
            throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid stop_height");
          }
          if (stop < start) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "stop_height must be greater than start_height",
            );
          }
        }
        const last = await rescanWallet(call, wallet, start, stop);
        return { start_height: start, stop_height: last < start ? null : last };
      }),
  };
}

function abortRescan(): Method {
  return {
    name: "abortrescan",
    category: "wallet",
    description:
      '\nStops current wallet rescan triggered by an RPC call, e.g. by an importprivkey call.\nNote: Use "getwalletinfo" to query the scanning progress.\n',
    args: [],
    results: [{ type: "bool", description: "Whether the abort was successful" }],
    examples: helpExampleCli("abortrescan", ""),
    handler: (call) => {
      const wallet = call.context.walletForUri(call.uri);
      const rescan = call.context.rescans.get(wallet.name);
      if (!rescan) return false;
      rescan.abort();
      return true;
    },
  };
}

const TIMESTAMP_WINDOW = 2 * 60 * 60;

function importOne(wallet: Wallet, request: JsonObject, timestamp: number): JsonObject {
  const warnings: string[] = [];
  const result: JsonObject = {};
  try {
    if (request.desc === undefined) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Descriptor not found.");
    }
    const text = getStr(request.desc);
    const active = request.active !== undefined ? getBool(request.active) : false;
    const internal = request.internal !== undefined ? getBool(request.internal) : false;
    const label = parseLabel(request.label);
    let descriptor;
    try {
      descriptor = parseDescriptor(text, { ...wallet.options, requireChecksum: true });
    } catch (error) {
      if (error instanceof DescriptorError) {
        throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, error.message);
      }
      throw error;
    }
    let rangeStart = 0;
    let rangeEnd = 1;
    let nextIndex = 0;
    if (!descriptor.isRange && request.range !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Range should not be specified for an un-ranged descriptor",
      );
    } else if (descriptor.isRange) {
      if (request.range !== undefined) {
        let range: [number, number];
        try {
          range = parseDescriptorRange(rangeValue(request.range));
          // freicoind tests `(high >> 31) != 0`, which a negative end fails too.
          if (range[1] < 0) {
            throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "End of range is too high");
          }
        } catch (error) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, (error as Error).message);
        }
        rangeStart = range[0];
        rangeEnd = range[1] + 1;
      } else {
        warnings.push("Range not given, using default keypool range");
        rangeEnd = wallet.options.keypool;
      }
      nextIndex = rangeStart;
      if (request.next_index !== undefined) {
        nextIndex = getInt(request.next_index);
        if (nextIndex < rangeStart || nextIndex >= rangeEnd) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "next_index is out of range");
        }
      }
    }
    if (active && !descriptor.isRange) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Active descriptors must be ranged");
    }
    if (request.range !== undefined && request.label !== undefined) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Ranged descriptors should not have a label");
    }
    if (internal && request.label !== undefined) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Internal addresses should not have a label");
    }
    if (active && descriptor.node.type === "combo") {
      throw new RpcError(RPC_ERROR.WALLET_ERROR, "Combo descriptors cannot be set to active");
    }
    if (wallet.privateKeysDisabled && descriptor.hasPrivateKeys) {
      throw new RpcError(
        RPC_ERROR.WALLET_ERROR,
        "Cannot import private keys to a wallet with private keys disabled",
      );
    }
    if (descriptor.expand(0) === null) {
      throw new RpcError(
        RPC_ERROR.WALLET_ERROR,
        "Cannot expand descriptor. Probably because of hardened derivations without private keys provided",
      );
    }
    if (!wallet.privateKeysDisabled) {
      if (!descriptor.hasPrivateKeys) {
        throw new RpcError(
          RPC_ERROR.WALLET_ERROR,
          "Cannot import descriptor without private keys to a wallet with private keys enabled",
        );
      }
      // Every key the descriptor uses at position 0 needs its private key (`have_all_privkeys`).
      const privateKeys = descriptor.expandPrivate(0);
      const data = descriptor.expandWithSigningData(0)?.signingData;
      const keyIds = new Set([...data?.origins.keys() ?? [], ...data?.pubkeys.keys() ?? []]);
      const haveAll = privateKeys.size > 0 && [...keyIds].every((id) => privateKeys.has(id));
      if (!haveAll) {
        warnings.push(
          "Not all private keys provided. Some wallet functionality may return unexpected errors",
        );
      }
    }
    // An update may only widen the range (`CanUpdateToWalletDescriptor`).
    const existing = wallet.managers.get(bytesToHex(descriptor.descriptorId()));
    if (
      existing !== undefined && descriptor.isRange &&
      (rangeStart > existing.row.rangeStart || rangeEnd < existing.row.rangeEnd)
    ) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `new range must include current range = [${existing.row.rangeStart},${
          existing.row.rangeEnd - 1
        }]`,
      );
    }
    const outputType = descriptor.outputType;
    wallet.addDescriptor(text, {
      timestamp,
      activeType: active ? outputType : null,
      internal,
      rangeStart,
      rangeEnd,
      nextIndex,
    });
    if (active && outputType === null) {
      warnings.push("Unknown output type, cannot set descriptor to active.");
    }
    if (!descriptor.isRange) {
      for (const script of descriptor.expand(0) ?? []) {
        const address = addressOf(script, wallet.options.prefixes);
        if (address !== null && !internal) wallet.setAddressBook(address, label, "receive");
      }
    }
    result.success = true;
  } catch (error) {
    result.success = false;
    const rpc = error instanceof RpcError
      ? error
      : new RpcError(RPC_ERROR.MISC_ERROR, String(error));
    result.error = { code: rpc.code, message: rpc.message };
  }
  if (warnings.length > 0) result.warnings = warnings;
  return result;
}

function rangeValue(value: JsonValue | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => Number(String(v)));
  return Number(String(value));
}

function importDescriptors(): Method {
  return {
    name: "importdescriptors",
    category: "wallet",
    description:
      '\nImport descriptors. This will trigger a rescan of the blockchain based on the earliest timestamp of all descriptors being imported. Requires a new wallet backup.\n\nNote: This call can take over an hour to complete if using an early timestamp; during that time, other rpc calls\nmay report that the imported keys, addresses or scripts exist but related transactions are still missing.\nThe rescan is significantly faster if block filters are available (using startup option "-blockfilterindex=1").\n',
    args: [
      {
        names: "requests",
        type: "arr",
        description: "Data to be imported",
        onelineDescription: "requests",
        inner: [
          {
            names: "",
            type: "obj",
            description: "",
            inner: [
              { names: "desc", type: "str", description: "Descriptor to import." },
              {
                names: "active",
                type: "bool",
                default: false,
                description:
                  "Set this descriptor to be the active descriptor for the corresponding output type/externality",
              },
              {
                names: "range",
                type: "range",
                optional: true,
                description:
                  "If a ranged descriptor is used, this specifies the end or the range (in the form [begin,end]) to import",
              },
              {
                names: "next_index",
                type: "num",
                optional: true,
                description:
                  "If a ranged descriptor is set to active, this specifies the next index to generate addresses from",
              },
              {
                names: "timestamp",
                type: "num",
                description:
                  'Time from which to start rescanning the blockchain for this descriptor, in UNIX epoch time\nUse the string "now" to substitute the current synced blockchain time.\n"now" can be specified to bypass scanning, for outputs which are known to never have been used, and\n0 can be specified to scan the entire blockchain. Blocks up to 2 hours before the earliest timestamp\nof all descriptors being imported will be scanned as well as the mempool.',
                typeStr: ['timestamp | "now"', "integer / string"],
                skipTypeCheck: true,
              },
              {
                names: "internal",
                type: "bool",
                default: false,
                description:
                  "Whether matching outputs should be treated as not incoming payments (e.g. change)",
              },
              {
                names: "label",
                type: "str",
                default: "",
                description:
                  "Label to assign to the address, only allowed with internal=false. Disabled for ranged descriptors",
              },
            ],
          },
        ],
      },
    ],
    results: [{
      type: "arr",
      description:
        "Response is an array with the same size as the input that has the execution result",
      inner: [{ type: "obj", inner: [{ type: "bool", key: "success" }] }],
    }],
    examples: helpExampleCli(
      "importdescriptors",
      '\'[{ "desc": "<my descriptor>", "timestamp":1455191478, "internal": true }]\'',
    ),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        ensureUnlocked(wallet);
        const requests = call.arg(0) as JsonValue[];
        const chain = wallet.options.chain;
        const tip = await chain.getTip();
        const now = tip.medianTimePast;
        const results: JsonValue[] = [];
        let lowest = Number.MAX_SAFE_INTEGER;
        for (const item of requests) {
          const request = getObject(item);
          let timestamp: number;
          const ts = request.timestamp;
          if (ts === "now") timestamp = now;
          else if (ts === undefined) {
            results.push({
              success: false,
              error: {
                code: RPC_ERROR.TYPE_ERROR,
                message: "Missing required timestamp field for key",
              },
            });
            continue;
          } else timestamp = Math.max(0, Number(getBigIntSafe(ts)));
          const result = importOne(wallet, request, timestamp);
          if (result.success === true) lowest = Math.min(lowest, timestamp);
          results.push(result);
        }
        if (lowest <= now) {
          const first = await chain.findFirstBlockWithTimeAndHeight(
            Math.max(0, lowest - TIMESTAMP_WINDOW),
            0,
          );
          if (first !== null) await rescanWallet(call, wallet, first.height, undefined);
        }
        return results;
      }),
  };
}

function getBigIntSafe(value: JsonValue): bigint {
  if (typeof value === "string") {
    throw new RpcError(
      RPC_ERROR.TYPE_ERROR,
      `Expected number or "now" timestamp value for key. got type string`,
    );
  }
  return BigInt(String(value).split(".")[0]);
}

function listDescriptors(): Method {
  return {
    name: "listdescriptors",
    category: "wallet",
    description: "\nList descriptors imported into a descriptor-enabled wallet.\n",
    args: [{
      names: "private",
      type: "bool",
      default: false,
      description: "Show private descriptors.",
    }],
    results: [{
      type: "obj",
      inner: [{
        type: "str",
        key: "wallet_name",
        description: "Name of wallet this operation was performed on",
      }, { type: "arr", key: "descriptors", inner: [{ type: "elision", description: "" }] }],
    }],
    examples: helpExampleCli("listdescriptors", "") + helpExampleCli("listdescriptors", "true"),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const showPrivate = getBool(call.arg(0));
        if (showPrivate) ensureUnlocked(wallet);
        if (showPrivate && wallet.privateKeysDisabled) {
          throw new RpcError(RPC_ERROR.WALLET_ERROR, "Can't get descriptor string.");
        }
        const entries = [...wallet.managers.values()].map((manager) => {
          const text = showPrivate ? manager.privateString() : manager.normalizedString();
          if (text === null) {
            throw new RpcError(RPC_ERROR.WALLET_ERROR, "Can't get descriptor string.");
          }
          const entry: JsonObject = { desc: text, timestamp: manager.row.created };
          entry.active = manager.row.activeType !== null;
          // Only active descriptors are receive or change (`IsInternalScriptPubKeyMan`).
          if (manager.row.activeType !== null) entry.internal = manager.row.internal;
          if (manager.isRange) {
            entry.range = [manager.row.rangeStart, manager.row.rangeEnd - 1];
            entry.next = manager.row.nextIndex;
            entry.next_index = manager.row.nextIndex;
          }
          return entry;
        });
        entries.sort((
          a,
          b,
        ) => (String(a.desc) < String(b.desc) ? -1 : String(a.desc) > String(b.desc) ? 1 : 0));
        return { wallet_name: wallet.name, descriptors: entries };
      }),
  };
}

/** The import and rescan methods. */
export function importMethods(): Method[] {
  return [rescanBlockchain(), abortRescan(), importDescriptors(), listDescriptors()];
}
