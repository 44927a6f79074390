/**
 * RPCs that only work on legacy (BDB) wallets. freicoind 27 answers them on a descriptor
 * wallet with -4 "Only legacy wallets are supported by this command"; every wallet here is a
 * descriptor wallet, so that is their whole behaviour (the test framework emulates the import
 * calls through importdescriptors).
 *
 * @module
 */
import { RPC_ERROR, type RpcArg, RpcError, type RpcMethod } from "../../../rpc/mod.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { withWallet } from "./_util.ts";

type Method = RpcMethod<WalletLoaderService>;

function legacyOnly(
  name: string,
  description: string,
  args: RpcArg[],
  before?: (privateKeysDisabled: boolean) => void,
): Method {
  return {
    name,
    category: "wallet",
    description,
    args,
    results: [{ type: "none" }],
    examples: "",
    handler: (call) =>
      withWallet(call, (wallet) => {
        before?.(wallet.privateKeysDisabled);
        throw new RpcError(
          RPC_ERROR.WALLET_ERROR,
          "Only legacy wallets are supported by this command",
        );
      }),
  };
}

const LABEL: RpcArg = {
  names: "label",
  type: "str",
  default: "",
  description: "An optional label",
};
const RESCAN: RpcArg = {
  names: "rescan",
  type: "bool",
  default: true,
  description: "Scan the chain and mempool for wallet transactions.",
};

/** The legacy-wallet-only methods. */
export function legacyMethods(): Method[] {
  return [
    legacyOnly(
      "importprivkey",
      "\nAdds a private key (as returned by dumpprivkey) to your wallet. Requires a new wallet backup.\n",
      [
        { names: "privkey", type: "str", description: "The private key (see dumpprivkey)" },
        LABEL,
        RESCAN,
      ],
      (disabled) => {
        if (disabled) {
          throw new RpcError(
            RPC_ERROR.WALLET_ERROR,
            "Cannot import private keys to a wallet with private keys disabled",
          );
        }
      },
    ),
    legacyOnly(
      "importaddress",
      "\nAdds an address or script (in hex) that can be watched as if it were in your wallet but cannot be used to spend. Requires a new wallet backup.\n",
      [
        {
          names: "address",
          type: "str",
          description: "The Freicoin address (or hex-encoded script)",
        },
        LABEL,
        RESCAN,
        {
          names: "p2sh",
          type: "bool",
          default: false,
          description: "Add the P2SH version of the script as well",
        },
      ],
    ),
    legacyOnly(
      "importpubkey",
      "\nAdds a public key (in hex) that can be watched as if it were in your wallet but cannot be used to spend. Requires a new wallet backup.\n",
      [
        { names: "pubkey", type: "str", description: "The hex-encoded public key" },
        LABEL,
        RESCAN,
      ],
    ),
    legacyOnly(
      "importwallet",
      "\nImports keys from a wallet dump file (see dumpwallet). Requires a new wallet backup to include imported keys.\n",
      [
        { names: "filename", type: "str", description: "The wallet file" },
      ],
    ),
    legacyOnly(
      "importmulti",
      "\nImport addresses/scripts (with private or public keys, redeem script (P2SH)), optionally rescanning the blockchain from the earliest creation time of the imported scripts. Requires a new wallet backup.\n",
      [
        {
          names: "requests",
          type: "arr",
          description: "Data to be imported",
          onelineDescription: "requests",
          inner: [],
        },
        {
          names: "options",
          type: "obj_named_params",
          optional: true,
          description: "",
          onelineDescription: "options",
          inner: [{
            names: "rescan",
            type: "bool",
            default: true,
            description: "Scan the chain and mempool for wallet transactions after all imports.",
          }],
        },
      ],
    ),
    legacyOnly(
      "dumpprivkey",
      "\nReveals the private key corresponding to 'address'.\nThen the importprivkey can be used with this output\n",
      [
        { names: "address", type: "str", description: "The freicoin address for the private key" },
      ],
    ),
    legacyOnly(
      "dumpwallet",
      "\nDumps all wallet keys in a human-readable format to a server-side file. This does not allow overwriting existing files.\n",
      [
        {
          names: "filename",
          type: "str",
          description: "The filename with path (absolute path recommended)",
        },
      ],
    ),
    legacyOnly(
      "addmultisigaddress",
      "\nAdd an nrequired-to-sign multisignature address to the wallet. Requires a new wallet backup.\n",
      [
        {
          names: "nrequired",
          type: "num",
          description: "The number of required signatures out of the n keys or addresses.",
        },
        {
          names: "keys",
          type: "arr",
          description: "The freicoin addresses or hex-encoded public keys",
          inner: [{
            names: "key",
            type: "str",
            description: "freicoin address or hex-encoded public key",
          }],
        },
        {
          names: "label",
          type: "str",
          optional: true,
          description: "A label to assign the addresses to.",
        },
        {
          names: "address_type",
          type: "str",
          defaultHint: "set by -addresstype",
          description: 'The address type to use. Options are "legacy" and "bech32".',
        },
      ],
    ),
    legacyOnly("newkeypool", "\nEntirely clears and refills the keypool.\n", []),
    legacyOnly(
      "sethdseed",
      "\nSet or generate a new HD wallet seed. Non-HD wallets will not be upgraded to being a HD wallet.\n",
      [
        {
          names: "newkeypool",
          type: "bool",
          default: true,
          description:
            "Whether to flush old unused addresses, including change addresses, from the keypool and regenerate it.",
        },
        {
          names: "seed",
          type: "str",
          defaultHint: "random seed",
          description: "The WIF private key to use as the new HD seed.",
        },
      ],
    ),
  ];
}
