/**
 * Start-up and shutdown of the node role (`freicoind`, `freicoin-node`).
 *
 * @module
 */
import * as path from "node:path";
import { nodeOptionRegistry } from "../../cli/args/option_registry.ts";
import type { Args } from "../../cli/args/args.ts";
import { formatParagraph, optionsHelp } from "../../cli/args/help.ts";
import { DebugLog } from "../../cli/debug_log.ts";
import { FileLogOutput, shrinkDebugFile } from "../../cli/log_output.ts";
import { writeStderr } from "../../cli/console.ts";
import { ShutdownController } from "../../cli/shutdown.ts";
import { FULL_VERSION, LICENSE_INFO } from "../../cli/version.ts";
import {
  applyLogCategories,
  configureDebugLog,
  initWarning,
  loadArguments,
  type LoadedArguments,
  lockDataDirectory,
  logStartupPaths,
  PidFile,
  printHelpOrVersion,
  StartupError,
} from "../../cli/startup.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import type { RpcRegistry } from "../../rpc/mod.ts";
import { IMPLEMENTED_NODE_OPTIONS } from "./implemented_options.ts";
import { Node } from "./node.ts";
import { type NodeIpc, ParentLogSink, startNodeIpc } from "./ipc/mod.ts";
import { type LocalWalletLoaderFactory, mempoolAccess, WalletBridge } from "./wallet_bridge/mod.ts";
import { type NodeNotifyCommands, startNodeNotifyCommands } from "./notify_commands.ts";

/** Which program is running the node. */
export interface NodeProgram {
  /** `freicoind` (node and wallet in one process) or `freicoin-node` (multiprocess). */
  name: "freicoind" | "freicoin-node";
  /** `freicoind`: makes the in-process wallet's loader (the entry point passes the wallet's). */
  localWalletLoader?: LocalWalletLoaderFactory;
  /**
   * A node spawned as a child (roles/child/node_child.ts): its parent stops it through this
   * controller, so SIGINT/SIGTERM are not listened for here.
   */
  shutdown?: ShutdownController;
  /** Called once the node runs, with its RPC registry (the spawned child serves it over IPC). */
  onStarted?: (registry: RpcRegistry<unknown> | undefined) => void;
}

/**
 * Runs the node until it is asked to stop.
 *
 * @returns the process exit code: 0 after a clean shutdown or help/version, 1 on a start-up error
 */
export async function runNode(argv: readonly string[], program: NodeProgram): Promise<number> {
  const log = new DebugLog({ timestamps: true }, new FileLogOutput(undefined));
  const registry = nodeOptionRegistry();
  let loaded: LoadedArguments;
  try {
    loaded = loadArguments(argv, registry, log, program.name);
  } catch (error) {
    return reportStartupError(error, log);
  }
  const { args } = loaded;
  if (printHelpOrVersion(args, { help: () => helpText(args, program), version: versionText })) {
    return 0;
  }
  const shutdown = program.shutdown ?? new ShutdownController();
  using _signals = program.shutdown ? undefined : shutdown.listenForSignals();
  let pidFile: PidFile | undefined;
  let output: FileLogOutput | undefined;
  let node: Node | undefined;
  let nodeIpc: NodeIpc | undefined;
  let wallets: WalletBridge | undefined;
  let notifyCommands: NodeNotifyCommands | undefined;
  try {
    args.softSet("-server", "1");
    configureDebugLog(log, loaded, `${program.name}-${Deno.pid}`);
    log.info(`Freicoin version ${FULL_VERSION} (release build)`);
    checkParameters(log, loaded);
    using _lock = await lockDataDirectory(loaded.networkDir);
    pidFile = new PidFile(args, loaded.networkDir);
    pidFile.create();
    output = startLogging(log, loaded);
    logStartupPaths(log, loaded);
    logUnimplementedOptions(log, args);
    const logOutput = output;
    node = await Node.start({
      args,
      networkDir: loaded.networkDir,
      log,
      shutdown,
      // The wallet (roles/node/wallet_bridge): in-process for freicoind, a child otherwise.
      startServices: async (started) => {
        notifyCommands = startNodeNotifyCommands(args, started.context.chain, log);
        started.registry?.setWarmupStatus("Loading wallet…");
        const pool = started.context.mempoolService;
        const mempool = pool === undefined ? undefined : mempoolAccess({
          mempool: pool.mempool,
          view: pool.view,
          now: () => started.context.clock.now(),
          estimateSmartFee: (blocks, conservative) => pool.estimateSmartFee(blocks, conservative),
        });
        wallets = await WalletBridge.start({
          mempool: () => mempool,
          program: program.name,
          args,
          networkDir: loaded.networkDir,
          logger: log,
          chain: started.context.chain,
          now: () => started.context.clock.now(),
          mockTime: () => started.context.clock.mockTime,
          registry: started.registry as RpcRegistry<unknown> | undefined,
          localWalletLoader: localLoaderWithSecp(
            program.localWalletLoader,
            started.context.secp256k1,
          ),
          logSink: new ParentLogSink(logOutput, {
            file: !args.isNegated("-debuglogfile"),
            console: args.getBool("-printtoconsole", !args.getBool("-daemon", false)),
          }),
        });
        const bridge = wallets;
        started.context.validationQueues.push(() => bridge.syncWithValidationQueue());
      },
    });
    // IPC (roles/node/ipc): echoipc and the -ipcbind listeners.
    nodeIpc = await startNodeIpc({
      program: program.name,
      args,
      networkDir: loaded.networkDir,
      logger: log,
      output,
      registry: node.registry as RpcRegistry<unknown> | undefined,
      registerWallet: (wallet) =>
        wallets?.registerWallet(wallet, "a wallet process connected over IPC") ??
          Promise.reject(new Error("the node's wallet side is not running")),
    });
    log.info(`${program.name} started; waiting for a shutdown request`);
    notifyCommands?.startupNotify();
    program.onStarted?.(node.registry as RpcRegistry<unknown> | undefined);
    const reason = await shutdown.requested;
    log.info(`Shutdown requested (${reason})`);
    await notifyCommands?.shutdownNotify();
    log.info("Shutdown: In progress...");
    await nodeIpc.close();
    await wallets?.close();
    await node.stop();
    pidFile.remove(log);
    log.info("Shutdown: done");
    return 0;
  } catch (error) {
    return reportStartupError(error, log);
  } finally {
    notifyCommands?.close();
    await nodeIpc?.close();
    await wallets?.close();
    await node?.stop();
    pidFile?.remove(log);
    output?.close();
  }
}

