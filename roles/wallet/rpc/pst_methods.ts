/**
 * The wallet's PST methods (wallet/rpc/spend.cpp): walletprocesspst, and the wallet's part of a
 * PST (`CWallet::FillPST`): previous transactions, scripts, key origins and signatures for
 * the inputs and outputs the wallet knows.
 *
 * @module
 */
import {
  amountToJson,
  getBool,
  getObject,
  getStr,
  helpExampleCli,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  type RpcArg,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import {
  pkHashOf,
  scriptForDestination,
  witnessV0ShortHashOfPubKey,
} from "../../../kernel/address/mod.ts";
import { emptySigningData, mergeSigningData } from "../../../kernel/descriptor/mod.ts";
import { bytesToHex, hexToBytes } from "../../../kernel/encoding/mod.ts";
import { Transaction, TxIn } from "../../../kernel/primitives/mod.ts";
import { SigHash } from "../../../kernel/script/mod.ts";
import {
  decodeHexPst,
  encodeHexPst,
  fillPstInput,
  finalizeAndExtractPst,
  type Pst,
  PstDecodeError,
  pstFromTransaction,
  pstInputSigned,
  pstSpentScript,
  type ScriptKnowledge,
  structuredClonePst,
  updatePstOutput,
} from "../../../common/pst/mod.ts";
import type { SigningKey } from "../../../common/signing/mod.ts";
import type { Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import type { CoinControl } from "../create_transaction.ts";
import { ensureUnlocked, withWallet } from "./_util.ts";
import {
  ADD_INPUTS_UNLESS_GIVEN,
  camelCaseFundingDoc,
  FUND_TX_DOC,
  INPUT_ELIGIBILITY_DOC,
  LOCKHEIGHT_DOC,
  LOCKTIME_DOC,
  OUTPUTS_DOC,
} from "./fund_tx_doc.ts";
import {
  applyFundOptions,
  constructInputs,
  fundTransaction,
  inputWeightsOf,
  subtractFeePositions,
} from "./fund_options.ts";
import { normalizeOutputs, parseOutputs } from "./send_method.ts";
import { commitTransaction } from "./spend_methods.ts";

type Method = RpcMethod<WalletLoaderService>;

const HELP_REQUIRING_PASSPHRASE =
  "\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.";

const SIGHASH_NAMES: Record<string, number> = {
  DEFAULT: SigHash.ALL,
  ALL: SigHash.ALL,
  "ALL|ANYONECANPAY": SigHash.ALL | SigHash.ANYONECANPAY,
  NONE: SigHash.NONE,
  "NONE|ANYONECANPAY": SigHash.NONE | SigHash.ANYONECANPAY,
  SINGLE: SigHash.SINGLE,
  "SINGLE|ANYONECANPAY": SigHash.SINGLE | SigHash.ANYONECANPAY,
};

/** `ParseSighashString`: ALL when absent. */
export function parseSighash(value: JsonValue | undefined): number {
  if (value === undefined) return SigHash.ALL;
  const name = getStr(value);
  const type = SIGHASH_NAMES[name];
  if (type === undefined) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `'${name}' is not a valid sighash parameter.`);
  }
  return type;
}

/** Decodes a PST argument as freicoind does ("TX decode failed <reason>"). */
export function pstArg(value: JsonValue | undefined): Pst {
  try {
    return decodeHexPst(getStr(value));
  } catch (error) {
    if (error instanceof PstDecodeError) {
      throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, `TX decode failed ${error.message}`);
    }
    throw error;
  }
}

/** How {@link fillWalletPst} works on a PST. */
export interface FillPstOptions {
  sign: boolean;
  sighash: number;
  bip32derivs: boolean;
  finalize: boolean;
}

/** What the wallet knows about one of its scripts (keys only when signing). */
function knowledgeOf(
  wallet: Wallet,
  script: Uint8Array,
  withKeys: boolean,
): ScriptKnowledge | undefined {
  const manager = wallet.ownerOf(script);
  const position = manager?.scripts.get(bytesToHex(script));
  if (!manager || position === undefined) return undefined;
  const data = manager.signingData(position);
  if (data === null) return undefined;
  const keys = withKeys && manager.hasPrivateKeys ? manager.privateKeys(position).values() : [];
  return { data, keys };
}

