import assert from "node:assert/strict";
import {
  amountToJson,
  getInt,
  registerServerMethods,
  RpcError,
  RpcRegistry,
  RpcServer,
  SILENT_RPC_LOGGER,
} from "../../rpc/mod.ts";
import { type RpcClientOptions, runRpcClient } from "./rpc_client.ts";
import { convertNamed, convertPositional, writeEntries } from "./convert.ts";
import { writeJson } from "../../rpc/json.ts";

function makeRegistry(): RpcRegistry<unknown> {
  const registry = new RpcRegistry<unknown>(undefined);
  registry.register({
    name: "getblockcount",
    category: "blockchain",
    description: "Count.",
    args: [],
    results: [{ type: "num" }],
    examples: "",
    handler: () => 102,
  });
  registry.register({
    name: "getblockhash",
    category: "blockchain",
    description: "Hash.",
    args: [{ names: "height", type: "num", description: "The height index" }],
    results: [{ type: "str_hex" }],
    examples: "",
    handler: (call) => {
      if (getInt(call.params[0]) !== 0) throw new Error("Block height out of range");
      return "67756db06265141574ff8e7c3f97ebd57c443791e0ca27ee8b03758d6056edb8";
    },
  });
  registry.register({
    name: "whereami",
    category: "hidden",
    description: "The URI.",
    args: [],
    results: [{ type: "str" }],
    examples: "",
    handler: (call) => call.uri,
  });
  registry.register({
    name: "needwallet",
    category: "hidden",
    description: "Fails like a node with several wallets.",
    args: [],
    results: [{ type: "none" }],
    examples: "",
    handler: () => {
      throw new RpcError(
        -19,
        "Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).",
      );
    },
  });
  registry.register({
    name: "nothing",
    category: "hidden",
    description: "Null.",
    args: [],
    results: [{ type: "none" }],
    examples: "",
    handler: () => null,
  });
  registry.register({
    name: "getnetworkinfo",
    category: "network",
    description: "",
    args: [],
    results: [{ type: "any" }],
    examples: "",
    handler: () => ({
      version: 270101,
      timeoffset: 0,
      connections: 3,
      connections_in: 1,
      connections_out: 2,
      networks: [{ name: "ipv4", proxy: "" }, { name: "onion", proxy: "127.0.0.1:9050" }],
      relayfee: amountToJson(1000n),
      warnings: "",
    }),
  });
  registry.register({
    name: "getblockchaininfo",
    category: "blockchain",
    description: "",
    args: [],
    results: [{ type: "any" }],
    examples: "",
    handler: () => ({
      chain: "regtest",
      blocks: 102,
      headers: 102,
      verificationprogress: 1,
      difficulty: 4.656542373906925e-10,
    }),
  });
  registerServerMethods(registry, {
    shutdown: () => {},
    now: () => Date.now() / 1000,
    startTime: Date.now() / 1000,
    logPath: () => "",
    logging: { categories: () => [], enableCategory: () => false, disableCategory: () => false },
  });
  return registry;
}

