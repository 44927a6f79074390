/**
 * A spawned child serving Init/Echo over Cap'n Proto on its inherited fd, for the echo
 * integration test (the real role wiring lives in mod.ts). Exits 0 when the parent hangs up.
 *
 * @module
 */
import { openParentChannel } from "../../../ipc/transport/spawn_channel.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import { type Echo, INIT, type Init } from "../../../schemas/mod.ts";

const echo: Echo = { echo: (text) => Promise.resolve(text) };
const init: Init = {
  makeEcho: () => Promise.resolve(echo),
  configure: () => Promise.resolve(),
  makeRpc: () => Promise.reject(new Error("this test child serves no JSON-RPC")),
};
const connection = new RpcConnection(await openParentChannel(Deno.args.slice(1, 3)), {
  bootstrap: { binding: INIT, impl: init },
});
// Closing the socket is the shutdown signal; with it gone nothing keeps the process alive.
connection.onDisconnect(() => {});
