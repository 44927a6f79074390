/**
 * One loaded wallet (freicoind's `CWallet`): its descriptors, address book, transactions and
 * coin locks, kept in memory and written through to its SQLite file, and the chain
 * notifications that keep its transactions current.
 *
 * @module
 */
import {
  type ChainPrefixes,
  encodeDestination,
  extractDestination,
  isValidDestination,
  type OutputType,
} from "../../kernel/address/mod.ts";
import { addChecksum, parseDescriptor } from "../../kernel/descriptor/mod.ts";
import { bytesToHex, concatBytes, hashToHex, hexToBytes } from "../../kernel/encoding/mod.ts";
import { encodeExtKey, extKeyFromSeed } from "../../kernel/keys/mod.ts";
import {
  decodeBlock,
  decodeTransaction,
  type OutPoint,
  type Transaction,
} from "../../kernel/primitives/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import type {
  Chain,
  ChainBlockInfo,
  ChainNotifications,
  WalletNotifyEvent,
} from "../../schemas/chain_interfaces.ts";
import type { Logger } from "../../cli/logger.ts";
import { DescriptorManager } from "./descriptor_manager.ts";
import { WALLET_FLAG } from "./layout.ts";
import { WalletDatabase } from "./wallet_database.ts";
import {
  outpointKey,
  outputKey,
  txDepth,
  type WalletTx,
  walletTxFromRow,
  walletTxToRow,
} from "./wallet_tx.ts";
import { AsyncLock } from "./async_lock.ts";
import {
  decryptBytes,
  encryptBytes,
  type EncryptionRecord,
  newEncryption,
  openMasterKey,
  sealMasterKey,
} from "./wallet_crypter.ts";

/** Settings a wallet takes from the command line (documented defaults as freicoind). */
export interface WalletOptions {
  readonly chain: Chain;
  readonly prefixes: ChainPrefixes;
  /** Whether the network is a test chain (coin type 1h in default descriptors). */
  readonly isTestChain: boolean;
  readonly secp: Secp256k1;
  readonly logger: Logger;
  /** Current time in seconds (mock time aware). */
  readonly now: () => number;
  /** -keypool, default 1000. */
  readonly keypool: number;
  /** -addresstype, default bech32. */
  readonly addressType: OutputType;
  /** -changetype; null follows the payment outputs. */
  readonly changeType: OutputType | null;
  /** -fallbackfee in kria/kvB (0 disables). */
  readonly fallbackFee: bigint;
  /** -paytxfee in kria/kvB (0: estimate). */
  readonly payTxFee: bigint;
  /** -mintxfee in kria/kvB. */
  readonly minTxFee: bigint;
  /** -maxtxfee in kria. */
  readonly maxTxFee: bigint;
  /** -txconfirmtarget. */
  readonly confirmTarget: number;
  /** -spendzeroconfchange. */
  readonly spendZeroConfChange: boolean;
  /** -walletrbf. */
  readonly walletRbf: boolean;
  /** -walletrejectlongchains (default true). */
  readonly rejectLongChains?: boolean;
  /** -bitcoinmode: no demurrage. */
  readonly disableTimeAdjust: boolean;
  /**
   * Called after a wallet transaction is added or its block changes, and for one a block's
   * conflict removed from the mempool (`-walletnotify`'s moments). The wallet only reports the
   * event; the node runs its own command for it (`Chain.walletNotify`).
   */
  readonly transactionNotify?: (event: WalletNotifyEvent) => void;
}

/** How `createwallet` sets a new wallet up. */
export interface CreateWalletFlags {
  readonly disablePrivateKeys: boolean;
  readonly blank: boolean;
  readonly avoidReuse: boolean;
}

/** The default descriptors' purposes: legacy uses BIP44, bech32 BIP84. */
const PURPOSE: Record<OutputType, string> = { legacy: "pkh(%/44h", bech32: "wpk(%/84h" };

/** Which of a transaction's outputs are ours, as of a generation of our scripts. */
interface MineOutputs {
  generation: number;
  outputs: number[];
  /** Outputs not ours at that generation: the only ones a new script can make ours. */
  others: number[];
}

/** A transaction's debit and what it depends on (see {@linkcode Wallet.debit}). */
interface CachedDebit {
  txs: number;
  scripts: number;
  value: bigint;
  /** Every input found in the wallet spent an output of ours. */
  settled: boolean;
}

/** A loaded wallet. */
export class Wallet implements ChainNotifications {
  readonly name: string;
  readonly options: WalletOptions;
  readonly db: WalletDatabase;
  /** Serializes every change: one writer at a time (house style rule 18). */
  readonly lock: AsyncLock = new AsyncLock();
  readonly managers = new Map<string, DescriptorManager>();
  /** scriptPubKey hex → descriptor manager. */
  readonly #scriptOwners = new Map<string, DescriptorManager>();
  readonly txs = new Map<string, WalletTx>();
  /** outpoint key → txids (display hex) of wallet transactions spending it. */
  readonly spends = new Map<string, Set<string>>();
  readonly addressBook = new Map<string, { label: string; purpose: string }>();
  readonly lockedCoins = new Set<string>();
  readonly persistentLocks = new Set<string>();
  flags: bigint;
  lastBlockHash: Uint8Array = new Uint8Array(32);
  lastBlockHeight = -1;
  payTxFee: bigint;
  #nextOrderPos = 0;
  /** The latest listed time of any wallet transaction. */
  #latestTime = 0;
  /** Unix time (mock-aware) until which the wallet stays unlocked (0: locked). */
  unlockedUntil = 0;
  /** The encryption record, or null for an unencrypted wallet. */
  encryption: EncryptionRecord | null = null;
  #masterKey: Uint8Array | null = null;
  /** Real-clock deadline of the unlock, milliseconds. */
  #unlockDeadline = 0;