/**
 * What the wallet knows about the public keys a PST input lists (its BIP32 derivations), for an
 * input whose script is not the wallet's, e.g. a multisig it is one signer of
 * (`DescriptorScriptPubKeyMan::FillPST` asking `GetSigningProvider(pubkey)`).
 */
function knowledgeOfListedKeys(
  wallet: Wallet,
  pubkeys: Iterable<string>,
  withKeys: boolean,
): ScriptKnowledge | undefined {
  const data = emptySigningData();
  const keys: SigningKey[] = [];
  let found = false;
  for (const pubkeyHex of pubkeys) {
    const pubkey = hexToBytes(pubkeyHex);
    const scripts = [scriptForDestination(pkHashOf(pubkey))];
    if (pubkey.length === 33) {
      scripts.push(scriptForDestination(witnessV0ShortHashOfPubKey(pubkey)));
    }
    for (const script of scripts) {
      const known = knowledgeOf(wallet, script, withKeys);
      if (!known) continue;
      found = true;
      mergeSigningData(data, known.data);
      for (const key of known.keys ?? []) keys.push(key);
    }
  }
  return found ? { data, keys } : undefined;
}

/**
 * `CWallet::FillPST`: adds the previous transactions the wallet has, signs (when asked) the
 * inputs it can, and describes its own outputs (scripts, key origins). Returns whether every
 * input is now final. Changes `pst` in place.
 */
export function fillWalletPst(wallet: Wallet, pst: Pst, options: FillPstOptions): boolean {
  pst.tx.inputs.forEach((txin, i) => {
    const input = pst.inputs[i];
    if (pstInputSigned(input) || input.nonWitnessUtxo) return;
    const prev = wallet.prevOutput(txin.prevout);
    if (prev) input.nonWitnessUtxo = prev.wtx.tx;
  });
  for (let i = 0; i < pst.inputs.length; i++) {
    const input = pst.inputs[i];
    if (pstInputSigned(input)) continue;
    if (options.sign && input.sighashType !== undefined && input.sighashType !== options.sighash) {
      throw new RpcError(
        RPC_ERROR.DESERIALIZATION_ERROR,
        "Specified sighash value does not match value stored in PST",
      );
    }
    const script = pstSpentScript(pst, i);
    const known = (script && knowledgeOf(wallet, script, options.sign)) ||
      knowledgeOfListedKeys(wallet, input.hdKeypaths.keys(), options.sign);
    if (known) fillPstInput(wallet.options.secp, pst, i, known, options);
  }
  pst.tx.outputs.forEach((txout, i) => {
    const known = knowledgeOf(wallet, txout.scriptPubKey, false);
    if (known) updatePstOutput(pst, i, known, options.bip32derivs);
  });
  return pst.inputs.every(pstInputSigned);
}

/** walletprocesspst's answer after filling: the PST, completeness and the final transaction. */
export function processedPstJson(wallet: Wallet, pst: Pst, complete: boolean): JsonObject {
  const result: JsonObject = { pst: encodeHexPst(pst), complete };
  if (complete) {
    const tx = finalizeAndExtractPst(wallet.options.secp, structuredClonePst(pst));
    if (tx) result.hex = bytesToHex(tx.toBytes());
  }
  return result;
}

