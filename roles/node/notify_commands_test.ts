import assert from "node:assert/strict";
import type { Logger } from "../../cli/logger.ts";
import { NULL_LOGGER } from "../../cli/logger.ts";
import { runShellCommand } from "./notify_commands.ts";

Deno.test("runShellCommand resolves once the shell command has ended", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runShellCommand(`sleep 0.1; echo done > ${dir}/out`, NULL_LOGGER);
    assert.equal(await Deno.readTextFile(`${dir}/out`), "done\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing command is logged as freicoind's runCommand logs it", async () => {
  const lines: string[] = [];
  const logger = { ...NULL_LOGGER, info: (line: unknown) => lines.push(String(line)) } as Logger;
  await runShellCommand("exit 3", logger);
  assert.deepEqual(lines, ["runCommand error: system(exit 3) returned 768"]);
});