  private constructor(name: string, db: WalletDatabase, options: WalletOptions) {
    this.name = name;
    this.db = db;
    this.options = options;
    this.flags = BigInt(db.getMetaText("flags") ?? "0");
    this.payTxFee = options.payTxFee;
    const encryption = db.getMetaText("encryption");
    this.encryption = encryption === null ? null : JSON.parse(encryption) as EncryptionRecord;
  }

  /** Opens an existing wallet file and loads everything into memory. */
  static open(name: string, path: string, options: WalletOptions): Wallet {
    const db = WalletDatabase.open(path, { create: false });
    try {
      const wallet = new Wallet(name, db, options);
      wallet.#loadFromDatabase();
      return wallet;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Creates a new wallet file with freicoind's default descriptors unless blank. */
  static create(
    name: string,
    path: string,
    options: WalletOptions,
    flags: CreateWalletFlags,
    tip: ChainBlockInfo,
  ): Wallet {
    const db = WalletDatabase.open(path, { create: true });
    try {
      let walletFlags = WALLET_FLAG.DESCRIPTORS;
      if (flags.disablePrivateKeys) walletFlags |= WALLET_FLAG.DISABLE_PRIVATE_KEYS;
      if (flags.blank) walletFlags |= WALLET_FLAG.BLANK_WALLET;
      if (flags.avoidReuse) walletFlags |= WALLET_FLAG.AVOID_REUSE;
      db.transaction(() => {
        db.setMeta("flags", String(walletFlags));
        db.setMeta("best_block", bestBlockBytes(tip.hash, tip.height));
      });
      const wallet = new Wallet(name, db, options);
      wallet.flags = walletFlags;
      wallet.lastBlockHash = tip.hash;
      wallet.lastBlockHeight = tip.height;
      if (!flags.disablePrivateKeys && !flags.blank) wallet.setupDefaultDescriptors();
      return wallet;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  #loadFromDatabase(): void {
    const db = this.db;
    const best = db.getMeta("best_block");
    if (best !== null && best.length === 36) {
      this.lastBlockHash = best.slice(0, 32);
      this.lastBlockHeight = new DataView(best.buffer, best.byteOffset).getUint32(32, true);
    }
    const byId = new Map<string, DescriptorManager>();
    for (const row of db.descriptors()) {
      const manager = new DescriptorManager(row, this.options);
      this.managers.set(manager.idHex, manager);
      byId.set(manager.idHex, manager);
    }
    for (const [script, id, position] of db.scripts()) {
      const manager = byId.get(bytesToHex(id));
      if (!manager) continue;
      manager.addKnownScript(script, position);
      this.#scriptOwners.set(bytesToHex(script), manager);
      this.#scriptsGeneration++;
    }
    for (const manager of this.managers.values()) this.#topUpManager(manager);
    for (const row of db.transactions()) {
      const wtx = walletTxFromRow(row);
      this.txs.set(wtx.txidHex, wtx);
      this.#txsGeneration++;
      this.#indexSpends(wtx);
      this.#nextOrderPos = Math.max(this.#nextOrderPos, wtx.orderPos + 1);
      this.#latestTime = Math.max(this.#latestTime, wtx.timeSmart);
    }
    for (const [address, label, purpose] of db.addressBook()) {
      this.addressBook.set(address, { label, purpose });
    }
    for (const outpoint of db.lockedCoins()) {
      const key = `${bytesToHex(outpoint.slice(0, 32))}:${
        new DataView(outpoint.buffer, outpoint.byteOffset).getUint32(32, true)
      }`;
      this.lockedCoins.add(key);
      this.persistentLocks.add(key);
    }
  }

  /** Whether a wallet flag is set. */
  hasFlag(flag: bigint): boolean {
    return (this.flags & flag) !== 0n;
  }

  /** Sets or clears a wallet flag and stores it. */
  setFlag(flag: bigint, on: boolean): void {
    this.flags = on ? this.flags | flag : this.flags & ~flag;
    this.db.setMeta("flags", String(this.flags));
  }

  /** Whether the wallet can hold private keys. */
  get privateKeysDisabled(): boolean {
    return this.hasFlag(WALLET_FLAG.DISABLE_PRIVATE_KEYS);
  }

  /**
   * Adds the four default descriptors (legacy and bech32, receive and change) from a fresh
   * random seed (`SetupDescriptorScriptPubKeyMans`).
   */
  setupDefaultDescriptors(seed?: Uint8Array): void {
    let master = null;
    while (master === null) {
      const bytes = seed ?? crypto.getRandomValues(new Uint8Array(32));
      master = extKeyFromSeed(bytes);
      if (master === null && seed) throw new Error("Invalid seed");
    }
    const xprv = encodeExtKey(master, this.options.prefixes);
    const coinType = this.options.isTestChain ? "1h" : "0h";
    const created = this.options.now();
    this.db.transaction(() => {
      for (const type of ["legacy", "bech32"] as const) {
        for (const internal of [false, true]) {
          const text = `${PURPOSE[type].replace("%", xprv)}/${coinType}/0h/${internal ? 1 : 0}/*)`;
          this.addDescriptor(addChecksum(text), {
            timestamp: created,
            activeType: type,
            internal,
            rangeStart: 0,
            rangeEnd: 0,
            nextIndex: 0,
          });
        }
      }
      this.setFlag(WALLET_FLAG.BLANK_WALLET, false);
    });
  }

  /**
   * Adds or updates a descriptor (`AddWalletDescriptor`) and derives its keypool; returns its
   * manager. An existing descriptor keeps its next index and widens its range.
   */
  addDescriptor(
    text: string,
    settings: {
      timestamp: number;
      activeType: OutputType | null;
      internal: boolean;
      rangeStart: number;
      rangeEnd: number;
      nextIndex: number;
    },
  ): DescriptorManager {
    const descriptor = parseDescriptor(text, this.options);
    const id = descriptor.descriptorId();
    const idHex = bytesToHex(id);
    const existing = this.managers.get(idHex);
    // A descriptor with only some private keys has no private string (`ToPrivateString`
    // fails); freicoind keeps its keys beside it. The text as given holds them all.
    const privateText = descriptor.toPrivateString() ?? (descriptor.hasPrivateKeys ? text : null);
    let stored = privateText ?? descriptor.toString();
    let secret: Uint8Array | null = null;
    if (privateText !== null && this.encryption !== null) {
      // Encrypted wallets keep only the public form in clear.
      if (this.#masterKey === null) {
        throw new Error("Error: Please enter the wallet passphrase with walletpassphrase first.");
      }
      stored = descriptor.toString();
      secret = encryptBytes(this.#masterKey, new TextEncoder().encode(privateText));
    }
    const row = {
      id,
      descriptor: stored,
      secret,
      derivation: descriptor.toNormalizedString(),
      created: existing ? Math.min(existing.row.created, settings.timestamp) : settings.timestamp,
      rangeStart: existing
        ? Math.min(existing.row.rangeStart, settings.rangeStart)
        : settings.rangeStart,
      rangeEnd: existing ? Math.max(existing.row.rangeEnd, settings.rangeEnd) : settings.rangeEnd,
      // An update takes the request's next index (`UpdateWalletDescriptor`), so widening the
      // range downwards hands out the new positions too.
      nextIndex: settings.nextIndex,
      activeType: settings.activeType,
      internal: settings.internal,
    };
    const manager = new DescriptorManager(row, this.options, privateText ?? undefined);
    if (existing) {
      for (const [script, position] of existing.scripts) manager.scripts.set(script, position);
    }
    this.db.transaction(() => {
      if (settings.activeType !== null) {
        // Only one active descriptor per output type and internal flag.
        for (const other of this.managers.values()) {
          if (
            other.idHex !== idHex && other.row.activeType === settings.activeType &&
            other.row.internal === settings.internal
          ) {
            other.row = { ...other.row, activeType: null };
            this.db.putDescriptor(other.row);
          }
        }
      }
      this.managers.set(idHex, manager);
      this.#topUpManager(manager);
    });
    return manager;
  }

  #topUpManager(manager: DescriptorManager): void {
    const keypool = manager.isRange ? this.options.keypool : 1;
    const derived = manager.topUp(keypool);
    this.db.transaction(() => {
      for (const { script, position } of derived) {
        this.db.putScript(script, manager.row.id, position);
        this.#scriptOwners.set(bytesToHex(script), manager);
        this.#scriptsGeneration++;
      }
      this.db.putDescriptor(manager.row);
    });
    // Only a real change of owner bumps the generation: caches of what is ours survive a
    // top-up that found every script already known.
    for (const [script] of manager.scripts) {
      if (this.#scriptOwners.get(script) === manager) continue;
      this.#scriptOwners.set(script, manager);
      this.#scriptsGeneration++;
    }
  }

  /**
   * The script `manager` hands out next, without using it up (`GetReservedDestination` before
   * `KeepDestination`): the keypool is topped up first, as freicoind's `TopUp` does. Null when
   * the descriptor's range is exhausted.
   */
  peekNextScript(manager: DescriptorManager): Uint8Array | null {
    this.#topUpManager(manager);
    const position = manager.row.nextIndex;
    if (manager.isRange && position >= manager.row.rangeEnd) return null;
    return manager.scriptAt(position);
  }

  /** Refills every ranged descriptor's keypool to `size` ahead of its next index. */
  keypoolRefill(size: number): void {
    this.db.transaction(() => {
      for (const manager of this.managers.values()) {
        if (!manager.isRange) continue;
        const derived = manager.topUp(size);
        for (const { script, position } of derived) {
          this.db.putScript(script, manager.row.id, position);
          this.#scriptOwners.set(bytesToHex(script), manager);
          this.#scriptsGeneration++;
        }
        this.db.putDescriptor(manager.row);
      }
    });
  }

  /** The active descriptor for an output type, receive or change. */
  activeManager(type: OutputType, internal: boolean): DescriptorManager | undefined {
    for (const manager of this.managers.values()) {
      if (manager.row.activeType === type && manager.row.internal === internal) return manager;
    }
    return undefined;
  }

  /**
   * A new address from the active descriptor (`GetNewDestination`), or an error text
   * ("Error: This wallet has no available keys", ...).
   */
  getNewScript(type: OutputType, internal: boolean): Uint8Array | string {
    const manager = this.activeManager(type, internal);
    if (!manager) {
      return internal
        ? "Error: This wallet has no available keys"
        : "Error: This wallet has no available keys";
    }
    let script: Uint8Array | null = null;
    this.db.transaction(() => {
      this.#topUpManager(manager);
      const position = manager.row.nextIndex;
      if (position >= manager.row.rangeEnd) return;
      script = manager.scriptAt(position);
      manager.row = { ...manager.row, nextIndex: position + 1 };
      this.db.putDescriptor(manager.row);
    });
    return script ?? "Error: Keypool ran out, please call keypoolrefill first";
  }

  /** The manager owning a scriptPubKey, if it is ours. */
  ownerOf(script: Uint8Array): DescriptorManager | undefined {
    return this.#scriptOwners.get(scriptKey(script));
  }

  /** Whether a scriptPubKey is ours (`IsMine`). */
  isMine(script: Uint8Array): boolean {
    return this.#scriptOwners.has(scriptKey(script));
  }

  /** Bumped whenever the set of our scripts changes (invalidates {@linkcode mineOutputs}). */
  #scriptsGeneration = 0;

  /** Changes whenever the set of our scripts changes (for caches of what is ours). */
  get scriptsGeneration(): number {
    return this.#scriptsGeneration;
  }
  readonly #mineOutputsCache = new WeakMap<WalletTx, MineOutputs>();

  /**
   * Indexes of a transaction's outputs that are ours, in order. Our scripts are only ever
   * added (top-ups, imports; a rebuilt manager keeps its scripts), so an output once ours stays
   * ours: when they change, only the outputs that were not ours are looked at again.
   */
  mineOutputs(wtx: WalletTx): readonly number[] {
    let cached = this.#mineOutputsCache.get(wtx);
    if (cached === undefined) {
      cached = { generation: -1, outputs: [], others: wtx.tx.outputs.map((_, n) => n) };
      this.#mineOutputsCache.set(wtx, cached);
    }
    if (cached.generation === this.#scriptsGeneration) return cached.outputs;
    cached.generation = this.#scriptsGeneration;
    if (cached.others.length === 0) return cached.outputs;
    const outputs = wtx.tx.outputs;
    const joined: number[] = [];
    const others: number[] = [];
    for (const n of cached.others) (this.isMine(outputs[n].scriptPubKey) ? joined : others).push(n);
    if (joined.length > 0) {
      // A fresh array: callers may hold the previous one.
      cached.outputs = [...cached.outputs, ...joined].sort((a, b) => a - b);
      cached.others = others;
    }
    return cached.outputs;
  }

  /** Every descriptor manager owning a scriptPubKey (for `parent_descs`). */
  ownersOf(script: Uint8Array): DescriptorManager[] {
    const key = scriptKey(script);
    return [...this.managers.values()].filter((m) => m.scripts.has(key));
  }

  /**
   * Whether a scriptPubKey is change (`ScriptIsChange`): ours and without an address-book entry.
   * An internal address given a label (setlabel) is no longer change, as in freicoind.
   */
  isChange(script: Uint8Array): boolean {
    const owner = this.ownerOf(script);
    if (!owner) return false;
    const dest = extractDestination(script);
    if (!isValidDestination(dest)) return true;
    const address = encodeDestination(dest, this.options.prefixes);
    return !this.addressBook.has(address);
  }

  /** Sets a label and purpose in the address book. */
  setAddressBook(address: string, label: string, purpose: string): void {
    this.addressBook.set(address, { label, purpose });
    this.db.putAddress(address, label, purpose);
  }

  /** The label of an address, or undefined when it has no entry. */
  labelOf(script: Uint8Array): string | undefined {
    const dest = extractDestination(script);
    if (!isValidDestination(dest)) return undefined;
    return this.addressBook.get(encodeDestination(dest, this.options.prefixes))?.label;
  }

  /** The wallet's height for depths and demurrage. */
  get tipHeight(): number {
    return this.lastBlockHeight;
  }

  /** Depth of a wallet transaction against the wallet's last processed block. */
  depth(wtx: WalletTx): number {
    return txDepth(wtx, this.lastBlockHeight);
  }

  /** The output a wallet transaction input spends, when that transaction is ours. */
  prevOutput(outpoint: OutPoint): { wtx: WalletTx; n: number } | undefined {
    const parent = this.txs.get(displayTxid(outpoint.hash));
    if (!parent || outpoint.n >= parent.tx.outputs.length) return undefined;
    return { wtx: parent, n: outpoint.n };
  }

  /** Whether an outpoint is spent by a wallet transaction that is not abandoned or conflicted. */
  isSpent(outpointKeyText: string): boolean {
    const spenders = this.spends.get(outpointKeyText);
    if (!spenders) return false;
    for (const txid of spenders) {
      const wtx = this.txs.get(txid);
      if (!wtx) continue;
      if (wtx.state === "abandoned") continue;
      if (this.depth(wtx) >= 0) return true;
    }
    return false;
  }

  /** Bumped whenever a transaction joins or leaves {@linkcode txs} (invalidates debits). */
  #txsGeneration = 0;
  readonly #debitCache = new WeakMap<Transaction, CachedDebit>();

  /**
   * Sum of the reference values of our outputs spent by `tx` (`GetDebit`), cached per
   * transaction until a transaction joins or leaves the wallet; when some input spent a wallet
   * output that was not ours, also until our scripts change (they only grow, so a debit made
   * only of our outputs stays valid).
   */
  debit(tx: Transaction): bigint {
    const cached = this.#debitCache.get(tx);
    if (
      cached !== undefined && cached.txs === this.#txsGeneration &&
      (cached.settled || cached.scripts === this.#scriptsGeneration)
    ) {
      return cached.value;
    }
    let total = 0n;
    let settled = true;
    for (const input of tx.inputs) {
      const prev = this.prevOutput(input.prevout);
      if (!prev) continue;
      const output = prev.wtx.tx.outputs[prev.n];
      if (this.isMine(output.scriptPubKey)) total += output.value;
      else settled = false;
    }
    this.#debitCache.set(tx, {
      txs: this.#txsGeneration,
      scripts: this.#scriptsGeneration,
      value: total,
      settled,
    });
    return total;
  }

  #indexSpends(wtx: WalletTx): void {
    if (wtx.tx.isCoinBase()) return;
    for (const input of wtx.tx.inputs) {
      const key = outpointKey(input.prevout);
      let set = this.spends.get(key);
      if (!set) this.spends.set(key, set = new Set());
      set.add(wtx.txidHex);
    }
  }

  #isRelevant(tx: Transaction): boolean {
    if (tx.outputs.some((output) => this.isMine(output.scriptPubKey))) return true;
    if (tx.isCoinBase()) return false;
    return tx.inputs.some((input) => {
      const prev = this.prevOutput(input.prevout);
      return prev !== undefined && this.isMine(prev.wtx.tx.outputs[prev.n].scriptPubKey);
    });
  }

  /** Moves descriptors' next index past scripts a transaction uses (`MarkUnusedAddresses`). */
  #markUsed(tx: Transaction): void {
    for (const output of tx.outputs) {
      const manager = this.ownerOf(output.scriptPubKey);
      if (!manager || !manager.isRange) continue;
      const position = manager.scripts.get(scriptKey(output.scriptPubKey))!;
      if (manager.row.nextIndex <= position) {
        // Receiving addresses handed out elsewhere (another copy of the wallet, a restored
        // backup) join the address book unlabelled, so that payments to them are not taken
        // for change; the skipped ones up to this one too.
        if (manager.row.activeType !== null && !manager.row.internal) {
          for (let index = manager.row.nextIndex; index <= position; index++) {
            const script = manager.scriptAt(index);
            const dest = script ? extractDestination(script) : null;
            if (dest === null || !isValidDestination(dest)) continue;
            const address = encodeDestination(dest, this.options.prefixes);
            if (!this.addressBook.has(address)) this.setAddressBook(address, "", "receive");
          }
        }
        manager.row = { ...manager.row, nextIndex: position + 1 };
        this.#topUpManager(manager);
      }
    }
  }

  /**
   * Adds or updates a transaction (`AddToWallet` / `SyncTransaction`); with `update` false,
   * an unknown irrelevant transaction is ignored. Returns the wallet transaction, if kept.
   */
  addTransaction(
    tx: Transaction,
    state: {
      state: WalletTx["state"];
      block?: ChainBlockInfo;
      blockIndex?: number;
      fromMe?: boolean;
      comment?: string | null;
      commentTo?: string | null;
      /** Found by a rescan of an old block: its time is the block's. */
      rescan?: boolean;
    },
  ): WalletTx | undefined {
    const txid = tx.txidHex;
    let wtx = this.txs.get(txid);
    if (state.state === "confirmed" && state.block && !tx.isCoinBase()) {
      // A block transaction conflicts our transactions spending the same coins, whether or
      // not it concerns us itself.
      const block = state.block;
      this.db.transaction(() => this.#markConflicts(tx, block.height));
    }
    if (!wtx && !this.#isRelevant(tx)) return undefined;
    const now = this.options.now();
    if (!wtx) {
      wtx = {
        tx,
        txidHex: txid,
        state: state.state,
        blockHash: null,
        blockHeight: null,
        blockIndex: null,
        blockTime: null,
        conflictHeight: null,
        timeReceived: now,
        timeSmart: this.#smartTime(
          now,
          state.state === "confirmed" ? state.block : undefined,
          state.rescan ?? false,
        ),
        orderPos: this.#nextOrderPos++,
        fromMe: state.fromMe ?? false,
        comment: state.comment ?? null,
        commentTo: state.commentTo ?? null,
        replacedBy: null,
        replaces: null,
      };
      this.txs.set(txid, wtx);
      this.#txsGeneration++;
      this.#indexSpends(wtx);
      this.#unlockSpentCoins(tx);
      this.#latestTime = Math.max(this.#latestTime, wtx.timeSmart);
    } else if (wtx.state === "confirmed" && state.state === "mempool") {
      // A block already holds it; the mempool event is stale.
      return wtx;
    }
    wtx.state = state.state;
    if (state.state === "confirmed" && state.block) {
      wtx.blockHash = state.block.hash;
      wtx.blockHeight = state.block.height;
      wtx.blockIndex = state.blockIndex ?? 0;
      wtx.blockTime = state.block.time;
      wtx.conflictHeight = null;
    } else if (state.state !== "conflicted") {
      wtx.blockHash = null;
      wtx.blockHeight = null;
      wtx.blockIndex = null;
      wtx.blockTime = null;
    }
    if (state.fromMe) wtx.fromMe = true;
    const stored = wtx;
    this.db.transaction(() => {
      this.db.putTransaction(walletTxToRow(stored));
      this.#markUsed(tx);
    });
    // Every sync of a wallet transaction is reported, changed or not, as freicoind's
    // `AddToWallet` does (a rescan reports each transaction it finds again).
    this.#notifyTransactionChanged(wtx);
    return wtx;
  }

  /** Reports a changed transaction for `-walletnotify` (`%b`/`%h` only when confirmed). */
  #notifyTransactionChanged(wtx: WalletTx): void {
    const notify = this.options.transactionNotify;
    if (!notify) return;
    const confirmed = wtx.state === "confirmed" && wtx.blockHash !== null;
    try {
      notify({
        txid: wtx.tx.txidHex,
        walletName: this.name,
        blockHash: confirmed && wtx.blockHash ? hashHex(wtx.blockHash) : "unconfirmed",
        blockHeight: confirmed ? wtx.blockHeight ?? -1 : -1,
      });
    } catch (error) {
      this.options.logger.error(`walletnotify: ${String(error)}`);
    }
  }

  /**
   * The time a transaction is listed with (`ComputeTimeSmart`): the block time, but never
   * later than when it was received nor earlier than the wallet's latest earlier entry.
   */
  #smartTime(now: number, block: ChainBlockInfo | undefined, rescan: boolean): number {
    if (!block) return now;
    if (rescan) return block.time;
    const latestEntry = this.#latestTime <= now + 300 ? this.#latestTime : 0;
    return Math.max(latestEntry, Math.min(block.time, now));
  }