function walletProcessPst(): Method {
  return {
    name: "walletprocesspst",
    category: "wallet",
    description: "\nUpdate a PST with input information from our wallet and then sign inputs\n" +
      "that we can sign for." + HELP_REQUIRING_PASSPHRASE,
    args: [
      { names: "pst", type: "str", description: "The transaction hex string" },
      {
        names: "sign",
        type: "bool",
        default: true,
        description: "Also sign the transaction when updating (requires wallet to be unlocked)",
      },
      {
        names: "sighashtype",
        type: "str",
        defaultHint: "DEFAULT for Taproot, ALL otherwise",
        description:
          "The signature hash type to sign with if not specified by the PST. Must be one of\n" +
          '       "DEFAULT"\n       "ALL"\n       "NONE"\n       "SINGLE"\n' +
          '       "ALL|ANYONECANPAY"\n       "NONE|ANYONECANPAY"\n       "SINGLE|ANYONECANPAY"',
      },
      {
        names: "bip32derivs",
        type: "bool",
        default: true,
        description: "Include BIP 32 derivation paths for public keys if we know them",
      },
      {
        names: "finalize",
        type: "bool",
        default: true,
        description: "Also finalize inputs if possible",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        { type: "str", key: "pst", description: "The hex-encoded partially signed transaction" },
        {
          type: "bool",
          key: "complete",
          description: "If the transaction has a complete set of signatures",
        },
        {
          type: "str_hex",
          key: "hex",
          optional: true,
          description: "The hex-encoded network transaction if complete",
        },
      ],
    }],
    examples: helpExampleCli("walletprocesspst", '"pst"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const pst = pstArg(call.params[0]);
        const sighash = parseSighash(call.maybeArg(2));
        const flag = (i: number) => {
          const value = call.maybeArg(i);
          return value === undefined ? true : getBool(value);
        };
        const options = { sign: flag(1), sighash, bip32derivs: flag(3), finalize: flag(4) };
        if (options.sign) ensureUnlocked(wallet);
        const complete = fillWalletPst(wallet, pst, options);
        return processedPstJson(wallet, pst, complete);
      }),
  };
}

/** The hex PST of an unsigned wallet transaction with the wallet's data (pstbumpfee). */
export function unsignedWalletPst(wallet: Wallet, tx: Transaction): string {
  const pst = pstFromTransaction(unsignedCopy(tx));
  fillWalletPst(wallet, pst, {
    sign: false,
    sighash: SigHash.ALL,
    bip32derivs: true,
    finalize: true,
  });
  return encodeHexPst(pst);
}

/** A transaction with its scriptSigs and witnesses removed (what a PST carries). */
function unsignedCopy(tx: Transaction): Transaction {
  const inputs = tx.inputs.map((input) =>
    new TxIn({ prevout: input.prevout, sequence: input.sequence })
  );
  return new Transaction({ ...tx, inputs, outputs: tx.outputs });
}

/**
 * `FinishTransaction` of `send`: fills a PST for the built transaction (key origins first,
 * then signatures), and answers with the PST when asked for one (`pst: true`), when it is not
 * complete or when it is not added to the wallet; a complete transaction is committed unless
 * `add_to_wallet` is false or a PST was asked for, in which case its hex is returned.
 */
export async function finishTransaction(
  wallet: Wallet,
  tx: Transaction,
  options: { pst: boolean; addToWallet: boolean },
): Promise<JsonObject> {
  const pst = pstFromTransaction(unsignedCopy(tx));
  const base = { sighash: SigHash.ALL, finalize: true };
  fillWalletPst(wallet, pst, { ...base, sign: false, bip32derivs: true });
  fillWalletPst(wallet, pst, { ...base, sign: true, bip32derivs: false });
  const final = finalizeAndExtractPst(wallet.options.secp, structuredClonePst(pst));
  const result: JsonObject = {};
  if (options.pst || !final || !options.addToWallet) result.pst = encodeHexPst(pst);
  if (final) {
    result.txid = final.txidHex;
    if (options.addToWallet && !options.pst) await commitTransaction(wallet, final, null, null);
    else result.hex = bytesToHex(final.toBytes());
  }
  result.complete = final !== undefined;
  return result;
}

/** walletcreatefundedpst's own options (`FUND_TX_DOC` follows them). */
const FUNDED_PST_OWN_OPTIONS: RpcArg[] = [
  ADD_INPUTS_UNLESS_GIVEN,
  ...INPUT_ELIGIBILITY_DOC,
  ...camelCaseFundingDoc(
    "Also select inputs which are watch only",
    "The outputs to subtract the fee from.\n",
  ),
];

