/**
 * Wallet encryption RPCs (`src/wallet/rpc/encrypt.cpp`): encryptwallet, walletpassphrase,
 * walletlock, walletpassphrasechange.
 *
 * @module
 */
import {
  getInt64,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import type { Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { type WalletCall, withWallet } from "./_util.ts";

type Method = RpcMethod<WalletLoaderService>;

/** The longest unlock freicoind allows, in seconds. */
const MAX_SLEEP_TIME = 100_000_000;

function ensureNotRescanning(call: WalletCall, wallet: Wallet, action: string): void {
  if (call.context.rescans.has(wallet.name)) {
    throw new RpcError(
      RPC_ERROR.WALLET_ERROR,
      `Error: the wallet is currently being used to rescan the blockchain for related transactions. Please call \`abortrescan\` before ${action}.`,
    );
  }
}

function walletPassphrase(): Method {
  return {
    name: "walletpassphrase",
    category: "wallet",
    description:
      "\nStores the wallet decryption key in memory for 'timeout' seconds.\nThis is needed prior to performing transactions related to private keys such as sending freicoins\n\nNote:\nIssuing the walletpassphrase command while the wallet is already unlocked will set a new unlock\ntime that overrides the old one.\n",
    args: [
      { names: "passphrase", type: "str", description: "The wallet passphrase" },
      {
        names: "timeout",
        type: "num",
        description:
          "The time to keep the decryption key in seconds; capped at 100000000 (~3 years).",
      },
    ],
    results: [{ type: "none" }],
    examples: helpExampleCli("walletpassphrase", '"my pass phrase" 60') +
      helpExampleRpc("walletpassphrase", '"my pass phrase", 60'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        if (!wallet.isCrypted) {
          throw new RpcError(
            RPC_ERROR.WALLET_WRONG_ENC_STATE,
            "Error: running with an unencrypted wallet, but walletpassphrase was called.",
          );
        }
        ensureNotRescanning(call, wallet, "unlocking the wallet");
        const passphrase = getStr(call.arg(0));
        let seconds = Number(getInt64(call.arg(1)));
        if (seconds < 0) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Timeout cannot be negative.");
        }
        if (seconds > MAX_SLEEP_TIME) {
          seconds = MAX_SLEEP_TIME;
        }
        if (passphrase === "") {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "passphrase cannot be empty");
        }
        if (!wallet.unlock(passphrase, seconds)) {
          throw new RpcError(
            RPC_ERROR.WALLET_PASSPHRASE_INCORRECT,
            "Error: The wallet passphrase entered was incorrect.",
          );
        }
        return null;
      }),
  };
}

function walletPassphraseChange(): Method {
  return {
    name: "walletpassphrasechange",
    category: "wallet",
    description: "\nChanges the wallet passphrase from 'oldpassphrase' to 'newpassphrase'.\n",
    args: [
      { names: "oldpassphrase", type: "str", description: "The current passphrase" },
      { names: "newpassphrase", type: "str", description: "The new passphrase" },
    ],
    results: [{ type: "none" }],
    examples: helpExampleCli("walletpassphrasechange", '"old one" "new one"') +
      helpExampleRpc("walletpassphrasechange", '"old one", "new one"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        if (!wallet.isCrypted) {
          throw new RpcError(
            RPC_ERROR.WALLET_WRONG_ENC_STATE,
            "Error: running with an unencrypted wallet, but walletpassphrasechange was called.",
          );
        }
        ensureNotRescanning(call, wallet, "changing the passphrase");
        const oldPassphrase = getStr(call.arg(0));
        const newPassphrase = getStr(call.arg(1));
        if (oldPassphrase === "" || newPassphrase === "") {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "passphrase cannot be empty");
        }
        if (!wallet.changePassphrase(oldPassphrase, newPassphrase)) {
          throw new RpcError(
            RPC_ERROR.WALLET_PASSPHRASE_INCORRECT,
            "Error: The wallet passphrase entered was incorrect.",
          );
        }
        return null;
      }),
  };
}

function walletLock(): Method {
  return {
    name: "walletlock",
    category: "wallet",
    description:
      "\nRemoves the wallet encryption key from memory, locking the wallet.\nAfter calling this method, you will need to call walletpassphrase again\nbefore being able to call any methods which require the wallet to be unlocked.\n",
    args: [],
    results: [{ type: "none" }],
    examples: helpExampleCli("walletlock", "") + helpExampleRpc("walletlock", ""),
    handler: (call) =>
      withWallet(call, (wallet) => {
        if (!wallet.isCrypted) {
          throw new RpcError(
            RPC_ERROR.WALLET_WRONG_ENC_STATE,
            "Error: running with an unencrypted wallet, but walletlock was called.",
          );
        }
        ensureNotRescanning(call, wallet, "locking the wallet");
        wallet.lockWallet();
        return null;
      }),
  };
}

function encryptWallet(): Method {
  return {
    name: "encryptwallet",
    category: "wallet",
    description:
      "\nEncrypts the wallet with 'passphrase'. This is for first time encryption.\nAfter this, any calls that interact with private keys such as sending or signing \nwill require the passphrase to be set prior the making these calls.\nUse the walletpassphrase call for this, and then walletlock call.\nIf the wallet is already encrypted, use the walletpassphrasechange call.\n** IMPORTANT **\nFor security reasons, the encryption process will generate a new HD seed, resulting\nin the creation of a fresh set of active descriptors. Therefore, it is crucial to\nsecurely back up the newly generated wallet file using the backupwallet RPC.\n",
    args: [{
      names: "passphrase",
      type: "str",
      description:
        "The pass phrase to encrypt the wallet with. It must be at least 1 character, but should be long.",
    }],
    results: [{ type: "str", description: "A string with further instructions" }],
    examples: helpExampleCli("encryptwallet", '"my pass phrase"') +
      helpExampleRpc("encryptwallet", '"my pass phrase"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        if (wallet.privateKeysDisabled) {
          throw new RpcError(
            RPC_ERROR.WALLET_ENCRYPTION_FAILED,
            "Error: wallet does not contain private keys, nothing to encrypt.",
          );
        }
        if (wallet.isCrypted) {
          throw new RpcError(
            RPC_ERROR.WALLET_WRONG_ENC_STATE,
            "Error: running with an encrypted wallet, but encryptwallet was called.",
          );
        }
        ensureNotRescanning(call, wallet, "encrypting the wallet");
        const passphrase = getStr(call.arg(0));
        if (passphrase === "") {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "passphrase cannot be empty");
        }
        wallet.encryptWallet(passphrase);
        return "wallet encrypted; The keypool has been flushed and a new HD seed was generated. You need to make a new backup with the backupwallet RPC.";
      }),
  };
}

/** The encryption methods. */
export function encryptionMethods(): Method[] {
  return [encryptWallet(), walletPassphrase(), walletPassphraseChange(), walletLock()];
}
