/**
 * The wallet role's face to the node ({@linkcode WalletLoader}): loads, creates and unloads
 * wallets in the wallet directory, subscribes each to the chain's notifications, and runs
 * wallet JSON-RPC requests through the wallet method registry.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { type ChainName, chainPrefixes } from "../../kernel/address/mod.ts";
import { createPureSecp256k1, type Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import type { Logger } from "../../cli/logger.ts";
import {
  asRpcError,
  isJsonObject,
  type JsonValue,
  parseJson,
  parseRequest,
  replyObject,
  RPC_ERROR,
  RpcError,
  RpcRegistry,
  walletNameFromUri,
  writeJson,
} from "../../rpc/mod.ts";
import type {
  Chain,
  Handler,
  WalletLoader,
  WalletNotifyEvent,
  WalletRpcCatalog,
} from "../../schemas/chain_interfaces.ts";
import { type CreateWalletFlags, Wallet, type WalletOptions } from "./wallet.ts";
import { WALLET_FILE } from "./layout.ts";
import { DEFAULT_WALLET_SETTINGS, type WalletSettings } from "./wallet_settings.ts";
import { walletRpcMethods } from "./rpc/mod.ts";
import { WalletDatabaseError } from "./wallet_database.ts";

/** Where the list of wallets to load at start-up is kept (the node's settings.json). */
export interface StartupWalletStore {
  /** The names in settings.json `wallet`. */
  read(): Promise<string[]>;
  /** Replaces them. */
  write(names: string[]): Promise<void>;
}

/** What loadwallet puts before a database error. */
const VERIFICATION_PREFIX = "Wallet file verification failed. ";

/** Options of {@linkcode createWalletLoader}. */
export interface WalletLoaderOptions {
  readonly chain: Chain;
  /** The wallet directory (`-walletdir`, default `<datadir>/<net>/wallets`). */
  readonly walletDir: string;
  readonly network: ChainName;
  readonly settings?: Partial<WalletSettings>;
  readonly logger: Logger;
  /** Milliseconds since the epoch (default `Date.now`); mock time overrides it. */
  readonly clock?: () => number;
  /** Signing backend (default: the pure TypeScript one; the wallet process has no FFI). */
  readonly secp?: Secp256k1;
  /** settings.json access for `load_on_startup`; without it the setting is not stored. */
  readonly startupWallets?: StartupWalletStore;
  /** `-walletnotify`: called with each changed transaction's event (see `WalletOptions`). */
  readonly transactionNotify?: (event: WalletNotifyEvent) => void;
}

interface LoadedWallet {
  readonly wallet: Wallet;
  readonly handler: Handler;
}

/** Thrown by load/create with the RPC code freicoind uses for that failure. */
export class WalletLoadError extends RpcError {
  override name = "WalletLoadError";
}

/** The wallet loader; also the context every wallet RPC method receives. */
export class WalletLoaderService implements WalletLoader {
  readonly options: WalletLoaderOptions;
  readonly settings: WalletSettings;
  readonly secp: Secp256k1;
  readonly registry: RpcRegistry<WalletLoaderService>;
  readonly #wallets = new Map<string, LoadedWallet>();
  #mockTime = 0;
  #closed = false;
  /** Rescans running now, by wallet name (for abortrescan). */
  readonly rescans = new Map<string, AbortController>();

  constructor(options: WalletLoaderOptions) {
    this.options = options;
    this.settings = { ...DEFAULT_WALLET_SETTINGS, ...options.settings };
    this.secp = options.secp ?? createPureSecp256k1();
    this.registry = new RpcRegistry<WalletLoaderService>(this);
    for (const method of walletRpcMethods()) this.registry.register(method);
    this.registry.setWarmupFinished();
  }

