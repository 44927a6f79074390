/**
 * Start-up loading rules (`VerifyWallets` / `LoadWallets`): missing and duplicate `-wallet`
 * names, the unnamed top-level wallet, absolute wallet paths; and the database operations the
 * sandboxed wallet process needs (backup and wiping freed pages without ATTACH).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { NULL_LOGGER } from "../../cli/logger.ts";
import { FakeChain } from "./_test_fake_chain.ts";
import { createWalletLoader, type WalletLoaderService } from "./wallet_loader.ts";
import type { WalletSettings } from "./wallet_settings.ts";
import { WalletDatabase } from "./wallet_database.ts";

/** A chain with a genesis-like first block, as the wallet needs a tip. */
function newChain(): FakeChain {
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  return chain;
}

function newLoader(
  chain: FakeChain,
  dir: string,
  settings: Partial<WalletSettings> = {},
  startup: string[] = [],
): WalletLoaderService {
  return createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 3, ...settings },
    clock: () => chain.time * 1000,
    startupWallets: {
      read: () => Promise.resolve([...startup]),
      write: (names) => {
        startup.splice(0, startup.length, ...names);
        return Promise.resolve();
      },
    },
  });
}

async function rpc(loader: WalletLoaderService, method: string, params: unknown[] = []) {
  const reply = JSON.parse(
    await loader.executeRpc(JSON.stringify({ method, params, id: 1 }), "/", "test"),
  );
  if (reply.error !== null) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result;
}

async function makeWallets(dir: string, names: string[]): Promise<void> {
  const chain = newChain();
  const loader = newLoader(chain, dir);
  for (const name of names) await rpc(loader, "createwallet", [name]);
  await loader.shutdown();
}

Deno.test("a missing -wallet is skipped with freicoind's warning and the others load", async () => {
  const dir = await Deno.makeTempDir();
  await makeWallets(dir, ["w1"]);
  const chain = newChain();
  const loader = newLoader(chain, dir, { wallets: ["nope", "w1", "w1"], walletArgSet: true });
  await loader.loadWalletsAtStartup();
  assert.deepEqual(await rpc(loader, "listwallets"), ["w1"]);
  assert.deepEqual(chain.logLines, [
    `Warning: Skipping -wallet path that doesn't exist. Failed to load database path '${
      join(dir, "nope")
    }'. Path does not exist.`,
    "Warning: Ignoring duplicate -wallet w1.",
  ]);
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the unnamed wallet loads only when no wallet is named; -nowallet hides settings.json", async () => {
  const dir = await Deno.makeTempDir();
  await makeWallets(dir, ["", "w2"]);
  const alone = newLoader(newChain(), dir);
  await alone.loadWalletsAtStartup();
  assert.deepEqual(await rpc(alone, "listwallets"), [""]);
  await alone.shutdown();
  const fromSettings = newLoader(newChain(), dir, {}, ["w2"]);
  await fromSettings.loadWalletsAtStartup();
  assert.deepEqual(await rpc(fromSettings, "listwallets"), ["w2"]);
  await fromSettings.shutdown();
  const noWallet = newLoader(newChain(), dir, { walletArgSet: true }, ["w2"]);
  await noWallet.loadWalletsAtStartup();
  assert.deepEqual(await rpc(noWallet, "listwallets"), []);
  await noWallet.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an absolute wallet name is its own directory, not one under -walletdir", async () => {
  const dir = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  const external = join(outside, "extern", "w6");
  const loader = newLoader(newChain(), dir);
  await rpc(loader, "createwallet", [external]);
  assert.ok(Deno.statSync(join(external, "wallet.dat")).isFile);
  assert.equal(loader.walletPath(external), join(external, "wallet.dat"));
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});

