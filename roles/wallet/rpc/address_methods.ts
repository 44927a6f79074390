/**
 * Wallet RPCs about addresses and labels (`src/wallet/rpc/addresses.cpp`): getnewaddress,
 * getrawchangeaddress, getaddressinfo, setlabel, listlabels, getaddressesbylabel,
 * keypoolrefill.
 *
 * @module
 */
import {
  decodeDestination,
  describeDestination,
  type Destination,
  encodeDestination,
  extractDestination,
  isValidDestination,
  type OutputType,
  parseOutputType,
  scriptForDestination,
} from "../../../kernel/address/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { ripemd160 } from "../../../kernel/hash/mod.ts";
import { writeHDKeypath } from "../../../kernel/keys/mod.ts";
import { solveScript } from "../../../kernel/script/mod.ts";
import {
  getInt,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import type { DescriptorManager } from "../descriptor_manager.ts";
import type { Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { amount, ensureUnlocked, parseLabel, withWallet } from "./_util.ts";
import { isImmatureCoinBase, isTrusted } from "../balances.ts";
import { outputKey } from "../wallet_tx.ts";

type Method = RpcMethod<WalletLoaderService>;

function parseAddressType(text: string): OutputType {
  const type = parseOutputType(text);
  if (type === null) {
    throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Unknown address type '${text}'`);
  }
  return type;
}

/** A new address of `type` from the active descriptor; -4/-12 errors as freicoind. */
export function newAddress(wallet: Wallet, type: OutputType, internal: boolean): string {
  if (!wallet.activeManager(type, internal)) {
    throw new RpcError(RPC_ERROR.WALLET_ERROR, "Error: This wallet has no available keys");
  }
  const script = wallet.getNewScript(type, internal);
  if (typeof script === "string") throw new RpcError(RPC_ERROR.WALLET_KEYPOOL_RAN_OUT, script);
  return encodeDestination(extractDestination(script), wallet.options.prefixes);
}

function getNewAddress(): Method {
  return {
    name: "getnewaddress",
    category: "wallet",
    description: "Returns a new Freicoin address for receiving payments.\n" +
      "If 'label' is specified, it is added to the address book \n" +
      "so payments received with the address will be associated with 'label'.",
    args: [
      {
        names: "label",
        type: "str",
        default: "",
        description:
          'The label name for the address to be linked to. It can also be set to the empty string "" to represent the default label. The label does not need to exist, it will be created if there is no label by the given name.',
      },
      {
        names: "address_type",
        type: "str",
        defaultHint: "set by -addresstype",
        description: 'The address type to use. Options are "legacy" and "bech32".',
      },
    ],
    results: [{ type: "str", key: "address", description: "The new freicoin address" }],
    examples: helpExampleCli("getnewaddress", "") + helpExampleRpc("getnewaddress", ""),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const label = parseLabel(call.arg(0));
        const typeArg = call.maybeArg(1);
        const type = typeArg === undefined
          ? wallet.options.addressType
          : parseAddressType(String(typeArg));
        const address = newAddress(wallet, type, false);
        wallet.setAddressBook(address, label, "receive");
        return address;
      }),
  };
}

function getRawChangeAddress(): Method {
  return {
    name: "getrawchangeaddress",
    category: "wallet",
    description: "Returns a new Freicoin address, for receiving change.\n" +
      "This is for use with raw transactions, NOT normal use.",
    args: [
      {
        names: "address_type",
        type: "str",
        defaultHint: "set by -changetype",
        description: 'The address type to use. Options are "legacy" and "bech32".',
      },
    ],
    results: [{ type: "str", key: "address", description: "The address" }],
    examples: helpExampleCli("getrawchangeaddress", "") + helpExampleRpc("getrawchangeaddress", ""),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const typeArg = call.maybeArg(0);
        const type = typeArg === undefined
          ? wallet.options.changeType ?? wallet.options.addressType
          : parseAddressType(String(typeArg));
        return newAddress(wallet, type, true);
      }),
  };
}

/** The wallet's view of a script (`DescribeWalletAddressVisitor`). */
function describeWalletScript(
  wallet: Wallet,
  manager: DescriptorManager | undefined,
  dest: Destination,
  outerData: ReturnType<DescriptorManager["signingData"]> = null,
): JsonObject {
  const out: JsonObject = {};
  const position = manager?.scripts.get(bytesToHex(scriptForDestination(dest)));
  // An embedded script is described with its outer script's keys, as freicoind's provider does.
  const data = (manager && position !== undefined ? manager.signingData(position) : null) ??
    outerData;
  const describeSub = (subscript: Uint8Array, target: JsonObject) => {
    const solved = solveScript(subscript);
    target.script = solved.type;
    target.hex = bytesToHex(subscript);
    const embedded = extractDestination(subscript);
    if (isValidDestination(embedded) || solved.type === "pubkey") {
      const sub: JsonObject = { ...describeDestination(embedded) };
      Object.assign(sub, describeWalletScript(wallet, manager, embedded, data));
      if (solved.type !== "pubkey") {
        sub.address = encodeDestination(embedded, wallet.options.prefixes);
      }
      sub.scriptPubKey = bytesToHex(subscript);
      if (sub.pubkey !== undefined) target.pubkey = sub.pubkey;
      target.embedded = sub;
    }
  };
  switch (dest.kind) {
    case "PubKeyDestination":
      out.pubkey = bytesToHex(dest.pubkey);
      out.iscompressed = dest.pubkey.length === 33;
      break;
    case "PKHash": {
      const pubkey = data?.pubkeys.get(bytesToHex(dest.hash));
      if (pubkey) {
        out.pubkey = bytesToHex(pubkey);
        out.iscompressed = pubkey.length === 33;
      }
      break;
    }
    case "ScriptHash": {
      const script = data?.scripts.get(bytesToHex(dest.hash));
      if (script) describeSub(script, out);
      break;
    }
    case "WitnessV0ShortHash":
    case "WitnessV0LongHash": {
      const key = dest.kind === "WitnessV0ShortHash"
        ? bytesToHex(dest.hash)
        : bytesToHex(ripemd160(dest.hash)); // a short hash is RIPEMD160 of the long one
      const entry = data?.witnessScripts.get(key);
      if (entry && entry.length > 0) {
        out.witscript_version = entry[0];
        if (entry[0] === 0) {
          out.witness_branch = [];
          out.witness_path = 0;
          describeSub(entry.slice(1), out);
        }
      }
      break;
    }
  }
  return out;
}

/** getaddressinfo's answer for an address. */
export function addressInfo(wallet: Wallet, address: string): JsonObject {
  const decoded = decodeDestination(address, wallet.options.prefixes);
  if (!decoded.ok || !isValidDestination(decoded.destination)) {
    const message = !decoded.ok && decoded.error !== "" ? decoded.error : "Invalid address";
    throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, message);
  }
  const dest = decoded.destination;
  const script = scriptForDestination(dest);
  const current = encodeDestination(dest, wallet.options.prefixes);
  const manager = wallet.ownerOf(script);
  const out: JsonObject = { address: current, scriptPubKey: bytesToHex(script) };
  out.ismine = manager !== undefined;
  const inferred = manager?.inferFor(script) ?? null;
  const solvable = inferred !== null && inferred.isSolvable;
  out.solvable = solvable;
  if (inferred !== null && solvable) out.desc = inferred.toString();
  if (manager) out.parent_desc = manager.publicString();
  out.iswatchonly = false;
  Object.assign(out, describeDestination(dest));
  Object.assign(out, describeWalletScript(wallet, manager, dest));
  out.ischange = wallet.isChange(script);
  if (manager) {
    out.timestamp = manager.row.created;
    const position = manager.scripts.get(bytesToHex(script))!;
    const data = manager.signingData(position);
    const origins = data ? [...data.origins.values()] : [];
    if (origins.length === 1) {
      out.hdkeypath = writeHDKeypath(origins[0].path);
      out.hdseedid = "0000000000000000000000000000000000000000";
      out.hdmasterfingerprint = bytesToHex(origins[0].fingerprint);
    }
  }
  const entry = wallet.addressBook.get(current);
  out.labels = entry ? [entry.label] : [];
  return out;
}

function getAddressInfo(): Method {
  return {
    name: "getaddressinfo",
    category: "wallet",
    description:
      "\nReturn information about the given freicoin address.\nSome of the information will only be present if the address is in the active wallet.\n",
    args: [{
      names: "address",
      type: "str",
      description: "The freicoin address for which to get information.",
    }],
    results: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    examples: helpExampleCli("getaddressinfo", '"fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau"'),
    handler: (call) => withWallet(call, (wallet) => addressInfo(wallet, String(call.arg(0)))),
  };
}

function setLabel(): Method {
  return {
    name: "setlabel",
    category: "wallet",
    description: "Sets the label associated with the given address.",
    args: [
      {
        names: "address",
        type: "str",
        description: "The freicoin address to be associated with a label.",
      },
      { names: "label", type: "str", description: "The label to assign to the address." },
    ],
    results: [{ type: "none" }],
    examples: helpExampleCli("setlabel", '"fcrt1q..." "tabby"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const decoded = decodeDestination(String(call.arg(0)), wallet.options.prefixes);
        if (!decoded.ok) {
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Invalid Freicoin address");
        }
        const label = parseLabel(call.arg(1));
        const script = scriptForDestination(decoded.destination);
        const address = encodeDestination(decoded.destination, wallet.options.prefixes);
        wallet.setAddressBook(address, label, wallet.isMine(script) ? "receive" : "send");
        return null;
      }),
  };
}

function listLabels(): Method {
  return {
    name: "listlabels",
    category: "wallet",
    description:
      "Returns the list of all labels, or labels that are assigned to addresses with a specific purpose.",
    args: [
      {
        names: "purpose",
        type: "str",
        optional: true,
        description:
          "Address purpose to list labels for ('send','receive'). An empty string is the same as not providing this argument.",
      },
    ],
    results: [{ type: "arr", inner: [{ type: "str", key: "label", description: "Label name" }] }],
    examples: helpExampleCli("listlabels", ""),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const purpose = call.maybeArg(0) === undefined ? "" : getStr(call.arg(0));
        if (purpose !== "" && !["send", "receive", "refund"].includes(purpose)) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Invalid 'purpose' argument, must be a known purpose string, typically 'send', or 'receive'.",
          );
        }
        const labels = new Set<string>();
        for (const entry of wallet.addressBook.values()) {
          if (purpose === "" || entry.purpose === purpose) labels.add(entry.label);
        }
        return [...labels].sort();
      }),
  };
}

function getAddressesByLabel(): Method {
  return {
    name: "getaddressesbylabel",
    category: "wallet",
    description: "Returns the list of addresses assigned the specified label.",
    args: [{ names: "label", type: "str", description: "The label." }],
    results: [{
      type: "obj_dyn",
      inner: [{ type: "obj", key: "address", inner: [{ type: "str", key: "purpose" }] }],
    }],
    examples: helpExampleCli("getaddressesbylabel", '"tabby"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const label = parseLabel(call.arg(0));
        const out: JsonObject = {};
        const addresses = [...wallet.addressBook.entries()].filter(([, e]) => e.label === label);
        addresses.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        for (const [address, entry] of addresses) out[address] = { purpose: entry.purpose };
        if (addresses.length === 0) {
          throw new RpcError(
            RPC_ERROR.WALLET_INVALID_LABEL_NAME,
            `No addresses with label ${label}`,
          );
        }
        return out;
      }),
  };
}

function keypoolRefill(): Method {
  return {
    name: "keypoolrefill",
    category: "wallet",
    description: "Fills the keypool.",
    args: [
      {
        names: "newsize",
        type: "num",
        defaultHint: "1000, or as set by -keypool",
        description: "The new keypool size",
      },
    ],
    results: [{ type: "none" }],
    examples: helpExampleCli("keypoolrefill", ""),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const arg = call.maybeArg(0);
        let size = wallet.options.keypool;
        if (arg !== undefined) {
          size = getInt(arg as JsonValue);
          if (size < 0) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Invalid parameter, expected valid size.",
            );
          }
        }
        // Hardened ranges need the keys (`EnsureWalletIsUnlocked`).
        ensureUnlocked(wallet);
        wallet.keypoolRefill(Math.max(size, 1));
        return null;
      }),
  };
}

/** CTxDestination's variant order, for sorting as `std::set<CTxDestination>` does. */
const DESTINATION_ORDER = [
  "NoDestination",
  "PubKeyDestination",
  "PKHash",
  "ScriptHash",
  "WitnessV0LongHash",
  "WitnessV0ShortHash",
  "WitnessUnknown",
];

function destinationKey(dest: Destination): string {
  const index = DESTINATION_ORDER.indexOf(dest.kind);
  const body = "hash" in dest
    ? bytesToHex(dest.hash)
    : "program" in dest
    ? dest.version.toString(16).padStart(2, "0") + bytesToHex(dest.program)
    : "pubkey" in dest
    ? bytesToHex(dest.pubkey)
    : "";
  return `${index}:${body}`;
}

/** Groups of addresses seen together as inputs or as inputs and change (`GetAddressGroupings`). */
function addressGroupings(wallet: Wallet): Destination[][] {
  const groups: Map<string, Destination>[] = [];
  const keyed = (dests: Destination[]) => new Map(dests.map((d) => [destinationKey(d), d]));
  for (const wtx of wallet.txs.values()) {
    if (!wtx.tx.isCoinBase()) {
      const grouping: Destination[] = [];
      let anyMine = false;
      for (const input of wtx.tx.inputs) {
        const prev = wallet.prevOutput(input.prevout);
        if (!prev) continue;
        const script = prev.wtx.tx.outputs[prev.n].scriptPubKey;
        if (!wallet.isMine(script)) continue;
        const dest = extractDestination(script);
        if (isValidDestination(dest)) grouping.push(dest);
        anyMine = true;
      }
      if (anyMine) {
        for (const output of wtx.tx.outputs) {
          if (!wallet.isMine(output.scriptPubKey) || !wallet.isChange(output.scriptPubKey)) {
            continue;
          }
          const dest = extractDestination(output.scriptPubKey);
          if (isValidDestination(dest)) grouping.push(dest);
        }
      }
      if (grouping.length > 0) groups.push(keyed(grouping));
    }
    for (const output of wtx.tx.outputs) {
      if (!wallet.isMine(output.scriptPubKey)) continue;
      const dest = extractDestination(output.scriptPubKey);
      if (isValidDestination(dest)) groups.push(keyed([dest]));
    }
  }
  // Merge groups sharing an address.
  const merged: Map<string, Destination>[] = [];
  const owner = new Map<string, Map<string, Destination>>();
  for (const group of groups) {
    const hits = new Set<Map<string, Destination>>();
    for (const key of group.keys()) {
      const hit = owner.get(key);
      if (hit) hits.add(hit);
    }
    const union = new Map(group);
    for (const hit of hits) {
      for (const [key, dest] of hit) union.set(key, dest);
      merged.splice(merged.indexOf(hit), 1);
    }
    merged.push(union);
    for (const key of union.keys()) owner.set(key, union);
  }
  const sorted = merged.map((group) =>
    [...group.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d)
  );
  const firstKey = (group: Destination[]) => group.map(destinationKey).join(",");
  return sorted.sort((
    a,
    b,
  ) => (firstKey(a) < firstKey(b) ? -1 : firstKey(a) > firstKey(b) ? 1 : 0));
}

/** Unspent reference value per address of trusted, mature transactions (`GetAddressBalances`). */
function addressBalances(wallet: Wallet): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  const trustedParents = new Set<string>();
  for (const wtx of wallet.txs.values()) {
    if (!isTrusted(wallet, wtx, trustedParents) || isImmatureCoinBase(wallet, wtx)) continue;
    if (wallet.depth(wtx) < (wallet.debit(wtx.tx) > 0n ? 0 : 1)) continue;
    wtx.tx.outputs.forEach((output, n) => {
      if (!wallet.isMine(output.scriptPubKey)) return;
      const dest = extractDestination(output.scriptPubKey);
      if (!isValidDestination(dest)) return;
      const key = destinationKey(dest);
      const value = wallet.isSpent(outputKey(wtx.tx, n)) ? 0n : output.value;
      balances.set(key, (balances.get(key) ?? 0n) + value);
    });
  }
  return balances;
}

function listAddressGroupings(): Method {
  return {
    name: "listaddressgroupings",
    category: "wallet",
    description:
      "\nLists groups of addresses which have had their common ownership\nmade public by common use as inputs or as the resulting change\nin past transactions\n",
    args: [],
    results: [{
      type: "arr",
      inner: [{
        type: "arr",
        inner: [{
          type: "arr_fixed",
          inner: [{ type: "str", description: "The freicoin address" }, {
            type: "str_amount",
            description: "The amount in FRC",
          }, { type: "str", optional: true, description: "The label" }],
        }],
      }],
    }],
    examples: helpExampleCli("listaddressgroupings", "") +
      helpExampleRpc("listaddressgroupings", ""),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const balances = addressBalances(wallet);
        return addressGroupings(wallet).map((group) =>
          group.map((dest) => {
            const address = encodeDestination(dest, wallet.options.prefixes);
            const entry: JsonValue[] = [address, amount(balances.get(destinationKey(dest)) ?? 0n)];
            const book = wallet.addressBook.get(address);
            if (book) entry.push(book.label);
            return entry;
          })
        );
      }),
  };
}

/** The address methods. */
export function addressMethods(): Method[] {
  return [
    getNewAddress(),
    getRawChangeAddress(),
    getAddressInfo(),
    setLabel(),
    listLabels(),
    getAddressesByLabel(),
    keypoolRefill(),
    listAddressGroupings(),
  ];
}
