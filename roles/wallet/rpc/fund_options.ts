/**
 * The option handling every funding RPC shares (`src/wallet/rpc/spend.cpp`): fee instructions
 * (`SetFeeEstimateMode`, `InterpretFeeEstimationInstructions`), the `FundTransaction` options
 * (add_inputs, change, watch-only, confirmations, fee rates, solving_data, input_weights),
 * subtract-fee positions, and funding an existing transaction's inputs. fundrawtransaction,
 * walletcreatefundedpst and send go through here, so their checks run in freicoind's order.
 *
 * @module
 */
import {
  decodeDestination,
  payToPubKeyScript,
  scriptForDestination,
  witnessV0ShortHashOf,
  witnessV0ShortHashOfPubKey,
} from "../../../kernel/address/mod.ts";
import {
  DescriptorError,
  emptySigningData,
  mergeSigningData,
  parseDescriptor,
  type SigningData,
} from "../../../kernel/descriptor/mod.ts";
import { bytesToHex, hexToBytes, isHex } from "../../../kernel/encoding/mod.ts";
import { hash160 } from "../../../kernel/hash/mod.ts";
import { OutPoint, type Transaction, TxIn, TxOut } from "../../../kernel/primitives/mod.ts";
import {
  amountFromJson,
  getArray,
  getBool,
  getInt,
  getObject,
  getStr,
  isJsonObject,
  type JsonObject,
  type JsonTypeName,
  jsonTypeName,
  type JsonValue,
  RPC_ERROR,
  RpcError,
} from "../../../rpc/mod.ts";
import {
  type CoinControl,
  type CreatedTransaction,
  createTransaction,
  CreateTransactionError,
  MAX_BIP125_RBF_SEQUENCE,
  type Recipient,
} from "../create_transaction.ts";
import { MAX_STANDARD_TX_WEIGHT } from "../coin_selection/mod.ts";
import type { Wallet } from "../wallet.ts";
import { parseHash } from "./_util.ts";

/** A fee rate in sat/vB (kria per vbyte, up to 3 decimals) as kria per kvB. */
export function feeRateFromSatPerVb(value: JsonValue): bigint {
  // freicoind reads it as an amount with 3 decimals (`AmountFromValue(fee_rate, 3)`).
  return amountFromJson(value, 3);
}

function isNull(value: JsonValue | undefined): value is null | undefined {
  return value === undefined || value === null;
}

const INVALID_ESTIMATE_MODE =
  'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"';

/**
 * `SetFeeEstimateMode`: an explicit fee_rate (with no conf_target and no estimate_mode other
 * than "unset"), else an estimate mode (checked first) and a confirmation target of 1-1008.
 */
export function setFeeEstimateMode(
  control: CoinControl,
  confTarget: JsonValue | undefined,
  estimateMode: JsonValue | undefined,
  feeRate: JsonValue | undefined,
  overrideMinFee: boolean,
): void {
  if (!isNull(feeRate)) {
    if (!isNull(confTarget)) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.",
      );
    }
    if (!isNull(estimateMode) && getStr(estimateMode) !== "unset") {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both estimate_mode and fee_rate",
      );
    }
    control.feeRate = feeRateFromSatPerVb(feeRate);
    if (overrideMinFee) control.overrideFeeRate = true;
    // An explicit fee rate signals RBF unless told otherwise.
    control.replaceable ??= true;
    return;
  }
  if (!isNull(estimateMode)) {
    const mode = getStr(estimateMode).toLowerCase();
    if (mode !== "unset" && mode !== "economical" && mode !== "conservative") {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, INVALID_ESTIMATE_MODE);
    }
    control.estimateMode = mode;
  }
  if (!isNull(confTarget)) control.confirmTarget = parseConfirmTarget(confTarget);
}

/** `ParseConfirmTarget`: an integer from 1 to 1008. */
export function parseConfirmTarget(value: JsonValue): number {
  const target = getInt(value);
  if (target < 1 || target > 1008) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Invalid conf_target, must be between 1 and 1008",
    );
  }
  return target;
}

/**
 * `InterpretFeeEstimationInstructions`: moves the positional conf_target, estimate_mode and
 * fee_rate into the options (each only one way), and requires a mode with a target.
 */
