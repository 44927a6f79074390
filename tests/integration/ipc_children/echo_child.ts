/**
 * A tiny spawned child for the spawn tests: `<role> -ipcfd 3 [mode]` (or `-ipcpipe <path>`)
 * echoes every byte it
 * receives on fd 3 back to the parent, and exits 0 when the stream closes.
 *
 * Modes: `echo` (default); `crash-after-first-chunk` echoes one chunk then exits 3 without
 * closing anything (a crash); `report-pid-then-wait` writes its pid and echoes.
 *
 * @module
 */
import { openParentChannel } from "../../../ipc/transport/spawn_channel.ts";

const mode = Deno.args[3] ?? "echo";
const stream = await openParentChannel(Deno.args.slice(1, 3));
stream.onData((chunk) => {
  stream.write(chunk);
  if (mode === "crash-after-first-chunk") setTimeout(() => Deno.exit(3), 50);
});
// Nothing else keeps the event loop alive: once the stream is closed the process ends.
stream.onClose(() => {});
