/**
 * `freicoin-gui [node options] [-ipcconnect=<address>] [-guiport=<port>]`: spawns a node child
 * (`freicoin-node -ipcfd 3`, which spawns its wallet child), or connects to a running node's
 * `-ipcbind` socket, then serves a local web app on 127.0.0.1 and prints its URL. Ctrl-C or
 * SIGTERM closes the channel (the node stops, and stops its wallet) and exits.
 *
 * @module
 */
import * as path from "node:path";
import type { Args } from "../../cli/args/args.ts";
import { formatParagraph, optionsHelp } from "../../cli/args/help.ts";
import { nodeOptionRegistry } from "../../cli/args/option_registry.ts";
import { FULL_VERSION, LICENSE_INFO } from "../../cli/version.ts";
import { writeStderr } from "../../cli/console.ts";
import { DebugLog } from "../../cli/debug_log.ts";
import { FileLogOutput } from "../../cli/log_output.ts";
import { ShutdownController } from "../../cli/shutdown.ts";
import {
  applyLogCategories,
  loadArguments,
  type LoadedArguments,
  printHelpOrVersion,
} from "../../cli/startup.ts";
import { parseConnectEndpoint } from "../../ipc/endpoint.ts";
import { nodePermissions } from "../../ipc/permissions.ts";
import { connectAuto } from "../../ipc/transport/connect.ts";
import { DEFAULT_LIBCRYPTO_PATH } from "../../kernel/hash/native_backend.ts";
import { DEFAULT_LIBSECP256K1_PATH } from "../../kernel/secp256k1/native_backend.ts";
import { startGuiServer } from "./gui_server.ts";
import { NodeLink, type NodeTarget } from "./node_link.ts";

/** Options only the gui reads; they are not handed to the node. */
const GUI_ONLY_OPTIONS = ["-ipcconnect", "-guiport"];

/** Runs the gui until Ctrl-C / SIGTERM; returns the exit code. */
export async function runGui(argv: readonly string[]): Promise<number> {
  const log = new DebugLog({ timestamps: true }, new FileLogOutput(undefined));
  let loaded: LoadedArguments;
  try {
    loaded = loadArguments(argv, nodeOptionRegistry(), log, "freicoin-gui");
  } catch (error) {
    writeStderr(`Error: ${error instanceof Error ? error.message : error}\n`);
    return 1;
  }
  const { args } = loaded;
  if (printHelpOrVersion(args, { help: () => helpText(args), version: versionText })) return 0;
  // The gui's own lines (the node's go to its debug.log) are printed, not kept in memory.
  log.configure({ printToConsole: !args.isNegated("-printtoconsole"), timestamps: true });
  try {
    applyLogCategories(log, args);
  } catch (error) {
    writeStderr(`Error: ${error instanceof Error ? error.message : error}\n`);
    return 1;
  }
  log.start();
  const shutdown = new ShutdownController();
  using _signals = shutdown.listenForSignals();
  let target: NodeTarget;
  try {
    target = await nodeTarget(argv, loaded);
  } catch (error) {
    writeStderr(`Error: ${error instanceof Error ? error.message : error}\n`);
    return 1;
  }
  const link = new NodeLink(target, log);
  const port = args.getInt("-guiport", 0);
  if (port < 0 || port > 65535) {
    writeStderr(`Error: Invalid -guiport: ${args.get("-guiport")}\n`);
    return 1;
  }
  let server;
  try {
    server = startGuiServer({ link, port });
  } catch (error) {
    writeStderr(`Error: Unable to serve the gui on 127.0.0.1:${port}: ${error}\n`);
    return 1;
  }
  print(`freicoin-gui: ${target.kind === "spawn" ? "starting a node" : "connecting"}…\n`);
  try {
    await link.start();
    print(`freicoin-gui: node ${link.state.state}${pidText(link.state.pid)}\n`);
  } catch (error) {
    // The page shows it and offers a restart; the gui keeps running.
    writeStderr(
      `freicoin-gui: the node is down: ${error instanceof Error ? error.message : error}\n`,
    );
  }
  print(`freicoin-gui: open ${server.url}\n`);
  const reason = await shutdown.requested;
  print(`freicoin-gui: shutting down (${reason})\n`);
  await link.close();
  await server.close();
  return 0;
}

/**
 * Spawn (the node gets the gui's arguments) or connect (-ipcconnect; `auto` connects when a
 * node listens at the default unix socket and spawns one otherwise).
 * @throws {EndpointError | ConnectError} for a malformed -ipcconnect value, or when probing the
 *   default socket fails for another reason than nobody listening
 */
async function nodeTarget(argv: readonly string[], loaded: LoadedArguments): Promise<NodeTarget> {
  const { args, networkDir } = loaded;
  if (args.isSet("-ipcconnect") && !args.isNegated("-ipcconnect")) {
    const address = args.getString("-ipcconnect", "unix");
    const endpoint = parseConnectEndpoint(address, { datadirNet: networkDir });
    if (endpoint.kind !== "auto") return { kind: "connect", address, networkDir };
    const probe = await connectAuto(endpoint);
    if (probe !== undefined) {
      probe.close();
      return { kind: "connect", address: `unix:${endpoint.path}`, networkDir };
    }
  }
  const nodeArgs = argv.filter((arg) => !GUI_ONLY_OPTIONS.some((name) => isOption(arg, name)));
  // The child cannot look up the default datadir (no environment): hand it the resolved one.
  nodeArgs.push(`-datadir=${loaded.dataDir}`);
  // The node's log goes to its debug.log; the gui's terminal shows the gui's own lines.
  if (!args.isSet("-printtoconsole")) nodeArgs.push("-printtoconsole=0");
  const conf = args.isSet("-conf") ? [path.resolve(args.getPath("-conf"))] : [];
  return {
    kind: "spawn",
    nodeArgs,
    settings: [`-chain=${args.network}`],
    permissions: {
      ...nodePermissions({
        writePaths: [loaded.dataDir, ...blocksDir(loaded)],
        readPaths: conf,
        ffi: [DEFAULT_LIBSECP256K1_PATH, DEFAULT_LIBCRYPTO_PATH],
      }),
      // node:child_process reads the whole environment to spawn the node's wallet child.
      env: "all",
    },
  };
}

function helpText(args: Args): string {
  const about = "Spawns a node (taking the node options below), or connects to one with " +
    "-ipcconnect (see -help-debug), and serves a local web app on 127.0.0.1; -guiport " +
    "chooses its port.";
  return `Freicoin version ${FULL_VERSION}\n\n` +
    "Usage:  freicoin-gui [options]                  Start the Freicoin web interface\n\n" +
    `${formatParagraph(about)}\n\n` +
    optionsHelp(args.registry, args.getBool("-help-debug", false));
}

function versionText(): string {
  return `Freicoin version ${FULL_VERSION}\n${formatParagraph(LICENSE_INFO)}`;
}

function blocksDir(loaded: LoadedArguments): string[] {
  const dir = loaded.args.getPath("-blocksdir");
  return dir === "" ? [] : [path.resolve(dir)];
}

function isOption(arg: string, name: string): boolean {
  const bare = arg.replace(/^--?/, "-");
  return bare === name || bare.startsWith(`${name}=`) || bare === `-no${name.slice(1)}`;
}

function pidText(pid: number | undefined): string {
  return pid === undefined ? "" : ` (pid ${pid})`;
}

function print(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text));
}
