/**
 * Balances and spendable coins with demurrage, as freicoind computes them
 * (`src/wallet/receive.cpp GetBalance`, `src/wallet/spend.cpp AvailableCoins`): a
 * transaction's available credit is summed first, then time-adjusted from its lock_height to
 * the next block's height; a coin's `amount` is its own value adjusted to the chosen height.
 *
 * @module
 */
import { timeAdjustValue } from "../../kernel/amount/mod.ts";
import type { TxOut } from "../../kernel/primitives/mod.ts";
import { OutPoint } from "../../kernel/primitives/mod.ts";
import { scriptKey, type Wallet } from "./wallet.ts";
import { blocksToMaturity, outputKey, type WalletTx, walletTxWrites } from "./wallet_tx.ts";

/** The three balances of `getbalances.mine`, in kria. */
export interface Balance {
  trusted: bigint;
  untrustedPending: bigint;
  immature: bigint;
}

/**
 * Memo of demurrage results by distance, then value (the fixed-point ladder costs
 * microseconds per call; the nested maps spare building a string key per lookup).
 */
const adjustCache = new Map<number, Map<bigint, bigint>>();
let adjustCacheSize = 0;
const ADJUST_CACHE_LIMIT = 200_000;

/** `value` seen `distance` blocks after its reference height (honours -bitcoinmode). */
export function adjustValue(wallet: Wallet, value: bigint, distance: number): bigint {
  if (value === 0n || distance === 0 || wallet.options.disableTimeAdjust) return value;
  let byValue = adjustCache.get(distance);
  let adjusted = byValue?.get(value);
  if (adjusted === undefined) {
    adjusted = timeAdjustValue(value, distance);
    if (adjustCacheSize >= ADJUST_CACHE_LIMIT) {
      adjustCache.clear();
      adjustCacheSize = 0;
      byValue = undefined;
    }
    if (byValue === undefined) adjustCache.set(distance, byValue = new Map());
    byValue.set(value, adjusted);
    adjustCacheSize++;
  }
  return adjusted;
}

/** Whether a coinbase transaction still needs confirmations (`IsTxImmatureCoinBase`). */
export function isImmatureCoinBase(wallet: Wallet, wtx: WalletTx): boolean {
  return blocksToMaturity(wtx, wallet.tipHeight) > 0;
}

/**
 * Whether a transaction counts as trusted (`CachedTxIsTrusted`): confirmed, or our own
 * unconfirmed transaction in the mempool whose parents are all trusted and ours.
 */
export function isTrusted(wallet: Wallet, wtx: WalletTx, trusted = new Set<string>()): boolean {
  const depth = wallet.depth(wtx);
  if (depth >= 1) return true;
  if (depth < 0) return false;
  if (!wallet.options.spendZeroConfChange || wallet.debit(wtx.tx) <= 0n) return false;
  if (wtx.state !== "mempool") return false;
  for (const input of wtx.tx.inputs) {
    const prev = wallet.prevOutput(input.prevout);
    if (!prev) return false;
    if (!wallet.isMine(prev.wtx.tx.outputs[prev.n].scriptPubKey)) return false;
    if (trusted.has(prev.wtx.txidHex)) continue;
    if (!isTrusted(wallet, prev.wtx, trusted)) return false;
    trusted.add(prev.wtx.txidHex);
  }
  return true;
}

/** Sum of our unspent outputs' reference values (`CachedTxGetAvailableCredit`). */
export function availableCredit(wallet: Wallet, wtx: WalletTx): bigint {
  if (isImmatureCoinBase(wallet, wtx)) return 0n;
  let credit = 0n;
  for (const n of wallet.mineOutputs(wtx)) {
    if (wallet.isSpent(outputKey(wtx.tx, n))) continue;
    credit += wtx.tx.outputs[n].value;
  }
  return credit;
}

/** Sum of our outputs' reference values (`TxGetCredit`). */
export function credit(wallet: Wallet, wtx: WalletTx): bigint {
  let total = 0n;
  for (const n of wallet.mineOutputs(wtx)) total += wtx.tx.outputs[n].value;
  return total;
}

/** Credit of an immature coinbase in the active chain (`CachedTxGetImmatureCredit`). */
export function immatureCredit(wallet: Wallet, wtx: WalletTx): bigint {
  if (!isImmatureCoinBase(wallet, wtx) || wallet.depth(wtx) < 1) return 0n;
  return credit(wallet, wtx);
}

/** Last balances per wallet, valid while its stamp (see {@linkcode balanceStamp}) holds. */
const balanceMemo = new WeakMap<Wallet, { stamp: string; byMinDepth: Map<number, Balance> }>();

/**
 * What every input of {@linkcode getBalance} hangs on: the tip (depths, maturity, demurrage to
 * tip+1), our scripts, the set of transactions and every stored change to one (a spend, a
 * confirmation, a conflict, an abandon, a replacement all store the transaction).
 */
function balanceStamp(wallet: Wallet): string {
  return `${wallet.tipHeight}:${wallet.scriptsGeneration}:${wallet.txs.size}:${walletTxWrites()}`;
}

