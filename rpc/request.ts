/**
 * JSON-RPC request objects and replies, shaped as freicoind shapes them (JSON-RPC 1.0 with
 * 2.0-style errors): `{"result":…,"error":…,"id":…}`.
 *
 * @module
 */
import { isJsonObject, type JsonObject, type JsonValue } from "./json.ts";
import { RPC_ERROR, RpcError } from "./errors.ts";

/** The method, params and id read from one request object. */
export interface ParsedRequest {
  method: string;
  params: JsonValue;
  id: JsonValue;
}

/** Thrown for a malformed request object; carries the id when it was readable. */
export class RequestError extends RpcError {
  override name = "RequestError";
  /** The request's id, or null. */
  readonly id: JsonValue;

  /** An -32600 error for a request object with id `id`. */
  constructor(message: string, id: JsonValue) {
    super(RPC_ERROR.INVALID_REQUEST, message);
    this.id = id;
  }
}

/**
 * Reads a request object like freicoind's `JSONRPCRequest::parse`: the id first (so later errors
 * carry it), then a string `method`, then `params` (array, object, or missing/null for `[]`).
 */
export function parseRequest(value: JsonValue): ParsedRequest {
  if (!isJsonObject(value)) throw new RequestError("Invalid Request object", null);
  const id = value.id ?? null;
  const method = value.method;
  if (method === undefined || method === null) throw new RequestError("Missing method", id);
  if (typeof method !== "string") throw new RequestError("Method must be a string", id);
  const params = value.params ?? null;
  if (params === null) return { method, params: [], id };
  if (!Array.isArray(params) && !isJsonObject(params)) {
    throw new RequestError("Params must be an array or object", id);
  }
  return { method, params, id };
}

/** A reply object: `result` is null whenever `error` is set. */
export function replyObject(result: JsonValue, error: RpcError | null, id: JsonValue): JsonObject {
  return {
    result: error ? null : result,
    error: error ? { code: error.code, message: error.message } : null,
    id,
  };
}

/** A request object as freicoin-cli builds it: `{"method":…,"params":…,"id":…}`. */
export function requestObject(method: string, params: JsonValue, id: JsonValue): JsonObject {
  return { method, params, id };
}

/**
 * The wallet name a request is addressed to: the URL-decoded rest of a `/wallet/<name>` path,
 * or undefined for any other path.
 */
export function walletNameFromUri(uri: string): string | undefined {
  const prefix = "/wallet/";
  if (!uri.startsWith(prefix)) return undefined;
  return urlDecode(uri.slice(prefix.length));
}

/** Decodes `%XX` escapes (not `+`), leaving malformed escapes as they are, like libevent. */
export function urlDecode(text: string): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...encoder.encode(text[i]));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