  /** Seconds, honouring setmocktime. */
  now(): number {
    if (this.#mockTime > 0) return this.#mockTime;
    return Math.floor((this.options.clock ?? Date.now)() / 1000);
  }

  /** The chain's network. */
  get network(): ChainName {
    return this.options.network;
  }

  /** Per-wallet options built from the loader's settings. */
  walletOptions(): WalletOptions {
    const s = this.settings;
    return {
      chain: this.options.chain,
      prefixes: chainPrefixes(this.options.network),
      isTestChain: this.options.network !== "main",
      secp: this.secp,
      logger: this.options.logger,
      now: () => this.now(),
      keypool: s.keypool,
      addressType: s.addressType,
      changeType: s.changeType,
      fallbackFee: s.fallbackFee,
      payTxFee: s.payTxFee,
      minTxFee: s.minTxFee,
      maxTxFee: s.maxTxFee,
      confirmTarget: s.confirmTarget,
      spendZeroConfChange: s.spendZeroConfChange,
      walletRbf: s.walletRbf,
      rejectLongChains: s.rejectLongChains,
      disableTimeAdjust: s.disableTimeAdjust,
      transactionNotify: this.options.transactionNotify,
    };
  }

  /** The database file of wallet `name`. */
  walletPath(name: string): string {
    return join(this.walletDirectory(name), WALLET_FILE);
  }

  /** The directory of wallet `name`: an absolute name is used as is, not put under -walletdir. */
  walletDirectory(name: string): string {
    if (name === "") return this.options.walletDir;
    return isAbsolute(name) ? name : join(this.options.walletDir, name);
  }

  /** Loaded wallets by name, in load order. */
  loaded(): Wallet[] {
    return [...this.#wallets.values()].map((entry) => entry.wallet);
  }

  /** A loaded wallet by name. */
  get(name: string): Wallet | undefined {
    return this.#wallets.get(name)?.wallet;
  }

  /**
   * The wallet a request is for (`GetWalletForJSONRPCRequest`): the `/wallet/<name>` one, or
   * the only loaded one; errors -18 and -19 as freicoind.
   */
  walletForUri(uri: string): Wallet {
    const name = walletNameFromUri(uri);
    if (name !== undefined) {
      const wallet = this.get(name);
      if (!wallet) {
        throw new RpcError(
          RPC_ERROR.WALLET_NOT_FOUND,
          "Requested wallet does not exist or is not loaded",
        );
      }
      return wallet;
    }
    const wallets = this.loaded();
    if (wallets.length === 1) return wallets[0];
    if (wallets.length === 0) {
      throw new RpcError(
        RPC_ERROR.WALLET_NOT_FOUND,
        "No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet. (Note: A default wallet is no longer automatically created)",
      );
    }
    throw new RpcError(
      RPC_ERROR.WALLET_NOT_SPECIFIED,
      "Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).",
    );
  }

  #exists(name: string): boolean {
    try {
      return Deno.statSync(this.walletPath(name)).isFile;
    } catch {
      return false;
    }
  }

  /** Whether the process may not even look at `name`'s path (a sandboxed wallet process). */
  #unreachable(name: string): boolean {
    try {
      Deno.statSync(this.walletPath(name));
      return false;
    } catch (error) {
      return error instanceof Deno.errors.NotCapable;
    }
  }

