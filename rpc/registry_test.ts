import assert from "node:assert/strict";
import { testRegistry, vectorPath } from "./_test_support.ts";
import { JsonNumber, type JsonValue, parseJson, writeJson } from "./json.ts";
import { RpcError } from "./errors.ts";
import type { RpcRegistry } from "./registry.ts";
import { methodHelp } from "./help.ts";
import type { RpcMethod } from "./method.ts";

function ready(): RpcRegistry<unknown> {
  const registry = testRegistry();
  registry.setWarmupFinished();
  return registry;
}

async function call(registry: RpcRegistry<unknown>, method: string, params: string) {
  return await registry.execute({
    method,
    params: parseJson(params),
    id: 1,
    uri: "/",
    authUser: "",
    peerAddr: "",
  });
}

async function callError(registry: RpcRegistry<unknown>, method: string, params: string) {
  try {
    await call(registry, method, params);
  } catch (error) {
    assert.ok(error instanceof RpcError);
    return { code: error.code, message: error.message };
  }
  throw new Error("expected an error");
}

function json(value: JsonValue): string {
  return writeJson(value);
}

Deno.test("named arguments map to positions like freicoind (rpc_named_arguments)", async () => {
  const registry = ready();
  assert.equal(json(await call(registry, "echo", '{"arg1":1}')), "[null,1]");
  assert.equal(json(await call(registry, "echo", '{"arg9":null}')), json(new Array(10).fill(null)));
  assert.equal(
    json(await call(registry, "echo", '{"arg0":0,"arg3":3,"arg9":9}')),
    "[0,null,null,3,null,null,null,null,null,9]",
  );
  assert.equal(
    json(await call(registry, "echo", '{"args":[0,1],"arg3":3,"arg5":5}')),
    "[0,1,null,3,null,5]",
  );
  assert.deepEqual(await callError(registry, "echo", '{"args":[0,1],"arg1":1}'), {
    code: -8,
    message: "Parameter arg1 specified twice both as positional and named argument",
  });
  assert.deepEqual(await callError(registry, "echo", '{"args":[0,null,2],"arg1":1}'), {
    code: -8,
    message: "Parameter arg1 specified twice both as positional and named argument",
  });
  assert.deepEqual(await callError(registry, "echo", '{"dummy":1}'), {
    code: -8,
    message: "Unknown named parameter dummy",
  });
  assert.deepEqual(await callError(registry, "echo", '{"arg0":1,"arg0":2}'), {
    code: -8,
    message: "Parameter arg0 specified multiple times",
  });
});

Deno.test("wrong argument count is -1 with the method's help text", async () => {
  const registry = ready();
  const error = await callError(registry, "getblockhash", "[]");
  assert.equal(error.code, -1);
  assert.equal(error.message, methodHelp(registry.get("getblockhash")! as RpcMethod<never>));
  assert.ok(error.message.startsWith("getblockhash height\n"));
  assert.equal((await callError(registry, "getblockcount", "[1]")).code, -1);
});

Deno.test("type errors say which position and what was expected", async () => {
  const registry = ready();
  assert.deepEqual(await callError(registry, "getblockhash", '["x"]'), {
    code: -3,
    message:
      'Wrong type passed:\n{\n    "Position 1 (height)": "JSON value of type string is not of expected type number"\n}',
  });
  assert.deepEqual(await callError(registry, "getblockhash", "[null]"), {
    code: -3,
    message:
      'Wrong type passed:\n{\n    "Position 1 (height)": "JSON value of type null is not of expected type number"\n}',
  });
  assert.deepEqual(await callError(registry, "getblockhash", "[1.5]"), {
    code: -1,
    message: "JSON integer out of range",
  });
});

Deno.test("JSON null means the default", async () => {
  const registry = ready();
  registry.register({
    name: "defaults",
    category: "hidden",
    description: "",
    args: [
      { names: "a", type: "num", default: 7, description: "" },
      { names: "b", type: "str", optional: true, description: "" },
    ],
    results: [{ type: "any" }],
    examples: "",
    handler: (c) => [c.arg(0) ?? "missing", c.maybeArg(1) ?? "missing"],
  });
  assert.equal(json(await call(registry, "defaults", "[null,null]")), '[7,"missing"]');
  assert.equal(json(await call(registry, "defaults", "[3]")), '[3,"missing"]');
  assert.equal(json(await call(registry, "defaults", '{"b":"x"}')), '[7,"x"]');
});

Deno.test("unknown methods, warm-up and method exceptions", async () => {
  const registry = testRegistry();
  assert.deepEqual(await callError(registry, "getblockcount", "[]"), {
    code: -28,
    message: "RPC server started",
  });
  registry.setWarmupFinished();
  assert.deepEqual(await callError(registry, "nosuchmethod", "[]"), {
    code: -32601,
    message: "Method not found",
  });
  assert.deepEqual(await callError(registry, "getblockhash", "[5]"), {
    code: -1,
    message: "Block height out of range",
  });
  const bug = await callError(registry, "echo", '{"arg9":"trigger_internal_bug"}');
  assert.equal(bug.code, -1);
  assert.match(bug.message, /^Internal bug detected/);
});

