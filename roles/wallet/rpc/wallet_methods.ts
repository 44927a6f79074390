/**
 * Wallet management RPCs (`src/wallet/rpc/wallet.cpp`, `backup.cpp`, `transactions.cpp`):
 * createwallet, loadwallet, unloadwallet, listwallets, listwalletdir, getwalletinfo,
 * backupwallet, settxfee, rescanblockchain, abortrescan, importdescriptors, listdescriptors,
 * setwalletflag.
 *
 * @module
 */
import {
  amountFromJson,
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
import type { Wallet } from "../wallet.ts";
import { WALLET_FLAG } from "../layout.ts";
import { getBalance } from "../balances.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { amount, ensureUnlocked, lastProcessedBlock, withWallet } from "./_util.ts";

type Method = RpcMethod<WalletLoaderService>;

/** The version number freicoind reports for descriptor wallets (FEATURE_LATEST). */
const WALLET_VERSION = 169900;

function optionalBool(value: JsonValue | undefined): boolean | undefined {
  return value === undefined ? undefined : getBool(value);
}

function createWallet(): Method {
  return {
    name: "createwallet",
    category: "wallet",
    description: "\nCreates and loads a new wallet.\n",
    args: [
      {
        names: "wallet_name",
        type: "str",
        description:
          "The name for the new wallet. If this is a path, the wallet will be created at the path location.",
      },
      {
        names: "disable_private_keys",
        type: "bool",
        default: false,
        description:
          "Disable the possibility of private keys (only watchonlys are possible in this mode).",
      },
      {
        names: "blank",
        type: "bool",
        default: false,
        description:
          "Create a blank wallet. A blank wallet has no keys or HD seed. One can be set using sethdseed.",
      },
      {
        names: "passphrase",
        type: "str",
        optional: true,
        description: "Encrypt the wallet with this passphrase.",
      },
      {
        names: "avoid_reuse",
        type: "bool",
        default: false,
        description:
          "Keep track of coin reuse, and treat dirty and clean coins differently with privacy considerations in mind.",
      },
      {
        names: "descriptors",
        type: "bool",
        default: true,
        description:
          'Create a native descriptor wallet. The wallet will use descriptors internally to handle address creation. Setting to "false" will create a legacy wallet; This is only possible with the -deprecatedrpc=create_bdb setting because, the legacy wallet type is being deprecated and support for creating and opening legacy wallets will be removed in the future.',
      },
      {
        names: "load_on_startup",
        type: "bool",
        optional: true,
        description:
          "Save wallet name to persistent settings and load on startup. True to add wallet to startup list, false to remove, null to leave unchanged.",
      },
      {
        names: "external_signer",
        type: "bool",
        default: false,
        description:
          "Use an external signer such as a hardware wallet. Requires -signer to be configured. Wallet creation will fail if keys cannot be fetched. Requires disable_private_keys and descriptors set to true.",
      },
    ],
    results: [
      {
        type: "obj",
        inner: [
          {
            type: "str",
            key: "name",
            description:
              "The wallet name if created successfully. If the wallet was created using a full path, the wallet_name will be the full path.",
          },
          {
            type: "arr",
            key: "warnings",
            optional: true,
            description: "Warning messages, if any, related to creating and loading the wallet.",
            inner: [{ type: "str" }],
          },
        ],
      },
    ],
    examples: helpExampleCli("createwallet", '"testwallet"') +
      helpExampleRpc("createwallet", '"testwallet"'),
    handler: async (call) => {
      const loader = call.context;
      const name = getStr(call.arg(0));
      const disablePrivateKeys = getBool(call.arg(1));
      const blank = getBool(call.arg(2));
      const passphraseArg = call.maybeArg(3);
      const warnings: string[] = [];
      let passphrase: string | undefined;
      if (passphraseArg !== undefined) {
        passphrase = getStr(passphraseArg);
        if (passphrase === "") {
          // An empty passphrase means unencrypted.
          warnings.push("Empty string given as passphrase, wallet will not be encrypted.");
          passphrase = undefined;
        }
      }
      if (passphrase !== undefined && disablePrivateKeys) {
        throw new RpcError(
          RPC_ERROR.WALLET_ERROR,
          "Passphrase provided but private keys are disabled. A passphrase is only used to encrypt private keys, so cannot be used for wallets with private keys disabled.",
        );
      }
      if (!getBool(call.arg(5))) {
        throw new RpcError(
          RPC_ERROR.WALLET_ERROR,
          "Compiled without bdb support (required for legacy wallets)",
        );
      }
      if (getBool(call.arg(7))) {
        throw new RpcError(
          RPC_ERROR.WALLET_ERROR,
          "Compiled without external signing support (required for external signing)",
        );
      }
      const loadOnStartup = optionalBool(call.maybeArg(6));
      const wallet = await loader.createWallet(name, {
        disablePrivateKeys,
        blank,
        avoidReuse: getBool(call.arg(4)),
      }, passphrase);
      warnings.push(...await loader.updateStartupSetting(wallet.name, loadOnStartup));
      const out: JsonObject = { name: wallet.name };
      if (warnings.length > 0) out.warnings = warnings;
      return out;
    },
  };
}

function loadWallet(): Method {
  return {
    name: "loadwallet",
    category: "wallet",
    description:
      "\nLoads a wallet from a wallet file or directory.\nNote that all wallet command-line options used when starting freicoind will be\napplied to the new wallet.\n",
    args: [
      { names: "filename", type: "str", description: "The wallet directory or .dat file." },
      {
        names: "load_on_startup",
        type: "bool",
        optional: true,
        description:
          "Save wallet name to persistent settings and load on startup. True to add wallet to startup list, false to remove, null to leave unchanged.",
      },
    ],
    results: [
      {
        type: "obj",
        inner: [
          { type: "str", key: "name", description: "The wallet name if loaded successfully." },
          {
            type: "arr",
            key: "warnings",
            optional: true,
            description: "Warning messages, if any, related to loading the wallet.",
            inner: [{ type: "str" }],
          },
        ],
      },
    ],
    examples: helpExampleCli("loadwallet", '"walletname"') +
      helpExampleRpc("loadwallet", '"walletname"'),
    handler: async (call) => {
      const loader = call.context;
      const name = getStr(call.arg(0));
      const wallet = await loader.loadWallet(name);
      const warnings = await loader.updateStartupSetting(
        wallet.name,
        optionalBool(call.maybeArg(1)),
      );
      const out: JsonObject = { name: wallet.name };
      if (warnings.length > 0) out.warnings = warnings;
      return out;
    },
  };
}

function unloadWallet(): Method {
  return {
    name: "unloadwallet",
    category: "wallet",
    description:
      "Unloads the wallet referenced by the request endpoint, otherwise unloads the wallet specified in the argument.\nSpecifying the wallet name on a wallet endpoint is invalid.",
    args: [
      {
        names: "wallet_name",
        type: "str",
        defaultHint: "the wallet name from the RPC endpoint",
        description:
          "The name of the wallet to unload. If provided both here and in the RPC endpoint, the two must be identical.",
      },
      {
        names: "load_on_startup",
        type: "bool",
        optional: true,
        description:
          "Save wallet name to persistent settings and load on startup. True to add wallet to startup list, false to remove, null to leave unchanged.",
      },
    ],
    results: [
      {
        type: "obj",
        inner: [{
          type: "arr",
          key: "warnings",
          optional: true,
          description: "Warning messages, if any, related to unloading the wallet.",
          inner: [{ type: "str" }],
        }],
      },
    ],
    examples: helpExampleCli("unloadwallet", "wallet_name") +
      helpExampleRpc("unloadwallet", "wallet_name"),
    handler: async (call) => {
      const loader = call.context;
      const nameArg = call.maybeArg(0);
      const uriName = call.uri.startsWith("/wallet/")
        ? loader.walletForUri(call.uri).name
        : undefined;
      let name: string;
      if (uriName !== undefined) {
        if (nameArg !== undefined && getStr(nameArg) !== uriName) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "RPC endpoint wallet and wallet_name parameter specify different wallets",
          );
        }
        name = uriName;
      } else {
        // Without an endpoint wallet the name is required (a missing one fails as get_str does).
        name = getStr(nameArg ?? null);
      }
      if (!loader.get(name)) {
        throw new RpcError(
          RPC_ERROR.WALLET_NOT_FOUND,
          "Requested wallet does not exist or is not loaded",
        );
      }
      await loader.unloadWallet(name);
      const warnings = await loader.updateStartupSetting(name, optionalBool(call.maybeArg(1)));
      const out: JsonObject = {};
      if (warnings.length > 0) out.warnings = warnings;
      return out;
    },
  };
}