function walletCreateFundedPst(): Method {
  return {
    name: "walletcreatefundedpst",
    category: "wallet",
    description: "\nCreates and funds a transaction in the Partially Signed Transaction format.\n" +
      "Implements the Creator and Updater roles.\n" +
      "All existing inputs must either have their previous output transaction be in the wallet\n" +
      "or be in the UTXO set. Solving data must be provided for non-wallet inputs.\n",
    args: [
      {
        names: "inputs",
        type: "arr",
        optional: true,
        description: "Leave empty to add inputs automatically. See add_inputs option.",
        inner: [{
          names: "",
          type: "obj",
          optional: true,
          description: "",
          inner: [
            { names: "txid", type: "str_hex", description: "The transaction id" },
            { names: "vout", type: "num", description: "The output number" },
            {
              names: "sequence",
              type: "num",
              defaultHint:
                "depends on the value of the 'locktime' and 'options.replaceable' arguments",
              description: "The sequence number",
            },
            {
              names: "weight",
              type: "num",
              defaultHint: "Calculated from wallet and solving data",
              description: "The maximum weight for this input, " +
                "including the weight of the outpoint and sequence number. " +
                "Note that signature sizes are not guaranteed to be consistent, " +
                "so the maximum DER signatures size of 73 bytes should be used when considering ECDSA signatures." +
                "Remember to convert serialized sizes to weight units when necessary.",
            },
          ],
        }],
      },
      {
        names: "outputs",
        type: "arr",
        description: "The outputs specified as key-value pairs.\n" +
          "Each key may only appear once, i.e. there can only be one 'data' output, and no address may be duplicated.\n" +
          "At least one output of either type must be specified.\n" +
          "For compatibility reasons, a dictionary, which holds the key-value pairs directly, is also\n" +
          "accepted as second parameter.",
        skipTypeCheck: true,
        inner: OUTPUTS_DOC,
      },
      LOCKTIME_DOC,
      LOCKHEIGHT_DOC,
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        onelineDescription: "options",
        description: "",
        skipTypeCheck: true,
        inner: [...FUNDED_PST_OWN_OPTIONS, ...FUND_TX_DOC],
      },
      {
        names: "bip32derivs",
        type: "bool",
        default: true,
        description: "Include BIP 32 derivation paths for public keys if we know them",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        {
          type: "str",
          key: "pst",
          description: "The resulting raw transaction (hex-encoded string)",
        },
        {
          type: "str_amount",
          key: "fee",
          description: "Fee in FRC the resulting transaction pays",
        },
        {
          type: "num",
          key: "changepos",
          description: "The position of the added change output, or -1",
        },
      ],
    }],
    examples: "\nCreate a transaction with no inputs\n" +
      helpExampleCli(
        "walletcreatefundedpst",
        '"[{\\"txid\\":\\"myid\\",\\"vout\\":0}]" "[{\\"data\\":\\"00010203\\"}]"',
      ),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const given = call.maybeArg(4);
        const options: JsonObject = given === undefined ? {} : { ...getObject(given) };
        const rbf = options.replaceable === undefined || options.replaceable === null
          ? wallet.options.walletRbf
          : getBool(options.replaceable);
        const skeleton = constructInputs(
          call.maybeArg(0),
          call.maybeArg(2),
          call.maybeArg(3),
          wallet.tipHeight,
          rbf,
        );
        const pairs = normalizeOutputs(call.arg(1));
        const positions = subtractFeePositions(
          options.subtractFeeFromOutputs,
          pairs.map(([k]) => k),
        );
        const recipients = parseOutputs(
          wallet,
          pairs,
          new Set([...positions].map((i) => pairs[i][0])),
        );
        const control: CoinControl = { onlySelected: skeleton.inputs.length > 0 };
        inputWeightsOf(call.maybeArg(0), options);
        const { lockUnspents } = applyFundOptions(
          wallet,
          options,
          recipients.length,
          control,
          true,
        );
        const tx = new Transaction({
          version: 2,
          inputs: skeleton.inputs,
          outputs: [],
          lockTime: skeleton.lockTime,
          lockHeight: skeleton.lockHeight,
        });
        const created = await fundTransaction(wallet, tx, recipients, control, lockUnspents);
        const pst = pstFromTransaction(created.tx);
        const bip32Arg = call.maybeArg(5);
        fillWalletPst(wallet, pst, {
          sign: false,
          sighash: SigHash.ALL,
          bip32derivs: bip32Arg === undefined ? true : getBool(bip32Arg),
          finalize: true,
        });
        return {
          pst: encodeHexPst(pst),
          fee: amountToJson(created.fee),
          changepos: created.changePosition,
        };
      }),
  };
}

/** The wallet's PST methods. */
export function walletPstMethods(): Method[] {
  return [walletCreateFundedPst(), walletProcessPst()];
}
