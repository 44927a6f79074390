import assert from "node:assert/strict";
import { parseIp } from "./net_address.ts";
import {
  parseWhitebind,
  parseWhitelist,
  permissionNames,
  permissionsFor,
} from "./net_permissions.ts";

const implicit = { whitelistRelay: true, whitelistForceRelay: false };

Deno.test("parses -whitelist permissions with their implications and freicoind's errors", () => {
  const entry = parseWhitelist("noban,forcerelay@127.0.0.1");
  assert.deepEqual(permissionNames(entry.permissions), [
    "noban",
    "forcerelay",
    "relay",
    "download",
  ]);
  assert.throws(() => parseWhitelist("foo@127.0.0.1"), /Invalid P2P permission: 'foo'/);
  assert.throws(
    () => parseWhitelist("noban@1.2.3.4/99"),
    /Invalid netmask specified in -whitelist: '1.2.3.4\/99'/,
  );
  assert.throws(() => parseWhitebind("127.0.0.1"), /Need to specify a port with -whitebind/);
});

Deno.test("an entry without permissions grants the implicit set to matching peers only", () => {
  const whitelist = [parseWhitelist("127.0.0.0/8")];
  const bind = parseIp("127.0.0.1", 18444)!;
  const local = permissionsFor(parseIp("127.0.0.5", 1)!, bind, {
    whitelist,
    whitebind: [],
    implicit,
  });
  assert.deepEqual(permissionNames(local), ["noban", "relay", "mempool", "download"]);
  const remote = permissionsFor(parseIp("8.8.8.8", 1)!, bind, {
    whitelist,
    whitebind: [],
    implicit,
  });
  assert.deepEqual(permissionNames(remote), []);
  const whitebind = [parseWhitebind("download@127.0.0.1:18444")];
  const viaBind = permissionsFor(parseIp("8.8.8.8", 1)!, bind, {
    whitelist: [],
    whitebind,
    implicit,
  });
  assert.deepEqual(permissionNames(viaBind), ["download"]);
});
