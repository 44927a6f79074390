/**
 * Wallet RPCs about coins and balances (`src/wallet/rpc/coins.cpp`, `transactions.cpp`):
 * getbalance, getbalances, getunconfirmedbalance, listunspent (with `atheight`, `value`,
 * `amount`, `refheight`), lockunspent, listlockunspent, getreceivedbyaddress,
 * getreceivedbylabel, listreceivedbyaddress, listreceivedbylabel.
 *
 * @module
 */
import type { TxAncestry } from "../../../schemas/mod.ts";
import {
  decodeDestination,
  encodeDestination,
  extractDestination,
  isValidDestination,
  scriptForDestination,
} from "../../../kernel/address/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { OutPoint } from "../../../kernel/primitives/mod.ts";
import {
  amountFromJson,
  getArray,
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
import { availableCoins, getBalance, isImmatureCoinBase } from "../balances.ts";
import type { Wallet } from "../wallet.ts";
import { hashHex } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { outpointKey } from "../wallet_tx.ts";
import { amount, lastProcessedBlock, parseHash, parseLabel, withWallet } from "./_util.ts";

type Method = RpcMethod<WalletLoaderService>;

function getBalanceMethod(): Method {
  return {
    name: "getbalance",
    category: "wallet",
    description:
      "\nReturns the total available balance.\nThe available balance is what the wallet considers currently spendable, and is\nthus affected by options which limit spendability such as -spendzeroconfchange.\n",
    args: [
      {
        names: "dummy",
        type: "str",
        optional: true,
        description: 'Remains for backward compatibility. Must be excluded or set to "*".',
      },
      {
        names: "minconf",
        type: "num",
        default: 0,
        description: "Only include transactions confirmed at least this many times.",
      },
      {
        names: "include_watchonly",
        type: "bool",
        defaultHint: "true for watch-only wallets, otherwise false",
        description: "Also include balance in watch-only addresses (see 'importaddress')",
      },
      {
        names: "avoid_reuse",
        type: "bool",
        default: true,
        description:
          "(only available if avoid_reuse wallet flag is set) Do not include balance in dirty outputs; addresses are considered dirty if they have previously been used in a transaction.",
      },
    ],
    results: [{
      type: "str_amount",
      key: "amount",
      description: "The total amount in FRC received for this wallet.",
    }],
    examples: helpExampleCli("getbalance", "") + helpExampleRpc("getbalance", '"*", 6'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const dummy = call.maybeArg(0);
        if (dummy !== undefined && dummy !== "*") {
          throw new RpcError(
            RPC_ERROR.METHOD_DEPRECATED,
            'dummy first argument must be excluded or set to "*".',
          );
        }
        const minDepth = getInt(call.arg(1));
        return amount(getBalance(wallet, minDepth).trusted);
      }),
  };
}

function getBalancesMethod(): Method {
  return {
    name: "getbalances",
    category: "wallet",
    description: "Returns an object with all balances in FRC.\n",
    args: [],
    results: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    examples: helpExampleCli("getbalances", "") + helpExampleRpc("getbalances", ""),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const balance = getBalance(wallet, 0);
        return {
          mine: {
            trusted: amount(balance.trusted),
            untrusted_pending: amount(balance.untrustedPending),
            immature: amount(balance.immature),
          },
          lastprocessedblock: lastProcessedBlock(wallet),
        };
      }),
  };
}

function getUnconfirmedBalance(): Method {
  return {
    name: "getunconfirmedbalance",
    category: "wallet",
    description: "DEPRECATED\nIdentical to getbalances().mine.untrusted_pending\n",
    args: [],
    results: [{ type: "num", description: "The balance" }],
    examples: "",
    handler: (call) => withWallet(call, (wallet) => amount(getBalance(wallet, 0).untrustedPending)),
  };
}

