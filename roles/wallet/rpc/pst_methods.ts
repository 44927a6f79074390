/**
 * The wallet's PST methods (wallet/rpc/spend.cpp): walletprocesspst, and the wallet's part of a
 * PST (`CWallet::FillPST`): previous transactions, scripts, key origins and signatures for
 * the inputs and outputs the wallet knows.
 *
 * @module
 */
import {
  getBool,
  getStr,
  helpExampleCli,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { ripemd160, sha256d } from "../../../kernel/hash/mod.ts";
import { SigHash } from "../../../kernel/script/mod.ts";
import {
  decodeHexPst,
  encodeHexPst,
  finalizeAndExtractPst,
  type Pst,
  PstDecodeError,
  pstInputSigned,
  type PstKeyOrigin,
  signPstInput,
  structuredClonePst,
} from "../../../common/pst/mod.ts";
import { SigningProvider } from "../../../common/signing/mod.ts";
import type { DescriptorManager } from "../descriptor_manager.ts";
import type { Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { ensureUnlocked, withWallet } from "./_util.ts";

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

/** A signing provider with what the wallet knows about one of its scripts. */
function providerFor(
  wallet: Wallet,
  manager: DescriptorManager,
  script: Uint8Array,
  withKeys: boolean,
): { provider: SigningProvider; origins: Map<string, PstKeyOrigin> } | undefined {
  const position = manager.scripts.get(bytesToHex(script));
  if (position === undefined) return undefined;
  const data = manager.signingData(position);
  if (data === null) return undefined;
  const provider = new SigningProvider(wallet.options.secp);
  if (withKeys && manager.hasPrivateKeys) {
    for (const key of manager.privateKeys(position).values()) provider.addKey(key);
  }
  for (const redeem of data.scripts.values()) provider.addScript(redeem);
  for (const entry of data.witnessScripts.values()) provider.addWitnessScript(entry);
  const origins = new Map<string, PstKeyOrigin>();
  for (const origin of data.origins.values()) {
    origins.set(bytesToHex(origin.pubkey), {
      fingerprint: origin.fingerprint,
      path: origin.path,
    });
  }
  return { provider, origins };
}

/** The input's spent scriptPubKey as the wallet's FillPST reads it. */
function spentScript(pst: Pst, index: number): Uint8Array | undefined {
  const input = pst.inputs[index];
  if (input.witnessUtxo) return input.witnessUtxo.output.scriptPubKey;
  const prev = input.nonWitnessUtxo;
  const n = pst.tx.inputs[index].prevout.n;
  return prev && n < prev.outputs.length ? prev.outputs[n].scriptPubKey : undefined;
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
  const secp = wallet.options.secp;
  for (let i = 0; i < pst.inputs.length; i++) {
    const input = pst.inputs[i];
    if (pstInputSigned(input)) continue;
    if (options.sign && input.sighashType !== undefined && input.sighashType !== options.sighash) {
      throw new RpcError(
        RPC_ERROR.DESERIALIZATION_ERROR,
        "Specified sighash value does not match value stored in PST",
      );
    }
    const script = spentScript(pst, i);
    const manager = script && wallet.ownerOf(script);
    if (!script || !manager) continue;
    const known = providerFor(wallet, manager, script, options.sign);
    if (!known) continue;
    signPstInput(secp, known.provider, pst, i, {
      sign: options.sign,
      sighash: options.sighash,
      finalize: options.finalize,
    });
    if (options.bip32derivs && !pstInputSigned(input)) {
      for (const [pubkey, origin] of known.origins) {
        if (!input.hdKeypaths.has(pubkey)) input.hdKeypaths.set(pubkey, origin);
      }
    }
  }
  pst.tx.outputs.forEach((txout, i) =>
    updateOwnOutput(wallet, pst, i, txout.scriptPubKey, options)
  );
  return pst.inputs.every(pstInputSigned);
}

/** `UpdatePSTOutput` for an output the wallet owns: its witness script and key origins. */
function updateOwnOutput(
  wallet: Wallet,
  pst: Pst,
  index: number,
  script: Uint8Array,
  options: FillPstOptions,
): void {
  const manager = wallet.ownerOf(script);
  if (!manager) return;
  const position = manager.scripts.get(bytesToHex(script));
  const data = position === undefined ? null : manager.signingData(position);
  if (!data) return;
  const output = pst.outputs[index];
  for (const redeem of data.scripts.values()) output.redeemScript ??= redeem;
  const program = witnessProgram(script);
  for (const entry of data.witnessScripts.values()) {
    if (program && bytesToHex(ripemd160(sha256d(entry))) === bytesToHex(program)) {
      output.witnessEntry ??= { script: entry, path: 0, branch: [] };
    }
  }
  if (!options.bip32derivs) return;
  for (const origin of data.origins.values()) {
    const pubkey = bytesToHex(origin.pubkey);
    if (!output.hdKeypaths.has(pubkey)) {
      output.hdKeypaths.set(pubkey, { fingerprint: origin.fingerprint, path: origin.path });
    }
  }
}

/** The 20-byte program of a witness v0 short-hash output, else undefined. */
function witnessProgram(script: Uint8Array): Uint8Array | undefined {
  return script.length === 22 && script[0] === 0x00 && script[1] === 20
    ? script.subarray(2)
    : undefined;
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

/** The wallet's PST methods. */
export function walletPstMethods(): Method[] {
  return [walletProcessPst()];
}
