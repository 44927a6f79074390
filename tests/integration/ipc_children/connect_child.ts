/**
 * A peer in another process for the "peer death" tests: `connect <endpoint json> [cookie]`
 * connects, sends "ready", echoes; `listen <endpoint json> [cookie]` listens, echoes every
 * connection, and prints the bound endpoint as JSON on stdout. Both wait to be killed.
 *
 * @module
 */
import { connect, listen } from "../../../ipc/transport/mod.ts";
import type { IpcEndpoint } from "../../../ipc/endpoint.ts";

const [command, endpointJson, cookiePath] = Deno.args;
const endpoint = JSON.parse(endpointJson) as IpcEndpoint;
if (command === "connect") {
  const stream = await connect(endpoint, { cookiePath });
  stream.onData((chunk) => stream.write(chunk));
  stream.write(new TextEncoder().encode("ready"));
} else {
  const listener = await listen(endpoint, (stream) => {
    stream.onData((chunk) => stream.write(chunk));
  }, { cookiePath });
  await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(listener.endpoint) + "\n"));
}
setInterval(() => {}, 1000);
