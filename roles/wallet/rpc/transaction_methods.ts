/**
 * Wallet RPCs about transactions (`src/wallet/rpc/transactions.cpp`): listtransactions,
 * gettransaction, listsinceblock, abandontransaction. Entries carry Freicoin's `refheight`
 * and, for sends, `demurrage` next to `fee`.
 *
 * @module
 */
import {
  encodeDestination,
  extractDestination,
  isValidDestination,
} from "../../../kernel/address/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { decodeBlock } from "../../../kernel/primitives/mod.ts";
import {
  getBool,
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
import { decodedTransaction } from "./decoded_tx.ts";
import { adjustValue, credit, isImmatureCoinBase, isTrusted } from "../balances.ts";
import type { Wallet } from "../wallet.ts";
import { hashHex } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { outpointKey, type WalletTx } from "../wallet_tx.ts";
import {
  amount,
  bytesToDisplayHex,
  lastProcessedBlock,
  parseHash,
  parseLabel,
  withWallet,
} from "./_util.ts";

type Method = RpcMethod<WalletLoaderService>;

/** Present value of the inputs at the transaction's lock height, and our demurrage (`GetInputSplit`). */
export function inputSplit(wallet: Wallet, wtx: WalletTx): { valueIn: bigint; demurrage: bigint } {
  let valueIn = 0n;
  let demurrage = 0n;
  if (wtx.tx.isCoinBase()) return { valueIn, demurrage };
  for (const input of wtx.tx.inputs) {
    const prev = wallet.prevOutput(input.prevout);
    if (!prev) continue;
    const output = prev.wtx.tx.outputs[prev.n];
    const present = adjustValue(wallet, output.value, wtx.tx.lockHeight - prev.wtx.tx.lockHeight);
    if (wallet.isMine(output.scriptPubKey)) demurrage += output.value - present;
    valueIn += present;
  }
  return { valueIn, demurrage };
}

function valueOut(wtx: WalletTx): bigint {
  return wtx.tx.outputs.reduce((sum, output) => sum + output.value, 0n);
}

/** Whether any input signals opt-in replacement (BIP125). */
function signalsRbf(wtx: WalletTx): boolean {
  return wtx.tx.inputs.some((input) => input.sequence < 0xfffffffe);
}

/** Wallet transactions spending the same coins (`GetTxConflicts`). */
function conflicts(wallet: Wallet, wtx: WalletTx): string[] {
  const out = new Set<string>();
  if (wtx.tx.isCoinBase()) return [];
  for (const input of wtx.tx.inputs) {
    for (const other of wallet.spends.get(outpointKey(input.prevout)) ?? []) {
      if (other !== wtx.txidHex) out.add(other);
    }
  }
  return [...out];
}

/** `bip125-replaceable` per unconfirmed transaction (txid hex): "yes", "no" or "unknown". */
type RbfStatuses = ReadonlyMap<string, string>;

/**
 * The `bip125-replaceable` answers for the wallet's unconfirmed transactions: "yes" for one
 * signalling itself; otherwise the node's mempool decides (`Chain.isRBFOptIn`), "yes" when an
 * unconfirmed ancestor signals, "unknown" when the mempool does not hold it.
 */
async function rbfStatuses(
  wallet: Wallet,
  wtxs: Iterable<WalletTx> = wallet.txs.values(),
): Promise<RbfStatuses> {
  const statuses = new Map<string, string>();
  const ask: WalletTx[] = [];
  for (const wtx of wtxs) {
    if (wallet.depth(wtx) > 0) continue;
    if (signalsRbf(wtx)) statuses.set(wtx.txidHex, "yes");
    else ask.push(wtx);
  }
  if (ask.length === 0) return statuses;
  const states = await wallet.options.chain.rbfStates(ask.map((wtx) => wtx.tx.txid));
  ask.forEach((wtx, i) => {
    const state = states[i];
    statuses.set(
      wtx.txidHex,
      state === "replaceable" ? "yes" : state === "final" ? "no" : "unknown",
    );
  });
  return statuses;
}

/** The common transaction fields (`WalletTxToJSON`). */
function walletTxToJson(
  wallet: Wallet,
  wtx: WalletTx,
  entry: JsonObject,
  rbf: RbfStatuses,
): void {
  const confirmations = wallet.depth(wtx);
  entry.confirmations = confirmations;
  if (wtx.tx.isCoinBase()) entry.generated = true;
  if (wtx.state === "confirmed" && wtx.blockHash !== null) {
    entry.blockhash = bytesToDisplayHex(wtx.blockHash);
    entry.blockheight = wtx.blockHeight;
    entry.blockindex = wtx.blockIndex;
    entry.blocktime = wtx.blockTime;
  } else {
    entry.trusted = isTrusted(wallet, wtx);
  }
  entry.txid = wtx.txidHex;
  entry.wtxid = wtx.tx.wtxidHex;
  entry.walletconflicts = conflicts(wallet, wtx);
  entry.time = wtx.timeSmart;
  entry.timereceived = wtx.timeReceived;
  entry["bip125-replaceable"] = confirmations <= 0 ? rbf.get(wtx.txidHex) ?? "unknown" : "no";
  // freicoind's mapValue entries, in key order.
  if (wtx.comment !== null) entry.comment = wtx.comment;
  if (wtx.replacedBy !== null) entry.replaced_by_txid = wtx.replacedBy;
  if (wtx.replaces !== null) entry.replaces_txid = wtx.replaces;
  if (wtx.commentTo !== null) entry.to = wtx.commentTo;
}

interface OutputEntry {
  script: Uint8Array;
  value: bigint;
  vout: number;
}

/** Sent and received outputs, fee and demurrage (`CachedTxGetAmounts`). */
function txAmounts(wallet: Wallet, wtx: WalletTx, includeChange: boolean) {
  const debit = wallet.debit(wtx.tx);
  let fee = 0n;
  let demurrage = 0n;
  if (debit > 0n) {
    const split = inputSplit(wallet, wtx);
    fee = split.valueIn - valueOut(wtx);
    demurrage = split.demurrage;
  }
  const sent: OutputEntry[] = [];
  const receivedEntries: OutputEntry[] = [];
  wtx.tx.outputs.forEach((output, vout) => {
    const mine = wallet.isMine(output.scriptPubKey);
    if (debit > 0n) {
      if (!includeChange && mine && wallet.isChange(output.scriptPubKey)) return;
    } else if (!mine) return;
    const entry = { script: output.scriptPubKey, value: output.value, vout };
    if (debit > 0n) sent.push(entry);
    if (mine) receivedEntries.push(entry);
  });
  return { sent, received: receivedEntries, fee, demurrage };
}

function pushAddress(wallet: Wallet, entry: JsonObject, script: Uint8Array): string | undefined {
  const dest = extractDestination(script);
  if (!isValidDestination(dest)) return undefined;
  const address = encodeDestination(dest, wallet.options.prefixes);
  entry.address = address;
  return address;
}

/** What {@linkcode listTransactionEntries} lists. */
interface EntryOptions {
  readonly minDepth: number;
  /** Add the transaction's common fields (`fLong`); they need `rbf`. */
  readonly rbf?: RbfStatuses;
  readonly labelFilter?: string;
  readonly includeChange?: boolean;
}

/** The entries of one transaction (`ListTransactions`). */
function listTransactionEntries(
  wallet: Wallet,
  wtx: WalletTx,
  out: JsonObject[],
  options: EntryOptions,
): void {
  const { minDepth, rbf, labelFilter, includeChange = false } = options;
  const { sent, received: receivedEntries, fee, demurrage } = txAmounts(wallet, wtx, includeChange);
  const abandoned = wtx.state === "abandoned";
  if (labelFilter === undefined) {
    for (const s of sent) {
      const entry: JsonObject = {};
      const address = pushAddress(wallet, entry, s.script);
      entry.category = "send";
      entry.amount = amount(-s.value);
      const book = address !== undefined ? wallet.addressBook.get(address) : undefined;
      if (book) entry.label = book.label;
      entry.vout = s.vout;
      entry.fee = amount(-fee);
      entry.demurrage = amount(-demurrage);
      if (rbf) walletTxToJson(wallet, wtx, entry, rbf);
      entry.refheight = wtx.tx.lockHeight;
      entry.abandoned = abandoned;
      out.push(entry);
    }
  }
  const depth = wallet.depth(wtx);
  if (receivedEntries.length === 0 || depth < minDepth) return;
  for (const r of receivedEntries) {
    const dest = extractDestination(r.script);
    const address = isValidDestination(dest)
      ? encodeDestination(dest, wallet.options.prefixes)
      : undefined;
    const book = address !== undefined ? wallet.addressBook.get(address) : undefined;
    const label = book?.label ?? "";
    if (labelFilter !== undefined && label !== labelFilter) continue;
    const entry: JsonObject = {};
    pushAddress(wallet, entry, r.script);
    entry.parent_descs = wallet.ownersOf(r.script).map((m) => m.publicString());
    if (wtx.tx.isCoinBase()) {
      if (depth < 1) entry.category = "orphan";
      else if (isImmatureCoinBase(wallet, wtx)) entry.category = "immature";
      else entry.category = "generate";
    } else {
      entry.category = "receive";
    }
    entry.amount = amount(r.value);
    if (book) entry.label = label;
    entry.vout = r.vout;
    entry.abandoned = abandoned;
    if (rbf) walletTxToJson(wallet, wtx, entry, rbf);
    entry.refheight = wtx.tx.lockHeight;
    out.push(entry);
  }
}

function orderedTxs(wallet: Wallet): WalletTx[] {
  return [...wallet.txs.values()].sort((a, b) => a.orderPos - b.orderPos);
}

function listTransactions(): Method {
  return {
    name: "listtransactions",
    category: "wallet",
    description:
      "\nIf a label name is provided, this will return only incoming transactions paying to addresses with the specified label.\n\nReturns up to 'count' most recent transactions skipping the first 'from' transactions.\n",
    args: [
      {
        names: "label|dummy",
        type: "str",
        optional: true,
        description:
          'If set, should be a valid label name to return only incoming transactions\nwith the specified label, or "*" to disable filtering and return all transactions.',
      },
      {
        names: "count",
        type: "num",
        default: 10,
        description: "The number of transactions to return",
      },
      { names: "skip", type: "num", default: 0, description: "The number of transactions to skip" },
      {
        names: "include_watchonly",
        type: "bool",
        defaultHint: "true for watch-only wallets, otherwise false",
        description: "Include transactions to watch-only addresses (see 'importaddress')",
      },
    ],
    results: [{
      type: "arr",
      inner: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    }],
    examples: helpExampleCli("listtransactions", "") +
      helpExampleCli("listtransactions", '"*" 20 100') +
      helpExampleRpc("listtransactions", '"*", 20, 100'),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        let labelFilter: string | undefined;
        const labelArg = call.maybeArg(0);
        if (labelArg !== undefined && getStr(labelArg) !== "*") {
          labelFilter = parseLabel(labelArg);
          if (labelFilter === "") {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              'Label argument must be a valid label name or "*".',
            );
          }
        }
        const count = getInt(call.arg(1));
        const skip = getInt(call.arg(2));
        if (count < 0) throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Negative count");
        if (skip < 0) throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Negative from");
        const entries: JsonObject[] = [];
        const txs = orderedTxs(wallet).reverse();
        const rbf = await rbfStatuses(wallet);
        for (const wtx of txs) {
          listTransactionEntries(wallet, wtx, entries, { minDepth: 0, rbf, labelFilter });
          if (entries.length >= count + skip) break;
        }
        // Entries are newest first; answer oldest first.
        return entries.slice(skip, skip + count).reverse();
      }),
  };
}