/** listunspent's entry for a coin. */
function unspentEntry(
  wallet: Wallet,
  coin: ReturnType<typeof availableCoins>[number],
  ancestry: ReadonlyMap<string, TxAncestry>,
): JsonObject {
  const script = coin.output.scriptPubKey;
  const entry: JsonObject = { txid: coin.wtx.txidHex, vout: coin.outpoint.n };
  const dest = extractDestination(script);
  const manager = wallet.ownerOf(script);
  if (isValidDestination(dest)) {
    const address = encodeDestination(dest, wallet.options.prefixes);
    entry.address = address;
    const book = wallet.addressBook.get(address);
    if (book) entry.label = book.label;
    const position = manager?.scripts.get(bytesToHex(script));
    const data = manager && position !== undefined ? manager.signingData(position) : null;
    if (data) {
      if (dest.kind === "ScriptHash") {
        const redeem = data.scripts.get(bytesToHex(dest.hash));
        if (redeem) entry.redeemScript = bytesToHex(redeem);
      } else if (dest.kind === "WitnessV0ShortHash") {
        const witness = data.witnessScripts.get(bytesToHex(dest.hash));
        if (witness) entry.witnessScript = bytesToHex(witness);
      }
    }
  }
  entry.scriptPubKey = bytesToHex(script);
  entry.value = amount(coin.output.value);
  entry.amount = amount(coin.amount);
  entry.refheight = coin.refheight;
  entry.confirmations = coin.depth;
  // Unconfirmed: its place in the node's mempool, when it is there.
  const family = coin.depth === 0 ? ancestry.get(coin.wtx.txidHex) : undefined;
  if (family !== undefined && family.ancestors > 0) {
    entry.ancestorcount = family.ancestors;
    entry.ancestorsize = family.ancestorSize;
    entry.ancestorfees = Number(family.ancestorFees);
  }
  entry.spendable = coin.spendable;
  entry.solvable = coin.solvable;
  const inferred = manager?.inferredString(script);
  if (inferred) entry.desc = inferred;
  entry.parent_descs = wallet.ownersOf(script).map((m) => m.publicString());
  entry.safe = coin.safe;
  return entry;
}