function restoreWallet(): Method {
  return {
    name: "restorewallet",
    category: "wallet",
    description:
      '\nRestores and loads a wallet from backup.\n\nThe rescan is significantly faster if a descriptor wallet is restored\nand block filters are available (using startup option "-blockfilterindex=1").\n',
    args: [
      {
        names: "wallet_name",
        type: "str",
        description: "The name that will be applied to the restored wallet",
      },
      {
        names: "backup_file",
        type: "str",
        description: "The backup file that will be used to restore the wallet.",
      },
      {
        names: "load_on_startup",
        type: "bool",
        optional: true,
        description:
          "Save wallet name to persistent settings and load on startup. True to add wallet to startup list, false to remove, null to leave unchanged.",
      },
    ],
    results: [
      {
        type: "obj",
        inner: [
          { type: "str", key: "name", description: "The wallet name if restored successfully." },
          {
            type: "arr",
            key: "warnings",
            optional: true,
            description: "Warning messages, if any, related to restoring and loading the wallet.",
            inner: [{ type: "str" }],
          },
        ],
      },
    ],
    examples: helpExampleCli("restorewallet", '"testwallet" "home\\backups\\backup-file.bak"'),
    handler: async (call) => {
      const loader = call.context;
      const wallet = await loader.restoreWallet(getStr(call.arg(0)), getStr(call.arg(1)));
      const warnings = await loader.updateStartupSetting(
        wallet.name,
        optionalBool(call.maybeArg(2)),
      );
      const out: JsonObject = { name: wallet.name };
      if (warnings.length > 0) out.warnings = warnings;
      return out;
    },
  };
}

