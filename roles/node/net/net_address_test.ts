import assert from "node:assert/strict";
import { formatService, parseIp, parseService, splitHostPort } from "./net_address.ts";

Deno.test("parses and formats IPv4 and IPv6 services as freicoind prints them", () => {
  const cases: [string, string][] = [
    ["127.0.0.1:8639", "127.0.0.1:8639"],
    ["[::1]:18444", "[::1]:18444"],
    ["[2001:db8:0:0:1:0:0:1]:1", "[2001:db8::1:0:0:1]:1"],
    ["[::ffff:a00:1]:5", "10.0.0.1:5"],
    ["[fe80::]:7", "[fe80::]:7"],
  ];
  for (const [text, expected] of cases) {
    const service = parseService(text, 0);
    assert.ok(service, text);
    assert.equal(formatService(service), expected);
  }
});

Deno.test("uses the default port and rejects bad hosts and ports", () => {
  assert.equal(parseService("1.2.3.4", 18444)?.port, 18444);
  assert.equal(parseService("1.2.3.256", 1), undefined);
  assert.equal(parseService("example.com", 1), undefined);
  assert.equal(splitHostPort("1.2.3.4:99999", 1), undefined);
  assert.deepEqual(splitHostPort("localhost:5", 1), { host: "localhost", port: 5 });
  assert.deepEqual(splitHostPort("::1", 7), { host: "::1", port: 7 });
  assert.equal(parseIp("1::2::3", 0), undefined);
  assert.equal(formatService(parseService("127.1:5", 0)!), "127.0.0.1:5");
  assert.equal(formatService(parseService("10.65535", 0)!), "10.0.255.255:0");
  assert.equal(formatService(parseService("0x7f000001", 0)!), "127.0.0.1:0");
  assert.equal(parseService("1.2.3.4.5", 0), undefined);
});