function listUnspent(): Method {
  return {
    name: "listunspent",
    category: "wallet",
    description:
      "\nReturns array of unspent transaction outputs\nwith between minconf and maxconf (inclusive) confirmations.\nOptionally filter to only include txouts paid to specified addresses.\n",
    args: [
      {
        names: "minconf",
        type: "num",
        default: 1,
        description: "The minimum confirmations to filter",
      },
      {
        names: "maxconf",
        type: "num",
        default: 9999999,
        description: "The maximum confirmations to filter",
      },
      {
        names: "addresses",
        type: "arr",
        default: [],
        description: "The freicoin addresses to filter",
        inner: [{ names: "address", type: "str", optional: true, description: "freicoin address" }],
      },
      {
        names: "include_unsafe",
        type: "bool",
        default: true,
        description:
          'Include outputs that are not safe to spend\nSee description of "safe" attribute below.',
      },
      {
        names: "query_options",
        type: "obj_named_params",
        optional: true,
        onelineDescription: "query_options",
        description: "",
        inner: [
          {
            names: "minimumAmount",
            type: "amount",
            default: 0,
            description: "Minimum value of each UTXO in FRC",
          },
          {
            names: "maximumAmount",
            type: "amount",
            defaultHint: "unlimited",
            description: "Maximum value of each UTXO in FRC",
          },
          {
            names: "maximumCount",
            type: "num",
            defaultHint: "unlimited",
            description: "Maximum number of UTXOs",
          },
          {
            names: "minimumSumAmount",
            type: "amount",
            defaultHint: "unlimited",
            description: "Minimum sum value of all UTXOs in FRC",
          },
          {
            names: "include_immature_coinbase",
            type: "bool",
            default: false,
            description: "Include immature coinbase UTXOs",
          },
          {
            names: "atheight",
            type: "num",
            defaultHint: "next block height",
            description: "Reference height for time-value adjustments and output availability",
          },
        ],
      },
    ],
    results: [{
      type: "arr",
      inner: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    }],
    examples: helpExampleCli("listunspent", "") +
      helpExampleCli("listunspent", '6 9999999 "[\\"fcrt1q...\\"]"'),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const minDepth = getInt(call.arg(0));
        const maxDepth = getInt(call.arg(1));
        const scripts = new Set<string>();
        const seen = new Set<string>();
        for (const item of getArray(call.arg(2))) {
          const text = getStr(item);
          const decoded = decodeDestination(text, wallet.options.prefixes);
          if (!decoded.ok) {
            throw new RpcError(
              RPC_ERROR.INVALID_ADDRESS_OR_KEY,
              `Invalid Freicoin address: ${text}`,
            );
          }
          if (seen.has(text)) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              `Invalid parameter, duplicated address: ${text}`,
            );
          }
          seen.add(text);
          scripts.add(bytesToHex(scriptForDestination(decoded.destination)));
        }
        const includeUnsafe = getBool(call.arg(3));
        let atHeight = wallet.tipHeight + 1;
        let minimumAmount = 0n;
        let maximumAmount: bigint | undefined;
        let maximumCount: number | undefined;
        let minimumSum: bigint | undefined;
        let includeImmature = false;
        const options = call.maybeArg(4);
        if (options !== undefined) {
          const o = getObject(options);
          if (o.minimumAmount !== undefined) minimumAmount = amountFromJson(o.minimumAmount);
          if (o.maximumAmount !== undefined) maximumAmount = amountFromJson(o.maximumAmount);
          if (o.minimumSumAmount !== undefined) minimumSum = amountFromJson(o.minimumSumAmount);
          if (o.maximumCount !== undefined) maximumCount = getInt(o.maximumCount);
          if (o.include_immature_coinbase !== undefined) {
            includeImmature = getBool(o.include_immature_coinbase);
          }
          if (o.atheight !== undefined) atHeight = getInt(o.atheight);
        }
        const coins = availableCoins(wallet, {
          atHeight,
          minDepth,
          maxDepth,
          includeUnsafe,
          scripts: scripts.size > 0 ? scripts : undefined,
          includeLocked: false,
          minimumAmount,
          maximumAmount,
          includeImmatureCoinbase: includeImmature,
        });
        const unconfirmed = [
          ...new Map(coins.filter((c) => c.depth === 0).map((c) => [c.wtx.txidHex, c.wtx.tx.txid]))
            .entries(),
        ];
        const families = unconfirmed.length === 0
          ? []
          : await wallet.options.chain.getTransactionAncestry(unconfirmed.map(([, txid]) => txid));
        const ancestry = new Map(unconfirmed.map(([hex], i) => [hex, families[i]]));
        const results: JsonValue[] = [];
        let sum = 0n;
        for (const coin of coins) {
          if (maximumCount !== undefined && maximumCount > 0 && results.length >= maximumCount) {
            break;
          }
          if (minimumSum !== undefined && sum >= minimumSum) break;
          results.push(unspentEntry(wallet, coin, ancestry));
          sum += coin.amount;
        }
        return results;
      }),
  };
}

