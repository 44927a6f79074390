import assert from "node:assert/strict";
import {
  deniedCapabilities,
  detectSandboxMode,
  nodePermissions,
  PermissionError,
  permissionFlags,
  walletPermissions,
} from "./permissions.ts";

Deno.test("wallet flags: read and write on its directory, every other capability denied", () => {
  assert.deepEqual(permissionFlags(walletPermissions({ walletDir: "/d/wallets" })), [
    "--no-prompt",
    "--allow-read=/d/wallets",
    "--allow-write=/d/wallets",
    "--deny-net",
    "--deny-run",
    "--deny-env",
    "--deny-ffi",
    "--deny-sys",
  ]);
});

Deno.test("node flags: datadir read/write, net, run of deno, optional ffi library", () => {
  const flags = permissionFlags(nodePermissions({
    writePaths: ["/d/regtest"],
    readPaths: ["/etc/freicoin.conf"],
    ffi: ["/usr/lib/libsecp256k1.so.2"],
    run: ["/usr/bin/deno"],
  }));
  assert.deepEqual(flags, [
    "--no-prompt",
    "--allow-read=/d/regtest,/etc/freicoin.conf",
    "--allow-write=/d/regtest",
    "--allow-net",
    "--allow-run=/usr/bin/deno",
    "--deny-env",
    "--allow-ffi=/usr/lib/libsecp256k1.so.2",
    "--deny-sys",
  ]);
});

Deno.test("a path with a comma cannot be expressed as a flag and is refused", () => {
  assert.throws(
    () => permissionFlags(walletPermissions({ walletDir: "/d/a,b" })),
    PermissionError,
  );
  assert.throws(() => permissionFlags(walletPermissions({ walletDir: "" })), PermissionError);
});

Deno.test("flags always hold a permission flag, so node:child_process never adds -A", () => {
  const nothing = { read: [], write: [], net: [], run: [], env: [], ffi: [], sys: [] };
  const flags = permissionFlags(nothing);
  assert.ok(flags.some((f) => f.startsWith("--deny-") || f.startsWith("--allow-")));
});

Deno.test("the wallet drops net, run, env, ffi and sys whatever the mode", () => {
  assert.deepEqual(deniedCapabilities("wallet"), ["net", "run", "env", "ffi", "sys"]);
  assert.deepEqual(deniedCapabilities("node"), []);
});

Deno.test("sandbox mode: the deno CLI means deno-run, any other executable is compiled", () => {
  assert.equal(detectSandboxMode("/usr/lib/node_modules/deno/deno"), "deno-run");
  assert.equal(detectSandboxMode("C:\\Program Files\\deno\\DENO.EXE"), "deno-run");
  assert.equal(detectSandboxMode("/opt/freicoin/freicoin"), "compiled");
  assert.equal(detectSandboxMode("/usr/bin/freicoin-wallet"), "compiled");
  assert.equal(detectSandboxMode(), "deno-run");
});
