/**
 * A spawned child serving Init/Echo over Cap'n Proto on its inherited fd, for the echo
 * integration test (the real role wiring lives in mod.ts). Exits 0 when the parent hangs up.
 *
 * @module
 */
import { adoptInheritedStream } from "../../../ipc/transport/inherited_stream.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import { type Echo, INIT, type Init } from "../../../schemas/mod.ts";

const [_role, flag, fdText] = Deno.args;
if (flag !== "-ipcfd") throw new Error("expected -ipcfd");

const echo: Echo = { echo: (text) => Promise.resolve(text) };
const init: Init = { makeEcho: () => Promise.resolve(echo) };
const connection = new RpcConnection(adoptInheritedStream(Number(fdText)), {
  bootstrap: { binding: INIT, impl: init },
});
// Closing the socket is the shutdown signal; with it gone nothing keeps the process alive.
connection.onDisconnect(() => {});
