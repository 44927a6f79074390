import assert from "node:assert/strict";
import {
  EndpointError,
  formatEndpoint,
  parseBindEndpoint,
  parseConnectEndpoint,
} from "./endpoint.ts";

const opts = { datadirNet: "/home/u/.freicoin/regtest", platform: "posix" } as const;

Deno.test("unix means the default node.sock in the network datadir", () => {
  assert.deepEqual(parseBindEndpoint("unix", opts), {
    kind: "unix",
    path: "/home/u/.freicoin/regtest/node.sock",
  });
});

Deno.test("unix:<relative> resolves against the network datadir, absolute stays", () => {
  assert.deepEqual(parseBindEndpoint("unix:sub/x.sock", opts), {
    kind: "unix",
    path: "/home/u/.freicoin/regtest/sub/x.sock",
  });
  assert.deepEqual(parseBindEndpoint("unix:/run/f.sock", opts), {
    kind: "unix",
    path: "/run/f.sock",
  });
});

Deno.test("tcp:<host>:<port> parses IPv4, names and bracketed IPv6", async (t) => {
  const cases: [string, string, number][] = [
    ["tcp:127.0.0.1:8335", "127.0.0.1", 8335],
    ["tcp:localhost:1", "localhost", 1],
    ["tcp:[::1]:65535", "::1", 65535],
  ];
  for (const [text, host, port] of cases) {
    await t.step(text, () => {
      assert.deepEqual(parseConnectEndpoint(text, opts), { kind: "tcp", host, port });
    });
  }
});

Deno.test("port 0 is allowed for bind only", () => {
  assert.equal((parseBindEndpoint("tcp:127.0.0.1:0", opts) as { port: number }).port, 0);
  assert.throws(() => parseConnectEndpoint("tcp:127.0.0.1:0", opts), EndpointError);
});

Deno.test("auto is accepted for connect only and names the default socket", () => {
  assert.deepEqual(parseConnectEndpoint("auto", opts), {
    kind: "auto",
    path: "/home/u/.freicoin/regtest/node.sock",
  });
  assert.throws(() => parseBindEndpoint("auto", opts), /Unrecognized address 'auto'/);
});

Deno.test("rejects malformed values with a clear message", async (t) => {
  const bad: [string, RegExp][] = [
    ["", /Unrecognized address ''/],
    ["unix:", /Unrecognized address 'unix:'/],
    ["unixx", /Unrecognized address/],
    ["tcp:", /Missing port/],
    ["tcp:127.0.0.1", /Missing port/],
    ["tcp::8335", /Invalid host/],
    ["tcp:127.0.0.1:", /Invalid port/],
    ["tcp:127.0.0.1:65536", /Invalid port/],
    ["tcp:127.0.0.1:-1", /Invalid port/],
    ["tcp:127.0.0.1:1e3", /Invalid port/],
    ["tcp:127.0.0.1:123456", /Invalid port/],
    ["tcp:::1:80", /must be in brackets/],
    ["tcp:[::1:80", /Invalid IPv6/],
    ["tcp:[::1]80", /Invalid IPv6/],
    ["tcp:a b:80", /Invalid host/],
    ["http://x", /Unrecognized address/],
  ];
  for (const [text, message] of bad) {
    await t.step(JSON.stringify(text), () => {
      assert.throws(() => parseConnectEndpoint(text, opts), message);
    });
  }
});

Deno.test("rejects a unix path longer than a socket address holds", () => {
  const long = "unix:/" + "a".repeat(120);
  assert.throws(
    () => parseBindEndpoint(long, opts),
    /exceeded maximum socket path length/,
  );
  // Windows maps the path to a named pipe, which has no such limit.
  assert.equal(parseBindEndpoint(long, { ...opts, platform: "windows" }).kind, "unix");
});

Deno.test("formatEndpoint writes the command-line form", () => {
  assert.equal(formatEndpoint(parseBindEndpoint("tcp:[::1]:5", opts)), "tcp:[::1]:5");
  assert.equal(formatEndpoint(parseBindEndpoint("tcp:h:5", opts)), "tcp:h:5");
  assert.equal(formatEndpoint(parseBindEndpoint("unix:/a", opts)), "unix:/a");
});

Deno.test("fuzz: random strings either parse or throw EndpointError, never anything else", () => {
  const alphabet = "unixtcp:[]/.0123456789:auto \0\\-";
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < 5000; i++) {
    const length = next() % 24;
    let text = ["", "unix", "unix:", "tcp:", "auto"][next() % 5];
    for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
    try {
      const e = parseConnectEndpoint(text, opts);
      if (e.kind === "tcp") assert.ok(e.port >= 1 && e.port <= 65535 && e.host !== "");
    } catch (error) {
      assert.ok(error instanceof EndpointError, `${JSON.stringify(text)}: ${error}`);
    }
  }
});
