/**
 * Helpers shared by the mining RPC files (not exported from mod.ts).
 */
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { getStr, type JsonValue, RPC_ERROR, RpcError } from "../../../rpc/mod.ts";

/**
 * Hex text to bytes, or null when it is not an even-length string of `0-9a-fA-F` (no prefix,
 * no whitespace). One native pass (`Uint8Array.fromHex` validates while it decodes): a
 * submitblock's ~20 KB of hex took a regex test and a JavaScript decode before.
 */
export function parseHex(text: string): Uint8Array | null {
  try {
    return Uint8Array.fromHex(text);
  } catch {
    return null;
  }
}

/** `ParseHashV`: a 64-digit hex hash, with freicoind's errors. */
export function parseHashArg(value: JsonValue | undefined, name: string): string {
  const text = getStr(value ?? null);
  if (text.length !== 64) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be of length 64 (not ${text.length}, for '${text}')`,
    );
  }
  if (!/^[0-9a-fA-F]*$/.test(text)) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${text}')`,
    );
  }
  return text.toLowerCase();
}

/** Display hex (byte-reversed) of a hash. */
export function hashHex(hash: Uint8Array): string {
  return bytesToHex(hash.slice().reverse());
}

/** Display hex to the internal byte order's hex, for std::map/std::set ordering. */
export function internalOrder(displayHex: string): string {
  return displayHex.match(/../g)!.reverse().join("");
}

/** `BIP22ValidationResult`: null when valid, else the reject reason (or "rejected"). */
export function bip22Result(reason: string | null): JsonValue {
  if (reason === null) return null;
  return reason || "rejected";
}