  /** Refuses a wallet the process may not reach (sandboxed), instead of "does not exist". */
  #assertReachable(name: string): void {
    try {
      Deno.statSync(this.walletPath(name));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotCapable)) return;
      throw new WalletLoadError(
        RPC_ERROR.WALLET_ERROR,
        `Wallet file verification failed. Failed to load database path '${
          this.walletDirectory(name)
        }'. ${SANDBOX_LIMIT}`,
      );
    }
  }

  /**
   * Attaches a wallet to the chain as freicoind's `AttachChain` and `postInitProcess` do:
   * subscribe first (blocks connected during the catch-up scan queue behind the subscription
   * instead of falling between the scan and it), catch up with the chain, offer the wallet's
   * unconfirmed transactions to the mempool again, then learn the mempool transactions that
   * concern the wallet.
   */
  async #register(wallet: Wallet): Promise<void> {
    const handler = await this.options.chain.handleNotifications(wallet);
    this.#wallets.set(wallet.name, { wallet, handler });
    await wallet.lock.run(() => wallet.syncWithChain());
    try {
      await wallet.resubmitMempoolTransactions();
    } catch (error) {
      this.options.logger.warning(
        `[${wallet.name}] Resubmitting wallet transactions failed: ${(error as Error).message}`,
      );
    }
    await this.options.chain.requestMempoolTransactions(wallet);
    this.options.logger.info(`[${wallet.name}] Wallet completed loading`);
  }

  /** Names being loaded or created right now. */
  readonly #loading = new Set<string>();

  /** Runs `body` while `name` is marked as loading; a second load meanwhile is refused. */
  async #whileLoading<T>(name: string, body: () => Promise<T>): Promise<T> {
    if (this.#loading.has(name)) {
      throw new WalletLoadError(RPC_ERROR.WALLET_ERROR, "Wallet already loading.");
    }
    this.#loading.add(name);
    try {
      return await body();
    } finally {
      this.#loading.delete(name);
    }
  }

  /** Loads an existing wallet (`LoadWallet`), catching it up with the chain. */
  loadWallet(name: string): Promise<Wallet> {
    return this.#whileLoading(name, () => this.#loadWallet(name));
  }

  async #loadWallet(name: string): Promise<Wallet> {
    if (this.#wallets.has(name)) {
      throw new WalletLoadError(
        RPC_ERROR.WALLET_ALREADY_LOADED,
        `Wallet "${name}" is already loaded.`,
      );
    }
    const path = this.walletPath(name);
    const badPath = this.#invalidPathError(name);
    if (badPath !== null) {
      throw new WalletLoadError(RPC_ERROR.WALLET_ERROR, VERIFICATION_PREFIX + badPath);
    }
    this.#assertReachable(name);
    if (!this.#exists(name)) {
      // A directory without a wallet file is "not in recognized format" (`MakeDatabase`).
      const found = isDirectorySync(this.walletDirectory(name));
      throw new WalletLoadError(
        RPC_ERROR.WALLET_NOT_FOUND,
        `${VERIFICATION_PREFIX}Failed to load database path '${this.walletDirectory(name)}'. ${
          found ? "Data is not in recognized format." : "Path does not exist."
        }`,
      );
    }
    let wallet: Wallet;
    try {
      wallet = Wallet.open(name, path, this.walletOptions());
    } catch (error) {
      if (error instanceof WalletDatabaseError) {
        // A bad format counts as "not found" (`FAILED_BAD_FORMAT`); a busy file does not.
        throw new WalletLoadError(
          error.locked ? RPC_ERROR.WALLET_ERROR : RPC_ERROR.WALLET_NOT_FOUND,
          `Wallet file verification failed. ${error.message}`,
        );
      }
      throw new WalletLoadError(RPC_ERROR.WALLET_ERROR, `Wallet loading failed. ${String(error)}`);
    }
    try {
      await this.#register(wallet);
    } catch (error) {
      await this.#wallets.get(name)?.handler.disconnect().catch(() => {});
      this.#wallets.delete(name);
      wallet.close();
      throw error;
    }
    return wallet;
  }

  /** Creates and loads a new wallet (`CreateWallet`). */
  createWallet(name: string, flags: CreateWalletFlags, passphrase?: string): Promise<Wallet> {
    return this.#whileLoading(name, () => this.#createWallet(name, flags, passphrase));
  }

  async #createWallet(
    name: string,
    flags: CreateWalletFlags,
    passphrase?: string,
  ): Promise<Wallet> {
    if (this.#wallets.has(name) || this.#exists(name)) {
      // createwallet answers every failure but encryption with -4 (RPC_WALLET_ERROR).
      throw new WalletLoadError(
        RPC_ERROR.WALLET_ERROR,
        `Wallet file verification failed. Failed to create database path '${
          this.walletDirectory(name)
        }'. Database already exists.`,
      );
    }
    const path = this.walletPath(name);
    await makeWalletDirectory(join(path, ".."));
    const tip = await this.options.chain.getTip();
    let wallet: Wallet;
    if (passphrase === undefined) {
      wallet = Wallet.create(name, path, this.walletOptions(), flags, tip);
    } else {
      // Encrypt first, then make the keys, so no private key is ever written in clear.
      wallet = Wallet.create(name, path, this.walletOptions(), { ...flags, blank: true }, tip);
      wallet.encryptWallet(passphrase);
      if (!flags.blank && !flags.disablePrivateKeys) {
        wallet.unlock(passphrase, 60);
        wallet.setupDefaultDescriptors();
        wallet.lockWallet();
      }
    }
    // Blocks connected between reading the tip and subscribing are scanned here.
    await this.#register(wallet);
    return wallet;
  }

  /** Copies a backup into the wallet directory as `name` and loads it (`RestoreWallet`). */
  restoreWallet(name: string, backupFile: string): Promise<Wallet> {
    return this.#whileLoading(name, () => this.#restoreWallet(name, backupFile));
  }

  async #restoreWallet(name: string, backupFile: string): Promise<Wallet> {
    try {
      if (!Deno.statSync(backupFile).isFile) throw new Error("not a file");
    } catch {
      throw new WalletLoadError(RPC_ERROR.INVALID_PARAMETER, "Backup file does not exist");
    }
    const directory = name === "" ? this.options.walletDir : join(this.options.walletDir, name);
    const path = this.walletPath(name);
    let exists = false;
    try {
      exists = name === "" ? Deno.statSync(path).isFile : Deno.statSync(directory).isDirectory;
    } catch {
      exists = false;
    }
    if (exists) {
      throw new WalletLoadError(
        RPC_ERROR.WALLET_ALREADY_EXISTS,
        `Failed to create database path '${directory}'. Database already exists.`,
      );
    }
    await Deno.mkdir(directory, { recursive: true });
    await Deno.copyFile(backupFile, path);
    try {
      return await this.#loadWallet(name);
    } catch (error) {
      // A backup that does not load leaves nothing behind.
      await Deno.remove(name === "" ? path : directory, { recursive: true }).catch(() => {});
      throw error;
    }
  }

  /** Unloads a wallet (`UnloadWallet`). */
  async unloadWallet(name: string): Promise<void> {
    const entry = this.#wallets.get(name);
    if (!entry) {
      throw new RpcError(
        RPC_ERROR.WALLET_NOT_FOUND,
        "Requested wallet does not exist or is not loaded",
      );
    }
    this.#wallets.delete(name);
    this.rescans.get(name)?.abort();
    await entry.handler.disconnect();
    await entry.wallet.lock.run(() => entry.wallet.close());
    this.options.logger.info(`[${name}] Releasing wallet`);
  }

  /** Whether start-up added the unnamed wallet to the (in-memory) start-up list. */
  #unnamedInStartupList = false;

  /** Adds or removes a name in settings.json `wallet` (`load_on_startup`). */
  async updateStartupSetting(name: string, load: boolean | undefined): Promise<string[]> {
    if (load === undefined) return [];
    const store = this.options.startupWallets;
    if (!store) {
      return [
        load
          ? "Wallet load on startup setting could not be updated, so wallet may not be loaded next node startup."
          : "Wallet load on startup setting could not be updated, so wallet may still be loaded next node startup.",
      ];
    }
    const names = await store.read();
    if (this.#unnamedInStartupList && !names.includes("")) names.unshift("");
    this.#unnamedInStartupList = false;
    const filtered = names.filter((n) => n !== name);
    if (load) filtered.push(name);
    await store.write(filtered);
    return [];
  }

  /** Whether a wallet database exists for `name`. */
  exists(name: string): boolean {
    return this.#exists(name);
  }

  /** Wallet names found in the wallet directory (`listwalletdir`). */
  listWalletDir(): string[] {
    const names: string[] = [];
    const root = this.options.walletDir;
    const visit = (dir: string, prefix: string) => {
      let entries: Deno.DirEntry[];
      try {
        entries = [...Deno.readDirSync(dir)];
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.isFile && entry.name === WALLET_FILE && prefix === "") names.push("");
        const path = join(dir, entry.name);
        // A symlink to a directory is listed (its target is followed) but not descended into,
        // as `recursive_directory_iterator` does.
        const isDirectory = entry.isDirectory || (entry.isSymlink && isDirectorySync(path));
        if (!isDirectory) continue;
        const name = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
        try {
          if (Deno.statSync(join(path, WALLET_FILE)).isFile) names.push(name);
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) {
            // freicoind's ListDatabases logs this and does not descend into the directory.
            this.options.logger.info(
              `ListDatabases: Error scanning ${path}: ${(error as Error).message}`,
            );
            continue;
          }
        }
        if (entry.isDirectory) visit(path, name);
      }
    };
    visit(root, "");
    return names.sort();
  }

  // --- WalletLoader -----------------------------------------------------------------------

  /**
   * Loads the -wallet wallets and those named in settings.json (`VerifyWallets` + `LoadWallets`):
   * with neither, the unnamed top-level wallet when it exists; a duplicate is ignored and a
   * missing one skipped, each with freicoind's start-up warning.
   */
  async loadWalletsAtStartup(): Promise<void> {
    const names = [...this.settings.wallets];
    // -nowallet on the command line hides settings.json's list (GetSettingsList stops at a
    // negated source).
    const negated = this.settings.walletArgSet && names.length === 0;
    if (this.options.startupWallets && !negated) {
      const stored = await this.options.startupWallets.read();
      // The node's merged -wallet values already hold settings.json's names once each; take
      // those out so that only a name given on both the command line and in settings.json is
      // a duplicate, as in freicoind.
      for (const name of stored) {
        const at = names.lastIndexOf(name);
        if (at >= 0) names.splice(at, 1);
      }
      names.push(...stored);
    }
    if (names.length === 0 && !this.settings.walletArgSet && this.#exists("")) {
      names.push("");
      // freicoind puts "" in its in-memory `wallet` setting (not the file), so a later
      // load_on_startup change keeps it.
      this.#unnamedInStartupList = true;
    }
    const paths = new Set<string>();
    for (const name of names) {
      const path = this.walletPath(name);
      if (paths.has(path)) {
        await this.#initWarning(`Ignoring duplicate -wallet ${name}.`);
        continue;
      }
      paths.add(path);
      const badPath = this.#invalidPathError(name);
      if (badPath !== null) throw new WalletLoadError(RPC_ERROR.WALLET_ERROR, badPath);
      if (this.#wallets.has(name)) continue;
      if (this.#unreachable(name)) {
        // freicoin-node starts a wallet process of its own for a wallet outside the sandbox.
        this.options.logger.info(
          `Wallet ${name} is outside this process's sandbox; not loaded here`,
        );
        continue;
      }
      if (!this.#exists(name)) {
        await this.#initWarning(
          `Skipping -wallet path that doesn't exist. Failed to load database path '${
            this.walletDirectory(name)
          }'. Path does not exist.`,
        );
        continue;
      }
      try {
        await this.loadWallet(name);
      } catch (error) {
        this.options.logger.error(`Failed to load wallet ${name}: ${asRpcError(error).message}`);
        // At start-up freicoind reports the database's own error (`VerifyWallets`), without
        // the prefix loadwallet adds.
        if (error instanceof WalletLoadError && error.message.startsWith(VERIFICATION_PREFIX)) {
          throw new WalletLoadError(error.code, error.message.slice(VERIFICATION_PREFIX.length));
        }
        throw error;
      }
    }
  }

  /**
   * `MakeWalletDatabase`'s path check: a wallet path must be missing, a directory, a symlink
   * to a directory, or a plain data file named directly in -walletdir; else its error text.
   */
  #invalidPathError(name: string): string | null {
    const directory = this.walletDirectory(name);
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(directory);
    } catch {
      return null;
    }
    if (info.isDirectory) return null;
    if (info.isSymlink && isDirectorySync(directory)) return null;
    if (info.isFile && !name.includes("/")) return null;
    return `Invalid -wallet path '${name}'. -wallet path should point to a directory where wallet.dat and database/log.?????????? files can be stored, a location where such a directory could be created, or (for backwards compatibility) the name of an existing data file in -walletdir ("${this.options.walletDir}")`;
  }

  /**
   * A start-up warning: the node prints log lines that start with "Warning: " to stderr too
   * (`InitWarning`), whichever process the wallet runs in.
   */
  async #initWarning(message: string): Promise<void> {
    await this.options.chain.logLine(`Warning: ${message}`);
  }

  /** The wallet method declarations as JSON, without handlers. */
  rpcCatalog(): Promise<WalletRpcCatalog> {
    const methods = this.registry.names().map((name) => {
      const { handler: _handler, ...declaration } = this.registry.get(name)!;
      return declaration;
    });
    // writeJson, not JSON.stringify: defaults may be bigint amounts or JsonNumber values.
    return Promise.resolve({ methodsJson: writeJson(methods as unknown as JsonValue) });
  }

  /** Runs one JSON-RPC request (or a batch) for `uri`; returns the reply JSON text. */
  async executeRpc(request: string, uri: string, user: string): Promise<string> {
    let parsed: JsonValue;
    try {
      parsed = parseJson(request);
    } catch {
      return writeJson(replyObject(null, new RpcError(RPC_ERROR.PARSE_ERROR, "Parse error"), null));
    }
    if (Array.isArray(parsed)) {
      const replies: JsonValue[] = [];
      for (const item of parsed) replies.push(await this.#executeOne(item, uri, user));
      return writeJson(replies);
    }
    return writeJson(await this.#executeOne(parsed, uri, user));
  }

  async #executeOne(item: JsonValue, uri: string, user: string): Promise<JsonValue> {
    let id: JsonValue = null;
    try {
      if (isJsonObject(item)) id = item.id ?? null;
      const { method, params } = parseRequest(item);
      const result = await this.registry.execute({
        method,
        params,
        id,
        uri,
        authUser: user,
        peerAddr: "",
      });
      return replyObject(result, null, id);
    } catch (error) {
      return replyObject(null, asRpcError(error), id);
    }
  }

  /** The node's mock time changed. */
  setMockTime(seconds: number): Promise<void> {
    this.#mockTime = seconds;
    return Promise.resolve();
  }

  /** Unloads every wallet. */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const name of [...this.#wallets.keys()]) await this.unloadWallet(name);
  }
}