/**
 * The wallet's balances at the next block (`GetBalance`), computed as freicoind does (credit
 * per transaction, time-adjusted from its lock_height to tip+1) and kept until the wallet or
 * its tip changes; the result is a fresh copy.
 */
export function getBalance(wallet: Wallet, minDepth = 0): Balance {
  const stamp = balanceStamp(wallet);
  let memo = balanceMemo.get(wallet);
  if (memo === undefined || memo.stamp !== stamp) {
    memo = { stamp, byMinDepth: new Map() };
    balanceMemo.set(wallet, memo);
  }
  let balance = memo.byMinDepth.get(minDepth);
  if (balance === undefined) {
    balance = computeBalance(wallet, minDepth);
    memo.byMinDepth.set(minDepth, balance);
  }
  return { ...balance };
}

function computeBalance(wallet: Wallet, minDepth: number): Balance {
  const nextHeight = wallet.tipHeight + 1;
  const balance: Balance = { trusted: 0n, untrustedPending: 0n, immature: 0n };
  const trustedParents = new Set<string>();
  for (const wtx of wallet.txs.values()) {
    // Nothing of ours in it: no credit, whatever its state.
    if (wallet.mineOutputs(wtx).length === 0) continue;
    const trusted = isTrusted(wallet, wtx, trustedParents);
    const depth = wallet.depth(wtx);
    const distance = nextHeight - wtx.tx.lockHeight;
    const available = adjustValue(wallet, availableCredit(wallet, wtx), distance);
    if (trusted && depth >= minDepth) balance.trusted += available;
    if (!trusted && depth === 0 && wtx.state === "mempool") balance.untrustedPending += available;
    balance.immature += adjustValue(wallet, immatureCredit(wallet, wtx), distance);
  }
  return balance;
}

/** A coin the wallet could spend (`COutput`). */
export interface WalletCoin {
  readonly outpoint: OutPoint;
  readonly wtx: WalletTx;
  readonly output: TxOut;
  /** Reference height: the creating transaction's lock_height. */
  readonly refheight: number;
  /** Value adjusted to the height coins are listed at. */
  readonly amount: bigint;
  readonly depth: number;
  readonly safe: boolean;
  readonly solvable: boolean;
  readonly spendable: boolean;
}

/** Filters of {@linkcode availableCoins} (listunspent's arguments and coin control). */
export interface CoinFilter {
  /** Height the amounts are computed at; coins with a later refheight are skipped. */
  atHeight: number;
  minDepth?: number;
  maxDepth?: number;
  includeUnsafe?: boolean;
  /** Only coins paying to these scripts (hex). */
  scripts?: Set<string>;
  /** Also list locked coins. */
  includeLocked?: boolean;
  minimumAmount?: bigint;
  maximumAmount?: bigint;
  /** List immature coinbase outputs too. */
  includeImmatureCoinbase?: boolean;
}

/** The wallet's unspent coins (`AvailableCoins`), in transaction order. */
export function availableCoins(wallet: Wallet, filter: CoinFilter): WalletCoin[] {
  const coins: WalletCoin[] = [];
  const minDepth = filter.minDepth ?? 0;
  const maxDepth = filter.maxDepth ?? 9_999_999;
  const trustedParents = new Set<string>();
  const ordered = [...wallet.txs.values()].sort((a, b) => a.orderPos - b.orderPos);
  for (const wtx of ordered) {
    const mine = wallet.mineOutputs(wtx);
    if (mine.length === 0) continue;
    if (isImmatureCoinBase(wallet, wtx) && !filter.includeImmatureCoinbase) continue;
    const depth = wallet.depth(wtx);
    if (depth < 0 || (wtx.tx.isCoinBase() && depth < 1)) continue;
    if (depth === 0 && wtx.state !== "mempool") continue;
    // Unconfirmed replacements and replaced transactions are not safe to spend from (a reorg could
    // confirm both a spend of the one and of the other).
    const safe = isTrusted(wallet, wtx, trustedParents) &&
      !(depth === 0 && (wtx.replaces !== null || wtx.replacedBy !== null));
    if (!safe && !filter.includeUnsafe) continue;
    if (depth < minDepth || depth > maxDepth) continue;
    // Coins created after the listing height cannot be spent there.
    if (wtx.tx.lockHeight > filter.atHeight) continue;
    for (const n of mine) {
      const output = wtx.tx.outputs[n];
      const key = outputKey(wtx.tx, n);
      if (filter.scripts && !filter.scripts.has(scriptKey(output.scriptPubKey))) continue;
      if (wallet.isSpent(key)) continue;
      if (!filter.includeLocked && wallet.lockedCoins.has(key)) continue;
      const amount = adjustValue(wallet, output.value, filter.atHeight - wtx.tx.lockHeight);
      if (filter.minimumAmount !== undefined && amount < filter.minimumAmount) continue;
      if (filter.maximumAmount !== undefined && amount > filter.maximumAmount) continue;
      coins.push({
        outpoint: new OutPoint(wtx.tx.txid, n),
        wtx,
        output,
        refheight: wtx.tx.lockHeight,
        amount,
        depth,
        safe,
        // Ours means a descriptor holds the script (`IsMine`): solvable and spendable.
        solvable: true,
        spendable: true,
      });
    }
  }
  return coins;
}