  /** Coins a new wallet transaction spends are no longer locked (`UnlockCoin`). */
  #unlockSpentCoins(tx: Transaction): void {
    if (tx.isCoinBase()) return;
    for (const input of tx.inputs) {
      if (this.lockedCoins.has(outpointKey(input.prevout))) {
        this.setCoinLock(input.prevout, false, true);
      }
    }
  }

  /** Marks wallet transactions double-spending `tx`'s inputs, and their children, conflicted. */
  #markConflicts(tx: Transaction, height: number): void {
    const todo: string[] = [];
    for (const input of tx.inputs) {
      for (const other of this.spends.get(outpointKey(input.prevout)) ?? []) {
        if (other !== tx.txidHex) todo.push(other);
      }
    }
    const done = new Set<string>();
    while (todo.length > 0) {
      const txid = todo.pop()!;
      if (done.has(txid)) continue;
      done.add(txid);
      const wtx = this.txs.get(txid);
      if (!wtx || wtx.state === "confirmed") continue;
      wtx.state = "conflicted";
      wtx.conflictHeight = height;
      this.db.putTransaction(walletTxToRow(wtx));
      for (let n = 0; n < wtx.tx.outputs.length; n++) {
        for (const child of this.spends.get(outputKey(wtx.tx, n)) ?? []) todo.push(child);
      }
    }
  }

  #setBestBlock(hash: Uint8Array, height: number): void {
    this.lastBlockHash = hash;
    this.lastBlockHeight = height;
    this.db.setMeta("best_block", bestBlockBytes(hash, height));
  }

  /** Applies a block of the active chain (also used by rescans). */
  applyBlock(block: Uint8Array, info: ChainBlockInfo, setBest: boolean, rescan = false): void {
    const decoded = decodeBlock(block);
    this.db.transaction(() => {
      decoded.transactions.forEach((tx, index) => {
        this.addTransaction(tx, { state: "confirmed", block: info, blockIndex: index, rescan });
      });
      if (setBest) this.#setBestBlock(info.hash, info.height);
    });
  }

  // --- ChainNotifications ---------------------------------------------------------------

  /** A transaction entered the mempool. */
  transactionAddedToMempool(tx: Uint8Array): Promise<void> {
    return this.lock.run(() => this.#applyMempoolTransaction(tx));
  }

  #applyMempoolTransaction(tx: Uint8Array): void {
    const decoded = decodeTransaction(tx);
    const existing = this.txs.get(decoded.txidHex);
    if (existing && (existing.state === "confirmed")) return;
    this.addTransaction(decoded, { state: "mempool" });
  }

  /**
   * Asks the node for its mempool transactions and applies those that concern the wallet,
   * for a caller that already holds {@linkcode Wallet.lock} (the end of a rescan).
   */
  async #scanMempool(): Promise<void> {
    this.options.logger.info(`[${this.name}] Scanning current mempool transactions.`);
    const sink: ChainNotifications = {
      transactionAddedToMempool: (tx) =>
        Promise.resolve().then(() => this.#applyMempoolTransaction(tx)),
      transactionRemovedFromMempool: () => Promise.resolve(),
      blockConnected: () => Promise.resolve(),
      blockDisconnected: () => Promise.resolve(),
      updatedBlockTip: () => Promise.resolve(),
    };
    await this.options.chain.requestMempoolTransactions(sink);
  }

  /** A transaction left the mempool. */
  transactionRemovedFromMempool(tx: Uint8Array, reason: string): Promise<void> {
    return this.lock.run(() => {
      if (reason === "block") return;
      const decoded = decodeTransaction(tx);
      const wtx = this.txs.get(decoded.txidHex);
      if (!wtx) return;
      // A block's transaction spent the same coins: report it, as unconfirmed, as freicoind
      // does (the removal carries no block to name), whatever the block already made of it.
      if (reason === "conflict") this.#notifyTransactionChanged(wtx);
      if (wtx.state !== "mempool") return;
      wtx.state = "inactive";
      this.db.putTransaction(walletTxToRow(wtx));
    });
  }

  /**
   * After loading (`ResubmitWalletTransactions` at start): each transaction the wallet last saw
   * in the mempool is offered to the node again without relay; one the node no longer has and
   * does not take back (e.g. a higher -minrelaytxfee after a restart) becomes inactive, so it
   * no longer counts as trusted.
   */
  async resubmitMempoolTransactions(): Promise<void> {
    const pending = [...this.txs.values()].filter((wtx) => wtx.state === "mempool");
    for (const wtx of pending) {
      const chain = this.options.chain;
      if (await chain.isInMempool(wtx.tx.txid)) continue;
      const result = await chain.broadcastTransaction(wtx.tx.toBytes(), 0n, false);
      if (result.ok) continue;
      await this.lock.run(() => {
        if (wtx.state !== "mempool") return;
        wtx.state = "inactive";
        this.db.putTransaction(walletTxToRow(wtx));
      });
    }
  }

  /** A block was connected. */
  blockConnected(block: Uint8Array, info: ChainBlockInfo): Promise<void> {
    // A block the catch-up scan already applied does not move the best block back.
    return this.lock.run(() => this.applyBlock(block, info, info.height > this.lastBlockHeight));
  }

  /** A block was disconnected: its transactions become inactive, their conflicts too. */
  blockDisconnected(block: Uint8Array, info: ChainBlockInfo): Promise<void> {
    return this.lock.run(() => {
      this.db.transaction(() => {
        for (const wtx of this.txs.values()) {
          const inBlock = wtx.state === "confirmed" && wtx.blockHeight === info.height;
          const conflictedHere = wtx.state === "conflicted" && wtx.conflictHeight === info.height;
          if (!inBlock && !conflictedHere) continue;
          wtx.state = "inactive";
          wtx.blockHash = null;
          wtx.blockHeight = null;
          wtx.blockIndex = null;
          wtx.conflictHeight = null;
          this.db.putTransaction(walletTxToRow(wtx));
        }
        const previous = decodeBlock(block).header.hashPrevBlock;
        this.#setBestBlock(previous, info.height - 1);
      });
    });
  }

  /** The tip changed. */
  updatedBlockTip(): Promise<void> {
    return Promise.resolve();
  }

  // --- rescans ----------------------------------------------------------------------------

  /**
   * Scans active-chain blocks from `startHeight` to `stopHeight` (default: the tip) for
   * wallet transactions (`ScanForWalletTransactions`); returns the last height scanned.
   * The caller holds {@linkcode Wallet.lock}.
   */
  async rescan(startHeight: number, stopHeight?: number, signal?: AbortSignal): Promise<number> {
    const chain = this.options.chain;
    let height = startHeight;
    let last = startHeight - 1;
    while (true) {
      if (signal?.aborted) break;
      const tip = await chain.getTip();
      const stop = stopHeight ?? tip.height;
      if (height > stop) break;
      const info = await chain.getBlockInfo(height);
      if (!info) break;
      const block = await chain.getBlock(info.hash);
      if (!block) break;
      if (height === startHeight) {
        this.options.logger.info(
          `[${this.name}] Rescan started from block ${
            hashToHex(info.hash)
          }... (slow variant inspecting all blocks)`,
        );
      }
      const atTip = stopHeight === undefined && info.height === tip.height;
      this.applyBlock(block.block, info, atTip || info.height > this.lastBlockHeight, true);
      last = height;
      height++;
    }
    // A scan up to the tip ends with the mempool (`ScanForWalletTransactions`).
    if (stopHeight === undefined && !signal?.aborted) await this.#scanMempool();
    return last;
  }

  /**
   * Brings a freshly loaded wallet up to the chain: transactions in blocks that left the
   * active chain become inactive, then blocks after the last processed one are scanned.
   */
  async syncWithChain(): Promise<void> {
    const chain = this.options.chain;
    let from = this.lastBlockHeight + 1;
    if (this.lastBlockHeight >= 0 && !(await chain.isInActiveChain(this.lastBlockHash))) {
      for (const wtx of this.txs.values()) {
        if (wtx.state !== "confirmed" || wtx.blockHash === null) continue;
        if (await chain.isInActiveChain(wtx.blockHash)) continue;
        wtx.state = "inactive";
        from = Math.min(from, wtx.blockHeight ?? from);
        wtx.blockHash = null;
        wtx.blockHeight = null;
        wtx.blockIndex = null;
        this.db.putTransaction(walletTxToRow(wtx));
      }
      from = Math.max(0, Math.min(from, this.lastBlockHeight - 100));
    }
    const tip = await chain.getTip();
    if (from <= tip.height) await this.rescan(Math.max(0, from));
    const after = await chain.getTip();
    if (after.height === this.lastBlockHeight || this.lastBlockHeight < 0) {
      this.#setBestBlock(after.hash, after.height);
    }
  }

  /** Records a transaction this wallet created and sent. */
  recordSent(tx: Transaction, comment: string | null, commentTo: string | null): WalletTx {
    const wtx = this.addTransaction(tx, {
      state: "inactive",
      fromMe: true,
      comment,
      commentTo,
    });
    if (!wtx) throw new Error("The sent transaction does not involve the wallet");
    return wtx;
  }

  /** Forgets a wallet transaction (`RemoveTxs`); false if it is not in the wallet. */
  removeTransaction(txidHex: string): boolean {
    const wtx = this.txs.get(txidHex);
    if (!wtx) return false;
    this.db.deleteTransaction(wtx.tx.txid);
    this.txs.delete(txidHex);
    this.#txsGeneration++;
    if (!wtx.tx.isCoinBase()) {
      for (const input of wtx.tx.inputs) {
        this.spends.get(outpointKey(input.prevout))?.delete(txidHex);
      }
    }
    return true;
  }

  /** Stores a transaction's state change. */
  saveTx(wtx: WalletTx): void {
    this.db.putTransaction(walletTxToRow(wtx));
  }

  /** Locks or unlocks a coin for spending (`LockCoin`). */
  setCoinLock(outpoint: OutPoint, locked: boolean, persistent: boolean): void {
    const key = outpointKey(outpoint);
    if (locked) {
      this.lockedCoins.add(key);
      if (persistent) {
        this.persistentLocks.add(key);
        this.db.setCoinLocked(outpointBytes(outpoint), true);
      }
    } else {
      this.lockedCoins.delete(key);
      if (this.persistentLocks.delete(key)) this.db.setCoinLocked(outpointBytes(outpoint), false);
    }
  }

  /** Sets -paytxfee for this wallet (settxfee). */
  setPayTxFee(rate: bigint): void {
    // In memory only, as freicoind's m_pay_tx_fee: a restart goes back to -paytxfee.
    this.payTxFee = rate;
  }

  /** Whether the wallet is encrypted. */
  get isCrypted(): boolean {
    return this.encryption !== null;
  }

  /** Whether private keys are out of reach (encrypted and not unlocked, or the unlock expired). */
  isLocked(): boolean {
    if (this.encryption === null) return false;
    if (this.#masterKey !== null && Date.now() >= this.#unlockDeadline) this.lockWallet();
    return this.#masterKey === null;
  }

  /** Rebuilds every descriptor manager with or without its private descriptor. */
  #reloadManagers(): void {
    for (const [id, manager] of this.managers) {
      let privateText: string | undefined;
      if (this.#masterKey !== null && manager.row.secret !== null) {
        const plain = decryptBytes(this.#masterKey, manager.row.secret);
        if (plain !== null) privateText = new TextDecoder().decode(plain);
      }
      const rebuilt = new DescriptorManager(manager.row, this.options, privateText);
      for (const [script, position] of manager.scripts) rebuilt.scripts.set(script, position);
      rebuilt.adoptSigningData(manager);
      this.managers.set(id, rebuilt);
      for (const script of rebuilt.scripts.keys()) this.#scriptOwners.set(script, rebuilt);
    }
  }

  /**
   * Encrypts every private descriptor with a new master key under `passphrase`
   * (`EncryptWallet`), then adds fresh default descriptors from a new seed and locks.
   * Old clear-text records are wiped from the file.
   */
  encryptWallet(passphrase: string): void {
    const { masterKey, record } = newEncryption(passphrase);
    this.db.transaction(() => {
      for (const manager of this.managers.values()) {
        const privateText = manager.privateString();
        if (privateText === null) continue;
        manager.row = {
          ...manager.row,
          descriptor: manager.publicString(),
          secret: encryptBytes(masterKey, new TextEncoder().encode(privateText)),
        };
        this.db.putDescriptor(manager.row);
      }
      this.db.setMeta("encryption", JSON.stringify(record));
      this.encryption = record;
      this.#masterKey = masterKey;
      this.#unlockDeadline = Number.MAX_SAFE_INTEGER;
      if (!this.hasFlag(WALLET_FLAG.BLANK_WALLET)) this.setupDefaultDescriptors();
    });
    this.lockWallet();
    this.db.wipeFreePages();
  }

  /** Unlocks for `seconds` (`Unlock` + relock timer); false when the passphrase is wrong. */
  unlock(passphrase: string, seconds: number): boolean {
    if (this.encryption === null) return false;
    const key = openMasterKey(this.encryption, passphrase);
    if (key === null) return false;
    this.#masterKey = key;
    this.#unlockDeadline = Date.now() + seconds * 1000;
    this.unlockedUntil = this.options.now() + seconds;
    this.#reloadManagers();
    return true;
  }

  /** Forgets the master key and private descriptors. */
  lockWallet(): void {
    this.#masterKey = null;
    this.#unlockDeadline = 0;
    this.unlockedUntil = 0;
    this.#reloadManagers();
  }

  /** Re-encrypts the master key under a new passphrase; false when `oldPassphrase` is wrong. */
  changePassphrase(oldPassphrase: string, newPassphrase: string): boolean {
    if (this.encryption === null) return false;
    const key = openMasterKey(this.encryption, oldPassphrase);
    if (key === null) return false;
    const record = sealMasterKey(key, newPassphrase);
    this.db.setMeta("encryption", JSON.stringify(record));
    this.encryption = record;
    this.db.wipeFreePages();
    return true;
  }

  /** Flushes and closes the database; idempotent. */
  close(): void {
    this.db.close();
  }
}

