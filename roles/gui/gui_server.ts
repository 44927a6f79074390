/**
 * The gui's local web server on 127.0.0.1: the static page (roles/gui/web/) and a small JSON
 * API the page polls. Every answer comes from the node's Rpc over IPC (never HTTP to the node).
 *
 * The API needs the token printed in the URL, sent back in the `X-Gui-Token` header: a custom
 * header cannot be sent cross-origin without a CORS preflight (which is never granted), so
 * other web sites cannot drive the node, and other local users do not know the token.
 *
 * @module
 */
import type { NodeLink } from "./node_link.ts";
import { NodeDownError } from "./node_link.ts";

/** Static files served, by URL path. */
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

/** Largest API request body accepted. */
const MAX_BODY_BYTES = 1 << 20;

/** A running gui web server. */
export interface GuiServer {
  /** The URL to open, with the token. */
  readonly url: string;
  readonly port: number;
  /** Stops serving. */
  close(): Promise<void>;
}

/** Options for {@linkcode startGuiServer}. */
export interface GuiServerOptions {
  readonly link: NodeLink;
  /** The port; 0 picks a free one. */
  readonly port: number;
  /** The API token; default a random one. */
  readonly token?: string;
}

/** Serves the page and its API on 127.0.0.1. */
export function startGuiServer(options: GuiServerOptions): GuiServer {
  const token = options.token ?? randomToken();
  const { link } = options;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: options.port,
    onListen() {},
  }, (request) => handle(request, link, token));
  const port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    close: () => server.shutdown(),
  };
}

async function handle(request: Request, link: NodeLink, token: string): Promise<Response> {
  const url = new URL(request.url);
  const page = STATIC_FILES[url.pathname];
  if (page && request.method === "GET") {
    const body = await Deno.readFile(new URL(`./web/${page.file}`, import.meta.url));
    return new Response(body, {
      headers: { "content-type": page.type, "cache-control": "no-store" },
    });
  }
  if (!url.pathname.startsWith("/api/")) return json({ error: "not found" }, 404);
  if (request.headers.get("x-gui-token") !== token) return json({ error: "bad token" }, 403);
  try {
    switch (`${request.method} ${url.pathname}`) {
      case "GET /api/node":
        return json(link.state);
      case "POST /api/node/restart":
        await link.start().catch(() => {});
        return json(link.state);
      case "POST /api/rpc":
        return await rpcCall(request, link);
      default:
        return json({ error: "not found" }, 404);
    }
  } catch (error) {
    const status = error instanceof NodeDownError ? 503 : 500;
    return json({ error: error instanceof Error ? error.message : String(error) }, status);
  }
}

/**
 * `POST /api/rpc` with `{"method": ..., "params": [...], "wallet"?: name}`: the node's JSON-RPC
 * reply (`{result, error, id}`) as it sent it.
 */
async function rpcCall(request: Request, link: NodeLink): Promise<Response> {
  const body = await readBounded(request, MAX_BODY_BYTES);
  if (body === undefined) return json({ error: "request too large" }, 413);
  let call: unknown;
  try {
    call = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return json({ error: "the body is not JSON" }, 400);
  }
  if (typeof call !== "object" || call === null) return json({ error: "not an object" }, 400);
  const { method, params, wallet } = call as Record<string, unknown>;
  if (typeof method !== "string" || (params !== undefined && !Array.isArray(params))) {
    return json({ error: "method must be a string and params an array" }, 400);
  }
  if (wallet !== undefined && typeof wallet !== "string") {
    return json({ error: "wallet must be a string" }, 400);
  }
  const uri = wallet === undefined ? "/" : `/wallet/${encodeURIComponent(wallet)}`;
  const rpcRequest = JSON.stringify({ jsonrpc: "1.0", id: "gui", method, params: params ?? [] });
  const reply = await link.execute(rpcRequest, uri);
  return new Response(reply, { headers: { "content-type": "application/json" } });
}

/** The request body, or undefined once it grows past `limit` bytes (it is not read further). */
async function readBounded(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
