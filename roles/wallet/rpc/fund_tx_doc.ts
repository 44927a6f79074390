/**
 * The fee and solving options shared by fundrawtransaction, walletcreatefundedpst and send.
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
