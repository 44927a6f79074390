import assert from "node:assert/strict";
import * as path from "node:path";
import type { JsonValue } from "../../../rpc/mod.ts";
import { relayBackup, relayRestore } from "./sandbox_file_relay.ts";

Deno.test("backupwallet for a sandboxed wallet: staged in the wallet dir, moved to the destination, never onto a directory or the wallet", async () => {
  const walletDir = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  const sent: JsonValue[][] = [];
  const send = (params: JsonValue[]) => {
    sent.push(params);
    const staging = params[0] as string;
    assert.equal(path.dirname(staging), walletDir);
    Deno.writeTextFileSync(staging, "backup bytes");
    return Promise.resolve(null as JsonValue);
  };
  assert.equal(await relayBackup([path.join(outside, "w.bak")], walletDir, "w1", send), null);
  assert.equal(Deno.readTextFileSync(path.join(outside, "w.bak")), "backup bytes");
  // A directory, or the wallet's own file, is refused as freicoind's SQLite backup does.
  await assert.rejects(() => relayBackup([outside], walletDir, "w1", send), /backup failed/);
  Deno.mkdirSync(path.join(walletDir, "w1"));
  Deno.writeTextFileSync(path.join(walletDir, "w1", "wallet.dat"), "live wallet");
  await assert.rejects(
    () => relayBackup([path.join(walletDir, "w1", "wallet.dat")], walletDir, "w1", send),
    /backup failed/,
  );
  assert.equal(Deno.readTextFileSync(path.join(walletDir, "w1", "wallet.dat")), "live wallet");
  Deno.removeSync(path.join(walletDir, "w1"), { recursive: true });
  assert.deepEqual([...Deno.readDirSync(walletDir)], []);
  await Deno.remove(walletDir, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});

Deno.test("restorewallet for a sandboxed wallet reads a staged copy, removed afterwards", async () => {
  const walletDir = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  const backup = path.join(outside, "w.bak");
  Deno.writeTextFileSync(backup, "wallet bytes");
  let staged = "";
  const result = await relayRestore(["w2", backup, true], walletDir, (params) => {
    staged = params[1] as string;
    assert.equal(params[0], "w2");
    assert.equal(params[2], true);
    assert.equal(Deno.readTextFileSync(staged), "wallet bytes");
    return Promise.resolve({ name: "w2" });
  });
  assert.deepEqual(result, { name: "w2" });
  assert.throws(() => Deno.statSync(staged));
  // A missing file is passed as given, for the wallet's own error.
  const missing = path.join(outside, "nope");
  await relayRestore(["w3", missing], walletDir, (params) => {
    assert.equal(params[1], missing);
    return Promise.resolve(null);
  });
  await Deno.remove(walletDir, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});