export function interpretFeeEstimationInstructions(
  confTarget: JsonValue | undefined,
  estimateMode: JsonValue | undefined,
  feeRate: JsonValue | undefined,
  options: JsonObject,
): void {
  if (options.conf_target !== undefined || options.estimate_mode !== undefined) {
    if (!isNull(confTarget) || !isNull(estimateMode)) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Pass conf_target and estimate_mode either as arguments or in the options object, but not both",
      );
    }
  } else {
    options.conf_target = confTarget ?? null;
    options.estimate_mode = estimateMode ?? null;
  }
  if (options.fee_rate !== undefined) {
    if (!isNull(feeRate)) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Pass the fee_rate either as an argument, or in the options object, but not both",
      );
    }
  } else {
    options.fee_rate = feeRate ?? null;
  }
  if (
    !isNull(options.conf_target) &&
    (isNull(options.estimate_mode) || options.estimate_mode === "unset")
  ) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Specify estimate_mode");
  }
}

/** The camelCase spellings `send` and `sendall` refuse (`PreventOutdatedOptions`). */
const OUTDATED_OPTIONS: [string, string][] = [
  ["feeRate", "fee_rate (sat/vB)"],
  ["changeAddress", "change_address"],
  ["changePosition", "change_position"],
  ["includeWatching", "include_watching"],
  ["lockUnspents", "lock_unspents"],
  ["subtractFeeFromOutputs", "subtract_fee_from_outputs"],
];

/** Throws freicoind's -8 "Use X instead of Y" for an outdated option name. */
export function preventOutdatedOptions(options: JsonObject): void {
  for (const [old, replacement] of OUTDATED_OPTIONS) {
    if (options[old] !== undefined) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `Use ${replacement} instead of ${old}`);
    }
  }
}

/** The options FundTransaction knows, with the JSON type each must have (null: any). */
const FUND_OPTION_TYPES: Record<string, JsonTypeName | null> = {
  add_inputs: "bool",
  include_unsafe: "bool",
  add_to_wallet: "bool",
  changeAddress: "string",
  change_address: "string",
  changePosition: "number",
  change_position: "number",
  change_type: "string",
  includeWatching: "bool",
  include_watching: "bool",
  inputs: "array",
  lockUnspents: "bool",
  lock_unspents: "bool",
  locktime: "number",
  lockheight: "number",
  fee_rate: null,
  feeRate: null,
  pst: "bool",
  solving_data: "object",
  subtractFeeFromOutputs: "array",
  subtract_fee_from_outputs: "array",
  replaceable: "bool",
  conf_target: "number",
  estimate_mode: "string",
  minconf: "number",
  maxconf: "number",
  input_weights: "array",
};

/**
 * FundTransaction's strict `RPCTypeCheckObj`: a known option of the wrong JSON type, or an
 * unknown option, is a -3 error. Null values pass.
 */
export function checkFundOptionTypes(options: JsonObject): void {
  for (const [key, expected] of Object.entries(FUND_OPTION_TYPES)) {
    const actual = jsonTypeName(options[key]);
    if (expected !== null && actual !== "null" && actual !== expected) {
      throw new RpcError(
        RPC_ERROR.TYPE_ERROR,
        `JSON value of type ${actual} for field ${key} is not of expected type ${expected}`,
      );
    }
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(FUND_OPTION_TYPES, key)) {
      throw new RpcError(RPC_ERROR.TYPE_ERROR, `Unexpected key ${key}`);
    }
  }
}

/** `ParseIncludeWatchonly`: the option, or true for wallets without private keys. */
export function parseIncludeWatchOnly(value: JsonValue | undefined, wallet: Wallet): boolean {
  return isNull(value) ? wallet.privateKeysDisabled : getBool(value);
}

/**
 * The first of the spellings present in the object (`exists`: a null value counts, and then
 * reading it as a string or number fails with -3 as in freicoind).
 */
function option(options: JsonObject, ...names: string[]): JsonValue | undefined {
  for (const name of names) {
    if (options[name] !== undefined) return options[name];
  }
  return undefined;
}

/** What {@linkcode applyFundOptions} leaves for the caller besides coin control. */
export interface FundOptions {
  /** Lock the inputs of the result. */
  readonly lockUnspents: boolean;
}

/**
 * Reads FundTransaction's options into `control` in freicoind's order, with its errors.
 * `options` may be `true`/`false` (old include_watching form). `recipientCount` bounds the
 * change position.
 */
