/**
 * A parent for the "parent dies" test: spawns the echo child with the wallet sandbox, checks
 * the link with one round trip, prints the child's pid on stdout, then waits to be killed.
 *
 * @module
 */
import { spawnRole } from "../../../ipc/spawn.ts";
import { walletPermissions } from "../../../ipc/permissions.ts";

const walletDir = Deno.args[0];
const child = await spawnRole("wallet", {
  permissions: walletPermissions({ walletDir }),
  entry: new URL("./echo_child.ts", import.meta.url),
});
await new Promise<void>((resolve) => {
  child.stream.onData(() => resolve());
  child.stream.write(new Uint8Array([1]));
});
await Deno.stdout.write(new TextEncoder().encode(`${child.pid}\n`));
setInterval(() => {}, 1000);