function lockUnspent(): Method {
  return {
    name: "lockunspent",
    category: "wallet",
    description:
      "\nUpdates list of temporarily unspendable outputs.\nTemporarily lock (unlock=false) or unlock (unlock=true) specified transaction outputs.\nIf no transaction outputs are specified when unlocking then all current locked transaction outputs are unlocked.\nA locked transaction output will not be chosen by automatic coin selection, when spending freicoins.\nManually selected coins are automatically unlocked.\nLocks are stored in memory only, unless persistent=true, in which case they will be written to the\nwallet database and loaded on node start. Unwritten (persistent=false) locks are always cleared\n(by virtue of process exit) when a node stops or fails. Unlocking will clear both persistent and not.\nAlso see the listunspent call\n",
    args: [
      {
        names: "unlock",
        type: "bool",
        description: "Whether to unlock (true) or lock (false) the specified transactions",
      },
      {
        names: "transactions",
        type: "arr",
        default: [],
        description: "The transaction outputs and within each, the txid (string) vout (numeric).",
        inner: [
          {
            names: "",
            type: "obj",
            optional: true,
            description: "",
            inner: [
              { names: "txid", type: "str_hex", description: "The transaction id" },
              { names: "vout", type: "num", description: "The output number" },
            ],
          },
        ],
      },
      {
        names: "persistent",
        type: "bool",
        default: false,
        description:
          "Whether to write/erase this lock in the wallet database, or keep the change in memory only. Ignored for unlocking.",
      },
    ],
    results: [{ type: "bool", description: "Whether the command was successful or not" }],
    examples: helpExampleCli("lockunspent", 'false "[{\\"txid\\":\\"a08e...\\",\\"vout\\":1}]"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const unlock = getBool(call.arg(0));
        const persistent = getBool(call.arg(2));
        if (call.maybeArg(1) === undefined) {
          if (unlock) {
            for (const key of [...wallet.lockedCoins]) {
              const [hash, n] = key.split(":");
              wallet.setCoinLock(new OutPoint(hexBytes(hash), Number(n)), false, false);
            }
          }
          return true;
        }
        const outpoints: OutPoint[] = [];
        for (const item of getArray(call.arg(1))) {
          const o = getObject(item);
          if (typeof o.txid !== "string") {
            throw new RpcError(
              RPC_ERROR.TYPE_ERROR,
              `JSON value of type ${
                o.txid === undefined ? "null" : typeof o.txid
              } for field txid is not of expected type string`,
            );
          }
          const txid = parseHash(o.txid, "txid");
          const n = getInt(o.vout);
          if (n < 0) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Invalid parameter, vout cannot be negative",
            );
          }
          const outpoint = new OutPoint(txid, n);
          const wtx = wallet.txs.get(hashHex(txid));
          if (!wtx) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Invalid parameter, unknown transaction",
            );
          }
          if (n >= wtx.tx.outputs.length) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Invalid parameter, vout index out of bounds",
            );
          }
          const key = outpointKey(outpoint);
          if (wallet.isSpent(key)) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Invalid parameter, expected unspent output",
            );
          }
          const locked = wallet.lockedCoins.has(key);
          if (unlock && !locked) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Invalid parameter, expected locked output",
            );
          }
          if (!unlock && locked && !persistent) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Invalid parameter, output already locked",
            );
          }
          outpoints.push(outpoint);
        }
        wallet.db.transaction(() => {
          for (const outpoint of outpoints) wallet.setCoinLock(outpoint, !unlock, persistent);
        });
        return true;
      }),
  };
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function listLockUnspent(): Method {
  return {
    name: "listlockunspent",
    category: "wallet",
    description:
      "\nReturns list of temporarily unspendable outputs.\nSee the lockunspent call to lock and unlock transactions for spending.\n",
    args: [],
    results: [{
      type: "arr",
      inner: [{
        type: "obj",
        inner: [{ type: "str_hex", key: "txid" }, { type: "num", key: "vout" }],
      }],
    }],
    examples: helpExampleCli("listlockunspent", "") + helpExampleRpc("listlockunspent", ""),
    handler: (call) =>
      withWallet(call, (wallet) =>
        [...wallet.lockedCoins].map((key) => {
          const [hash, n] = key.split(":");
          return { txid: hashHex(hexBytes(hash)), vout: Number(n) };
        })),
  };
}

/** Total reference value received by scripts (`GetReceived`). */
function received(
  wallet: Wallet,
  scripts: Set<string>,
  minDepth: number,
  includeImmature: boolean,
): bigint {
  let total = 0n;
  for (const wtx of wallet.txs.values()) {
    const depth = wallet.depth(wtx);
    if (depth < minDepth || (wtx.tx.isCoinBase() && depth < 1)) continue;
    if (isImmatureCoinBase(wallet, wtx) && !includeImmature) continue;
    for (const output of wtx.tx.outputs) {
      if (scripts.has(bytesToHex(output.scriptPubKey))) total += output.value;
    }
  }
  return total;
}

