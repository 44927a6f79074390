/**
 * Every visible method of this folder has the category and summary line of the reference
 * node's `help` listing (rpc-help.txt).
 */
import assert from "node:assert/strict";
import { methodHelp, methodSummary } from "../../../rpc/mod.ts";
import { vectorPath } from "../chain/_test_support.ts";
import { nodeRpcMethods } from "./mod.ts";

function referenceListing(): Map<string, { category: string; summary: string }> {
  const listing = new Map<string, { category: string; summary: string }>();
  let category = "";
  for (const line of Deno.readTextFileSync(vectorPath("rpc-help.txt")).split("\n")) {
    const title = /^== (.+) ==$/.exec(line);
    if (title) category = title[1].toLowerCase();
    else if (line.trim() !== "") listing.set(line.split(" ")[0], { category, summary: line });
  }
  return listing;
}

Deno.test("methods have the reference node's help categories and summary lines", async (t) => {
  const listing = referenceListing();
  for (const method of nodeRpcMethods()) {
    await t.step(method.name, () => {
      const reference = listing.get(method.name);
      if (method.category === "hidden") {
        assert.equal(reference, undefined, "hidden methods are not listed");
        return;
      }
      assert.ok(reference, "listed by the reference node");
      assert.equal(method.category, reference.category);
      assert.equal(methodSummary(method as never), reference.summary);
      assert.ok(methodHelp(method as never).startsWith(reference.summary + "\n"));
    });
  }
});