function helpText(args: Args, program: NodeProgram): string {
  return `Freicoin version ${FULL_VERSION}\n\n` +
    `Usage:  ${program.name} [options]                     Start Freicoin\n\n` +
    optionsHelp(args.registry, args.getBool("-help-debug", false));
}

function versionText(): string {
  return `Freicoin version ${FULL_VERSION}\n${formatParagraph(LICENSE_INFO)}`;
}

/** freicoind's `AppInitParameterInteraction` checks that this node already acts on. */
function checkParameters(log: DebugLog, loaded: LoadedArguments): void {
  const { args, chain } = loaded;
  const errors = args.unsuitableSectionOnlyArgs().map((name) =>
    `Config setting for ${name} only applied on ${chain} network when in [${chain}] section.\n`
  );
  if (errors.length > 0) throw new StartupError(errors.join("").trimEnd());
  const warnings = args.unrecognizedSections().map((section) =>
    `${section.file}:${section.line} Section [${section.name}] is not recognized.`
  );
  if (warnings.length > 0) initWarning(log, warnings.join("\n"));
  const blocksDir = args.getPath("-blocksdir");
  if (blocksDir !== "" && !isDirectory(path.resolve(blocksDir))) {
    throw new StartupError(
      `Specified blocks directory "${args.get("-blocksdir")}" does not exist.`,
    );
  }
  if (args.getBool("-bitcoinmode", false) && chain !== "regtest") {
    throw new StartupError("Bitcoin unit test compatibility mode only allowed on regtest.");
  }
  applyLogCategories(log, args);
  if (args.getInt("-peertimeout", 60) <= 0) {
    throw new StartupError("peertimeout must be a positive integer.");
  }
}

function isDirectory(dir: string): boolean {
  try {
    return Deno.statSync(dir).isDirectory;
  } catch {
    return false;
  }
}

function startLogging(log: DebugLog, loaded: LoadedArguments): FileLogOutput {
  const { args } = loaded;
  const filePath = args.isNegated("-debuglogfile")
    ? undefined
    : path.resolve(loaded.networkDir, args.getPath("-debuglogfile", "debug.log"));
  if (filePath !== undefined && args.getBool("-shrinkdebugfile", !log.anyCategoryEnabled)) {
    shrinkDebugFile(filePath);
  }
  const output = new FileLogOutput(filePath);
  if (!output.open()) throw new StartupError(`Could not open debug log file ${filePath}`);
  log.start(output);
  return output;
}

/**
 * The in-process wallet signs with the node's secp256k1 backend (native libsecp256k1 when it
 * loaded); only a wallet in its own sandboxed process, without FFI, needs the pure one.
 */
function localLoaderWithSecp(
  factory: LocalWalletLoaderFactory | undefined,
  secp: Secp256k1,
): LocalWalletLoaderFactory | undefined {
  if (factory === undefined) return undefined;
  return (options) => factory({ ...options, secp });
}

function logUnimplementedOptions(log: DebugLog, args: Args): void {
  const given = new Set<string>([...args.settings.commandLine.keys()]);
  for (const section of [args.network, ""]) {
    for (const name of args.settings.config.get(section)?.keys() ?? []) given.add(name);
  }
  for (const name of [...given].sort()) {
    if (!IMPLEMENTED_NODE_OPTIONS.has(name)) {
      log.info(`Option -${name} is accepted but not implemented yet; it has no effect`);
    }
  }
}

/** Start-up errors get freicoind's text; anything else is a fatal internal error, detailed in debug.log. */
function reportStartupError(error: unknown, log: DebugLog): number {
  if (error instanceof StartupError) {
    writeStderr(`${error.caption}${error.message}\n`);
    log.info(`${error.caption}${error.message}`);
    return 1;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log.error(`Fatal internal error: ${detail}`);
  writeStderr("Error: A fatal internal error occurred, see debug.log for details\n");
  return 1;
}
