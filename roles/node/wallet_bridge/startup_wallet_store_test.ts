import assert from "node:assert/strict";
import * as path from "node:path";
import { Args } from "../../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../../cli/args/option_registry.ts";
import { settingsFileWalletList } from "./startup_wallet_store.ts";

Deno.test("the start-up wallet list lives in settings.json's 'wallet' and keeps other settings", () => {
  const dir = Deno.makeTempDirSync({ prefix: "startup-wallets-" });
  try {
    const args = new Args(nodeOptionRegistry());
    args.parseCommandLine([]);
    args.settings.readWrite.set("other", 7);
    args.settings.readWrite.set("wallet", "single");
    const list = settingsFileWalletList(args, dir);
    assert.deepEqual(list.read(), ["single"]);
    list.write(["a", "b é"]);
    const file = path.join(dir, "settings.json");
    assert.deepEqual(JSON.parse(Deno.readTextFileSync(file)), { other: 7, wallet: ["a", "b é"] });
    assert.deepEqual(list.read(), ["a", "b é"]);
    list.write([]);
    assert.deepEqual(JSON.parse(Deno.readTextFileSync(file)), { other: 7 });
    assert.deepEqual(list.read(), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("with -nosettings the list is kept in memory only", () => {
  const dir = Deno.makeTempDirSync({ prefix: "startup-wallets-" });
  try {
    const args = new Args(nodeOptionRegistry());
    args.parseCommandLine(["-nosettings"]);
    const list = settingsFileWalletList(args, dir);
    list.write(["a"]);
    assert.deepEqual(list.read(), ["a"]);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
