/**
 * One HTTP/1.1 POST over a fresh TCP connection, the way freicoin-cli sends it (Host,
 * `Connection: close`, `Content-Type: application/json`, Basic auth), with a timeout.
 *
 * @module
 */

/** The status and body of a reply. */
export interface PostReply {
  status: number;
  body: string;
}

/**
 * Why no reply arrived, with libevent's code and text as freicoin-cli prints them
 * (`error code 1 - "EOF reached"`).
 */
export class PostFailed extends Error {
  override name = "PostFailed";
  /** libevent's `evhttp_request_error` code. */
  readonly code: number;

  /** A failure with libevent's `code` and `text`. */
  constructor(code: number, text: string) {
    super(text);
    this.code = code;
  }
}

/** What to send where. */
export interface PostOptions {
  host: string;
  port: number;
  path: string;
  /** `user:password`, sent base64-encoded. */
  userColonPass: string;
  body: string;
  /** Seconds before giving up (0: no limit). */
  timeoutSeconds: number;
}

function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Sends the POST and reads the whole reply; throws {@linkcode PostFailed} on failure. */
export async function httpPost(options: PostOptions): Promise<PostReply> {
  let conn: Deno.TcpConn | undefined;
  let timedOut = false;
  const timer = options.timeoutSeconds > 0
    ? setTimeout(() => {
      timedOut = true;
      try {
        conn?.close();
      } catch { /* already closed */ }
    }, options.timeoutSeconds * 1000)
    : undefined;
  try {
    let connected: Deno.TcpConn;
    try {
      connected = conn = await Deno.connect({ hostname: options.host, port: options.port });
    } catch {
      throw timedOut ? new PostFailed(0, "timeout reached") : new PostFailed(1, "EOF reached");
    }
    const body = new TextEncoder().encode(options.body);
    const head = `POST ${options.path} HTTP/1.1\r\nHost: ${options.host}\r\n` +
      `Connection: close\r\nContent-Type: application/json\r\n` +
      `Authorization: Basic ${encodeBase64(options.userColonPass)}\r\n` +
      `Content-Length: ${body.length}\r\n\r\n`;
    const request = new Uint8Array([...new TextEncoder().encode(head), ...body]);
    try {
      let written = 0;
      while (written < request.length) written += await connected.write(request.subarray(written));
    } catch {
      throw timedOut ? new PostFailed(0, "timeout reached") : new PostFailed(1, "EOF reached");
    }
    const raw = await readAll(connected);
    if (timedOut) throw new PostFailed(0, "timeout reached");
    return parseReply(raw);
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch { /* already closed */ }
  }
}

async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const buffer = new Uint8Array(65536);
  while (true) {
    const n = await conn.read(buffer).catch(() => null);
    if (n === null) break;
    chunks.push(buffer.slice(0, n));
    total += n;
    const joined = concat(chunks, total);
    const complete = completeLength(joined);
    if (complete !== undefined && total >= complete) return joined.subarray(0, complete);
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** The full length of a reply with a Content-Length header, once its head is in. */
function completeLength(bytes: Uint8Array): number | undefined {
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 16384)));
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end + 2));
  return length ? end + 4 + Number(length[1]) : undefined;
}

function parseReply(raw: Uint8Array): PostReply {
  const text = new TextDecoder().decode(raw);
  const end = text.indexOf("\r\n\r\n");
  const status = /^HTTP\/\d+\.\d+ (\d{3})/.exec(text);
  if (end < 0 || !status) throw new PostFailed(2, "error while reading header, or invalid header");
  return { status: Number(status[1]), body: text.slice(end + 4) };
}