function listWallets(): Method {
  return {
    name: "listwallets",
    category: "wallet",
    description:
      'Returns a list of currently loaded wallets.\nFor full information on the wallet, use "getwalletinfo"\n',
    args: [],
    results: [{
      type: "arr",
      inner: [{ type: "str", key: "walletname", description: "the wallet name" }],
    }],
    examples: helpExampleCli("listwallets", "") + helpExampleRpc("listwallets", ""),
    handler: (call) => call.context.loaded().map((w) => w.name),
  };
}

function listWalletDir(): Method {
  return {
    name: "listwalletdir",
    category: "wallet",
    description: "Returns a list of wallets in the wallet directory.\n",
    args: [],
    results: [
      {
        type: "obj",
        inner: [{
          type: "arr",
          key: "wallets",
          inner: [{
            type: "obj",
            inner: [{ type: "str", key: "name", description: "The wallet name" }],
          }],
        }],
      },
    ],
    examples: helpExampleCli("listwalletdir", "") + helpExampleRpc("listwalletdir", ""),
    handler: (call) => ({ wallets: call.context.listWalletDir().map((name) => ({ name })) }),
  };
}

/** Keys left in the active descriptors' keypools: [external, internal]. */
function keypoolSizes(wallet: Wallet): [number, number] {
  let external = 0;
  let internal = 0;
  for (const manager of wallet.managers.values()) {
    if (manager.row.activeType === null) continue;
    const left = Math.max(0, manager.row.rangeEnd - manager.row.nextIndex);
    if (manager.row.internal) internal += left;
    else external += left;
  }
  return [external, internal];
}

function getWalletInfo(): Method {
  return {
    name: "getwalletinfo",
    category: "wallet",
    description: "Returns an object containing various wallet state info.\n",
    args: [],
    results: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    examples: helpExampleCli("getwalletinfo", "") + helpExampleRpc("getwalletinfo", ""),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const [external, internal] = keypoolSizes(wallet);
        const balance = getBalance(wallet, 0);
        const out: JsonObject = {
          walletname: wallet.name,
          walletversion: WALLET_VERSION,
          format: "sqlite",
          balance: amount(balance.trusted),
          unconfirmed_balance: amount(balance.untrustedPending),
          immature_balance: amount(balance.immature),
          txcount: wallet.txs.size,
        };
        // Descriptor managers report 0 as their oldest key time.
        if (wallet.managers.size > 0) out.keypoololdest = 0;
        out.keypoolsize = external;
        out.keypoolsize_hd_internal = internal;
        if (wallet.isCrypted) {
          wallet.isLocked();
          out.unlocked_until = wallet.unlockedUntil;
        }
        out.paytxfee = amount(wallet.payTxFee);
        out.private_keys_enabled = !wallet.privateKeysDisabled;
        out.avoid_reuse = wallet.hasFlag(WALLET_FLAG.AVOID_REUSE);
        out.scanning = call.context.rescans.has(wallet.name) ? { duration: 0, progress: 0 } : false;
        out.descriptors = true;
        out.external_signer = false;
        out.blank = wallet.hasFlag(WALLET_FLAG.BLANK_WALLET);
        const births = [...wallet.managers.values()].map((m) => m.row.created);
        if (births.length > 0) out.birthtime = Math.min(...births);
        out.lastprocessedblock = lastProcessedBlock(wallet);
        return out;
      }),
  };
}

