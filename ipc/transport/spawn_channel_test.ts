import assert from "node:assert/strict";
import { openParentChannel, ParentChannelError } from "./spawn_channel.ts";

Deno.test("a child's channel arguments are checked before anything is opened", async (t) => {
  const bad: [string[], RegExp][] = [
    [[], /expected -ipcfd <n> or -ipcpipe <path>/],
    [["-ipcpipe"], /expected -ipcfd/],
    [["-ipcfd"], /Invalid -ipcfd number ''/],
    [["-ipcfd", "x"], /Invalid -ipcfd number 'x'/],
    [["-ipcfd", "-1"], /Invalid -ipcfd number '-1'/],
    [["-ipcfd", "3.5"], /Invalid -ipcfd number '3.5'/],
  ];
  for (const [args, message] of bad) {
    await t.step(JSON.stringify(args), async () => {
      await assert.rejects(openParentChannel(args), (e: Error) => {
        return e instanceof ParentChannelError && message.test(e.message);
      });
    });
  }
});
