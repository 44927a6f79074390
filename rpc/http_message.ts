/**
 * HTTP/1.x request heads and reply bytes, shaped like the libevent server behind freicoind:
 * same status lines, same header order (handler headers, then `Date`, `Content-Length`, the
 * default `Content-Type: text/html; charset=ISO-8859-1`, then `Connection: close` when asked),
 * same HTML error pages.
 *
 * @module
 */

/** Methods libevent understands; freicoind serves GET/POST/HEAD/PUT and answers 405 to others. */
export const KNOWN_METHODS = new Set([
  "GET",
  "POST",
  "HEAD",
  "PUT",
  "DELETE",
  "OPTIONS",
  "TRACE",
  "CONNECT",
  "PATCH",
]);

/** A parsed request line and headers. */
export interface RequestHead {
  method: string;
  uri: string;
  major: number;
  minor: number;
  /** Headers in arrival order, names as sent. */
  headers: [string, string][];
}

/** The first header named `name` (case-insensitive), or undefined. */
export function findHeader(headers: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  // Header names are Latin-1/windows-1252 text, whose lower case has the same length, so a
  // length mismatch settles most comparisons without building a lower-case copy.
  for (const [k, v] of headers) {
    if (k.length === lower.length && k.toLowerCase() === lower) return v;
  }
  return undefined;
}

/** Parses the text before the blank line; undefined means a malformed head (HTTP 400). */
export function parseRequestHead(text: string): RequestHead | undefined {
  // Lines end at "\n" with an optional "\r" before it; the request line is
  // `<method> SP <uri> SP <version>`, where the version is everything after the second space.
  let lineEnd = text.indexOf("\n");
  if (lineEnd < 0) lineEnd = text.length;
  const requestLine = stripCr(text.slice(0, lineEnd));
  const space1 = requestLine.indexOf(" ");
  const space2 = space1 < 0 ? -1 : requestLine.indexOf(" ", space1 + 1);
  if (space2 < 0) return undefined;
  const method = requestLine.slice(0, space1);
  const uri = requestLine.slice(space1 + 1, space2);
  const version = /^HTTP\/([0-9]+)\.([0-9]+)$/.exec(requestLine.slice(space2 + 1));
  if (!version || !KNOWN_METHODS.has(method) || uri === "") return undefined;
  const headers: [string, string][] = [];
  while (lineEnd < text.length) {
    const start = lineEnd + 1;
    lineEnd = text.indexOf("\n", start);
    if (lineEnd < 0) lineEnd = text.length;
    const line = stripCr(text.slice(start, lineEnd));
    if (line === "") continue;
    if (line[0] === " " || line[0] === "\t") {
      const last = headers.at(-1);
      if (!last) return undefined;
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon < 0) return undefined;
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { method, uri, major: Number(version[1]), minor: Number(version[2]), headers };
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/** Whether the connection stays open after this request (HTTP/1.1 default, 1.0 keep-alive). */
export function wantsKeepAlive(head: RequestHead): boolean {
  return keepsAlive(head, findHeader(head.headers, "Connection")?.toLowerCase());
}

/** {@linkcode wantsKeepAlive} given the request's lower-cased Connection header. */
function keepsAlive(head: RequestHead, connection: string | undefined): boolean {
  if (connection === "close") return false;
  if (head.major < 1 || (head.major === 1 && head.minor < 1)) return connection === "keep-alive";
  return true;
}

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Request Entity Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** libevent's reason phrase for a status code. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "Error";
}

/** A reply from a handler. */
export interface HttpReply {
  status: number;
  /** Headers in the order they are written, before the ones the server adds. */
  headers?: [string, string][];
  body?: string | Uint8Array;
}

/** libevent's HTML error page (`evhttp_send_error`), sent with `Connection: close`. */
export function errorPage(status: number): HttpReply {
  const reason = reasonPhrase(status);
  return {
    status,
    headers: [["Content-Type", "text/html"], ["Connection", "close"]],
    body: `<HTML><HEAD>\n<TITLE>${status} ${reason}</TITLE>\n</HEAD><BODY>\n<H1>${reason}</H1>\n` +
      `</BODY></HTML>\n`,
  };
}

const encoder = new TextEncoder();
let dateCache = { second: -1, text: "" };

/** The Date header value, formatted once per second. */
function httpDate(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== dateCache.second) dateCache = { second, text: now.toUTCString() };
  return dateCache.text;
}

