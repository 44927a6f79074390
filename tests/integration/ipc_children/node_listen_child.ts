/**
 * A node-permission child for the sandbox test: `node -ipcfd 3 <datadir>` listens on
 * `unix:<datadir>/node.sock` and on `tcp:127.0.0.1:0` (cookie in the datadir), echoes what its
 * IPC peers send, and reports both endpoints as one JSON line over its parent channel. It closes
 * its listeners (removing the socket file and cookie) and exits when the parent hangs up.
 *
 * @module
 */
import { listen, openParentChannel } from "../../../ipc/transport/mod.ts";
import type { ByteStream } from "../../../ipc/byte_stream.ts";

const datadir = Deno.args[3];
const parent = await openParentChannel(Deno.args.slice(1, 3));
const echo = (stream: ByteStream) => stream.onData((chunk) => stream.write(chunk));
const unix = await listen({ kind: "unix", path: `${datadir}/node.sock` }, echo);
const tcp = await listen({ kind: "tcp", host: "127.0.0.1", port: 0 }, echo, {
  cookiePath: `${datadir}/.ipccookie`,
});
parent.write(new TextEncoder().encode(JSON.stringify([unix.endpoint, tcp.endpoint]) + "\n"));
parent.onClose(async () => {
  await Promise.all([unix.close(), tcp.close()]);
});
