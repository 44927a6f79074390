/**
 * The node's IPC side, started by `runNode`: the `echoipc` RPC (through a spawned child in
 * `freicoin-node`, locally in `freicoind`) and the `-ipcbind` listeners serving `Init` (with
 * `makeRpc` over the same method registry as the HTTP server).
 *
 * @module
 */
import type { Args } from "../../../cli/args/args.ts";
import type { LogOutput } from "../../../cli/debug_log.ts";
import type { Logger } from "../../../cli/logger.ts";
import type { RpcRegistry } from "../../../rpc/mod.ts";
import type { Init } from "../../../schemas/mod.ts";
import { childSettingsArgs } from "./child_settings.ts";
import { EchoChild } from "./echo_child.ts";
import { echoIpcMethod } from "./echo_ipc_method.ts";
import { IpcListeners } from "./ipc_bind.ts";
import { NodeInit } from "./node_init.ts";
import { ParentLogSink } from "./parent_log_sink.ts";
import { RegistryRpc } from "./registry_rpc.ts";

/** What the node's IPC side needs from start-up. */
export interface NodeIpcOptions {
  /** `freicoin-node` spawns a child for `echoipc`; `freicoind` echoes in-process. */
  readonly program: "freicoind" | "freicoin-node";
  readonly args: Args;
  readonly networkDir: string;
  readonly logger: Logger;
  /** The node's log destinations, where spawned children's forwarded lines are appended. */
  readonly output: LogOutput;
  /** The JSON-RPC method registry, when the RPC server runs (`-server`). */
  readonly registry?: RpcRegistry<unknown>;
  /** The module spawned children run (tests); default the project's mod.ts. */
  readonly childEntry?: string | URL;
  /** Takes in a wallet process started on its own (`Init.registerWallet`). */
  readonly registerWallet?: (wallet: Init) => Promise<void>;
}

/** The running IPC side of a node. */
export interface NodeIpc {
  /** The `-ipcbind` addresses listened on. */
  readonly addresses: readonly string[];
  /** Stops listening, disconnects peers, and waits for spawned children to exit. */
  close(): Promise<void>;
}

/**
 * Registers `echoipc` in `registry` and listens on the `-ipcbind` addresses.
 * @throws {StartupError} for an `-ipcbind` value that cannot be parsed or bound
 */
export async function startNodeIpc(options: NodeIpcOptions): Promise<NodeIpc> {
  const { args, logger, registry } = options;
  let echoChild: EchoChild | undefined;
  if (options.program === "freicoin-node") {
    echoChild = new EchoChild({
      logger,
      settings: childSettingsArgs(args),
      logSink: new ParentLogSink(options.output, {
        file: !args.isNegated("-debuglogfile"),
        console: args.getBool("-printtoconsole", !args.getBool("-daemon", false)),
      }),
      entry: options.childEntry,
    });
  }
  const echo = echoChild
    ? (text: string) => echoChild.echo(text)
    : (text: string) => Promise.resolve(text);
  registry?.register(echoIpcMethod(echo));
  let listeners: IpcListeners | undefined;
  try {
    listeners = await IpcListeners.start(args.getAll("-ipcbind"), {
      networkDir: options.networkDir,
      logger,
      init: new NodeInit(
        registry ? new RegistryRpc(registry, logger) : null,
        options.registerWallet,
      ),
    });
  } catch (error) {
    await echoChild?.close();
    throw error;
  }
  return {
    addresses: listeners.addresses,
    async close(): Promise<void> {
      await listeners.close();
      await echoChild?.close();
    },
  };
}