function getTransaction(): Method {
  return {
    name: "gettransaction",
    category: "wallet",
    description: "\nGet detailed information about in-wallet transaction <txid>\n",
    args: [
      { names: "txid", type: "str", description: "The transaction id" },
      {
        names: "include_watchonly",
        type: "bool",
        defaultHint: "true for watch-only wallets, otherwise false",
        description: "Whether to include watch-only addresses in balance calculation and details[]",
      },
      {
        names: "verbose",
        type: "bool",
        default: false,
        description:
          "Whether to include a `decoded` field containing the decoded transaction (equivalent to RPC decoderawtransaction)",
      },
    ],
    results: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    examples: helpExampleCli(
      "gettransaction",
      '"1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d"',
    ),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const txid = parseHash(call.arg(0), "txid");
        const wtx = wallet.txs.get(hashHex(txid));
        if (!wtx) {
          throw new RpcError(
            RPC_ERROR.INVALID_ADDRESS_OR_KEY,
            "Invalid or non-wallet transaction id",
          );
        }
        const debit = wallet.debit(wtx.tx);
        const net = credit(wallet, wtx) - debit;
        const split = inputSplit(wallet, wtx);
        const fee = debit > 0n ? valueOut(wtx) - split.valueIn : 0n;
        const entry: JsonObject = { amount: amount(net - fee), refheight: wtx.tx.lockHeight };
        if (debit > 0n) {
          entry.fee = amount(fee);
          entry.demurrage = amount(split.demurrage);
        }
        walletTxToJson(wallet, wtx, entry, await rbfStatuses(wallet, [wtx]));
        const details: JsonObject[] = [];
        listTransactionEntries(wallet, wtx, details, { minDepth: 0 });
        entry.details = details;
        entry.hex = bytesToHex(wtx.tx.toBytes());
        if (getBool(call.arg(2))) entry.decoded = decodedTransaction(wtx.tx, wallet.options);
        entry.lastprocessedblock = lastProcessedBlock(wallet);
        return entry;
      }),
  };
}