Deno.test("help lists categories and matches the reference summary lines", async () => {
  const registry = ready();
  const listing = await call(registry, "help", "[]") as string;
  assert.equal(
    listing,
    "== Blockchain ==\ngetblockcount\ngetblockhash height\n\n" +
      '== Control ==\ngetrpcinfo\nhelp ( "command" )\n' +
      'logging ( ["include_category",...] ["exclude_category",...] )\nstop\nuptime\n\n' +
      '== Wallet ==\ngetbalance ( "dummy" minconf include_watchonly avoid_reuse )',
  );
  // Every summary line we generate appears verbatim in the reference's `help` listing.
  const reference = (await Deno.readTextFile(vectorPath("rpc-help.txt"))).split("\n");
  for (const line of listing.split("\n")) {
    if (line !== "") assert.ok(reference.includes(line), `not in rpc-help.txt: ${line}`);
  }
  assert.equal(await call(registry, "help", '["foo"]'), "help: unknown command: foo");
  const named = await call(registry, "help", '{"command":"getblockcount"}') as string;
  assert.ok(named.startsWith("getblockcount\n"));
});

Deno.test("help <command> has freicoind's layout", async () => {
  const registry = ready();
  assert.equal(
    await call(registry, "help", '["getblockhash"]'),
    "getblockhash height\n\nReturns hash of block in best-block-chain at height provided.\n\n" +
      "Arguments:\n1. height    (numeric, required) The height index\n\n" +
      'Result:\n"hex"    (string) The block hash\n\n' +
      "Examples:\n> freicoin-cli getblockhash 1000\n" +
      `> curl --user myusername --data-binary '{"jsonrpc": "1.0", "id": "curltest", "method": "getblockhash", "params": [1000]}' -H 'content-type: text/plain;' http://127.0.0.1:8638/\n`,
  );
  const getrpcinfo = await call(registry, "help", '["getrpcinfo"]') as string;
  assert.ok(
    getrpcinfo.includes(
      'Result:\n{                          (json object)\n  "active_commands" : [    (json array) All active commands\n' +
        "    {                      (json object) Information about an active command\n" +
        '      "method" : "str",    (string) The name of the RPC command\n' +
        '      "duration" : n       (numeric) The running time in microseconds\n' +
        "    },\n    ...\n  ],\n" +
        '  "logpath" : "str"        (string) The complete file path to the debug log\n}\n',
    ),
    getrpcinfo,
  );
  const stop = await call(registry, "help", '["stop"]') as string;
  assert.ok(stop.startsWith("stop\n\nRequest a graceful shutdown of Freicoin.\n"), stop);
  assert.ok(!stop.includes("wait"), "the hidden wait argument stays hidden");
});

Deno.test("dump_all_command_conversions lists every argument", async () => {
  const registry = ready();
  const map = await call(registry, "help", '["dump_all_command_conversions"]') as JsonValue[];
  assert.ok(map.some((row) => json(row) === '["getblockhash",0,"height",false]'));
  assert.ok(map.some((row) => json(row) === '["help",0,"command",true]'));
  assert.ok(map.some((row) => json(row) === '["stop",0,"wait",false]'));
});

Deno.test("stop calls the shutdown hook and answers", async () => {
  let stopped = 0;
  const registry = testRegistry(() => stopped++);
  registry.setWarmupFinished();
  assert.equal(await call(registry, "stop", '{"wait":0}'), "Freicoin stopping");
  assert.equal(stopped, 1);
});

Deno.test("logging reports categories and rejects unknown ones", async () => {
  const registry = ready();
  assert.equal(json(await call(registry, "logging", "[]")), '{"http":false,"rpc":true}');
  assert.deepEqual(await callError(registry, "logging", '[["nope"]]'), {
    code: -8,
    message: "unknown logging category nope",
  });
  const uptime = await call(registry, "uptime", "[]");
  assert.equal(typeof uptime, "number");
  const info = await call(registry, "getrpcinfo", "[]");
  assert.match(
    json(info),
    /^{"active_commands":\[{"method":"getrpcinfo","duration":\d+}\],"logpath":"\/tmp\/debug.log"}$/,
  );
  assert.ok(new JsonNumber("1"));
});

Deno.test("docCheck reports results that do not match their documentation", async () => {
  const registry = new (await import("./registry.ts")).RpcRegistry<unknown>(undefined, {
    docCheck: true,
  });
  registry.register({
    name: "shape",
    category: "hidden",
    description: "",
    args: [{ names: "which", type: "num", description: "" }],
    results: [{
      type: "obj",
      inner: [
        { type: "num", key: "height" },
        { type: "str", key: "hash", optional: true },
        { type: "arr", key: "list", inner: [{ type: "str_amount" }] },
      ],
    }],
    examples: "",
    handler: (c) => {
      const which = Number(writeJson(c.params[0]));
      if (which === 0) return { height: 1, list: [new JsonNumber("0.10000000")] };
      if (which === 1) return { height: "1", list: [], extra: true };
      return 5;
    },
  });
  registry.setWarmupFinished();
  assert.equal(json(await call(registry, "shape", "[0]")), '{"height":1,"list":[0.10000000]}');
  const wrong = await callError(registry, "shape", "[1]");
  assert.equal(wrong.code, -1);
  assert.ok(
    wrong.message.startsWith(
      'Internal bug detected: RPC call "shape" returned incorrect type:\n{\n    "extra": "key returned that was not in doc",\n    "height": "returned type is string, but declared as number in doc"\n}',
    ),
    wrong.message,
  );
  const scalar = await callError(registry, "shape", "[2]");
  assert.match(scalar.message, /returned type is number, but declared as object in doc/);
});
