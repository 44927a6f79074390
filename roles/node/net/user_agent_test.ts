import assert from "node:assert/strict";
import { formatVersion, userAgentFromComments } from "./user_agent.ts";

Deno.test("formats versions dropping trailing zero components", () => {
  assert.equal(formatVersion(270101), "27.1.1");
  assert.equal(formatVersion(270100), "27.1");
  assert.equal(formatVersion(270000), "27");
});

Deno.test("builds /Satoshi:27.1.1(comments)/ and rejects what freicoind rejects", () => {
  assert.deepEqual(userAgentFromComments(270101, []), { ok: true, userAgent: "/Satoshi:27.1.1/" });
  assert.deepEqual(userAgentFromComments(270101, ["testnode0", "b c"]), {
    ok: true,
    userAgent: "/Satoshi:27.1.1(testnode0; b c)/",
  });
  assert.deepEqual(userAgentFromComments(270101, ["/"]), {
    ok: false,
    error: "User Agent comment (/) contains unsafe characters.",
  });
  const long = userAgentFromComments(270101, ["a".repeat(240)]);
  assert.deepEqual(long, {
    ok: false,
    error:
      "Total length of network version string (258) exceeds maximum length (256). Reduce the number or size of uacomments.",
  });
});
