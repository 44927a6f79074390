/**
 * The hidden `echoipc` RPC, as freicoind's (src/rpc/node.cpp): echoes its argument through
 * another process. `freicoin-node` sends it through a spawned child; `freicoind` (node and
 * wallet in one process) echoes it locally, as the reference does without IPC support.
 *
 * @module
 */
import { getStr, helpExampleCli, helpExampleRpc, type RpcMethod } from "../../../rpc/mod.ts";

/** Echoes text, in this process or through another one. */
export type EchoFunction = (text: string) => Promise<string>;

/** The `echoipc` method, echoing through `echo`. */
export function echoIpcMethod(echo: EchoFunction): RpcMethod<unknown> {
  return {
    name: "echoipc",
    category: "hidden",
    description:
      "\nEcho back the input argument, passing it through a spawned process in a multiprocess build.\n" +
      "This command is for testing.\n",
    args: [{ names: "arg", type: "str", description: "The string to echo" }],
    results: [{ type: "str", key: "echo", description: "The echoed string." }],
    examples: helpExampleCli("echo", '"Hello world"') + helpExampleRpc("echo", '"Hello world"'),
    handler: (call) => echo(getStr(call.params[0])),
  };
}