/**
 * Makes the wallet loader for a chain.
 *
 * @example
 * ```ts ignore
 * const loader = createWalletLoader({ chain, walletDir, network: "regtest", logger });
 * await loader.loadWalletsAtStartup();
 * ```
 */
export function createWalletLoader(options: WalletLoaderOptions): WalletLoaderService {
  return new WalletLoaderService(options);
}

function isDirectorySync(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Creates a wallet's directory; a failure answers -4 with the text of freicoind's
 * `fs::create_directories` exception ("filesystem error: cannot create directories: ...").
 */
/**
 * Why a sandboxed wallet process (freicoin-node's wallet child) cannot use a path: it holds
 * read and write permission on its wallet directory only, fixed when it was spawned.
 */
const SANDBOX_LIMIT =
  "The wallet process is sandboxed to its wallet directory (-walletdir) and cannot use a wallet outside it.";

async function makeWalletDirectory(directory: string): Promise<void> {
  try {
    await Deno.mkdir(directory, { recursive: true });
  } catch (error) {
    const reason = error instanceof Deno.errors.NotCapable
      ? SANDBOX_LIMIT
      : (error as Error).message.replace(/ \(os error \d+\).*$/s, "");
    throw new WalletLoadError(
      RPC_ERROR.WALLET_ERROR,
      `filesystem error: cannot create directories: ${reason} [${directory}]`,
    );
  }
}
