/**
 * Wallet management RPCs (`src/wallet/rpc/wallet.cpp`, `backup.cpp`, `transactions.cpp`):
 * createwallet, loadwallet, unloadwallet, listwallets, listwalletdir, getwalletinfo,
 * backupwallet, settxfee, rescanblockchain, abortrescan, importdescriptors, listdescriptors,
 * setwalletflag.
 *
 * @module
 */
import {
  DescriptorError,
  parseDescriptor,
  parseDescriptorRange,
} from "../../../kernel/descriptor/mod.ts";
import {
  amountFromJson,
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
import { addressOf, type Wallet } from "../wallet.ts";
import { WALLET_FLAG } from "../layout.ts";
import { getBalance } from "../balances.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import {
  amount,
  ensureUnlocked,
  lastProcessedBlock,
  parseLabel,
  type WalletCall,
  withWallet,
} from "./_util.ts";

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
      } else if (nameArg !== undefined) {
        name = getStr(nameArg);
      } else {
        name = loader.walletForUri(call.uri).name;
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
      withWallet(call, (wallet) => {
        let destination = getStr(call.arg(0));
        try {
          if (Deno.statSync(destination).isDirectory) {
            destination = `${destination}/${wallet.name || "wallet"}.dat`;
          }
          Deno.removeSync(destination);
        } catch {
          // a new file
        }
        try {
          wallet.db.backupTo(destination);
        } catch {
          throw new RpcError(RPC_ERROR.WALLET_ERROR, "Error: Wallet backup failed!");
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
      const nodeKeys = "key" in descriptor.node ? [descriptor.node.key] : [];
      if (nodeKeys.length === 0 && descriptor.expandPrivate(0).size === 0) {
        warnings.push(
          "Not all private keys provided. Some wallet functionality may return unexpected errors",
        );
      }
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
    rescanBlockchain(),
    abortRescan(),
    importDescriptors(),
    listDescriptors(),
    setWalletFlag(),
    upgradeWallet(),
    migrateWallet(),
  ];
}