function listSinceBlock(): Method {
  return {
    name: "listsinceblock",
    category: "wallet",
    description:
      '\nGet all transactions in blocks since block [blockhash], or all transactions if omitted.\nIf "blockhash" is no longer a part of the main chain, transactions from the fork point onward are included.\nAdditionally, if include_removed is set, transactions affecting the wallet which were removed are returned in the "removed" array.\n',
    args: [
      {
        names: "blockhash",
        type: "str",
        optional: true,
        description:
          "If set, the block hash to list transactions since, otherwise list all transactions.",
      },
      {
        names: "target_confirmations",
        type: "num",
        default: 1,
        description:
          "Return the nth block hash from the main chain. e.g. 1 would mean the best block hash. Note: this is not used as a filter, but only affects [lastblock] in the return value",
      },
      {
        names: "include_watchonly",
        type: "bool",
        defaultHint: "true for watch-only wallets, otherwise false",
        description: "Include transactions to watch-only addresses (see 'importaddress')",
      },
      {
        names: "include_removed",
        type: "bool",
        default: true,
        description:
          'Show transactions that were removed due to a reorg in the "removed" array\n(not guaranteed to work on pruned nodes)',
      },
      {
        names: "include_change",
        type: "bool",
        default: false,
        description: "Also add entries for change outputs.\n",
      },
      {
        names: "label",
        type: "str",
        optional: true,
        description:
          "Return only incoming transactions paying to addresses with the specified label.\n",
      },
    ],
    results: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    examples: helpExampleCli("listsinceblock", "") +
      helpExampleRpc(
        "listsinceblock",
        '"000000000000000bacf66f7497b7dc45ef753ee9a7d38764f1c9f1e2d4f2e1e1", 6',
      ),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const chain = wallet.options.chain;
        let sinceHeight = -1;
        const staleTransactions: string[] = [];
        const hashArg = call.maybeArg(0);
        // An empty string is the same as no block (freicoind tests `get_str().empty()`).
        if (hashArg !== undefined && hashArg !== "") {
          const hash = parseHash(hashArg, "blockhash");
          const found = await chain.getBlock(hash);
          if (!found) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Block not found");
          // A block off the active chain: list from the fork point, and what the stale blocks
          // held as "removed".
          let current = found;
          while (!(await chain.isInActiveChain(current.info.hash))) {
            const block = decodeBlock(current.block);
            staleTransactions.push(...block.transactions.map((tx) => tx.txidHex));
            const previous = await chain.getBlock(block.header.hashPrevBlock);
            if (!previous) break;
            current = previous;
          }
          sinceHeight = current.info.height;
        }
        const target = getInt(call.arg(1));
        if (target < 1) throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter");
        const includeChange = getBool(call.arg(4));
        const labelArg = call.maybeArg(5);
        const labelFilter = labelArg !== undefined ? parseLabel(labelArg) : undefined;
        const removed: JsonObject[] = [];
        const rbf = await rbfStatuses(wallet);
        if (getBool(call.arg(3))) {
          for (const txid of staleTransactions) {
            const wtx = wallet.txs.get(txid);
            // Every confirmation count, even negative ones, is listed here.
            if (wtx) {
              listTransactionEntries(wallet, wtx, removed, {
                minDepth: -100_000_000,
                rbf,
                labelFilter,
              });
            }
          }
        }
        const depthLimit = sinceHeight >= 0 ? wallet.tipHeight + 1 - sinceHeight : -1;
        const transactions: JsonObject[] = [];
        for (const wtx of orderedTxs(wallet)) {
          // A conflicted transaction counts by its distance from the conflicting block.
          if (depthLimit !== -1 && Math.abs(wallet.depth(wtx)) >= depthLimit) continue;
          listTransactionEntries(wallet, wtx, transactions, {
            minDepth: 0,
            rbf,
            labelFilter,
            includeChange,
          });
        }
        // A target beyond the chain answers the genesis block.
        const lastHeight = wallet.tipHeight + 1 - Math.min(target, wallet.tipHeight + 1);
        const last = lastHeight >= 0 ? await chain.getBlockInfo(lastHeight) : null;
        const result: JsonObject = { transactions: transactions as JsonValue[] };
        if (getBool(call.arg(3))) result.removed = removed as JsonValue[];
        result.lastblock = last ? bytesToDisplayHex(last.hash) : "0".repeat(64);
        return result;
      }),
  };
}

