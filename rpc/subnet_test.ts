import assert from "node:assert/strict";
import { parseIp, parseSubnet, splitHostPort, subnetContains } from "./subnet.ts";

Deno.test("parses -rpcallowip forms like freicoind's LookupSubNet", async (t) => {
  const cases: [string, string, boolean][] = [
    ["127.0.0.1", "127.0.0.1", true],
    ["127.0.0.1", "127.0.0.2", false],
    ["10.0.0.0/8", "10.255.1.2", true],
    ["10.0.0.0/8", "11.0.0.1", false],
    ["192.168.1.0/255.255.255.0", "192.168.1.77", true],
    ["192.168.1.0/255.255.255.0", "192.168.2.1", false],
    ["0.0.0.0/0", "8.8.8.8", true],
    ["::1", "::1", true],
    ["::1", "::2", false],
    ["fe80::/10", "fe80::1234", true],
    ["2001:db8::/32", "2001:db8:ffff::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["::/0", "1.2.3.4", false],
    ["::ffff:1.2.3.4", "1.2.3.4", true],
    ["1.2.3.4/32", "::ffff:1.2.3.4", true],
  ];
  for (const [subnet, address, expected] of cases) {
    await t.step(`${subnet} contains ${address}: ${expected}`, () => {
      const parsed = parseSubnet(subnet);
      assert.ok(parsed, subnet);
      assert.equal(subnetContains(parsed, parseIp(address)!), expected);
    });
  }
});

Deno.test("rejects invalid subnets", () => {
  for (
    const bad of [
      "",
      "1.2.3",
      "1.2.3.256",
      "1.2.3.4/33",
      "1.2.3.4/255.0.255.0",
      "1.2.3.4/ffff::",
      "::1/129",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "localhost",
      "1.2.3.4/",
      "1.2.3.4/-1",
    ]
  ) {
    assert.equal(parseSubnet(bad), undefined, bad);
  }
});

Deno.test("splits host and port like SplitHostPort", () => {
  assert.deepEqual(splitHostPort("127.0.0.1:1234", 8638), {
    host: "127.0.0.1",
    port: 1234,
    valid: true,
  });
  assert.deepEqual(splitHostPort("127.0.0.1", 8638), {
    host: "127.0.0.1",
    port: 8638,
    valid: true,
  });
  assert.deepEqual(splitHostPort("[::1]:99", 8638), { host: "::1", port: 99, valid: true });
  assert.deepEqual(splitHostPort("::1", 8638), { host: "::1", port: 8638, valid: true });
  assert.deepEqual(splitHostPort("[::1]", 8638), { host: "::1", port: 8638, valid: true });
  assert.deepEqual(splitHostPort("host:0", 8638), { host: "host", port: 0, valid: false });
  assert.deepEqual(splitHostPort("host:99999", 8638), {
    host: "host:99999",
    port: 8638,
    valid: false,
  });
});

Deno.test("bounded fuzz: subnet parsing never throws", () => {
  const alphabet = "0123456789abcdef.:/[]f";
  let seed = 99;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 5000; i++) {
    let text = "";
    const length = Math.floor(random() * 30);
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
    const subnet = parseSubnet(text);
    if (subnet) {
      assert.equal(subnet.network.length, subnet.mask.length);
      assert.ok(subnet.network.length === 4 || subnet.network.length === 16);
    }
    splitHostPort(text, 1);
  }
});
