import assert from "node:assert/strict";
import * as path from "node:path";
import { walletDirStartupStore } from "./wallet_settings_file.ts";

Deno.test("a standalone wallet keeps its start-up list in its own settings.json", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "wallet-settings-" });
  try {
    const store = walletDirStartupStore(dir);
    assert.deepEqual(await store.read(), []);
    await store.write(["a", "b"]);
    assert.deepEqual(await store.read(), ["a", "b"]);
    const file = path.join(dir, "settings.json");
    assert.deepEqual(JSON.parse(Deno.readTextFileSync(file)), { wallet: ["a", "b"] });
    await store.write([]);
    assert.deepEqual(JSON.parse(Deno.readTextFileSync(file)), {});
    for (const garbage of ["", "[1,2]", "{", '{"wallet": 5}', '{"wallet": ["x", 3]}', "null"]) {
      Deno.writeTextFileSync(file, garbage);
      const names = await store.read();
      assert.ok(names.every((name) => typeof name === "string"), garbage);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