function backupWallet(): Method {
  return {
    name: "backupwallet",
    category: "wallet",
    description:
      "Safely copies the current wallet file to the specified destination, which can either be a directory or a path with a filename.",
    args: [{ names: "destination", type: "str", description: "The destination directory or file" }],
    results: [{ type: "none" }],
    examples: helpExampleCli("backupwallet", '"backup.dat"') +
      helpExampleRpc("backupwallet", '"backup.dat"'),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const destination = getStr(call.arg(0));
        const failed = () => new RpcError(RPC_ERROR.WALLET_ERROR, "Error: Wallet backup failed!");
        let existing: Deno.FileInfo | null = null;
        try {
          existing = Deno.statSync(destination);
        } catch {
          // a new file
        }
        if (existing !== null) {
          // SQLite cannot open a directory as the copy, and a wallet is never backed up onto
          // its own file (`SQLiteDatabase::Backup`).
          if (existing.isDirectory) throw failed();
          if (Deno.realPathSync(destination) === Deno.realPathSync(wallet.db.path)) throw failed();
          Deno.removeSync(destination);
        }
        try {
          await wallet.db.backupTo(destination);
        } catch {
          throw failed();
        }
        return null;
      }),
  };
}

function setTxFee(): Method {
  return {
    name: "settxfee",
    category: "wallet",
    description:
      "\nSet the transaction fee rate in FRC/kvB for this wallet. Overrides the global -paytxfee command line parameter.\nCan be deactivated by passing 0 as the fee. In that case automatic fee selection will be used by default.\n",
    args: [{ names: "amount", type: "amount", description: "The transaction fee rate in FRC/kvB" }],
    results: [{ type: "bool", description: "Returns true if successful" }],
    examples: helpExampleCli("settxfee", "0.00001") + helpExampleRpc("settxfee", "0.00001"),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const rate = amountFromJson(call.arg(0));
        if (rate !== 0n && rate < 1000n) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `txfee cannot be less than min relay tx fee (0.00001000 FRC/kvB)`,
          );
        }
        if (rate !== 0n && rate < wallet.options.minTxFee) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `txfee cannot be less than wallet min fee (${
              formatRate(wallet.options.minTxFee)
            } FRC/kvB)`,
          );
        }
        if (rate > wallet.options.maxTxFee) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `txfee cannot be more than wallet max tx fee (${
              formatRate(wallet.options.maxTxFee)
            } FRC/kvB)`,
          );
        }
        wallet.setPayTxFee(rate);
        return true;
      }),
  };
}

function formatRate(kria: bigint): string {
  return `${kria / 100_000_000n}.${(kria % 100_000_000n).toString().padStart(8, "0")}`;
}

function upgradeWallet(): Method {
  return {
    name: "upgradewallet",
    category: "wallet",
    description:
      "\nUpgrade the wallet. Upgrades to the latest version if no version number is specified.\nNew keys may be generated and a new wallet backup will need to be made.",
    args: [{
      names: "version",
      type: "num",
      default: WALLET_VERSION,
      description: "The version number to upgrade to. Default is the latest wallet version.",
    }],
    results: [{
      type: "obj",
      inner: [
        { type: "str", key: "wallet_name" },
        { type: "num", key: "previous_version" },
        { type: "num", key: "current_version" },
        { type: "str", key: "result", optional: true },
        { type: "str", key: "error", optional: true },
      ],
    }],
    examples: helpExampleCli("upgradewallet", "169900") + helpExampleRpc("upgradewallet", "169900"),
    handler: (call) =>
      withWallet(call, (wallet) => {
        ensureUnlocked(wallet);
        const requested = call.maybeArg(0) === undefined ? 0 : getInt(call.arg(0));
        const version = requested === 0 ? WALLET_VERSION : requested;
        const out: JsonObject = {
          wallet_name: wallet.name,
          previous_version: WALLET_VERSION,
          current_version: WALLET_VERSION,
        };
        // Descriptor wallets are always at the latest version.
        if (version < WALLET_VERSION) {
          out.error =
            `Cannot downgrade wallet from version ${WALLET_VERSION} to version ${version}. Wallet version unchanged.`;
        } else {
          out.result = "Already at latest version. Wallet version unchanged.";
        }
        return out;
      }),
  };
}