function abandonTransaction(): Method {
  return {
    name: "abandontransaction",
    category: "wallet",
    description:
      '\nMark in-wallet transaction <txid> as abandoned\nThis will mark this transaction and all its in-wallet descendants as abandoned which will allow\nfor their inputs to be respent.  It can be used to replace "stuck" or evicted transactions.\nIt only works on transactions which are not included in a block and are not currently in the mempool.\nIt has no effect on transactions which are already abandoned.\n',
    args: [{ names: "txid", type: "str_hex", description: "The transaction id" }],
    results: [{ type: "none" }],
    examples: helpExampleCli(
      "abandontransaction",
      '"1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d"',
    ),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const txid = parseHash(call.arg(0), "txid");
        const wtx = wallet.txs.get(hashHex(txid));
        if (!wtx) {
          throw new RpcError(
            RPC_ERROR.INVALID_ADDRESS_OR_KEY,
            "Invalid or non-wallet transaction id",
          );
        }
        const inMempool = await wallet.options.chain.isInMempool(wtx.tx.txid);
        if (wallet.depth(wtx) !== 0 || inMempool || wtx.state === "mempool") {
          throw new RpcError(
            RPC_ERROR.INVALID_ADDRESS_OR_KEY,
            "Transaction not eligible for abandonment",
          );
        }
        wallet.db.transaction(() => {
          const todo = [wtx];
          while (todo.length > 0) {
            const current = todo.pop()!;
            if (wallet.depth(current) !== 0 || current.state === "abandoned") continue;
            current.state = "abandoned";
            wallet.saveTx(current);
            current.tx.outputs.forEach((_output, n) => {
              const key = `${bytesToHex(current.tx.txid)}:${n}`;
              for (const child of wallet.spends.get(key) ?? []) {
                const childTx = wallet.txs.get(child);
                if (childTx) todo.push(childTx);
              }
            });
          }
        });
        return null;
      }),
  };
}

/** The transaction listing methods. */
export function transactionMethods(): Method[] {
  return [listTransactions(), getTransaction(), listSinceBlock(), abandonTransaction()];
}
