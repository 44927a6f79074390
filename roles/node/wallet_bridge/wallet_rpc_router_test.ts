import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { DisconnectedError } from "../../../ipc/rpc/errors.ts";
import {
  type JsonValue,
  parseJson,
  RpcError,
  type RpcMethod,
  RpcRegistry,
  writeJson,
} from "../../../rpc/mod.ts";
import type { WalletLoader, WalletRpcCatalog } from "../../../schemas/mod.ts";
import {
  parseWalletCatalog,
  replyResult,
  WALLET_NOT_RUNNING,
  WALLET_NOT_SPECIFIED,
  walletCatalogJson,
  WalletRpcRouter,
} from "./wallet_rpc_router.ts";

const METHODS: RpcMethod<never>[] = [
  {
    name: "getwalletinfo",
    category: "wallet",
    description: "Returns an object containing various wallet state info.",
    args: [],
    results: [{ type: "obj" }],
    examples: "",
    handler: () => null,
  },
  {
    name: "getnewaddress",
    category: "wallet",
    description: "Returns a new address.",
    args: [
      { names: "label", type: "str", default: "", description: "The label" },
      { names: "address_type", type: "str", optional: true, description: "The type" },
    ],
    results: [{ type: "str" }],
    examples: "",
    handler: () => null,
  },
  {
    name: "listwallets",
    category: "wallet",
    description: "Returns a list of loaded wallets.",
    args: [],
    results: [{ type: "arr" }],
    examples: "",
    handler: () => null,
  },
  {
    name: "createwallet",
    category: "wallet",
    description: "Creates a wallet.",
    args: [{ names: "wallet_name", type: "str", description: "The name" }],
    results: [{ type: "obj" }],
    examples: "",
    handler: () => null,
  },
];

