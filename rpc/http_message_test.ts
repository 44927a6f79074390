import assert from "node:assert/strict";
import { errorPage, formatReply, parseRequestHead, wantsKeepAlive } from "./http_message.ts";

const NOW = new Date(Date.UTC(2026, 10, 24, 3, 49, 6));

Deno.test("parses request lines and headers", () => {
  const head = parseRequestHead(
    "POST /wallet/w HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n  b\r\nConnection: Keep-Alive\r\n",
  );
  assert.deepEqual(head, {
    method: "POST",
    uri: "/wallet/w",
    major: 1,
    minor: 1,
    headers: [["Host", "x"], ["X-Long", "a b"], ["Connection", "Keep-Alive"]],
  });
  assert.equal(wantsKeepAlive(head!), true);
  for (
    const bad of [
      "",
      "GET /",
      "GET / HTTP/1",
      "FOO / HTTP/1.1",
      "GET / HTTP/1.1\r\nNoColon",
      "GET / HTTP/1.1\r\n continuation-first",
      "GET  HTTP/1.1",
    ]
  ) {
    assert.equal(parseRequestHead(bad), undefined, JSON.stringify(bad));
  }
});

Deno.test("formats replies in libevent's header order", () => {
  const head = parseRequestHead("POST / HTTP/1.1\r\nConnection: close\r\n")!;
  const { bytes, close } = formatReply(
    { status: 200, headers: [["Content-Type", "application/json"]], body: "{}\n" },
    head,
    NOW,
  );
  assert.equal(
    new TextDecoder().decode(bytes),
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Tue, 24 Nov 2026 03:49:06 GMT\r\n" +
      "Content-Length: 3\r\nConnection: close\r\n\r\n{}\n",
  );
  assert.equal(close, true);
  const page = formatReply(errorPage(400), undefined, NOW);
  assert.equal(
    new TextDecoder().decode(page.bytes),
    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nConnection: close\r\n" +
      "Date: Tue, 24 Nov 2026 03:49:06 GMT\r\nContent-Length: 94\r\n\r\n" +
      "<HTML><HEAD>\n<TITLE>400 Bad Request</TITLE>\n</HEAD><BODY>\n<H1>Bad Request</H1>\n</BODY></HTML>\n",
  );
  const headRequest = parseRequestHead("HEAD / HTTP/1.1\r\n")!;
  const noBody = formatReply({ status: 405, body: "x" }, headRequest, NOW);
  assert.equal(
    new TextDecoder().decode(noBody.bytes),
    "HTTP/1.1 405 Method Not Allowed\r\nDate: Tue, 24 Nov 2026 03:49:06 GMT\r\n\r\n",
  );
});

Deno.test("bounded fuzz: head parsing never throws", () => {
  const alphabet = "GETPOS /HTP1.0\r\n:abc ";
  let seed = 3;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 5000; i++) {
    let text = random() < 0.5 ? "POST / HTTP/1.1\r\n" : "";
    const length = Math.floor(random() * 60);
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
    const head = parseRequestHead(text);
    if (head) formatReply({ status: 200, body: "ok" }, head, NOW);
  }
});

/** The line-splitting reading of a head that parseRequestHead must keep matching. */
function splitReading(text: string) {
  const lines = text.split("\n").map((line) => line.endsWith("\r") ? line.slice(0, -1) : line);
  const requestLine = lines[0].split(" ");
  if (requestLine.length < 3) return undefined;
  const [method, uri] = requestLine;
  const version = /^HTTP\/([0-9]+)\.([0-9]+)$/.exec(requestLine.slice(2).join(" "));
  if (
    !version || !["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH"]
      .includes(method) ||
    uri === ""
  ) return undefined;
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
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

Deno.test("bounded fuzz: head parsing agrees with splitting the head into lines", () => {
  const pieces = [
    "GET",
    "POST",
    "FOO",
    " ",
    "  ",
    "/",
    "/wallet/w",
    "HTTP/1.1",
    "HTTP/1.0",
    "HTTP/1.x",
    "\r\n",
    "\n",
    "\r",
    "\t",
    "Host: x",
    "Connection:close",
    ":",
    "a",
    "\u00e9",
  ];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) % pieces.length;
  for (let i = 0; i < 3000; i++) {
    let text = i % 2 === 0 ? "POST / HTTP/1.1\r\n" : "";
    const count = 1 + (i % 12);
    for (let j = 0; j < count; j++) text += pieces[next()];
    assert.deepEqual(parseRequestHead(text), splitReading(text), JSON.stringify(text));
  }
});

Deno.test("encodes short, long, non-ASCII and byte bodies as UTF-8 with their byte length", () => {
  const head = parseRequestHead("POST / HTTP/1.1\r\n")!;
  const encoder = new TextEncoder();
  const bodies: (string | Uint8Array)[] = [
    "{}\n",
    '{"result":"\u00e9\u20ac\ud83d\ude00"}\n',
    "x".repeat(5000),
    "\u00e9".repeat(3000),
    "\ud800 lone surrogate",
    new Uint8Array([0, 0xff, 0x80]),
  ];
  for (const body of bodies) {
    for (const headerValue of ["text/plain", "caf\u00e9"]) {
      const { bytes } = formatReply(
        { status: 200, headers: [["Content-Type", headerValue]], body },
        head,
        NOW,
      );
      const bodyBytes = typeof body === "string" ? encoder.encode(body) : body;
      const expectedHead = encoder.encode(
        `HTTP/1.1 200 OK\r\nContent-Type: ${headerValue}\r\nDate: Tue, 24 Nov 2026 03:49:06 GMT\r\n` +
          `Content-Length: ${bodyBytes.length}\r\n\r\n`,
      );
      const expected = new Uint8Array(expectedHead.length + bodyBytes.length);
      expected.set(expectedHead);
      expected.set(bodyBytes, expectedHead.length);
      assert.deepEqual(bytes, expected);
    }
  }
});
