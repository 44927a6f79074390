/**
 * Sandbox probe, run with a role's real permission flags: tries every forbidden action from
 * inside the process and reports the outcome of each over the inherited fd 3, as one JSON line.
 *
 * Arguments: `<role> -ipcfd 3 <own dir> <a file outside it> <tcp port to try> [compiled]`
 * (or `-ipcpipe <path>` in place of `-ipcfd 3`).
 * The probe first calls `enterSandbox` like a role would; with `compiled` it is told it is a
 * `deno compile` binary (so it revokes what its baked-in permissions hold).
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { openParentChannel } from "../../../ipc/transport/spawn_channel.ts";
import { enterSandbox } from "../../../ipc/permissions.ts";
import { NULL_LOGGER } from "../../../cli/logger.ts";

const [role, , , ownDir, outsideFile, portText, mode] = Deno.args;
const stream = await openParentChannel(Deno.args.slice(1, 3));

/** "ok", or the error's class name (NotCapable for a permission refusal). */
async function attempt(action: () => unknown): Promise<string> {
  try {
    await action();
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  }
}

// What a role does first thing at start-up, in either mode.
const sandbox = await enterSandbox(role as "wallet", {
  logger: NULL_LOGGER,
  mode: mode === "compiled" ? "compiled" : undefined,
});

const results: Record<string, string> = {
  tcpConnect: await attempt(async () => {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: Number(portText) });
    connection.close();
  }),
  tcpListen: await attempt(() => Deno.listen({ hostname: "127.0.0.1", port: 0 }).close()),
  readOutsideFile: await attempt(() => Deno.readTextFile(outsideFile)),
  readEtcHostname: await attempt(() => Deno.readTextFile("/etc/hostname")),
  writeOutside: await attempt(() => Deno.writeTextFile(`${outsideFile}.written`, "x")),
  readEnv: await attempt(() => Deno.env.get("HOME")),
  runProcess: await attempt(() => new Deno.Command("true").output()),
  dlopen: await attempt(() => Deno.dlopen("libc.so.6", {}).close()),
  sysHostname: await attempt(() => Deno.hostname()),
  writeInside: await attempt(async () => {
    await Deno.writeTextFile(`${ownDir}/probe.txt`, "inside");
    if (await Deno.readTextFile(`${ownDir}/probe.txt`) !== "inside") throw new Error("mismatch");
  }),
  sqliteInside: await attempt(() => {
    const db = new DatabaseSync(`${ownDir}/wallet.sqlite`);
    db.exec("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)");
    db.prepare("INSERT INTO t (v) VALUES (?)").run("x");
    db.close();
  }),
};

const report = { ...results, sandbox };
stream.write(new TextEncoder().encode(JSON.stringify(report) + "\n"));
// Then echo, to show the IPC fd keeps working; exit when the parent closes the stream.
stream.onData((chunk) => stream.write(chunk));
stream.onClose(() => {});