export function applyFundOptions(
  wallet: Wallet,
  options: JsonValue | undefined,
  recipientCount: number,
  control: CoinControl,
  overrideMinFee: boolean,
): FundOptions {
  let lockUnspents = false;
  if (options === true || options === false) {
    control.allowWatchOnly = options;
    return { lockUnspents };
  }
  if (isNull(options)) {
    control.allowWatchOnly = parseIncludeWatchOnly(undefined, wallet);
    return { lockUnspents };
  }
  const o = getObject(options);
  checkFundOptionTypes(o);
  if (o.add_inputs !== undefined) control.onlySelected = !getBool(o.add_inputs);
  const changeAddress = option(o, "change_address", "changeAddress");
  if (changeAddress !== undefined) {
    const decoded = decodeDestination(getStr(changeAddress), wallet.options.prefixes);
    if (!decoded.ok) {
      throw new RpcError(
        RPC_ERROR.INVALID_ADDRESS_OR_KEY,
        "Change address must be a valid freicoin address",
      );
    }
    control.changeScript = scriptForDestination(decoded.destination);
  }
  const position = option(o, "change_position", "changePosition");
  if (position !== undefined) {
    const pos = getInt(position);
    if (pos < 0 || pos > recipientCount) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "changePosition out of bounds");
    }
    control.changePosition = pos;
  }
  if (o.change_type !== undefined) {
    if (changeAddress !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both change address and address type options",
      );
    }
    const type = getStr(o.change_type);
    if (type !== "legacy" && type !== "bech32") {
      throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Unknown change type '${type}'`);
    }
    control.changeType = type;
  }
  control.allowWatchOnly = parseIncludeWatchOnly(
    option(o, "include_watching", "includeWatching"),
    wallet,
  );
  const lock = option(o, "lock_unspents", "lockUnspents");
  if (lock !== undefined) lockUnspents = getBool(lock);
  if (o.include_unsafe !== undefined) control.includeUnsafe = getBool(o.include_unsafe);
  if (o.feeRate !== undefined) {
    if (o.fee_rate !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both fee_rate (sat/vB) and feeRate (FRC/kvB)",
      );
    }
    if (o.conf_target !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both conf_target and feeRate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.",
      );
    }
    if (o.estimate_mode !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both estimate_mode and feeRate",
      );
    }
    control.feeRate = amountFromJson(o.feeRate);
    control.overrideFeeRate = true;
  }
  if (o.replaceable !== undefined) control.replaceable = getBool(o.replaceable);
  if (o.minconf !== undefined) {
    control.minDepth = getInt(o.minconf);
    if (control.minDepth < 0) throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Negative minconf");
  }
  if (o.maxconf !== undefined) {
    control.maxDepth = getInt(o.maxconf);
    const minDepth = control.minDepth ?? 0;
    if (control.maxDepth < minDepth) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `maxconf can't be lower than minconf: ${control.maxDepth} < ${minDepth}`,
      );
    }
  }
  setFeeEstimateMode(control, o.conf_target, o.estimate_mode, o.fee_rate, overrideMinFee);
  if (o.solving_data !== undefined) {
    control.externalProvider = parseSolvingData(wallet, getObject(o.solving_data));
  }
  if (o.input_weights !== undefined) control.inputWeights = parseInputWeights(o.input_weights);
  return { lockUnspents };
}

function hexItem(value: JsonValue): Uint8Array {
  const text = getStr(value);
  if (!isHex(text)) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `'${text}' is not hex`);
  return hexToBytes(text);
}