async function withServer(
  fn: (options: RpcClientOptions, registry: RpcRegistry<unknown>, dir: string) => Promise<void>,
  { warm = true, password = "p" } = {},
): Promise<void> {
  const registry = makeRegistry();
  if (warm) registry.setWarmupFinished();
  const dir = await Deno.makeTempDir({ prefix: "rpc_client_test_" });
  const server = await RpcServer.start(registry, {
    port: 0,
    bind: ["127.0.0.1:0"],
    allowIp: ["127.0.0.1"],
    user: "u",
    password,
    cookieFile: `${dir}/.cookie`,
    walletEndpoints: true,
    authFailureDelayMs: 1,
    logger: SILENT_RPC_LOGGER,
  });
  const options: RpcClientOptions = {
    defaultPort: server.addresses[0].port,
    rpcUser: "u",
    rpcPassword: password,
    cookieFile: `${dir}/.cookie`,
    configFile: `${dir}/freicoin.conf`,
  };
  try {
    await fn(options, registry, dir);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("prints results as freicoin-cli does", async (t) => {
  await withServer(async (options) => {
    await t.step("a number", async () => {
      assert.deepEqual(await runRpcClient(["getblockcount"], options), {
        stdout: "102\n",
        stderr: "",
        exitCode: 0,
      });
    });
    await t.step("a string, raw", async () => {
      const out = await runRpcClient(["getblockhash", "0"], options);
      assert.equal(
        out.stdout,
        "67756db06265141574ff8e7c3f97ebd57c443791e0ca27ee8b03758d6056edb8\n",
      );
    });
    await t.step("JSON, pretty with 2 spaces, numbers exact", async () => {
      const out = await runRpcClient(["echojson", '{"a":0.10,"b":[]}', "[]"], options);
      assert.equal(out.stdout, '[\n  {\n    "a": 0.10,\n    "b": [\n    ]\n  },\n  [\n  ]\n]\n');
    });
    await t.step("null prints nothing", async () => {
      assert.deepEqual(await runRpcClient(["nothing"], options), {
        stdout: "",
        stderr: "",
        exitCode: 0,
      });
    });
    await t.step("-named", async () => {
      const out = await runRpcClient(["getblockhash", "height=0"], { ...options, named: true });
      assert.equal(out.exitCode, 0);
      const echo = await runRpcClient(["echo", "a", "arg2=x"], { ...options, named: true });
      assert.equal(echo.stdout, '[\n  "a",\n  null,\n  "x"\n]\n');
      const replaced = await runRpcClient(["echo", "arg0=0", "arg1=1", "arg2=2", "arg1=3"], {
        ...options,
        named: true,
      });
      assert.equal(replaced.stdout, '[\n  "0",\n  "3",\n  "2"\n]\n');
      const twice = await runRpcClient(["echo", "args=[0,1,2,3]", "4", "5", "6"], {
        ...options,
        named: true,
      });
      assert.equal(
        twice.stderr,
        "error code: -8\nerror message:\nParameter args specified multiple times\n",
      );
    });
    await t.step("-rpcwallet goes to /wallet/<urlencoded>", async () => {
      const out = await runRpcClient(["whereami"], { ...options, rpcWallet: "my wallet/é" });
      assert.equal(out.stdout, "/wallet/my%20wallet%2F%C3%A9\n");
      const root = await runRpcClient(["whereami"], options);
      assert.equal(root.stdout, "/\n");
    });
    await t.step("-stdin and -stdinrpcpass", async () => {
      const readStdin = () => Promise.resolve("p\n0\n");
      const out = await runRpcClient(["getblockhash"], {
        ...options,
        rpcPassword: undefined,
        stdin: true,
        stdinRpcPass: true,
        readStdin,
      });
      assert.equal(out.exitCode, 0, out.stderr);
    });
  });
});

Deno.test("error output and exit codes", async (t) => {
  await withServer(async (options) => {
    await t.step("RPC error: code and message on stderr, exit |code|", async () => {
      assert.deepEqual(await runRpcClient(["getblockhash", "5"], options), {
        stdout: "",
        stderr: "error code: -1\nerror message:\nBlock height out of range\n",
        exitCode: 1,
      });
      const missing = await runRpcClient(["nosuchmethod"], options);
      assert.equal(missing.stderr, "error code: -32601\nerror message:\nMethod not found\n");
      assert.equal(missing.exitCode, 32601);
      const type = await runRpcClient(["getblockhash", '"x"'], options);
      assert.equal(type.exitCode, 3);
      assert.match(type.stderr, /^error code: -3\nerror message:\nWrong type passed:\n/);
    });
    await t.step("-19 adds the -rpcwallet hint", async () => {
      assert.deepEqual(await runRpcClient(["needwallet"], options), {
        stdout: "",
        stderr: "error code: -19\nerror message:\n" +
          "Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).\n" +
          'Try adding "-rpcwallet=<filename>" option to freicoin-cli command line.\n',
        exitCode: 19,
      });
    });
    await t.step("an empty -rpcwallet is the /wallet/ endpoint", async () => {
      assert.equal(
        (await runRpcClient(["whereami"], { ...options, rpcWallet: "" })).stdout,
        "/wallet/\n",
      );
    });
    await t.step("argument that must be JSON but is not", async () => {
      assert.deepEqual(await runRpcClient(["getblockhash", "x"], options), {
        stdout: "",
        stderr: "error: Error parsing JSON: x\n",
        exitCode: 1,
      });
    });
    await t.step("wrong password", async () => {
      const out = await runRpcClient(["getblockcount"], { ...options, rpcPassword: "bad" });
      assert.equal(out.stderr, "error: Authorization failed: Incorrect rpcuser or rpcpassword\n");
      assert.equal(out.exitCode, 1);
    });
    await t.step("no credentials at all", async () => {
      const out = await runRpcClient(["getblockcount"], { ...options, rpcPassword: undefined });
      assert.equal(
        out.stderr,
        "error: Could not locate RPC credentials. No authentication cookie could be found, and RPC password is not set.  See -rpcpassword and -stdinrpcpass.  Configuration file: (" +
          options.configFile + ")\n",
      );
    });
    await t.step("no command", async () => {
      const out = await runRpcClient([], options);
      assert.equal(out.stderr, "error: too few parameters (need at least command)\n");
    });
  });
});

Deno.test("cookie authentication", async () => {
  await withServer(async (options) => {
    const out = await runRpcClient(["getblockcount"], { ...options, rpcPassword: undefined });
    assert.equal(out.stdout, "102\n");
  }, { password: "" });
});

Deno.test("connection refused gives freicoin-cli's text", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const out = await runRpcClient(["getblockcount"], {
    defaultPort: port,
    rpcPassword: "p",
    cookieFile: "/nonexistent",
  });
  assert.equal(
    out.stderr,
    `error: timeout on transient error: Could not connect to the server 127.0.0.1:${port} (error code 1 - "EOF reached")\n\n` +
      "Make sure the freicoind server is running and that you are connecting to the correct RPC port.\n",
  );
  assert.equal(out.exitCode, 1);
});

Deno.test("-rpcwait retries through warm-up", async () => {
  await withServer(async (options, registry) => {
    const timer = setTimeout(() => registry.setWarmupFinished(), 300);
    const out = await runRpcClient(["getblockcount"], { ...options, rpcWait: true });
    clearTimeout(timer);
    assert.equal(out.stdout, "102\n");
  }, { warm: false });
});

Deno.test("-getinfo prints the summary", async () => {
  await withServer(async (options) => {
    const out = await runRpcClient([], { ...options, getinfo: true, color: "never" });
    assert.equal(out.exitCode, 0, out.stderr);
    assert.equal(
      out.stdout,
      "Chain: regtest\nBlocks: 102\nHeaders: 102\nVerification progress: 100.0000%\n" +
        "Difficulty: 4.656542373906925e-10\n\nNetwork: in 1, out 2, total 3\nVersion: 270101\n" +
        "Time offset (s): 0\nProxies: 127.0.0.1:9050 (onion)\n" +
        "Min tx relay fee rate (FRC/kvB): 0.00001000\n\nWarnings: (none)\n",
    );
  });
});

Deno.test("conversion table: positional and named", () => {
  assert.equal(writeJson(convertPositional("getblockhash", ["0"])), "[0]");
  assert.equal(writeJson(convertPositional("getblock", ["abc", "2"])), '["abc",2]');
  assert.equal(writeJson(convertPositional("sendtoaddress", ["a", "0.1"])), '["a",0.1]');
  assert.equal(
    writeEntries(convertNamed("sendtoaddress", ["address=a", "amount=0.1", "amount=0.2", "x"])),
    '{"address":"a","amount":0.2,"args":["x"]}',
  );
  assert.equal(
    writeEntries(convertNamed("echojson", ["[1]", "arg3=2"])),
    '{"arg3":2,"args":[[1]]}',
  );
  assert.equal(
    writeEntries(convertNamed("echo", ["args=[0,1]", "4"])),
    '{"args":"[0,1]","args":["4"]}',
  );
  assert.throws(() => convertPositional("getblockhash", ["{"]), /Error parsing JSON: {/);
});

Deno.test("-rpcwait waits for the server to come up, -rpcwaittimeout gives up", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const dir = await Deno.makeTempDir({ prefix: "rpc_client_wait_" });
  const registry = makeRegistry();
  registry.setWarmupFinished();
  let server: RpcServer | undefined;
  const starting = new Promise<void>((resolve) =>
    setTimeout(async () => {
      server = await RpcServer.start(registry, {
        port,
        bind: [`127.0.0.1:${port}`],
        allowIp: ["127.0.0.1"],
        password: "p",
        user: "u",
        cookieFile: `${dir}/.cookie`,
        logger: SILENT_RPC_LOGGER,
      });
      resolve();
    }, 300)
  );
  try {
    const options = { defaultPort: port, rpcUser: "u", rpcPassword: "p", cookieFile: "/none" };
    const out = await runRpcClient(["getblockcount"], {
      ...options,
      rpcWait: true,
      rpcWaitTimeout: 10,
    });
    assert.equal(out.stdout, "102\n");
    await starting;
    await server?.close();
    const late = await runRpcClient(["getblockcount"], {
      ...options,
      rpcWait: true,
      rpcWaitTimeout: 1,
    });
    assert.equal(late.exitCode, 1);
    assert.match(
      late.stderr,
      /^error: timeout on transient error: Could not connect to the server/,
    );
  } finally {
    await starting;
    await server?.close();
    await Deno.remove(dir, { recursive: true });
  }
});
