/**
 * Argument documentation shared by the funding RPCs (fundrawtransaction,
 * walletcreatefundedpst, send, sendall): the outputs list (`OutputsDoc`), the fee and solving
 * options (`FundTxDoc`) and the input and change options they have in common.
 *
 * @module
 */
import type { RpcArg } from "../../../rpc/mod.ts";

const str = "str" as const;
const num = "num" as const;
const bool = "bool" as const;

/** The fee and solving options every funding RPC shares (freicoind's `FundTxDoc`). */
export const FUND_TX_DOC: RpcArg[] = [
  {
    names: "conf_target",
    type: num,
    defaultHint: "wallet -txconfirmtarget",
    description: "Confirmation target in blocks",
    alsoPositional: true,
  },
  {
    names: "estimate_mode",
    type: str,
    default: "unset",
    description: "The fee estimate mode, must be one of (case insensitive):\n" +
      '"unset"\n"economical"\n"conservative"',
    alsoPositional: true,
  },
  {
    names: "replaceable",
    type: bool,
    defaultHint: "wallet default",
    description: "Marks this transaction as BIP125-replaceable.\n" +
      "Allows this transaction to be replaced by a transaction with higher fees",
  },
  {
    names: "solving_data",
    type: "obj",
    optional: true,
    description:
      "Keys and scripts needed for producing a final transaction with a dummy signature.\n" +
      "Used for fee estimation during coin selection.",
    inner: [
      {
        names: "pubkeys",
        type: "arr",
        default: [],
        description: "Public keys involved in this transaction.",
        inner: [{ names: "pubkey", type: "str_hex", optional: true, description: "A public key" }],
      },
      {
        names: "scripts",
        type: "arr",
        default: [],
        description: "Scripts involved in this transaction.",
        inner: [{ names: "script", type: "str_hex", optional: true, description: "A script" }],
      },
      {
        names: "witscripts",
        type: "arr",
        default: [],
        description: "Witness sccripts involved in this transaction.",
        inner: [{
          names: "witscript",
          type: "str_hex",
          optional: true,
          description: "A hex-encoded witness script.",
        }],
      },
      {
        names: "descriptors",
        type: "arr",
        default: [],
        description: "Descriptors that provide solving data for this transaction.",
        inner: [{
          names: "descriptor",
          type: str,
          optional: true,
          description: "A descriptor",
        }],
      },
    ],
  },
];

/** The forms of an `outputs` entry (freicoind's `OutputsDoc`). */
export const OUTPUTS_DOC: RpcArg[] = [
  {
    names: "",
    type: "obj_user_keys",
    optional: true,
    description: "",
    inner: [{
      names: "address",
      type: "amount",
      description: "A key-value pair. The key (string) is the freicoin address,\n" +
        "the value (float or string) is the amount in FRC",
    }],
  },
  {
    names: "",
    type: "obj",
    optional: true,
    description: "",
    inner: [{
      names: "data",
      type: "str_hex",
      description: 'A key-value pair. The key must be "data", the value is hex-encoded data',
    }],
  },
  {
    names: "",
    type: "obj",
    optional: true,
    description: "",
    inner: [{
      names: "destroy",
      type: "amount",
      description: "An amount of freicoin to be destroyed (sent to an OP_RETURN output).",
    }],
  },
];

/** `add_inputs` where giving inputs turns it off (send, walletcreatefundedpst). */
export const ADD_INPUTS_UNLESS_GIVEN: RpcArg = {
  names: "add_inputs",
  type: bool,
  defaultHint: 'false when "inputs" are specified, true otherwise',
  description: "Automatically include coins from the wallet to cover the target amount.\n",
};

/** include_unsafe, minconf and maxconf, the same in every funding RPC. */
export const INPUT_ELIGIBILITY_DOC: RpcArg[] = [
  {
    names: "include_unsafe",
    type: bool,
    default: false,
    description:
      "Include inputs that are not safe to spend (unconfirmed transactions from outside keys and unconfirmed replacement transactions).\n" +
      "Warning: the resulting transaction may become invalid if one of the unsafe inputs disappears.\n" +
      "If that happens, you will need to fund the transaction with different inputs and republish it.",
  },
  {
    names: "minconf",
    type: num,
    default: 0,
    description:
      "If add_inputs is specified, require inputs with at least this many confirmations.",
  },
  {
    names: "maxconf",
    type: num,
    optional: true,
    description: "If add_inputs is specified, require inputs with at most this many confirmations.",
  },
];

/**
 * The camelCase change, watch-only, locking, fee and subtract-fee options of
 * fundrawtransaction and walletcreatefundedpst, which differ only in two descriptions.
 */
export function camelCaseFundingDoc(
  includeWatchingDescription: string,
  subtractFeeDescription: string,
): RpcArg[] {
  return [
    {
      names: "changeAddress",
      type: str,
      defaultHint: "automatic",
      description: "The freicoin address to receive the change",
    },
    {
      names: "changePosition",
      type: num,
      defaultHint: "random",
      description: "The index of the change output",
    },
    {
      names: "change_type",
      type: str,
      defaultHint: "set by -changetype",
      description:
        'The output type to use. Only valid if changeAddress is not specified. Options are "legacy" or "bech32".',
    },
    {
      names: "includeWatching",
      type: bool,
      defaultHint: "true for watch-only wallets, otherwise false",
      description: includeWatchingDescription,
    },
    {
      names: "lockUnspents",
      type: bool,
      default: false,
      description: "Lock selected unspent outputs",
    },
    {
      names: "fee_rate",
      type: "amount",
      defaultHint: "not set, fall back to wallet fee estimation",
      description: "Specify a fee rate in sat/vB.",
    },
    {
      names: "feeRate",
      type: "amount",
      defaultHint: "not set, fall back to wallet fee estimation",
      description: "Specify a fee rate in FRC/kvB.",
    },
    {
      names: "subtractFeeFromOutputs",
      type: "arr",
      default: [],
      description: subtractFeeDescription +
        "The fee will be equally deducted from the amount of each specified output.\n" +
        "Those recipients will receive less freicoins than you enter in their corresponding amount field.\n" +
        "If no outputs are specified here, the sender pays the fee.",
      inner: [{
        names: "vout_index",
        type: num,
        optional: true,
        description: "The zero-based output index, before a change output is added.",
      }],
    },
  ];
}

/** The long include_watching text (send, sendall, fundrawtransaction). */
export const INCLUDE_WATCHING_DESCRIPTION = "Also select inputs which are watch only.\n" +
  "Only solvable inputs can be used. Watch-only destinations are solvable if the public key and/or output script was imported,\n" +
  "e.g. with 'importpubkey' or 'importmulti' with the 'pubkeys' or 'desc' field.";

/** `locktime` of the funding RPCs. */
export const LOCKTIME_DOC: RpcArg = {
  names: "locktime",
  type: num,
  default: 0,
  description: "Raw locktime. Non-0 value also locktime-activates inputs",
};

/** `lockheight`, Freicoin's reference height of the new transaction. */
export const LOCKHEIGHT_DOC: RpcArg = {
  names: "lockheight",
  type: num,
  default: 0,
  description:
    "The reference height of the outputs in the transaction being generated, and the minimum height for inclusion in chain. If not specified, the height of the next block to be mined is used.",
};

/** `pst` of send and sendall. */
export const PST_DOC: RpcArg = {
  names: "pst",
  type: bool,
  defaultHint: "automatic",
  description: "Always return a PST, implies add_to_wallet=false.",
};
