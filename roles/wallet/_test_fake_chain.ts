/**
 * Test support (not exported): an in-memory {@linkcode Chain} for wallet tests. It connects
 * real blocks (from the vectors, or blocks it mines itself with a coinbase to a chosen
 * script), keeps a UTXO set and a mempool, checks every broadcast transaction's scripts with
 * the kernel interpreter and its demurrage-adjusted input values, and delivers notifications
 * in order like the node does. It does not check proof of work or block rules.
 *
 * @module
 */
import { timeAdjustValue } from "../../kernel/amount/mod.ts";
import { bytesEqual, bytesToHex } from "../../kernel/encoding/mod.ts";
import {
  Block,
  BlockHeader,
  decodeBlock,
  decodeTransaction,
  OutPoint,
  Transaction,
  TxIn,
  TxOut,
} from "../../kernel/primitives/mod.ts";
import {
  STANDARD_SCRIPT_VERIFY_FLAGS,
  TransactionSignatureChecker,
  verifyScript,
} from "../../kernel/script/mod.ts";
import { createPureSecp256k1, type Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import type {
  BroadcastResult,
  Chain,
  ChainBlockInfo,
  ChainCoin,
  ChainLimitsResult,
  ChainNotifications,
  EstimateReason,
  FeeEstimate,
  Handler,
  PackageLimits,
  RbfState,
  TxAncestry,
  WalletNotifyEvent,
} from "../../schemas/chain_interfaces.ts";

interface StoredBlock {
  readonly bytes: Uint8Array;
  readonly block: Block;
  readonly info: ChainBlockInfo;
}

interface FakeCoin extends ChainCoin {
  readonly spentBy?: string;
}

const REGTEST_SUBSIDY = 5_000_000_000n;

/** An in-memory chain for wallet tests. */
export class FakeChain implements Chain {
  readonly blocks: StoredBlock[] = [];
  readonly #utxos = new Map<string, FakeCoin>();
  readonly mempool = new Map<string, Transaction>();
  readonly #subscribers = new Set<ChainNotifications>();
  #queue: Promise<void> = Promise.resolve();
  readonly secp: Secp256k1 = createPureSecp256k1();
  /** Seconds; blocks get increasing times from here. */
  time = 1_700_000_000;
  /** What estimateSmartFee answers (null: no estimate, the wallet uses -fallbackfee). */
  feeRate: bigint | null = null;
  /** The reason estimateSmartFee gives with `feeRate`. */
  feeReason: EstimateReason = "full-estimate";
  /** Every estimateSmartFee call's target and `conservative` flag, in order. */
  readonly estimateCalls: { blocks: number; conservative: boolean }[] = [];
  /** What mempoolMinFee answers. */
  mempoolMinimumFee = 0n;
  /** Every walletNotify call, in order. */
  readonly walletNotifications: WalletNotifyEvent[] = [];
  /** Broadcasts seen, for assertions. */
  readonly broadcasts: Transaction[] = [];
  /** The mempool's chain limits (ancestors and descendants, each including the transaction). */
  limits: PackageLimits = { ancestorCount: 25, descendantCount: 25 };

  /** Connects a block given as wire bytes (no validation beyond linking to the tip). */
  connectBlock(bytes: Uint8Array): ChainBlockInfo {
    const block = decodeBlock(bytes);
    const height = this.blocks.length;
    if (height > 0 && !bytesEqual(block.header.hashPrevBlock, this.blocks[height - 1].info.hash)) {
      throw new Error("block does not extend the tip");
    }
    const times = this.blocks.slice(-11).map((b) => b.info.time).concat(block.header.time);
    times.sort((a, b) => a - b);
    const info: ChainBlockInfo = {
      hash: block.hash,
      height,
      time: block.header.time,
      medianTimePast: times[Math.floor(times.length / 2)],
    };
    this.blocks.push({ bytes, block, info });
    this.#allBlocks.set(bytesToHex(info.hash), { bytes, block, info });
    for (const tx of block.transactions) {
      this.#spendInputs(tx);
      this.#addOutputs(tx, height);
      const txid = tx.txidHex;
      if (this.mempool.delete(txid)) {
        this.#notify((n) => n.transactionRemovedFromMempool(tx.toBytes(), "block"));
      }
    }
    // Mempool transactions double-spent by the block leave as conflicts.
    for (const [txid, tx] of this.mempool) {
      if (tx.inputs.some((input) => !this.#utxos.has(key(input.prevout)))) {
        this.mempool.delete(txid);
        this.#notify((n) => n.transactionRemovedFromMempool(tx.toBytes(), "conflict"));
      }
    }
    this.#notify((n) => n.blockConnected(bytes, info));
    this.#notify((n) => n.updatedBlockTip());
    return info;
  }

  /**
   * Mines a block on the tip: a coinbase paying the subsidy plus fees to `script`, then the
   * given transactions (default: the whole mempool).
   */
  mineBlock(script: Uint8Array, transactions?: Transaction[]): ChainBlockInfo {
    const height = this.blocks.length;
    const txs = transactions ?? [...this.mempool.values()];
    let fees = 0n;
    for (const tx of txs) fees += this.#feeAt(tx, height);
    const coinbase = new Transaction({
      version: 2,
      inputs: [
        new TxIn({
          prevout: OutPoint.null(),
          scriptSig: Uint8Array.of(0x03, height & 0xff, (height >> 8) & 0xff, height >> 16, 0),
        }),
      ],
      outputs: [new TxOut(REGTEST_SUBSIDY + fees, script)],
      lockTime: 0,
      lockHeight: height,
    });
    this.time += 60;
    const header = new BlockHeader({
      version: 0x20000000,
      hashPrevBlock: height === 0 ? new Uint8Array(32) : this.blocks[height - 1].info.hash,
      hashMerkleRoot: new Uint8Array(32),
      time: this.time,
      bits: 0x207fffff,
      nonce: height,
    });
    const block = new Block(header, [coinbase, ...txs]);
    return this.connectBlock(block.toBytes());
  }

  /** Mines `count` blocks to `script`. */
  mineBlocks(count: number, script: Uint8Array): void {
    for (let i = 0; i < count; i++) this.mineBlock(script);
  }

  /** Disconnects the tip block; its transactions go back to the mempool. */
  disconnectTip(): void {
    const top = this.blocks.pop();
    if (!top) throw new Error("no block");
    for (const tx of [...top.block.transactions].reverse()) {
      for (let n = 0; n < tx.outputs.length; n++) this.#utxos.delete(`${bytesToHex(tx.txid)}:${n}`);
      if (!tx.isCoinBase()) {
        for (const input of tx.inputs) {
          const coin = this.#spentCoins.get(key(input.prevout));
          if (coin) this.#utxos.set(key(input.prevout), coin);
        }
      }
    }
    this.#notify((n) => n.blockDisconnected(top.bytes, top.info));
    for (const tx of top.block.transactions) {
      if (tx.isCoinBase()) continue;
      this.mempool.set(tx.txidHex, tx);
      this.#notify((n) => n.transactionAddedToMempool(tx.toBytes()));
    }
    this.#notify((n) => n.updatedBlockTip());
  }

  readonly #spentCoins = new Map<string, FakeCoin>();
  /** Every block ever connected, stale ones included (getBlock serves them). */
  readonly #allBlocks = new Map<string, StoredBlock>();

  #spendInputs(tx: Transaction): void {
    if (tx.isCoinBase()) return;
    for (const input of tx.inputs) {
      const k = key(input.prevout);
      const coin = this.#utxos.get(k);
      if (coin) this.#spentCoins.set(k, coin);
      this.#utxos.delete(k);
    }
  }

  #addOutputs(tx: Transaction, height: number): void {
    tx.outputs.forEach((output, n) => {
      this.#utxos.set(`${bytesToHex(tx.txid)}:${n}`, {
        value: output.value,
        scriptPubKey: output.scriptPubKey,
        height,
        refheight: tx.lockHeight,
        isCoinBase: tx.isCoinBase(),
      });
    });
  }

  #coinFor(outpoint: OutPoint): FakeCoin | undefined {
    const confirmed = this.#utxos.get(key(outpoint));
    if (confirmed) return confirmed;
    const parent = this.mempool.get(outpoint.txid);
    if (!parent || outpoint.n >= parent.outputs.length) return undefined;
    const output = parent.outputs[outpoint.n];
    return {
      value: output.value,
      scriptPubKey: output.scriptPubKey,
      height: this.blocks.length,
      refheight: parent.lockHeight,
      isCoinBase: false,
    };
  }

  #feeAt(tx: Transaction, height: number): bigint {
    let valueIn = 0n;
    for (const input of tx.inputs) {
      const coin = this.#coinFor(input.prevout);
      if (coin) valueIn += timeAdjustValue(coin.value, tx.lockHeight - coin.refheight);
    }
    const out = tx.outputs.reduce((sum, o) => sum + o.value, 0n);
    return timeAdjustValue(valueIn - out, Math.max(0, height - tx.lockHeight));
  }

  /** Checks a transaction like a (much simplified) mempool: inputs, values and scripts. */
  checkTransaction(tx: Transaction): string | null {
    if (tx.lockHeight > this.blocks.length) return "non-final";
    let valueIn = 0n;
    for (let i = 0; i < tx.inputs.length; i++) {
      const input = tx.inputs[i];
      const coin = this.#coinFor(input.prevout);
      if (!coin) return "bad-txns-inputs-missingorspent";
      for (const other of this.mempool.values()) {
        if (!other.inputs.some((o) => o.prevout.equals(input.prevout))) continue;
        // Full RBF: a replacement must pay more.
        if (this.#feeAt(tx, this.blocks.length) <= this.#feeAt(other, this.blocks.length)) {
          return "txn-mempool-conflict";
        }
      }
      if (coin.isCoinBase && this.blocks.length - coin.height < 100) {
        return "bad-txns-premature-spend-of-coinbase";
      }
      if (coin.refheight > tx.lockHeight) return "bad-txns-non-monotonic-lock-height";
      valueIn += timeAdjustValue(coin.value, tx.lockHeight - coin.refheight);
      const checker = new TransactionSignatureChecker(this.secp, tx, i, coin.value, coin.refheight);
      const result = verifyScript(
        input.scriptSig,
        coin.scriptPubKey,
        input.witness,
        STANDARD_SCRIPT_VERIFY_FLAGS,
        checker,
      );
      if (!result.ok) return `mandatory-script-verify-flag-failed (${result.error})`;
    }
    const valueOut = tx.outputs.reduce((sum, o) => sum + o.value, 0n);
    if (valueIn < valueOut) return "bad-txns-in-belowout";
    return null;
  }

  #notify(call: (n: ChainNotifications) => Promise<void>): void {
    const subscribers = [...this.#subscribers];
    this.#queue = this.#queue.then(async () => {
      for (const subscriber of subscribers) await call(subscriber);
    });
  }

  // --- Chain ------------------------------------------------------------------------------

  getTip(): Promise<ChainBlockInfo> {
    return Promise.resolve(this.blocks[this.blocks.length - 1].info);
  }

  getBlockInfo(height: number): Promise<ChainBlockInfo | null> {
    return Promise.resolve(this.blocks[height]?.info ?? null);
  }

  getBlock(hash: Uint8Array): Promise<{ block: Uint8Array; info: ChainBlockInfo } | null> {
    const found = this.#allBlocks.get(bytesToHex(hash));
    return Promise.resolve(found ? { block: found.bytes, info: found.info } : null);
  }

  isInActiveChain(hash: Uint8Array): Promise<boolean> {
    return Promise.resolve(this.blocks.some((b) => bytesEqual(b.info.hash, hash)));
  }

  findFirstBlockWithTimeAndHeight(
    minTime: number,
    minHeight: number,
  ): Promise<ChainBlockInfo | null> {
    const found = this.blocks.find((b) => b.info.height >= minHeight && b.info.time >= minTime);
    return Promise.resolve(found?.info ?? null);
  }

  findCoins(outpoints: readonly Uint8Array[]): Promise<(ChainCoin | null)[]> {
    return Promise.resolve(outpoints.map((bytes) => {
      const outpoint = new OutPoint(
        bytes.slice(0, 32),
        new DataView(bytes.buffer, bytes.byteOffset).getUint32(32, true),
      );
      return this.#coinFor(outpoint) ?? null;
    }));
  }

  isInMempool(txid: Uint8Array): Promise<boolean> {
    return Promise.resolve(this.mempool.has(bytesToHex(txid.slice().reverse())));
  }

  broadcastTransaction(tx: Uint8Array): Promise<BroadcastResult> {
    const decoded = decodeTransaction(tx);
    if (this.mempool.has(decoded.txidHex)) return Promise.resolve({ ok: true });
    const error = this.checkTransaction(decoded);
    if (error !== null) return Promise.resolve({ ok: false, error, code: -26 });
    for (const [txid, other] of this.mempool) {
      if (other.inputs.some((o) => decoded.inputs.some((i) => i.prevout.equals(o.prevout)))) {
        this.mempool.delete(txid);
        this.#notify((n) => n.transactionRemovedFromMempool(other.toBytes(), "replaced"));
      }
    }
    this.mempool.set(decoded.txidHex, decoded);
    this.broadcasts.push(decoded);
    this.#notify((n) => n.transactionAddedToMempool(tx));
    return Promise.resolve({ ok: true });
  }

  estimateSmartFee(blocks: number, conservative: boolean): Promise<FeeEstimate> {
    this.estimateCalls.push({ blocks, conservative });
    const reason = this.feeRate === null ? "none" : this.feeReason;
    return Promise.resolve({ feeRatePerKvB: this.feeRate, blocks, reason });
  }

  mempoolMinFee(): Promise<bigint> {
    return Promise.resolve(this.mempoolMinimumFee);
  }

  walletNotify(event: WalletNotifyEvent): Promise<void> {
    this.walletNotifications.push(event);
    return Promise.resolve();
  }

  relayFees(): Promise<{ minRelay: bigint; dust: bigint; incremental: bigint }> {
    return Promise.resolve({ minRelay: 1000n, dust: 3000n, incremental: 1000n });
  }

  isInitialBlockDownload(): Promise<boolean> {
    return Promise.resolve(false);
  }

  now(): Promise<number> {
    return Promise.resolve(this.time);
  }

  handleNotifications(notifications: ChainNotifications): Promise<Handler> {
    this.#subscribers.add(notifications);
    return Promise.resolve({
      disconnect: () => {
        this.#subscribers.delete(notifications);
        return Promise.resolve();
      },
    });
  }

  waitForNotifications(): Promise<void> {
    return this.#queue;
  }

  /** In-mempool ancestors of a transaction (itself excluded). */
  #ancestors(tx: Transaction): Transaction[] {
    const found = new Map<string, Transaction>();
    const todo = [tx];
    while (todo.length > 0) {
      for (const input of todo.pop()!.inputs) {
        const parent = this.mempool.get(input.prevout.txid);
        if (!parent || found.has(parent.txidHex)) continue;
        found.set(parent.txidHex, parent);
        todo.push(parent);
      }
    }
    return [...found.values()];
  }

  /** In-mempool descendants of a transaction (itself excluded). */
  #descendants(tx: Transaction): Transaction[] {
    return [...this.mempool.values()].filter((other) =>
      this.#ancestors(other).some((a) => a.txidHex === tx.txidHex)
    );
  }

  async requestMempoolTransactions(notifications: ChainNotifications): Promise<void> {
    // Insertion order: a parent always entered before its children.
    for (const tx of [...this.mempool.values()]) {
      await notifications.transactionAddedToMempool(tx.toBytes());
    }
  }

  rbfStates(txids: readonly Uint8Array[]): Promise<RbfState[]> {
    const signals = (tx: Transaction) => tx.inputs.some((input) => input.sequence < 0xfffffffe);
    return Promise.resolve(txids.map((txid): RbfState => {
      const tx = this.mempool.get(bytesToHex(txid.slice().reverse()));
      if (!tx) return "unknown";
      return signals(tx) || this.#ancestors(tx).some(signals) ? "replaceable" : "final";
    }));
  }

  getTransactionAncestry(txids: readonly Uint8Array[]): Promise<TxAncestry[]> {
    return Promise.resolve(txids.map((txid): TxAncestry => {
      const tx = this.mempool.get(bytesToHex(txid.slice().reverse()));
      if (!tx) return { ancestors: 0, descendants: 0, ancestorSize: 0, ancestorFees: 0n };
      const ancestors = this.#ancestors(tx);
      const roots = [tx, ...ancestors].filter((t) =>
        t.inputs.every((input) => !this.mempool.has(input.prevout.txid))
      );
      return {
        ancestors: ancestors.length + 1,
        descendants: Math.max(...roots.map((root) => this.#descendants(root).length + 1)),
        ancestorSize: [tx, ...ancestors].reduce((sum, t) => sum + t.virtualSize, 0),
        ancestorFees: 0n,
      };
    }));
  }

  getPackageLimits(): Promise<PackageLimits> {
    return Promise.resolve(this.limits);
  }

  checkChainLimits(tx: Uint8Array): Promise<ChainLimitsResult> {
    const count = this.#ancestors(decodeTransaction(tx)).length + 1;
    if (count > this.limits.ancestorCount) {
      return Promise.resolve({
        ok: false,
        error: `possibly too many unconfirmed ancestors [limit: ${this.limits.ancestorCount}]`,
      });
    }
    return Promise.resolve({ ok: true });
  }

  /** Lines the wallet logged through the chain (start-up warnings). */
  readonly logLines: string[] = [];

  logLine(line: string): Promise<void> {
    this.logLines.push(line);
    return Promise.resolve();
  }
}

function key(outpoint: OutPoint): string {
  return `${bytesToHex(outpoint.hash)}:${outpoint.n}`;
}