/** `solving_data`: public keys, scripts, witness scripts and descriptors for external inputs. */
export function parseSolvingData(wallet: Wallet, data: JsonObject): SigningData {
  const provider = emptySigningData();
  for (const item of isNull(data.pubkeys) ? [] : getArray(data.pubkeys)) {
    const pubkey = hexItem(item);
    const valid = (pubkey.length === 33 || pubkey.length === 65) &&
      wallet.options.secp.normalizePublicKey(pubkey, pubkey.length === 33) !== null;
    if (!valid) {
      throw new RpcError(
        RPC_ERROR.INVALID_ADDRESS_OR_KEY,
        `'${getStr(item)}' is not a valid public key`,
      );
    }
    provider.pubkeys.set(bytesToHex(hash160(pubkey)), pubkey);
    // The key's P2WPK script, and the witness script behind it.
    if (pubkey.length === 33) {
      const program = witnessV0ShortHashOfPubKey(pubkey);
      const witnessScript = scriptForDestination(program);
      provider.scripts.set(bytesToHex(hash160(witnessScript)), witnessScript);
      const entry = new Uint8Array([0, ...payToPubKeyScript(pubkey)]);
      provider.witnessScripts.set(bytesToHex(program.hash), entry);
    }
  }
  for (const item of isNull(data.scripts) ? [] : getArray(data.scripts)) {
    const script = hexItem(item);
    provider.scripts.set(bytesToHex(hash160(script)), script);
  }
  for (const item of isNull(data.witscripts) ? [] : getArray(data.witscripts)) {
    const entry = hexItem(item);
    if (entry.length === 0) {
      throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "witscript cannot be empty");
    }
    const hash = witnessV0ShortHashOf(entry[0], entry.subarray(1)).hash;
    provider.witnessScripts.set(bytesToHex(hash), entry);
  }
  for (const item of isNull(data.descriptors) ? [] : getArray(data.descriptors)) {
    const text = getStr(item);
    let expanded;
    try {
      expanded = parseDescriptor(text, {
        prefixes: wallet.options.prefixes,
        secp: wallet.options.secp,
      }).expandWithSigningData(0);
    } catch (error) {
      if (!(error instanceof DescriptorError)) throw error;
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `Unable to parse descriptor '${text}': ${error.message}`,
      );
    }
    if (expanded) mergeSigningData(provider, expanded.signingData);
  }
  return provider;
}

/** `input_weights`: a weight of at least 165 and at most a standard transaction per input. */
export function parseInputWeights(value: JsonValue): Map<string, number> {
  const weights = new Map<string, number>();
  for (const item of getArray(value)) {
    const input = getObject(item);
    const hash = parseHash(input.txid, "txid");
    if (jsonTypeName(input.vout) !== "number") {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, missing vout key");
    }
    const vout = getInt(input.vout);
    if (vout < 0) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
    }
    if (jsonTypeName(input.weight) !== "number") {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, missing weight key");
    }
    const weight = getInt(input.weight);
    // An input with an empty scriptSig and witness: 41 bytes × 4 + 1.
    if (weight < 165) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Invalid parameter, weight cannot be less than 165 (41 bytes (size of outpoint + sequence + empty scriptSig) * 4 (witness scaling factor)) + 1 (empty witness)",
      );
    }
    if (weight > MAX_STANDARD_TX_WEIGHT) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `Invalid parameter, weight cannot be greater than the maximum standard tx weight of ${MAX_STANDARD_TX_WEIGHT}`,
      );
    }
    weights.set(new OutPoint(hash, vout).toString(), weight);
  }
  return weights;
}

/**
 * `InterpretSubtractFeeFromOutputInstructions`: positions (numbers) or addresses (strings), or
 * `true` for the first output; freicoind's errors for duplicates and bad positions.
 */