function getReceived(byLabel: boolean): Method {
  const name = byLabel ? "getreceivedbylabel" : "getreceivedbyaddress";
  return {
    name,
    category: "wallet",
    description: byLabel
      ? "\nReturns the total amount received by addresses with <label> in transactions with at least [minconf] confirmations.\n"
      : "\nReturns the total amount received by the given address in transactions with at least minconf confirmations.\n",
    args: [
      byLabel
        ? {
          names: "label",
          type: "str",
          description: 'The selected label, may be the default label using "".',
        }
        : { names: "address", type: "str", description: "The freicoin address for transactions." },
      {
        names: "minconf",
        type: "num",
        default: 1,
        description: "Only include transactions confirmed at least this many times.",
      },
      {
        names: "include_immature_coinbase",
        type: "bool",
        default: false,
        description: "Include immature coinbase transactions.",
      },
    ],
    results: [{
      type: "str_amount",
      key: "amount",
      description: byLabel
        ? "The total amount in FRC received for this label."
        : "The total amount in FRC received at this address.",
    }],
    examples: helpExampleCli(name, '""'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const scripts = new Set<string>();
        if (byLabel) {
          const label = parseLabel(call.arg(0));
          let found = false;
          for (const [address, entry] of wallet.addressBook) {
            if (entry.label !== label) continue;
            found = true;
            const decoded = decodeDestination(address, wallet.options.prefixes);
            if (decoded.ok) scripts.add(bytesToHex(scriptForDestination(decoded.destination)));
          }
          if (!found) throw new RpcError(RPC_ERROR.WALLET_ERROR, "Label not found in wallet");
        } else {
          const decoded = decodeDestination(getStr(call.arg(0)), wallet.options.prefixes);
          if (!decoded.ok || !isValidDestination(decoded.destination)) {
            throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Invalid Freicoin address");
          }
          scripts.add(bytesToHex(scriptForDestination(decoded.destination)));
        }
        for (const script of [...scripts]) {
          if (!wallet.isMine(hexBytes(script))) scripts.delete(script);
        }
        if (scripts.size === 0) {
          throw new RpcError(RPC_ERROR.WALLET_ERROR, "Address not found in wallet");
        }
        return amount(received(wallet, scripts, getInt(call.arg(1)), getBool(call.arg(2))));
      }),
  };
}

interface Tally {
  amount: bigint;
  confirmations: number;
  txids: string[];
}

