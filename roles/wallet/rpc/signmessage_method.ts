/**
 * `signmessage` (`src/wallet/rpc/signmessage.cpp`): a base64 compact signature of a message
 * by the key of one of the wallet's P2PKH addresses.
 *
 * @module
 */
import {
  decodeDestination,
  isValidDestination,
  scriptForDestination,
} from "../../../kernel/address/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import {
  getStr,
  helpExampleCli,
  helpExampleRpc,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { signMessage } from "../message_signer.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { ensureUnlocked, withWallet } from "./_util.ts";

type Method = RpcMethod<WalletLoaderService>;

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function signMessageMethod(): Method {
  return {
    name: "signmessage",
    category: "wallet",
    description:
      "\nSign a message with the private key of an address\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.\n",
    args: [
      {
        names: "address",
        type: "str",
        description: "The freicoin address to use for the private key.",
      },
      { names: "message", type: "str", description: "The message to create a signature of." },
    ],
    results: [{
      type: "str",
      key: "signature",
      description: "The signature of the message encoded in base 64",
    }],
    examples: helpExampleCli("signmessage", '"mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z" "my message"') +
      helpExampleRpc("signmessage", '"mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z", "my message"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        ensureUnlocked(wallet);
        const address = getStr(call.arg(0));
        const message = getStr(call.arg(1));
        const decoded = decodeDestination(address, wallet.options.prefixes);
        if (!decoded.ok || !isValidDestination(decoded.destination)) {
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Invalid address");
        }
        const dest = decoded.destination;
        if (dest.kind !== "PKHash") {
          throw new RpcError(RPC_ERROR.TYPE_ERROR, "Address does not refer to key");
        }
        const script = scriptForDestination(dest);
        const manager = wallet.ownerOf(script);
        const position = manager?.scripts.get(bytesToHex(script));
        const key = manager && position !== undefined
          ? manager.privateKeys(position).get(bytesToHex(dest.hash))
          : undefined;
        if (!key) {
          throw new RpcError(RPC_ERROR.WALLET_ERROR, "Private key not available");
        }
        const signature = signMessage(wallet.options.secp, message, key.secret, key.compressed);
        if (signature === null) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Sign failed");
        return base64(signature);
      }),
  };
}

/** The message signing method. */
export function signMessageMethods(): Method[] {
  return [signMessageMethod()];
}