export function subtractFeePositions(
  value: JsonValue | undefined,
  destinations: readonly string[],
): Set<number> {
  const positions = new Set<number>();
  if (isNull(value)) return positions;
  if (value === true || value === false) {
    if (value) positions.add(0);
    return positions;
  }
  for (const item of getArray(value)) {
    if (typeof item === "string") {
      const index = destinations.indexOf(item);
      if (index >= 0) positions.add(index);
    }
    if (jsonTypeName(item) === "number") {
      const pos = getInt(item);
      if (positions.has(pos)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Invalid parameter, duplicated position: ${pos}`,
        );
      }
      if (pos < 0) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Invalid parameter, negative position: ${pos}`,
        );
      }
      if (pos >= destinations.length) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Invalid parameter, position too large: ${pos}`,
        );
      }
      positions.add(pos);
    }
  }
  return positions;
}

/**
 * Funds `tx`'s inputs and `recipients` (`FundTransaction`): inputs the wallet does not own
 * are looked up in the node ("Unable to find UTXO for external input" otherwise) and kept with
 * their sequences; the result is unsigned. Failures are -4 with freicoind's text.
 */
export async function fundTransaction(
  wallet: Wallet,
  tx: Transaction,
  recipients: readonly Recipient[],
  control: CoinControl,
  lockUnspents: boolean,
): Promise<CreatedTransaction> {
  if (recipients.length === 0) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "TX must have at least one output");
  }
  control.lockTime = tx.lockTime;
  control.version = tx.version;
  control.selected = tx.inputs.map((input) => input.prevout);
  control.sequences = new Map(tx.inputs.map((input) => [input.prevout.toString(), input.sequence]));
  control.external = new Map();
  const foreign = tx.inputs.filter((input) => !ownsOutpoint(wallet, input.prevout));
  if (foreign.length > 0) {
    const coins = await wallet.options.chain.findCoins(
      foreign.map((input) => outpointBytes(input.prevout)),
    );
    foreign.forEach((input, i) => {
      const coin = coins[i];
      if (!coin) {
        throw new RpcError(RPC_ERROR.WALLET_ERROR, "Unable to find UTXO for external input");
      }
      control.external!.set(input.prevout.toString(), {
        output: new TxOut(coin.value, coin.scriptPubKey),
        refheight: coin.refheight,
      });
    });
  }
  if (tx.lockHeight > 0) control.lockHeight = tx.lockHeight;
  control.sign = false;
  let created: CreatedTransaction;
  try {
    created = await createTransaction(wallet, recipients, control);
  } catch (error) {
    if (error instanceof CreateTransactionError) {
      throw new RpcError(RPC_ERROR.WALLET_ERROR, error.message);
    }
    throw error;
  }
  if (lockUnspents) {
    for (const input of created.tx.inputs) wallet.setCoinLock(input.prevout, true, false);
  }
  return created;
}

/** Whether the outpoint is an output of a wallet transaction that pays us (`IsMine(COutPoint)`). */
function ownsOutpoint(wallet: Wallet, outpoint: OutPoint): boolean {
  const prev = wallet.prevOutput(outpoint);
  return prev !== undefined && wallet.isMine(prev.wtx.tx.outputs[prev.n].scriptPubKey);
}

/** The 36-byte serialization of an outpoint, as `Chain.findCoins` takes it. */
export function outpointBytes(outpoint: OutPoint): Uint8Array {
  const out = new Uint8Array(36);
  out.set(outpoint.hash, 0);
  new DataView(out.buffer).setUint32(32, outpoint.n, true);
  return out;
}

/** The transaction skeleton `ConstructTransaction` makes from inputs, locktime and lockheight. */
export interface ConstructedInputs {
  readonly inputs: TxIn[];
  readonly lockTime: number;
  readonly lockHeight: number;
}

/**
 * `ConstructTransaction`'s input part: inputs with their sequences (BIP125 when `rbf`, else
 * non-final with a locktime, else final), nLockTime, and lock_height (tip + 1 unless given
 * above 0). Inputs may carry a `weight`; {@linkcode inputWeightsOf} collects those.
 */
export function constructInputs(
  inputs: JsonValue | undefined,
  lockTimeArg: JsonValue | undefined,
  lockHeightArg: JsonValue | undefined,
  tipHeight: number,
  rbf: boolean,
): ConstructedInputs {
  let lockTime = 0;
  if (!isNull(lockTimeArg)) {
    lockTime = getInt(lockTimeArg);
    if (lockTime < 0 || lockTime > 0xffffffff) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, locktime out of range");
    }
  }
  let lockHeight = 0;
  if (!isNull(lockHeightArg)) {
    const height = getInt(lockHeightArg);
    if (height < -1 || height > 0xffffffff) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, lockheight out of range");
    }
    lockHeight = Math.max(height, 0);
  }
  if (lockHeight === 0) lockHeight = tipHeight + 1;
  const txInputs = (isNull(inputs) ? [] : getArray(inputs)).map((item) => {
    const o = getObject(item);
    const txid = parseHash(o.txid, "txid");
    if (jsonTypeName(o.vout) !== "number") {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, missing vout key");
    }
    const vout = getInt(o.vout);
    if (vout < 0) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
    }
    let sequence = rbf ? MAX_BIP125_RBF_SEQUENCE : lockTime ? 0xfffffffe : 0xffffffff;
    if (!isNull(o.sequence)) {
      const n = getInt(o.sequence);
      if (n < 0 || n > 0xffffffff) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Invalid parameter, sequence number is out of range",
        );
      }
      sequence = n;
    }
    return new TxIn({ prevout: new OutPoint(txid, vout), sequence });
  });
  return { inputs: txInputs, lockTime, lockHeight };
}

/**
 * `SetOptionsInputWeights`: weights given with the inputs become `input_weights`; giving them
 * in the options instead is an error.
 */
export function inputWeightsOf(inputs: JsonValue | undefined, options: JsonObject): void {
  if (options.input_weights !== undefined) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Input weights should be specified in inputs rather than in options.",
    );
  }
  if (isNull(inputs) || getArray(inputs).length === 0) return;
  options.input_weights = getArray(inputs).filter((input) =>
    isJsonObject(input) && input.weight !== undefined
  );
}
