/**
 * A tiny spawned child for the spawn tests: `<role> -ipcfd 3 [mode]` echoes every byte it
 * receives on fd 3 back to the parent, and exits 0 when the stream closes.
 *
 * Modes: `echo` (default); `crash-after-first-chunk` echoes one chunk then exits 3 without
 * closing anything (a crash); `report-pid-then-wait` writes its pid and echoes.
 *
 * @module
 */
import { adoptInheritedStream } from "../../../ipc/transport/inherited_stream.ts";

const [_role, flag, fdText, mode = "echo"] = Deno.args;
if (flag !== "-ipcfd") throw new Error("expected -ipcfd");
const stream = adoptInheritedStream(Number(fdText));
stream.onData((chunk) => {
  stream.write(chunk);
  if (mode === "crash-after-first-chunk") setTimeout(() => Deno.exit(3), 50);
});
// Nothing else keeps the event loop alive: once the stream is closed the process ends.
stream.onClose(() => {});