/** A loader with named wallets that answers like a wallet process would. */
class FakeLoader implements WalletLoader {
  readonly requests: { request: JsonValue; uri: string }[] = [];
  gone = false;
  constructor(readonly wallets: string[]) {}
  loadWalletsAtStartup(): Promise<void> {
    return Promise.resolve();
  }
  rpcCatalog(): Promise<WalletRpcCatalog> {
    return Promise.resolve({ methodsJson: walletCatalogJson(METHODS) });
  }
  executeRpc(request: string, uri: string): Promise<string> {
    if (this.gone) return Promise.reject(new DisconnectedError());
    const parsed = parseJson(request) as { method: string; params: JsonValue[]; id: JsonValue };
    this.requests.push({ request: parsed as unknown as JsonValue, uri });
    const reply = (result: JsonValue, error: JsonValue = null) =>
      Promise.resolve(writeJson({ result, error, id: parsed.id }));
    switch (parsed.method) {
      case "listwallets":
        return reply(this.wallets);
      case "createwallet":
        this.wallets.push(parsed.params[0] as string);
        return reply({ name: parsed.params[0] });
      default: {
        const name = uri.startsWith("/wallet/")
          ? decodeURIComponent(uri.slice(8))
          : this.wallets[0];
        if (!this.wallets.includes(name)) {
          return reply(null, {
            code: -18,
            message: "Requested wallet does not exist or is not loaded",
          });
        }
        return reply({ walletname: name, params: parsed.params });
      }
    }
  }
  setMockTime(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Compares JSON values by their text (parsed objects have a null prototype). */
function assertJson(actual: JsonValue, expected: JsonValue): void {
  assert.equal(writeJson(actual), writeJson(expected));
}

function setUp() {
  const registry = new RpcRegistry<unknown>(undefined);
  registry.setWarmupFinished();
  const router = new WalletRpcRouter({ registry, logger: NULL_LOGGER });
  const call = (method: string, params: JsonValue, uri = "/") =>
    registry.execute({ method, params, id: 1, uri, authUser: "u", peerAddr: "" });
  return { registry, router, call };
}

Deno.test("a loader's catalog becomes node methods listed under == Wallet ==", async () => {
  const { registry, router } = setUp();
  await router.attach({ name: "w", loader: new FakeLoader([]) });
  assert.deepEqual(router.methodNames, [
    "createwallet",
    "getnewaddress",
    "getwalletinfo",
    "listwallets",
  ]);
  const help = registry.help();
  assert.match(
    help,
    /^== Wallet ==\ncreatewallet "wallet_name"\ngetnewaddress \( "label" "address_type" \)\n/,
  );
  assert.match(
    registry.help("getnewaddress"),
    /Arguments:\n1\. label +\(string, optional, default=""\) The label/,
  );
});

Deno.test("with one loader every call reaches it as positional JSON-RPC, named arguments mapped", async () => {
  const { router, call } = setUp();
  const loader = new FakeLoader(["a", "b"]);
  await router.attach({ name: "w", loader });
  assertJson(
    await call("getnewaddress", { address_type: "bech32" }, "/wallet/b"),
    { walletname: "b", params: [null, "bech32"] },
  );
  assertJson(loader.requests.at(-1)!.request, {
    method: "getnewaddress",
    params: [null, "bech32"],
    id: 1,
  });
  assert.equal(loader.requests.at(-1)!.uri, "/wallet/b");
  // The loader's own errors come back with their code and text.
  await assert.rejects(call("getwalletinfo", [], "/wallet/zz"), (error: RpcError) => {
    assert.equal(error.code, -18);
    assert.equal(error.message, "Requested wallet does not exist or is not loaded");
    return true;
  });
});

Deno.test("without a wallet process, wallet calls answer -18 'Wallet process is not running'", async () => {
  const { router, call } = setUp();
  const loader = new FakeLoader(["a"]);
  await router.attach({ name: "w", loader });
  loader.gone = true;
  for (let i = 0; i < 2; i++) {
    await assert.rejects(call("getwalletinfo", []), (error: RpcError) => {
      assert.equal(error.code, -18);
      assert.equal(error.message, WALLET_NOT_RUNNING);
      return true;
    });
  }
  assert.equal(router.liveCount, 0);
  // A new process attaching brings the methods back without registering them twice.
  await router.attach({ name: "w2", loader: new FakeLoader(["a"]) });
  assertJson(await call("getwalletinfo", []), { walletname: "a", params: [] });
});

Deno.test("several loaders: -19 without a wallet in the path, routing by /wallet/<name>, listwallets lists all", async () => {
  const { router, call } = setUp();
  const first = new FakeLoader(["a"]);
  const second = new FakeLoader([]);
  await router.attach({ name: "spawned", loader: first });
  await router.attach({ name: "standalone", loader: second });
  assertJson(await call("getwalletinfo", []), { walletname: "a", params: [] });
  // A wallet created through the second loader's own server, behind the router's back.
  second.wallets.push("s");
  await assert.rejects(call("getwalletinfo", []), (error: RpcError) => {
    assert.equal(error.code, -19);
    assert.equal(error.message, WALLET_NOT_SPECIFIED);
    return true;
  });
  assertJson(await call("getwalletinfo", [], "/wallet/s"), { walletname: "s", params: [] });
  assert.equal(second.requests.at(-1)?.uri, "/wallet/s");
  assertJson(await call("listwallets", []), ["a", "s"]);
  await call("createwallet", ["c"]);
  assert.deepEqual(first.wallets, ["a", "c"]);
  // The second process goes away: the first one's wallets are still served.
  second.gone = true;
  assertJson(await call("listwallets", []), ["a", "c"]);
  assert.equal(router.liveCount, 1);
});

Deno.test("catalog and reply parsing refuse malformed data", () => {
  assert.throws(() => parseWalletCatalog("{}"), /not a JSON array/);
  assert.throws(() => parseWalletCatalog("[1]"), /not an object/);
  assert.throws(() => parseWalletCatalog('[{"category":"wallet"}]'), /lacks name/);
  assert.throws(() => parseWalletCatalog("[{"), Error);
  assert.deepEqual(parseWalletCatalog(walletCatalogJson(METHODS)).map((m) => m.name), [
    "getwalletinfo",
    "getnewaddress",
    "listwallets",
    "createwallet",
  ]);
  assert.throws(() => replyResult("[]"), RpcError);
  assert.throws(() => replyResult('{"result":null,"error":7}'), RpcError);
  assert.deepEqual(replyResult('{"result":[1],"error":null,"id":1}'), parseJson("[1]"));
  // Bounded fuzz: random bytes never crash the parsers, they either parse or throw an Error.
  let seed = 7;
  for (let i = 0; i < 300; i++) {
    let text = "";
    for (let j = 0; j < 40; j++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += '[]{}",:0123abcnult\\e'[seed % 21];
    }
    for (const parse of [parseWalletCatalog, replyResult]) {
      try {
        parse(text);
      } catch (error) {
        assert.ok(error instanceof Error);
      }
    }
  }
});

Deno.test("a wallet outside the primary process's reach goes to the process placed for it; the rest to the primary", async () => {
  const registry = new RpcRegistry<unknown>(undefined);
  registry.setWarmupFinished();
  const outside = new FakeLoader([]);
  const asked: (JsonValue | undefined)[] = [];
  const router = new WalletRpcRouter({
    registry,
    logger: NULL_LOGGER,
    placeOutside: (_method, name) => {
      asked.push(name ?? null);
      return Promise.resolve(name === "/elsewhere/w6" ? outside : undefined);
    },
  });
  const call = (method: string, params: JsonValue, uri = "/") =>
    registry.execute({ method, params, id: 1, uri, authUser: "u", peerAddr: "" });
  const primary = new FakeLoader(["a"]);
  // The outside process attached first (as after a restart of the primary one).
  await router.attach({ name: "outside", loader: outside });
  await router.attach({ name: "primary", loader: primary, primary: true });
  await call("createwallet", ["/elsewhere/w6"]);
  assert.deepEqual(outside.wallets, ["/elsewhere/w6"]);
  await call("createwallet", ["b"]);
  assert.deepEqual(primary.wallets, ["a", "b"]);
  assert.deepEqual(asked, ["/elsewhere/w6", "b"]);
  assertJson(await call("listwallets", []), ["/elsewhere/w6", "a", "b"]);
  assertJson(
    await call("getwalletinfo", [], `/wallet/${encodeURIComponent("/elsewhere/w6")}`),
    { walletname: "/elsewhere/w6", params: [] },
  );
});
