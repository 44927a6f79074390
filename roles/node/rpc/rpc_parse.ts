/**
 * Argument parsing shared by the node's methods, with freicoind's error texts: hashes
 * (`ParseHashV`), hex (`ParseHexV`), transactions (`DecodeHexTx` with its witness heuristics)
 * and block references by hash or height.
 *
 * @module
 */
import {
  getInt64,
  getStr,
  isJsonObject,
  JsonNumber,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
} from "../../../rpc/mod.ts";
import { hashFromHex, hexToBytes, isHex } from "../../../kernel/encoding/mod.ts";
import { decodeTransaction, type Transaction } from "../../../kernel/primitives/mod.ts";
import {
  MAX_OPCODE,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_SCRIPT_SIZE,
  readOp,
} from "../../../kernel/script/mod.ts";

/** `ParseHashV`: a 64-digit display hex hash, returned in internal byte order. */
export function parseHashV(value: JsonValue | undefined, name: string): Uint8Array {
  const hex = getStr(value);
  if (hex.length !== 64) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be of length 64 (not ${hex.length}, for '${hex}')`,
    );
  }
  if (!isHex(hex)) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${hex}')`,
    );
  }
  return hashFromHex(hex);
}

/** `ParseHashO`: the hash under `key` of an object. */
export function parseHashO(object: JsonValue | undefined, key: string): Uint8Array {
  return parseHashV(findValue(object, key), key);
}

/** `ParseHexV`: hex bytes ("" is not hex); non-strings count as "". */
export function parseHexV(value: JsonValue | undefined, name: string): Uint8Array {
  const hex = typeof value === "string" ? value : "";
  if (!isHex(hex)) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${hex}')`,
    );
  }
  return hexToBytes(hex);
}

/** `UniValue::find_value`: the member `key` of an object, undefined when absent. */
export function findValue(object: JsonValue | undefined, key: string): JsonValue | undefined {
  if (object instanceof Map) return object.get(key);
  if (isJsonObject(object)) return object[key];
  return undefined;
}

/** `CScript::HasValidOps`: every op parses, is a known opcode and pushes at most 520 bytes. */
export function hasValidOps(script: Uint8Array): boolean {
  let pos = 0;
  while (pos < script.length) {
    const op = readOp(script, pos);
    if (op === null || op.opcode > MAX_OPCODE) return false;
    if (op.data !== null && op.data.length > MAX_SCRIPT_ELEMENT_SIZE) return false;
    pos = op.end;
  }
  return true;
}

/** `CheckTxScriptsSanity`: plausible scripts, used to choose between two decodings. */
export function txScriptsLookSane(tx: Transaction): boolean {
  if (!tx.isCoinBase()) {
    for (const input of tx.inputs) {
      if (!hasValidOps(input.scriptSig) || input.scriptSig.length > MAX_SCRIPT_SIZE) return false;
    }
  }
  return tx.outputs.every((output) =>
    hasValidOps(output.scriptPubKey) && output.scriptPubKey.length <= MAX_SCRIPT_SIZE
  );
}

function tryDecode(bytes: Uint8Array, allowWitness: boolean): Transaction | undefined {
  try {
    return decodeTransaction(bytes, { allowWitness });
  } catch {
    return undefined;
  }
}

/**
 * `DecodeHexTx`: decodes with and without witness data as allowed, preferring the extended
 * decoding unless only the other one has sane scripts. Undefined when neither works.
 */
export function decodeHexTx(
  hex: string,
  options: { tryNoWitness?: boolean; tryWitness?: boolean } = {},
): Transaction | undefined {
  if (!isHex(hex)) return undefined;
  const bytes = hexToBytes(hex);
  const extended = options.tryWitness ?? true ? tryDecode(bytes, true) : undefined;
  if (extended && txScriptsLookSane(extended)) return extended;
  const legacy = options.tryNoWitness ?? true ? tryDecode(bytes, false) : undefined;
  if (legacy && txScriptsLookSane(legacy)) return legacy;
  return extended ?? legacy;
}

function isJsonNumber(value: JsonValue | undefined): boolean {
  return typeof value === "number" || typeof value === "bigint" || value instanceof JsonNumber;
}

/**
 * `ParseDescriptorRange`: a number `n` means [0, n], a pair [begin, end] itself; checked as
 * freicoind does (non-negative, end below 2^31, fewer than a million entries).
 */
export function parseDescriptorRangeArg(value: JsonValue | undefined): [number, number] {
  let low: bigint;
  let high: bigint;
  if (isJsonNumber(value)) {
    [low, high] = [0n, getInt64(value)];
  } else if (
    Array.isArray(value) && value.length === 2 && isJsonNumber(value[0]) && isJsonNumber(value[1])
  ) {
    [low, high] = [getInt64(value[0]), getInt64(value[1])];
    if (low > high) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Range specified as [begin,end] must not have begin after end",
      );
    }
  } else {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Range must be specified as end or as [begin,end]",
    );
  }
  if (low < 0n) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Range should be greater or equal than 0");
  }
  if (high >> 31n !== 0n) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "End of range is too high");
  }
  if (high >= low + 1000000n) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Range is too large");
  }
  return [Number(low), Number(high)];
}

/** The members of a JSON object in order. */
export function objectEntries(value: JsonValue): [string, JsonValue][] {
  if (value instanceof Map) return [...value.entries()];
  return Object.entries(value as JsonObject).filter((e): e is [string, JsonValue] =>
    e[1] !== undefined
  );
}