/** The default content type libevent adds to replies that have none. */
export const DEFAULT_CONTENT_TYPE = "text/html; charset=ISO-8859-1";

/**
 * Serializes a reply to `head` (or to a request whose head could not be read, as HTTP/1.1).
 * Returns the bytes and whether the connection must close afterwards.
 */
export function formatReply(
  reply: HttpReply,
  head: RequestHead | undefined,
  now: Date,
): { bytes: Uint8Array; close: boolean } {
  const major = head?.major || 1;
  const minor = head ? head.minor : 1;
  const headers: [string, string][] = [...(reply.headers ?? [])];
  const has = (name: string) => findHeader(headers, name) !== undefined;
  // The request's Connection header, looked up once for all three decisions below.
  const connection = head && findHeader(head.headers, "Connection")?.toLowerCase();
  const keepAliveRequested = connection === "keep-alive";
  // A short ASCII body is copied straight into the reply buffer below; anything else is encoded
  // by the runtime (faster for long text).
  const asciiBody = typeof reply.body === "string" && reply.body.length <= SHORT_TEXT &&
      isAscii(reply.body)
    ? reply.body
    : undefined;
  const body = asciiBody !== undefined
    ? undefined
    : typeof reply.body === "string"
    ? encoder.encode(reply.body)
    : reply.body ?? new Uint8Array();
  const bodyLength = asciiBody !== undefined ? asciiBody.length : body!.length;
  const needsBody = head?.method !== "HEAD" &&
    !(reply.status < 200 || reply.status === 204 || reply.status === 304);
  if (major === 1) {
    if (minor >= 1 && !has("Date")) headers.push(["Date", httpDate(now)]);
    if (minor === 0 && keepAliveRequested) headers.push(["Connection", "keep-alive"]);
    if ((minor >= 1 || keepAliveRequested) && needsBody && !has("Content-Length")) {
      headers.push(["Content-Length", String(bodyLength)]);
    }
  }
  if (needsBody && !has("Content-Type")) headers.push(["Content-Type", DEFAULT_CONTENT_TYPE]);
  const requestClose = connection === "close";
  if (requestClose) {
    const kept = headers.filter(([k]) => k.toLowerCase() !== "connection");
    headers.length = 0;
    headers.push(...kept, ["Connection", "close"]);
  }
  const replyClose = findHeader(headers, "Connection")?.toLowerCase() === "close";
  const close = head === undefined || !keepsAlive(head, connection) || replyClose;
  let text = `HTTP/${major}.${minor} ${reply.status} ${reasonPhrase(reply.status)}\r\n`;
  for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
  text += "\r\n";
  // One buffer for head and body, so the reply goes out in one write.
  const headBytes = isAscii(text) ? undefined : encoder.encode(text);
  const headLength = headBytes ? headBytes.length : text.length;
  const bytes = new Uint8Array(headLength + (needsBody ? bodyLength : 0));
  if (headBytes) bytes.set(headBytes);
  else writeAscii(text, bytes, 0);
  if (!needsBody) return { bytes, close };
  if (asciiBody !== undefined) writeAscii(asciiBody, bytes, headLength);
  else bytes.set(body!, headLength);
  return { bytes, close };
}

/** Bodies up to this many characters are checked for ASCII and copied without the encoder. */
const SHORT_TEXT = 1024;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return false;
  }
  return true;
}

/** Writes ASCII `text` (its UTF-8 encoding, byte for byte) at `offset`. */
function writeAscii(text: string, out: Uint8Array, offset: number): void {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
}
