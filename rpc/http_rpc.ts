/**
 * JSON-RPC over HTTP, as freicoind's `HTTPReq_JSONRPC`: POST only, Basic auth (401 with
 * `WWW-Authenticate`, 250 ms pause after a wrong password), whitelists (403), single calls and
 * batches, `Content-Type: application/json` replies of compact JSON plus a newline, and HTTP
 * status 400/404/500 for error replies by code.
 *
 * @module
 */
import type { RpcLogger as Logger } from "./logger.ts";
import type { RpcAuthenticator } from "./auth.ts";
import { RPC_ERROR, RpcError } from "./errors.ts";
import { findHeader, type HttpReply } from "./http_message.ts";
import type { HttpHandler, HttpRequest } from "./http_server.ts";
import { isJsonObject, jsonTypeName, type JsonValue, parseJson, writeJson } from "./json.ts";
import { asRpcError, type RpcRegistry } from "./registry.ts";
import { parseRequest, replyObject, RequestError } from "./request.ts";

/** What the JSON-RPC handler needs. */
export interface JsonRpcHandlerOptions {
  registry: RpcRegistry<unknown>;
  auth: RpcAuthenticator;
  logger: Logger;
  /** `-logips`: add the peer address to "ThreadRPCServer method=…" lines. */
  logIps?: boolean;
  /** The pause after a wrong password, in ms (freicoind: 250). */
  authFailureDelayMs?: number;
}

// Strict UTF-8 that keeps a byte-order mark, so that it fails to parse as in freicoind.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const WWW_AUTHENTICATE: [string, string] = ["WWW-Authenticate", 'Basic realm="jsonrpc"'];

function jsonReply(status: number, body: JsonValue): HttpReply {
  return {
    status,
    headers: [["Content-Type", "application/json"]],
    body: writeJson(body) + "\n",
  };
}

/** The HTTP status freicoind uses for an error reply with this code. */
export function httpStatusForError(code: number): number {
  if (code === RPC_ERROR.INVALID_REQUEST) return 400;
  if (code === RPC_ERROR.METHOD_NOT_FOUND) return 404;
  return 500;
}

function errorReply(error: RpcError, id: JsonValue): HttpReply {
  return jsonReply(httpStatusForError(error.code), replyObject(null, error, id));
}

/** Builds the handler for `/` and `/wallet/…`. */
export function makeJsonRpcHandler(options: JsonRpcHandlerOptions): HttpHandler {
  const { registry, auth, logger } = options;
  const delayMs = options.authFailureDelayMs ?? 250;

  const logMethod = (method: string, user: string, peer: string) =>
    logger.debug(
      "rpc",
      () =>
        `ThreadRPCServer method=${sanitize(method)} user=${user}` +
        (options.logIps ? ` peeraddr=${peer}` : ""),
    );

  /** Runs one parsed call to a serialized reply object; errors become error objects. */
  const runOne = async (
    value: JsonValue,
    request: HttpRequest,
    user: string,
  ): Promise<{ text: string; error?: RpcError; id: JsonValue }> => {
    let id: JsonValue = null;
    try {
      const parsed = parseRequest(value);
      id = parsed.id;
      logMethod(parsed.method, user, request.peer);
      const result = await registry.execute({
        method: parsed.method,
        params: parsed.params,
        id,
        uri: request.uri,
        authUser: user,
        peerAddr: request.peer,
      });
      return { text: writeJson(replyObject(result, null, id)), id };
    } catch (caught) {
      if (caught instanceof RequestError) id = caught.id;
      const error = asRpcError(caught);
      return { text: writeJson(replyObject(null, error, id)), error, id };
    }
  };

  return async (request) => {
    if (request.method !== "POST") {
      return { status: 405, body: "JSONRPC server handles only POST requests" };
    }
    const header = findHeader(request.headers, "authorization");
    if (header === undefined) return { status: 401, headers: [WWW_AUTHENTICATE] };
    const { ok, user } = auth.check(header);
    if (!ok) {
      logger.info(`ThreadRPCServer incorrect password attempt from ${request.peer}`);
      // Deter brute-forcing, as freicoind does.
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { status: 401, headers: [WWW_AUTHENTICATE] };
    }

    let body: JsonValue;
    try {
      body = parseJson(utf8.decode(request.body));
    } catch {
      return errorReply(new RpcError(RPC_ERROR.PARSE_ERROR, "Parse error"), null);
    }
    if (!auth.mayCallAny(user)) {
      logger.info(`RPC User ${user} not allowed to call any methods`);
      return { status: 403 };
    }
    if (isJsonObject(body)) {
      const method = body.method;
      if (typeof method === "string" && !auth.mayCall(user, method)) {
        logger.info(`RPC User ${user} not allowed to call method ${method}`);
        return { status: 403 };
      }
      const { text, error, id } = await runOne(body, request, user);
      if (error) return errorReply(error, id);
      return {
        status: 200,
        headers: [["Content-Type", "application/json"]],
        body: text + "\n",
      };
    }
    if (Array.isArray(body)) {
      const denied = checkBatchWhitelist(body, user, auth);
      if (denied instanceof RpcError) return errorReply(denied, null);
      if (denied) {
        logger.info(`RPC User ${user} not allowed to call method ${denied}`);
        return { status: 403 };
      }
      const parts: string[] = [];
      for (const item of body) parts.push((await runOne(item, request, user)).text);
      return {
        status: 200,
        headers: [["Content-Type", "application/json"]],
        body: `[${parts.join(",")}]\n`,
      };
    }
    return errorReply(new RpcError(RPC_ERROR.PARSE_ERROR, "Top-level object parse error"), null);
  };
}

/**
 * For a whitelisted user, the first batch method they may not call (or an error for a batch
 * that cannot be checked); undefined when the whole batch is allowed.
 */
function checkBatchWhitelist(
  batch: JsonValue[],
  user: string,
  auth: RpcAuthenticator,
): string | RpcError | undefined {
  if (!auth.hasWhitelist(user)) return undefined;
  for (const item of batch) {
    if (!isJsonObject(item)) {
      return new RpcError(RPC_ERROR.INVALID_REQUEST, "Invalid Request object");
    }
    const method = item.method;
    if (typeof method !== "string") {
      return new RpcError(
        RPC_ERROR.PARSE_ERROR,
        `JSON value of type ${jsonTypeName(method)} is not of expected type string`,
      );
    }
    if (!auth.mayCall(user, method)) return method;
  }
  return undefined;
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9 .,;\-_/:?@()]/g, "");
}
