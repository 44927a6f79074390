import assert from "node:assert/strict";
import * as path from "node:path";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { BanList, formatSubnet, parseSubnet } from "./ban_list.ts";
import { parseIp } from "./net_address.ts";

Deno.test("parses subnets by prefix length or netmask", () => {
  assert.equal(formatSubnet(parseSubnet("1.2.3.4")!), "1.2.3.4/32");
  assert.equal(formatSubnet(parseSubnet("1.2.3.4/24")!), "1.2.3.0/24");
  assert.equal(formatSubnet(parseSubnet("1.2.3.4/255.255.0.0")!), "1.2.0.0/16");
  assert.equal(formatSubnet(parseSubnet("2001:db8::1/32")!), "2001:db8::/32");
  assert.equal(parseSubnet("1.2.3.4/33"), undefined);
  assert.equal(parseSubnet("1.2.3.4/255.0.255.0"), undefined);
  assert.equal(parseSubnet("nonsense"), undefined);
});

Deno.test("bans cover their subnet, expire, and persist in banlist.json", () => {
  const dir = Deno.makeTempDirSync();
  try {
    let now = 1000;
    const file = path.join(dir, "banlist.json");
    const list = new BanList(file, NULL_LOGGER, () => now);
    assert.ok(list.ban(parseSubnet("10.0.0.0/8")!, 2000));
    assert.ok(!list.ban(parseSubnet("10.0.0.0/8")!, 3000));
    assert.ok(list.isBanned(parseIp("10.1.2.3", 1)!));
    assert.ok(!list.isBanned(parseIp("11.1.2.3", 1)!));
    const saved = JSON.parse(Deno.readTextFileSync(file));
    assert.deepEqual(saved, {
      banned_nets: [{ version: 1, ban_created: 1000, banned_until: 2000, address: "10.0.0.0/8" }],
    });
    const reloaded = new BanList(file, NULL_LOGGER, () => now);
    reloaded.load();
    assert.deepEqual(reloaded.list().map((b) => b.subnet), ["10.0.0.0/8"]);
    now = 2000;
    assert.ok(!reloaded.isBanned(parseIp("10.1.2.3", 1)!));
    assert.deepEqual(reloaded.list(), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a corrupt banlist.json starts an empty list", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const file = path.join(dir, "banlist.json");
    Deno.writeTextFileSync(file, "{not json");
    const list = new BanList(file, NULL_LOGGER, () => 0);
    list.load();
    assert.deepEqual(list.list(), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