function migrateWallet(): Method {
  return {
    name: "migratewallet",
    category: "wallet",
    description:
      "\nMigrate the wallet to a descriptor wallet.\nA new wallet backup will need to be made.\n\nThe migration process will create a backup of the wallet before migrating. This backup\nfile will be named <wallet name>-<timestamp>.legacy.bak and can be found in the directory\nfor this wallet. In the event of an incorrect migration, the backup can be restored using restorewallet.\nEncrypted wallets must have the passphrase provided as an argument to this call.\n\nThis RPC may take a long time to complete. Increasing the RPC client timeout is recommended.",
    args: [
      {
        names: "wallet_name",
        type: "str",
        defaultHint: "the wallet name from the RPC endpoint",
        description:
          "The name of the wallet to migrate. If provided both here and in the RPC endpoint, the two must be identical.",
      },
      { names: "passphrase", type: "str", optional: true, description: "The wallet passphrase" },
    ],
    results: [{ type: "obj", inner: [{ type: "str", key: "wallet_name" }] }],
    examples: helpExampleCli("migratewallet", "") + helpExampleRpc("migratewallet", ""),
    handler: (call) => {
      const loader = call.context;
      const nameArg = call.maybeArg(0);
      const name = nameArg !== undefined ? getStr(nameArg) : loader.walletForUri(call.uri).name;
      if (!loader.get(name) && !loader.exists(name)) {
        throw new RpcError(
          RPC_ERROR.WALLET_ERROR,
          `Wallet file verification failed. Failed to load database path '${name}'. Path does not exist.`,
        );
      }
      // Every wallet here is a descriptor wallet.
      throw new RpcError(
        RPC_ERROR.WALLET_ERROR,
        "Error: This wallet is already a descriptor wallet",
      );
    },
  };
}

const MUTABLE_FLAGS: Record<string, bigint> = { avoid_reuse: WALLET_FLAG.AVOID_REUSE };

function setWalletFlag(): Method {
  return {
    name: "setwalletflag",
    category: "wallet",
    description: "\nChange the state of the given wallet flag for a wallet.\n",
    args: [
      {
        names: "flag",
        type: "str",
        description: "The name of the flag to change. Current available flags: avoid_reuse",
      },
      { names: "value", type: "bool", default: true, description: "The new state." },
    ],
    results: [{
      type: "obj",
      inner: [{ type: "str", key: "flag_name" }, { type: "bool", key: "flag_state" }, {
        type: "str",
        key: "warnings",
        optional: true,
      }],
    }],
    examples: helpExampleCli("setwalletflag", "avoid_reuse"),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const name = getStr(call.arg(0));
        const value = getBool(call.arg(1));
        const flag = MUTABLE_FLAGS[name];
        if (flag === undefined) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `Unknown wallet flag: ${name}`);
        }
        if (wallet.hasFlag(flag) === value) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `Wallet flag is already set to ${value}: ${name}`,
          );
        }
        wallet.setFlag(flag, value);
        const out: JsonObject = { flag_name: name, flag_state: value };
        if (name === "avoid_reuse") {
          out.warnings =
            "You need to rescan the blockchain in order to correctly mark used destinations in the past. Until this is done, some destinations may be considered unused, even if the opposite is the case.";
        }
        return out;
      }),
  };
}

/** The wallet management methods. */
export function walletManagementMethods(): Method[] {
  return [
    createWallet(),
    loadWallet(),
    unloadWallet(),
    listWallets(),
    listWalletDir(),
    getWalletInfo(),
    backupWallet(),
    restoreWallet(),
    setTxFee(),
    setWalletFlag(),
    upgradeWallet(),
    migrateWallet(),
  ];
}
