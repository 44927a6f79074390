/**
 * The node's `Rpc` interface (rpc.capnp): JSON-RPC over IPC, run through the same
 * {@linkcode RpcRegistry} as the HTTP server, with the same reply objects (`{result, error, id}`,
 * batches as arrays, freicoind's error codes and messages).
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import {
  asRpcError,
  isJsonObject,
  type JsonValue,
  parseJson,
  parseRequest,
  replyObject,
  RequestError,
  RPC_ERROR,
  RpcError,
  type RpcRegistry,
  writeJson,
} from "../../../rpc/mod.ts";
import type { Rpc } from "../../../schemas/mod.ts";

/** The address shown for IPC callers in `getrpcinfo`-style places. */
export const IPC_PEER_ADDRESS = "ipc";

/**
 * Runs the JSON-RPC text `request` (one request object or a batch) as the HTTP server would,
 * and returns the reply body (without the trailing newline).
 */
export async function executeJsonRpcText(
  registry: RpcRegistry<unknown>,
  request: string,
  uri: string,
  user: string,
  logger?: Logger,
): Promise<string> {
  let body: JsonValue;
  try {
    body = parseJson(request);
  } catch {
    return errorText(new RpcError(RPC_ERROR.PARSE_ERROR, "Parse error"), null);
  }
  const runOne = async (value: JsonValue): Promise<string> => {
    let id: JsonValue = null;
    try {
      const parsed = parseRequest(value);
      id = parsed.id;
      logger?.debug("rpc", () => `IPC RPC method=${sanitize(parsed.method)} user=${user}`);
      const result = await registry.execute({
        method: parsed.method,
        params: parsed.params,
        id,
        uri,
        authUser: user,
        peerAddr: IPC_PEER_ADDRESS,
      });
      return writeJson(replyObject(result, null, id));
    } catch (caught) {
      if (caught instanceof RequestError) id = caught.id;
      return errorText(asRpcError(caught), id);
    }
  };
  if (isJsonObject(body)) return await runOne(body);
  if (Array.isArray(body)) {
    const parts: string[] = [];
    for (const item of body) parts.push(await runOne(item));
    return `[${parts.join(",")}]`;
  }
  return errorText(new RpcError(RPC_ERROR.PARSE_ERROR, "Top-level object parse error"), null);
}

function errorText(error: RpcError, id: JsonValue): string {
  return writeJson(replyObject(null, error, id));
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9 .,;\-_/:?@()]/g, "");
}

/** The node's {@linkcode Rpc}: every request goes through `registry`. */
export class RegistryRpc implements Rpc {
  readonly #registry: RpcRegistry<unknown>;
  readonly #logger: Logger | undefined;

  /** Serves `registry`; `logger` gets the `rpc` category method lines. */
  constructor(registry: RpcRegistry<unknown>, logger?: Logger) {
    this.#registry = registry;
    this.#logger = logger;
  }

  /** Runs one request or batch; see {@linkcode executeJsonRpcText}. */
  executeRpc(request: string, uri: string, user: string): Promise<string> {
    return executeJsonRpcText(this.#registry, request, uri, user, this.#logger);
  }
}
