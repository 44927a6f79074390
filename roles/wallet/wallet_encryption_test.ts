/**
 * Wallet encryption: private keys never stay in the file in clear, spending needs the
 * passphrase, unlocks expire, and the passphrase can be changed.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../cli/logger.ts";
import {
  decodeDestination,
  REGTEST_PREFIXES,
  scriptForDestination,
} from "../../kernel/address/mod.ts";
import { addChecksum } from "../../kernel/descriptor/mod.ts";
import { FakeChain } from "./_test_fake_chain.ts";
import { createWalletLoader, type WalletLoaderService } from "./wallet_loader.ts";

async function call(loader: WalletLoaderService, method: string, params: unknown[] = []) {
  return JSON.parse(
    await loader.executeRpc(JSON.stringify({ method, params, id: 1 }), "/wallet/w", "test"),
  ) as { result: unknown; error: { code: number; message: string } | null };
}

async function ok(loader: WalletLoaderService, method: string, params: unknown[] = []) {
  const reply = await call(loader, method, params);
  if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as never;
}

function fileContains(path: string, text: string): boolean {
  const needle = new TextEncoder().encode(text);
  for (const file of [path, `${path}-wal`]) {
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(file);
    } catch {
      continue;
    }
    outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
      for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
      return true;
    }
  }
  return false;
}

function newLoader(chain: FakeChain, dir: string) {
  return createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 3, fallbackFee: 20_000n },
  });
}

Deno.test("an encrypted wallet keeps no private key in clear and signs only when unlocked", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  let loader = newLoader(chain, dir);
  try {
    await ok(loader, "createwallet", ["w", null, null, null, null, null, null, null]);
    const path = `${dir}/w/wallet.dat`;
    assert.ok(fileContains(path, "tprv"), "an unencrypted wallet stores its xprv");
    const message = await ok(loader, "encryptwallet", ["secret words"]) as string;
    assert.match(message, /^wallet encrypted;/);
    assert.equal(fileContains(path, "tprv"), false, "no xprv left in the file or its WAL");

    // Addresses still come from the public descriptors; the new seed's keys are locked away.
    const address = await ok(loader, "getnewaddress") as string;
    const decoded = decodeDestination(address, REGTEST_PREFIXES);
    assert.ok(decoded.ok);
    chain.mineBlock(scriptForDestination(decoded.destination));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    let reply = await call(loader, "sendtoaddress", [address, 1]);
    assert.deepEqual(reply.error, {
      code: -13,
      message: "Error: Please enter the wallet passphrase with walletpassphrase first.",
    });
    reply = await call(loader, "walletpassphrase", ["wrong", 10]);
    assert.equal(reply.error?.code, -14);
    await ok(loader, "walletpassphrase", ["secret words", 60]);
    const info = await ok(loader, "getwalletinfo") as Record<string, number>;
    assert.ok(info.unlocked_until > 0);
    await ok(loader, "sendtoaddress", [address, 1]);
    assert.equal(chain.broadcasts.length, 1);
    await ok(loader, "walletlock");
    reply = await call(loader, "sendtoaddress", [address, 1]);
    assert.equal(reply.error?.code, -13);

    // A zero timeout relocks at once.
    await ok(loader, "walletpassphrase", ["secret words", 0]);
    reply = await call(loader, "sendtoaddress", [address, 1]);
    assert.equal(reply.error?.code, -13);

    // The passphrase changes, survives a restart, and the old one stops working.
    await ok(loader, "walletpassphrasechange", ["secret words", "new words"]);
    await loader.shutdown();
    loader = newLoader(chain, dir);
    await ok(loader, "loadwallet", ["w"]);
    assert.equal((await call(loader, "walletpassphrase", ["secret words", 10])).error?.code, -14);
    await ok(loader, "walletpassphrase", ["new words", 10]);
    await ok(loader, "sendtoaddress", [address, 1]);
    assert.equal(chain.broadcasts.length, 2);
    assert.equal(fileContains(path, "tprv"), false);
    assert.equal((await call(loader, "encryptwallet", ["again"])).error?.code, -15);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createwallet with a passphrase never writes keys in clear", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const loader = newLoader(chain, dir);
  try {
    await ok(loader, "createwallet", ["w", false, false, "pass", null, null, null, null]);
    assert.equal(fileContains(`${dir}/w/wallet.dat`, "tprv"), false);
    const listed = await ok(loader, "listdescriptors") as { descriptors: unknown[] };
    assert.equal(listed.descriptors.length, 4);
    assert.equal((await call(loader, "listdescriptors", [true])).error?.code, -13);
    await ok(loader, "walletpassphrase", ["pass", 10]);
    const privateList = await ok(loader, "listdescriptors", [true]) as {
      descriptors: { desc: string }[];
    };
    assert.ok(privateList.descriptors.every((d) => d.desc.includes("tprv")));
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a locked wallet's hardened keypool runs out, and keypoolrefill refills it when unlocked (wallet_keypool.py)", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  // The test framework runs nodes with keypool=1.
  const loader = createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 1 },
  });
  try {
    await ok(loader, "createwallet", ["w", null, null, null, null, null, null, null]);
    await ok(loader, "getnewaddress");
    await ok(loader, "encryptwallet", ["test"]);
    await ok(loader, "walletpassphrase", ["test", 60]);
    const xprv =
      "tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK";
    const imports = [
      ["wpk", "0h", false],
      ["pkh", "1h", false],
      ["wpk", "3h", true],
      ["pkh", "4h", true],
    ].map(([kind, branch, internal]) => ({
      desc: addChecksum(`${kind}(${xprv}/${branch}/*h)`),
      timestamp: "now",
      range: [0, 0],
      active: true,
      internal,
    }));
    const results = await ok(loader, "importdescriptors", [imports]) as { success: boolean }[];
    assert.ok(results.every((r) => r.success));
    await ok(loader, "walletlock");
    const address = await ok(loader, "getnewaddress") as string;
    const after = await ok(loader, "getaddressinfo", [address]) as Record<string, unknown>;
    assert.equal(after.ismine, true, "the address comes from the imported descriptor");
    assert.match(String(after.parent_desc), /^wpk\(tpub/);
    assert.deepEqual((await call(loader, "getnewaddress")).error, {
      code: -12,
      message: "Error: Keypool ran out, please call keypoolrefill first",
    });
    await ok(loader, "walletpassphrase", ["test", 60]);
    await ok(loader, "keypoolrefill", [6]);
    await ok(loader, "walletlock");
    const info = await ok(loader, "getwalletinfo") as Record<string, number>;
    assert.equal(info.keypoolsize, 12);
    assert.equal(info.keypoolsize_hd_internal, 12);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listdescriptors as wallet_listdescriptors.py expects, before and after encryption", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const loader = createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 1 },
  });
  const rpc = async (wallet: string, method: string, params: unknown[] = []) => {
    const reply = JSON.parse(
      await loader.executeRpc(JSON.stringify({ method, params, id: 1 }), `/wallet/${wallet}`, "t"),
    );
    if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result;
  };
  try {
    await ok(loader, "createwallet", ["w3", null, null, null, null, null, null, null]);
    const defaults = (await rpc("w3", "listdescriptors")).descriptors as Record<string, unknown>[];
    assert.equal(defaults.length, 4);
    assert.equal(defaults.filter((d) => d.active).length, 4);
    assert.equal(defaults.filter((d) => d.internal).length, 2);
    for (const d of defaults) {
      assert.deepEqual([d.range, d.next_index], [[0, 0], 0]);
    }
    const strings = defaults.map((d) => d.desc as string);
    assert.deepEqual(strings, [...strings].sort());

    await ok(loader, "createwallet", ["w2", false, true, null, null, null, null, null]);
    assert.deepEqual((await rpc("w2", "listdescriptors")).descriptors, []);
    const xprv =
      "tprv8ZgxMBicQKsPeuVhWwi6wuMQGfPKi9Li5GtX35jVNknACgqe3CY4g5xgkfDDJcmtF7o1QnxWDRYw4H5P26PXq7sbcUkEqeR4fg3Kxp2tigg";
    const xpubAccount =
      "tpubDCMVLhErorrAGfApiJSJzEKwqeaf2z3NrkVMxgYQjZLzMjXMBeRw2muGNYbvaekAE8rUFLftyEar4LdrG2wXyyTJQZ26zptmeTEjPTaATts";
    const genesisTime = 1356123600;
    await rpc("w2", "importdescriptors", [[{
      desc: addChecksum(`wpk(${xprv}/84h/1h/0h/0/*)`),
      timestamp: genesisTime,
    }]]);
    const entry = { timestamp: genesisTime, active: false, range: [0, 0], next: 0, next_index: 0 };
    const expected = {
      wallet_name: "w2",
      descriptors: [{ desc: addChecksum(`wpk([80002067/84h/1h/0h]${xpubAccount}/0/*)`), ...entry }],
    };
    const expectedPrivate = {
      wallet_name: "w2",
      descriptors: [{ desc: addChecksum(`wpk(${xprv}/84h/1h/0h/0/*)`), ...entry }],
    };
    assert.deepEqual(await rpc("w2", "listdescriptors"), expected);
    assert.deepEqual(await rpc("w2", "listdescriptors", [true]), expectedPrivate);
    await rpc("w2", "encryptwallet", ["pass"]);
    assert.deepEqual(await rpc("w2", "listdescriptors"), expected);
    await rpc("w2", "walletpassphrase", ["pass", 1000000]);
    assert.deepEqual(await rpc("w2", "listdescriptors", [true]), expectedPrivate);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("blank, watch-only and encrypted wallets answer as wallet_createwallet.py expects", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const loader = createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 1 },
  });
  const rpc = async (wallet: string, method: string, params: unknown[] = []) =>
    JSON.parse(
      await loader.executeRpc(JSON.stringify({ method, params, id: 1 }), `/wallet/${wallet}`, "t"),
    ) as { result: Record<string, unknown>; error: { code: number; message: string } | null };
  const noKeys = { code: -4, message: "Error: This wallet has no available keys" };
  try {
    const create = (params: unknown[]) => call(loader, "createwallet", params);
    assert.deepEqual((await create(["w9", true, null, "secret"])).error?.code, -4);
    await create(["w1", true, null, null, null, null, null, null]);
    assert.deepEqual((await rpc("w1", "getnewaddress")).error, noKeys);
    assert.deepEqual((await rpc("w1", "getrawchangeaddress")).error, noKeys);
    const wif = "cVpF924EspNh8KjYsfhgY96mmxvT6DgdWiTYMtMjuM74hJaU5psW";
    const refused = (await rpc("w1", "importdescriptors", [[{
      desc: addChecksum(`wpk(${wif})`),
      timestamp: "now",
    }]]))
      .result as unknown as Record<string, unknown>[];
    assert.deepEqual(refused, [{
      success: false,
      error: {
        code: -4,
        message: "Cannot import private keys to a wallet with private keys disabled",
      },
    }]);

    await create(["w3", false, true, null, null, null, null, null]);
    assert.equal((await rpc("w3", "getwalletinfo")).result.keypoolsize, 0);
    const tprv =
      "tprv8ZgxMBicQKsPcwuZGKp8TeWppSuLMiLe2d9PupB14QpPeQsqoj3LneJLhGHH13xESfvASyd4EFLJvLrG8b7DrLxEuV7hpF9uUc6XruKA1Wq";
    await rpc("w3", "importdescriptors", [[
      { desc: addChecksum(`wpk(${tprv}/0h/*)`), timestamp: "now", active: true },
      { desc: addChecksum(`wpk(${tprv}/1h/*)`), timestamp: "now", active: true, internal: true },
    ]]);
    assert.equal((await rpc("w3", "getwalletinfo")).result.keypoolsize, 1);
    assert.equal((await rpc("w3", "getnewaddress")).error, null);
    assert.equal((await rpc("w3", "getrawchangeaddress")).error, null);

    await create(["w5", true, true, null, null, null, null, null]);
    assert.deepEqual((await rpc("w5", "encryptwallet", ["pass"])).error, {
      code: -16,
      message: "Error: wallet does not contain private keys, nothing to encrypt.",
    });

    await create(["wblank", false, true, "thisisapassphrase", null, null, null, null]);
    assert.equal((await rpc("wblank", "signmessage", ["needanargument", "test"])).error?.code, -13);
    await rpc("wblank", "walletpassphrase", ["thisisapassphrase", 60]);
    assert.deepEqual((await rpc("wblank", "getnewaddress")).error, noKeys);

    await create(["w6", false, false, "thisisapassphrase", null, null, null, null]);
    await rpc("w6", "walletpassphrase", ["thisisapassphrase", 60]);
    const legacy = (await rpc("w6", "getnewaddress", ["", "legacy"])).result as unknown as string;
    assert.equal((await rpc("w6", "signmessage", [legacy, "test"])).error, null);
    assert.equal((await rpc("w6", "keypoolrefill", [1])).error, null);
    const info = (await rpc("w6", "getwalletinfo")).result;
    assert.deepEqual([info.keypoolsize, info.keypoolsize_hd_internal], [2, 2]);

    const w7 = (await create(["w7", false, false, "", null, null, null, null])).result as Record<
      string,
      unknown
    >;
    assert.deepEqual(w7.warnings, [
      "Empty string given as passphrase, wallet will not be encrypted.",
    ]);
    assert.deepEqual((await rpc("w7", "walletpassphrase", ["", 60])).error, {
      code: -15,
      message: "Error: running with an unencrypted wallet, but walletpassphrase was called.",
    });
    await create(["w8", false, false, "", true]);
    assert.equal((await rpc("w8", "getwalletinfo")).result.avoid_reuse, true);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a locked wallet still gives the origin of hardened-only addresses derived while unlocked", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const loader = newLoader(chain, dir);
  try {
    await ok(loader, "createwallet", ["w"]);
    await ok(loader, "encryptwallet", ["test"]);
    await ok(loader, "walletpassphrase", ["test", 60]);
    const xprv =
      "tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK";
    const imported = await ok(loader, "importdescriptors", [[{
      desc: addChecksum(`wpk(${xprv}/0h/*h)`),
      timestamp: "now",
      range: [0, 0],
      active: true,
    }]]) as { success: boolean }[];
    assert.equal(imported[0].success, true);
    await ok(loader, "walletlock");
    const address = await ok(loader, "getnewaddress") as string;
    const info = await ok(loader, "getaddressinfo", [address]) as Record<string, unknown>;
    assert.equal(info.hdkeypath, "m/0h/0h");
    assert.equal(typeof info.hdmasterfingerprint, "string");
    await ok(loader, "walletpassphrase", ["test", 60]);
    const rangeError = await call(loader, "importdescriptors", [[{
      desc: addChecksum(`wpk(${xprv}/7h/*h)`),
      timestamp: "now",
      range: -1,
    }]]);
    assert.deepEqual((rangeError.result as { error: unknown }[])[0].error, {
      code: -8,
      message: "End of range is too high",
    });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
