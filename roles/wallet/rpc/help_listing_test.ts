/**
 * Every wallet method has the category and summary line of the reference node's `help`
 * listing (rpc-help.txt), so argument names, order and optionality match freicoind's.
 */
import assert from "node:assert/strict";
import { methodHelp, methodSummary } from "../../../rpc/mod.ts";
import { walletRpcMethods } from "./mod.ts";

function referenceListing(): Map<string, { category: string; summary: string }> {
  const listing = new Map<string, { category: string; summary: string }>();
  let category = "";
  const path = new URL("../../../../shared/vectors/rpc-help.txt", import.meta.url);
  for (const line of Deno.readTextFileSync(path).split("\n")) {
    const title = /^== (.+) ==$/.exec(line);
    if (title) category = title[1].toLowerCase();
    else if (line.trim() !== "") listing.set(line.split(" ")[0], { category, summary: line });
  }
  return listing;
}

Deno.test("wallet methods have the reference node's help categories and summary lines", async (t) => {
  const listing = referenceListing();
  for (const method of walletRpcMethods()) {
    await t.step(method.name, () => {
      const reference = listing.get(method.name);
      assert.ok(reference, "listed by the reference node");
      assert.equal(method.category, reference.category);
      assert.equal(methodSummary(method as never), reference.summary);
      assert.ok(methodHelp(method as never).startsWith(reference.summary + "\n"));
    });
  }
});