function bestBlockBytes(hash: Uint8Array, height: number): Uint8Array {
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, height, true);
  return concatBytes(hash, tail);
}

function outpointBytes(outpoint: OutPoint): Uint8Array {
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, outpoint.n, true);
  return concatBytes(outpoint.hash, tail);
}

/** Hex of scriptPubKeys, computed once per script object (scripts are never changed in place). */
const scriptHexes = new WeakMap<Uint8Array, string>();

/** The hex of a scriptPubKey, the key of the wallet's script maps; computed once per object. */
export function scriptKey(script: Uint8Array): string {
  let key = scriptHexes.get(script);
  if (key === undefined) scriptHexes.set(script, key = bytesToHex(script));
  return key;
}

/** Display-order txids of input hashes, computed once per hash object. */
const displayTxids = new WeakMap<Uint8Array, string>();

function displayTxid(hash: Uint8Array): string {
  let txid = displayTxids.get(hash);
  if (txid === undefined) displayTxids.set(hash, txid = hashHex(hash));
  return txid;
}

/** Display-order hex of an internal-order hash. */
export function hashHex(hash: Uint8Array): string {
  return bytesToHex(hash.slice().reverse());
}

/** Internal-order bytes of a display-order hash. */
export function hashFromDisplayHex(hex: string): Uint8Array {
  return hexToBytes(hex).reverse();
}

/** The address of a script, or null when it has none. */
export function addressOf(script: Uint8Array, prefixes: ChainPrefixes): string | null {
  const dest = extractDestination(script);
  if (!isValidDestination(dest)) return null;
  return encodeDestination(dest, prefixes);
}