Deno.test("backup and wiping freed pages work under the wallet process's permissions", async () => {
  const dir = await Deno.makeTempDir();
  const probe = join(dir, "probe.ts");
  const module = new URL("./wallet_database.ts", import.meta.url).href;
  await Deno.writeTextFile(
    probe,
    `import { WalletDatabase } from ${JSON.stringify(module)};
const db = WalletDatabase.open(${JSON.stringify(join(dir, "wallet.dat"))}, { create: true });
db.setMeta("probe", "1");
db.wipeFreePages();
await db.backupTo(${JSON.stringify(join(dir, "copy.dat"))});
db.close();
const copy = WalletDatabase.open(${JSON.stringify(join(dir, "copy.dat"))}, { create: false });
console.log(copy.getMetaText("probe"));
copy.close();
`,
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", `--allow-read=${dir}`, `--allow-write=${dir}`, probe],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  assert.equal(new TextDecoder().decode(output.stdout).trim(), "1");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("settings.json names also in the merged -wallet values are not duplicates", async () => {
  const dir = await Deno.makeTempDir();
  await makeWallets(dir, ["w2", "w4"]);
  const chain = newChain();
  // The node's -wallet values include settings.json's list, which the store returns too.
  const loader = newLoader(chain, dir, { wallets: ["w2", "w4"], walletArgSet: true }, [
    "w2",
    "w4",
  ]);
  await loader.loadWalletsAtStartup();
  assert.deepEqual((await rpc(loader, "listwallets")).sort(), ["w2", "w4"]);
  assert.deepEqual(chain.logLines, []);
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an unnamed wallet loaded by default stays in the start-up list when it changes", async () => {
  const dir = await Deno.makeTempDir();
  await makeWallets(dir, [""]);
  const startup: string[] = [];
  const loader = newLoader(newChain(), dir, {}, startup);
  await loader.loadWalletsAtStartup();
  assert.deepEqual(startup, []);
  await rpc(loader, "createwallet", ["w0", null, null, null, null, null, true]);
  assert.deepEqual(startup, ["", "w0"]);
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("listwalletdir lists symlinked wallet directories and logs unreadable entries", async () => {
  const dir = await Deno.makeTempDir();
  await makeWallets(dir, ["w7"]);
  await Deno.symlink("w7", join(dir, "w7_symlink"));
  await Deno.symlink("..", join(dir, "recursive_dir_symlink"));
  await Deno.mkdir(join(dir, "self_walletdat_symlink"));
  await Deno.symlink("wallet.dat", join(dir, "self_walletdat_symlink", "wallet.dat"));
  const lines: string[] = [];
  const loader = createWalletLoader({
    chain: newChain(),
    walletDir: dir,
    network: "regtest",
    logger: { ...NULL_LOGGER, info: (message) => lines.push(String(message)) },
  });
  assert.deepEqual(loader.listWalletDir(), ["w7", "w7_symlink"]);
  assert.ok(lines.some((line) => line.startsWith("ListDatabases: Error scanning ")), lines.join());
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a wallet path under a file answers -4 with freicoind's filesystem error", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "w8"), "not a directory");
  const loader = newLoader(newChain(), dir);
  const reply = JSON.parse(
    await loader.executeRpc(
      JSON.stringify({ method: "createwallet", params: ["w8/bad"], id: 1 }),
      "/",
      "test",
    ),
  );
  assert.equal(reply.error.code, -4);
  assert.match(reply.error.message, /^filesystem error: cannot create directories: /);
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a -wallet symlink to a file stops start-up with freicoind's invalid path error", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "w8"), "data file");
  await Deno.symlink("w8", join(dir, "w8_symlink"));
  const loader = newLoader(newChain(), dir, { wallets: ["w8_symlink"], walletArgSet: true });
  await assert.rejects(
    () => loader.loadWalletsAtStartup(),
    (error: Error) => error.message.startsWith("Invalid -wallet path 'w8_symlink'. "),
  );
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a wallet file open in one process cannot be opened by another", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "wallet.dat");
  const module = new URL("./wallet_database.ts", import.meta.url).href;
  const held = WalletDatabase.open(file, { create: true });
  try {
    const probe = join(dir, "probe.ts");
    await Deno.writeTextFile(
      probe,
      `import { WalletDatabase } from ${JSON.stringify(module)};
try { WalletDatabase.open(${JSON.stringify(file)}, { create: false }); console.log("opened"); }
catch (error) { console.log(error.message); }
`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", `--allow-read=${dir}`, `--allow-write=${dir}`, probe],
      stdout: "piped",
    }).output();
    assert.equal(
      new TextDecoder().decode(output.stdout).trim(),
      "SQLiteDatabase: Unable to obtain an exclusive lock on the database, is it being used by another instance of Freicoin?",
    );
  } finally {
    held.close();
  }
  // Once closed, it opens again.
  WalletDatabase.open(file, { create: false }).close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadwallet refuses an invalid path and a directory without a wallet as freicoind", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "w8"), "data file");
  await Deno.symlink("w8", join(dir, "w8_symlink"));
  await Deno.mkdir(join(dir, "empty_wallet_dir"));
  const loader = newLoader(newChain(), dir);
  const load = async (name: string) =>
    JSON.parse(
      await loader.executeRpc(
        JSON.stringify({ method: "loadwallet", params: [name], id: 1 }),
        "/",
        "test",
      ),
    ).error;
  const symlink = await load("w8_symlink");
  assert.equal(symlink.code, -4);
  assert.ok(
    symlink.message.startsWith(
      "Wallet file verification failed. Invalid -wallet path 'w8_symlink'",
    ),
  );
  assert.deepEqual(await load("empty_wallet_dir"), {
    code: -18,
    message: `Wallet file verification failed. Failed to load database path '${
      join(dir, "empty_wallet_dir")
    }'. Data is not in recognized format.`,
  });
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("restorewallet of a file that is not a wallet answers 'Data is not in recognized format'", async () => {
  const dir = await Deno.makeTempDir();
  const bad = join(dir, "invalid_wallet_file.bak");
  await Deno.writeTextFile(bad, "invald wallet");
  const loader = newLoader(newChain(), dir);
  const reply = JSON.parse(
    await loader.executeRpc(
      JSON.stringify({ method: "restorewallet", params: ["res0", bad], id: 1 }),
      "/",
      "test",
    ),
  );
  assert.deepEqual(reply.error, {
    code: -18,
    message: `Wallet file verification failed. Failed to load database path '${
      join(dir, "res0")
    }'. Data is not in recognized format.`,
  });
  assert.throws(() => Deno.statSync(join(dir, "res0")));
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("backupwallet refuses a directory and the wallet's own file", async () => {
  const dir = await Deno.makeTempDir();
  const loader = newLoader(newChain(), dir);
  await rpc(loader, "createwallet", ["w"]);
  for (const destination of [join(dir, "w", "wallet.dat"), join(dir, "w"), dir]) {
    const reply = JSON.parse(
      await loader.executeRpc(
        JSON.stringify({ method: "backupwallet", params: [destination], id: 1 }),
        "/",
        "test",
      ),
    );
    assert.deepEqual(reply.error, { code: -4, message: "Error: Wallet backup failed!" });
  }
  await rpc(loader, "backupwallet", [join(dir, "copy.dat")]);
  assert.ok(Deno.statSync(join(dir, "copy.dat")).size > 0);
  assert.ok((await rpc(loader, "getwalletinfo")).walletname === "w");
  await loader.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a sandboxed wallet process refuses wallets outside its directory with a clear error", async () => {
  const dir = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  const probe = join(dir, "probe.ts");
  const loaderModule = new URL("./wallet_loader.ts", import.meta.url).href;
  const chainModule = new URL("./_test_fake_chain.ts", import.meta.url).href;
  const loggerModule = new URL("../../cli/logger.ts", import.meta.url).href;
  await Deno.writeTextFile(
    probe,
    `import { createWalletLoader } from ${JSON.stringify(loaderModule)};
import { FakeChain } from ${JSON.stringify(chainModule)};
import { NULL_LOGGER } from ${JSON.stringify(loggerModule)};
const chain = new FakeChain();
chain.mineBlock(Uint8Array.of(0x51));
const settings = { wallets: [${JSON.stringify(join(outside, "w6"))}], walletArgSet: true };
const loader = createWalletLoader({ chain, walletDir: ${
      JSON.stringify(dir)
    }, network: "regtest", logger: NULL_LOGGER, settings });
await loader.loadWalletsAtStartup();
console.log(JSON.stringify(chain.logLines));
for (const method of ["createwallet", "loadwallet"]) {
  const request = JSON.stringify({ method, params: [${
      JSON.stringify(join(outside, "w6"))
    }], id: 1 });
  console.log(JSON.stringify(JSON.parse(await loader.executeRpc(request, "/", "test")).error));
}
await loader.shutdown();
`,
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", `--allow-read=${dir}`, `--allow-write=${dir}`, probe],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const [startupLog, created, loaded] = new TextDecoder().decode(output.stdout).trim().split("\n")
    .map((line) => JSON.parse(line));
  // At start-up such a wallet is left to the node (freicoin-node gives it a process of its own).
  assert.deepEqual(startupLog, []);
  const limit = "sandboxed to its wallet directory";
  assert.equal(created.code, -4);
  assert.ok(created.message.startsWith("filesystem error: cannot create directories: "));
  assert.ok(created.message.includes(limit), created.message);
  assert.equal(loaded.code, -4);
  assert.ok(loaded.message.includes(limit), loaded.message);
  assert.equal([...Deno.readDirSync(outside)].length, 0, "nothing was created outside");
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});
