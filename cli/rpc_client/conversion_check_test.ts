import assert from "node:assert/strict";
import { argumentNameInconsistencies, conversionTableMismatches } from "./conversion_check.ts";
import { RPC_CONVERT_PARAMS } from "./conversion_table.ts";

Deno.test("agrees when the server declares exactly the table's non-string arguments", () => {
  const rows = RPC_CONVERT_PARAMS.map(([m, i, n]) => [m, i, n, false]);
  assert.deepEqual(conversionTableMismatches(rows), []);
});

Deno.test("reports missing and extra conversions for the methods it sees", () => {
  assert.deepEqual(
    conversionTableMismatches([
      ["getblockhash", 0, "height", true],
      ["getblock", 0, "blockhash", false],
      ["getblock", 1, "verbosity", false],
      ["getblock", 1, "verbose", false],
    ]),
    [
      "not a non-string argument: getblockhash 0 height",
      "not in the client table: getblock 0 blockhash",
    ],
  );
});

Deno.test("the table has no duplicate entries", () => {
  const keys = RPC_CONVERT_PARAMS.map(([m, i, n]) => `${m} ${i} ${n}`);
  assert.equal(new Set(keys).size, keys.length);
});

Deno.test("the server's own methods agree with the table", async () => {
  const { registerServerMethods, RpcRegistry } = await import("../../rpc/mod.ts");
  const registry = new RpcRegistry<unknown>(undefined);
  registerServerMethods(registry, {
    shutdown: () => {},
    now: () => 0,
    startTime: 0,
    logPath: () => "",
    logging: { categories: () => [], enableCategory: () => true, disableCategory: () => true },
  });
  assert.deepEqual(conversionTableMismatches(registry.argMap()), []);
  assert.deepEqual(argumentNameInconsistencies(registry.argMap()), []);
});

Deno.test("flags an argument name converted in one method and not another", () => {
  assert.deepEqual(
    argumentNameInconsistencies([
      ["a", 0, "height", false],
      ["b", 0, "height", true],
      ["c", 0, "dummy", false],
      ["d", 0, "dummy", true],
    ]),
    ["height: a=true, b=false"],
  );
});
