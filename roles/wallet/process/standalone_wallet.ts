/**
 * `freicoin wallet` / `freicoin-wallet` started on its own: connects to a running node
 * (`-ipcconnect=unix[:path]|tcp:host:port`, default `unix`), registers with it (the node then
 * asks for this process's loader and routes `/wallet/<name>` RPCs here), and with `-server`
 * also answers wallet RPCs on its own port. It runs until the node goes away, a signal, or
 * `stop` on its own server; then it flushes and closes every wallet.
 *
 * @module
 */
import * as path from "node:path";
import { nodeOptionRegistry } from "../../../cli/args/option_registry.ts";
import { DebugLog } from "../../../cli/debug_log.ts";
import { FileLogOutput } from "../../../cli/log_output.ts";
import { writeStderr } from "../../../cli/console.ts";
import { ShutdownController } from "../../../cli/shutdown.ts";
import {
  applyLogCategories,
  configureDebugLog,
  loadArguments,
  printHelpOrVersion,
  StartupError,
} from "../../../cli/startup.ts";
import { formatParagraph, optionsHelp } from "../../../cli/args/help.ts";
import type { Args } from "../../../cli/args/args.ts";
import { FULL_VERSION, LICENSE_INFO } from "../../../cli/version.ts";
import { parseConnectEndpoint } from "../../../ipc/endpoint.ts";
import { connect, connectAuto } from "../../../ipc/transport/connect.ts";
import { defaultCookiePath } from "../../../ipc/transport/cookie.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import type { RpcServer } from "../../../rpc/mod.ts";
import { INIT } from "../../../schemas/mod.ts";
import { WalletProcessInit } from "./wallet_process_init.ts";
import { startWalletRpcServer } from "./wallet_rpc_server.ts";

/** The wallet directory of a standalone wallet: `-walletdir`, else `<net datadir>/wallets`. */
function walletDirectory(walletDirArg: string, networkDir: string): string {
  if (walletDirArg !== "") {
    const dir = path.resolve(walletDirArg);
    try {
      if (Deno.statSync(dir).isDirectory) return dir;
    } catch { /* reported below */ }
    throw new StartupError(`Specified -walletdir "${walletDirArg}" does not exist`);
  }
  const dir = path.resolve(networkDir, "wallets");
  Deno.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Runs a standalone wallet process.
 * @returns the exit code: 0 after a clean shutdown, 1 on a start-up error
 */
export async function runWallet(argv: readonly string[], programName: string): Promise<number> {
  const log = new DebugLog({ timestamps: true }, new FileLogOutput(undefined));
  const shutdown = new ShutdownController();
  using _signals = shutdown.listenForSignals();
  let output: FileLogOutput | undefined;
  let connection: RpcConnection | undefined;
  let server: RpcServer | undefined;
  let walletInit: WalletProcessInit | undefined;
  try {
    // The node's settings.json is the node's (its `wallet` list names the node's wallets):
    // a wallet started on its own neither reads nor rewrites it.
    const loaded = loadArguments([...argv, "-nosettings"], nodeOptionRegistry(), log, programName);
    const { args } = loaded;
    if (
      printHelpOrVersion(args, { help: () => helpText(args, programName), version: versionText })
    ) {
      return 0;
    }
    const walletDir = walletDirectory(args.getPath("-walletdir"), loaded.networkDir);
    // The wallet's debug.log lives in its directory (the node's is the node's).
    configureDebugLog(log, { ...loaded, networkDir: walletDir }, `${programName}-${Deno.pid}`);
    applyLogCategories(log, args);
    const logPath = args.isNegated("-debuglogfile")
      ? undefined
      : path.resolve(walletDir, args.getPath("-debuglogfile", "debug.log"));
    output = new FileLogOutput(logPath);
    if (!output.open()) throw new StartupError(`Could not open debug log file ${logPath}`);
    log.start(output);
    log.info(`Freicoin version ${FULL_VERSION} (wallet process)`);
    log.info(`Using wallet directory ${walletDir}`);

    const endpoint = parseConnectEndpoint(args.get("-ipcconnect") ?? "unix", {
      datadirNet: loaded.networkDir,
    });
    const stream = endpoint.kind === "auto"
      ? await connectAuto(endpoint)
      : await connect(endpoint, { cookiePath: defaultCookiePath(loaded.networkDir) });
    if (stream === undefined) throw new StartupError("No node is listening for IPC connections");
    walletInit = new WalletProcessInit({ logger: log, settings: args, walletDir });
    connection = new RpcConnection(stream, {
      bootstrap: { binding: INIT, impl: walletInit },
      logger: log,
    });
    connection.onDisconnect((error) => shutdown.request(`node disconnected: ${error.message}`));
    {
      using nodeInit = connection.bootstrap(INIT);
      await nodeInit.registerWallet!(walletInit);
    }
    log.info(`Registered with the node at ${args.get("-ipcconnect") ?? "unix"}`);
    const loader = walletInit.loaders.at(-1);
    if (args.getBool("-server", false)) {
      if (loader === undefined) throw new StartupError("The node did not ask for a wallet loader");
      server = await startWalletRpcServer({
        args,
        walletDir,
        log,
        loader,
        requestShutdown: () => shutdown.request("stop RPC"),
      });
    }
    const reason = await shutdown.requested;
    log.info(`Shutdown requested (${reason})`);
    return 0;
  } catch (error) {
    return reportError(error, log);
  } finally {
    server?.interrupt();
    await walletInit?.parentGone();
    await server?.close();
    connection?.close();
    log.info("Shutdown: done");
    output?.close();
  }
}

function helpText(args: Args, programName: string): string {
  return `Freicoin version ${FULL_VERSION}\n\n` +
    `Usage:  ${programName} -ipcconnect=<address> [-server -rpcport=<port>] [options]\n\n` +
    formatParagraph(
      "Runs wallets in their own process for a running node (started with -ipcbind), which " +
        "routes /wallet/<name> RPCs here; with -server it also answers wallet RPCs on its own " +
        "port, with a cookie in the wallet directory.",
    ) + "\n\n" + optionsHelp(args.registry, args.getBool("-help-debug", false));
}

function versionText(): string {
  return `Freicoin version ${FULL_VERSION}\n${formatParagraph(LICENSE_INFO)}`;
}

function reportError(error: unknown, log: DebugLog): number {
  const message = error instanceof Error ? error.message : String(error);
  writeStderr(`Error: ${message}\n`);
  log.info(`Error: ${message}`);
  return 1;
}
