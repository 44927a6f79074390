/**
 * The `freicoin-cli` role (`freicoin rpc`, `freicoin cli`): freicoin-cli's argument and config
 * handling, then the JSON-RPC client in `cli/rpc_client/`.
 *
 * @module
 */
import * as path from "node:path";
import { Args, ArgsError, type ChainName } from "./args/args.ts";
import { cliOptionRegistry } from "./args/option_registry.ts";
import { formatParagraph, optionsHelp } from "./args/help.ts";
import { ConfigParseError } from "./args/config_file.ts";
import { currentDataDirEnvironment, defaultDataDir, isDirectory } from "./datadir.ts";
import { writeStderr, writeStdout } from "./console.ts";
import { FULL_VERSION, LICENSE_INFO } from "./version.ts";
import { type PostOptions, type PostReply, runRpcClient } from "./rpc_client/mod.ts";

/** A connection that carries freicoin-cli's requests instead of HTTP (`-ipcconnect`). */
export interface CliTransport {
  /** Sends one request and returns the reply. */
  post(request: PostOptions): Promise<PostReply>;
  /** Closes the connection. */
  close(): void;
}

/** What the program entry point plugs into freicoin-cli (code that lives above `cli/`). */
export interface CliHooks {
  /**
   * Opens the `-ipcconnect` connection (`value` as given, `""` meaning `unix`); undefined when
   * `auto` finds no node listening (HTTP is used then).
   */
  openIpcTransport?: (value: string, networkDir: string) => Promise<CliTransport | undefined>;
}

/** The default JSON-RPC port of each network. */
export const DEFAULT_RPC_PORTS: Record<ChainName, number> = {
  main: 8638,
  test: 18638,
  signet: 38638,
  regtest: 28638,
};

const USAGE = "\n" +
  "Usage:  freicoin-cli [options] <command> [params]  Send command to Freicoin\n" +
  "or:     freicoin-cli [options] -named <command> [name=value]...  Send command to Freicoin (with named arguments)\n" +
  "or:     freicoin-cli [options] help                List commands\n" +
  "or:     freicoin-cli [options] help <command>      Get help for a command\n";

const realFileSystem = {
  readTextFile(filePath: string): string | undefined {
    try {
      return Deno.readTextFileSync(filePath);
    } catch {
      return undefined;
    }
  },
  isDirectory,
};

/**
 * Runs freicoin-cli with `argv` (without the program name).
 *
 * @returns the exit code
 */
export async function runCli(argv: readonly string[], hooks: CliHooks = {}): Promise<number> {
  const args = new Args(cliOptionRegistry());
  try {
    args.parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    writeStderr(`Error parsing command line arguments: ${error.message}\n`);
    return 1;
  }
  const helpRequested = args.isSet("-?") || args.isSet("-h") || args.isSet("-help");
  if (argv.length === 0 || helpRequested || args.isSet("-version")) {
    let text = `Freicoin RPC client version ${FULL_VERSION}\n`;
    text += args.isSet("-version")
      ? formatParagraph(LICENSE_INFO)
      : USAGE + "\n" + optionsHelp(args.registry, false);
    writeStdout(text);
    if (argv.length === 0) {
      writeStderr("Error: too few parameters\n");
      return 1;
    }
    return 0;
  }
  const datadir = args.getPath("-datadir");
  if (datadir !== "" && !isDirectory(path.resolve(datadir))) {
    writeStderr(`Error: Specified data directory "${args.get("-datadir")}" does not exist.\n`);
    return 1;
  }
  const fallbackDataDir = defaultDataDir(currentDataDirEnvironment());
  try {
    args.readConfigFiles(
      realFileSystem,
      fallbackDataDir,
      (line) => writeStderr(line + "\n"),
      () => {},
    );
  } catch (error) {
    if (!(error instanceof ArgsError || error instanceof ConfigParseError)) throw error;
    const chainError = error.message.startsWith("Invalid combination") ||
      error.message.startsWith("Unknown chain");
    writeStderr(
      chainError
        ? `Error: ${error.message}\n`
        : `Error reading configuration file: ${error.message}\n`,
    );
    return 1;
  }
  const chain = args.chainName();
  const networkDir = args.dataDirNet(fallbackDataDir);
  let ipc: CliTransport | undefined;
  if (args.isSet("-ipcconnect") && !args.isNegated("-ipcconnect")) {
    if (hooks.openIpcTransport === undefined) {
      writeStderr("error: -ipcconnect is not available here\n");
      return 1;
    }
    try {
      ipc = await hooks.openIpcTransport(args.get("-ipcconnect") || "unix", networkDir);
    } catch (error) {
      writeStderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
  const output = await runRpcClient(args.positional, {
    rpcConnect: args.get("-rpcconnect"),
    rpcPort: args.isSet("-rpcport") ? args.getInt("-rpcport", 0) : undefined,
    defaultPort: DEFAULT_RPC_PORTS[chain],
    rpcUser: args.get("-rpcuser"),
    rpcPassword: args.get("-rpcpassword"),
    cookieFile: path.resolve(networkDir, args.getPath("-rpccookiefile", ".cookie")),
    configFile: args.configPath,
    rpcWallet: args.get("-rpcwallet"),
    named: args.getBool("-named", false),
    stdin: args.getBool("-stdin", false),
    stdinRpcPass: args.getBool("-stdinrpcpass", false),
    stdinWalletPassphrase: args.getBool("-stdinwalletpassphrase", false),
    rpcWait: args.getBool("-rpcwait", false),
    rpcWaitTimeout: args.getInt("-rpcwaittimeout", 0),
    rpcClientTimeout: args.getInt("-rpcclienttimeout", 900),
    getinfo: args.getBool("-getinfo", false),
    netinfo: args.isSet("-netinfo"),
    generate: args.getBool("-generate", false),
    addrinfo: args.getBool("-addrinfo", false),
    color: args.getString("-color", "auto"),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    readStdin: () => new Response(Deno.stdin.readable).text(),
    transport: ipc && ((request) => ipc.post(request)),
  }).finally(() => ipc?.close());
  writeStdout(output.stdout);
  writeStderr(output.stderr);
  return output.exitCode;
}