function listReceived(byLabel: boolean): Method {
  const name = byLabel ? "listreceivedbylabel" : "listreceivedbyaddress";
  const args = [
    {
      names: "minconf",
      type: "num" as const,
      default: 1,
      description: "The minimum number of confirmations before payments are included.",
    },
    {
      names: "include_empty",
      type: "bool" as const,
      default: false,
      description: byLabel
        ? "Whether to include labels that haven't received any payments."
        : "Whether to include addresses that haven't received any payments.",
    },
    {
      names: "include_watchonly",
      type: "bool" as const,
      defaultHint: "true for watch-only wallets, otherwise false",
      description: "Whether to include watch-only addresses (see 'importaddress')",
    },
  ];
  const fullArgs = byLabel
    ? [...args, {
      names: "include_immature_coinbase",
      type: "bool" as const,
      default: false,
      description: "Include immature coinbase transactions.",
    }]
    : [
      ...args,
      {
        names: "address_filter",
        type: "str" as const,
        optional: true,
        description: "If present and non-empty, only return information on this address.",
      },
      {
        names: "include_immature_coinbase",
        type: "bool" as const,
        default: false,
        description: "Include immature coinbase transactions.",
      },
    ];
  return {
    name,
    category: "wallet",
    description: byLabel
      ? "\nList received transactions by label.\n"
      : "\nList balances by receiving address.\n",
    args: fullArgs,
    results: [{
      type: "arr",
      inner: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    }],
    examples: helpExampleCli(name, "") + helpExampleCli(name, "6 true"),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const minDepth = getInt(call.arg(0));
        const includeEmpty = getBool(call.arg(1));
        const includeImmature = getBool(call.arg(byLabel ? 3 : 4));
        let filter: string | undefined;
        if (!byLabel) {
          const text = call.maybeArg(3);
          if (text !== undefined && getStr(text) !== "") {
            const decoded = decodeDestination(getStr(text), wallet.options.prefixes);
            if (!decoded.ok) {
              throw new RpcError(RPC_ERROR.WALLET_ERROR, "address_filter parameter was invalid");
            }
            filter = encodeDestination(decoded.destination, wallet.options.prefixes);
          }
        }
        const tally = new Map<string, Tally>();
        const ordered = [...wallet.txs.values()].sort((a, b) => a.orderPos - b.orderPos);
        for (const wtx of ordered) {
          const depth = wallet.depth(wtx);
          if (depth < minDepth) continue;
          if (
            (wtx.tx.isCoinBase() && depth < 1) ||
            (isImmatureCoinBase(wallet, wtx) && !includeImmature)
          ) continue;
          for (const output of wtx.tx.outputs) {
            const dest = extractDestination(output.scriptPubKey);
            if (!isValidDestination(dest) || !wallet.isMine(output.scriptPubKey)) continue;
            const address = encodeDestination(dest, wallet.options.prefixes);
            if (filter !== undefined && address !== filter) continue;
            let item = tally.get(address);
            if (!item) {
              tally.set(
                address,
                item = { amount: 0n, confirmations: Number.MAX_SAFE_INTEGER, txids: [] },
              );
            }
            item.amount += output.value;
            item.confirmations = Math.min(item.confirmations, depth);
            item.txids.push(wtx.txidHex);
          }
        }
        const results: JsonValue[] = [];
        const labelTally = new Map<string, { amount: bigint; confirmations: number }>();
        const entries = [...wallet.addressBook.entries()].sort((
          [a],
          [b],
        ) => (a < b ? -1 : a > b ? 1 : 0));
        for (const [address, book] of entries) {
          if (filter !== undefined && address !== filter) continue;
          const decoded = decodeDestination(address, wallet.options.prefixes);
          if (!decoded.ok) continue;
          const script = scriptForDestination(decoded.destination);
          if (wallet.ownerOf(script)?.row.internal) continue;
          const item = tally.get(address);
          if (!item && !includeEmpty) continue;
          const amountValue = item?.amount ?? 0n;
          const confirmations = item?.confirmations ?? Number.MAX_SAFE_INTEGER;
          if (byLabel) {
            const label = labelTally.get(book.label) ??
              { amount: 0n, confirmations: Number.MAX_SAFE_INTEGER };
            label.amount += amountValue;
            label.confirmations = Math.min(label.confirmations, confirmations);
            labelTally.set(book.label, label);
          } else {
            results.push({
              address,
              amount: amount(amountValue),
              confirmations: confirmations === Number.MAX_SAFE_INTEGER ? 0 : confirmations,
              label: book.label,
              txids: item?.txids ?? [],
            });
          }
        }
        if (byLabel) {
          const labels = [...labelTally.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          for (const [label, item] of labels) {
            results.push({
              amount: amount(item.amount),
              confirmations: item.confirmations === Number.MAX_SAFE_INTEGER
                ? 0
                : item.confirmations,
              label,
            });
          }
        }
        return results;
      }),
  };
}

/** The coin and balance methods. */
export function coinMethods(): Method[] {
  return [
    getBalanceMethod(),
    getBalancesMethod(),
    getUnconfirmedBalance(),
    listUnspent(),
    lockUnspent(),
    listLockUnspent(),
    getReceived(false),
    getReceived(true),
    listReceived(false),
    listReceived(true),
  ];
}
