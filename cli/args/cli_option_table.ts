// Generated from freicoin-cli v27.1.1's option registry and its `-help` output
// (../shared/vectors/freicoin-cli-help.txt). Facts, not code.

import type { OptionSpec } from "./option_spec.ts";

/** Every option freicoin-cli 27.1 registers. */
export const FREICOIN_CLI_OPTIONS: readonly OptionSpec[] = [
  { name: "-?", category: "OPTIONS", help: "Print this help message and exit" },
  {
    name: "-addrinfo",
    category: "OPTIONS",
    help:
      "Get the number of addresses known to the node, per network and total, after filtering for quality and recency. The total number of addresses known to the node may be higher.",
  },
  {
    name: "-color",
    param: "=<when>",
    category: "OPTIONS",
    disallowNegation: true,
    help:
      "Color setting for CLI output (default: auto). Valid values: always, auto (add color codes when standard output is connected to a terminal and OS is not WIN32), never.",
  },
  {
    name: "-conf",
    param: "=<file>",
    category: "OPTIONS",
    help:
      "Specify configuration file. Relative paths will be prefixed by datadir location. (default: freicoin.conf)",
  },
  { name: "-datadir", param: "=<dir>", category: "OPTIONS", help: "Specify data directory" },
  {
    name: "-generate",
    category: "OPTIONS",
    help:
      "Generate blocks, equivalent to RPC getnewaddress followed by RPC generatetoaddress. Optional positional integer arguments are number of blocks to generate (default: 1) and maximum iterations to try (default: 1000000), equivalent to RPC generatetoaddress nblocks and maxtries arguments. Example: freicoin-cli -generate 4 1000",
  },
  {
    name: "-getinfo",
    category: "OPTIONS",
    help:
      "Get general information from the remote server. Note that unlike server-side RPC calls, the output of -getinfo is the result of multiple non-atomic requests. Some entries in the output may represent results from different states (e.g. wallet balance may be as of a different block from the chain state reported)",
  },
  {
    name: "-named",
    category: "OPTIONS",
    help: "Pass named instead of positional arguments (default: false)",
  },
  {
    name: "-netinfo",
    category: "OPTIONS",
    help:
      'Get network peer connection information from the remote server. An optional integer argument from 0 to 4 can be passed for different peers listings (default: 0). Pass "help" for detailed help documentation.',
  },
  {
    name: "-rpcclienttimeout",
    param: "=<n>",
    category: "OPTIONS",
    help: "Timeout in seconds during HTTP requests, or 0 for no timeout. (default: 900)",
  },
  {
    name: "-rpcconnect",
    param: "=<ip>",
    category: "OPTIONS",
    help: "Send commands to node running on <ip> (default: 127.0.0.1)",
  },
  {
    name: "-rpccookiefile",
    param: "=<loc>",
    category: "OPTIONS",
    help:
      "Location of the auth cookie. Relative paths will be prefixed by a net-specific datadir location. (default: data dir)",
  },
  {
    name: "-rpcpassword",
    param: "=<pw>",
    category: "OPTIONS",
    help: "Password for JSON-RPC connections",
  },
  {
    name: "-rpcport",
    param: "=<port>",
    category: "OPTIONS",
    networkOnly: true,
    help:
      "Connect to JSON-RPC on <port> (default: 8638, testnet: 18638, signet: 38638, regtest: 28638)",
  },
  {
    name: "-rpcuser",
    param: "=<user>",
    category: "OPTIONS",
    help: "Username for JSON-RPC connections",
  },
  { name: "-rpcwait", category: "OPTIONS", help: "Wait for RPC server to start" },
  {
    name: "-rpcwaittimeout",
    param: "=<n>",
    category: "OPTIONS",
    disallowNegation: true,
    help:
      "Timeout in seconds to wait for the RPC server to start, or 0 for no timeout. (default: 0)",
  },
  {
    name: "-rpcwallet",
    param: "=<walletname>",
    category: "OPTIONS",
    help:
      "Send RPC for non-default wallet on RPC server (needs to exactly match corresponding -wallet option passed to freicoind). This changes the RPC endpoint used, e.g. http://127.0.0.1:8638/wallet/<walletname>",
  },
  {
    name: "-stdin",
    category: "OPTIONS",
    help:
      "Read extra arguments from standard input, one per line until EOF/Ctrl-D (recommended for sensitive information such as passphrases). When combined with -stdinrpcpass, the first line from standard input is used for the RPC password.",
  },
  {
    name: "-stdinrpcpass",
    category: "OPTIONS",
    help:
      "Read RPC password from standard input as a single line. When combined with -stdin, the first line from standard input is used for the RPC password. When combined with -stdinwalletpassphrase, -stdinrpcpass consumes the first line, and -stdinwalletpassphrase consumes the second.",
  },
  {
    name: "-stdinwalletpassphrase",
    category: "OPTIONS",
    help:
      "Read wallet passphrase from standard input as a single line. When combined with -stdin, the first line from standard input is used for the wallet passphrase.",
  },
  { name: "-version", category: "OPTIONS", help: "Print version and exit" },
  {
    name: "-chain",
    param: "=<chain>",
    category: "CHAINPARAMS",
    help: "Use the chain <chain> (default: main). Allowed values: main, test, signet, regtest",
  },
  {
    name: "-signet",
    category: "CHAINPARAMS",
    help:
      "Use the signet chain. Equivalent to -chain=signet. Note that the network is defined by the -signetchallenge parameter",
  },
  {
    name: "-signetchallenge",
    category: "CHAINPARAMS",
    disallowNegation: true,
    help:
      "Blocks must satisfy the given script to be considered valid (only for signet networks; defaults to the global default signet test network challenge)",
  },
  {
    name: "-signetseednode",
    category: "CHAINPARAMS",
    disallowNegation: true,
    help:
      "Specify a seed node for the signet network, in the hostname[:port] format, e.g. sig.net:1234 (may be used multiple times to specify multiple seed nodes; defaults to the global default signet test network seed node(s))",
  },
  {
    name: "-testnet",
    category: "CHAINPARAMS",
    help: "Use the test chain. Equivalent to -chain=test.",
  },
  {
    name: "-regtest",
    category: "CHAINPARAMS",
    debugOnly: true,
    help:
      "Enter regression test mode, which uses a special chain in which blocks can be solved instantly. This is intended for regression testing tools and app development. Equivalent to -chain=regtest.",
  },
  {
    name: "-testactivationheight",
    param: "=name@height.",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Set the activation height of 'name' (segwit, bip34, dersig, cltv, csv). (regtest-only)",
  },
  {
    name: "-vbparams",
    param: "=deployment:start:end[:min_activation_height]",
    category: "CHAINPARAMS",
    debugOnly: true,
    help:
      "Use given start/end times and min_activation_height for specified version bits deployment (regtest-only)",
  },
  { name: "-h", category: "HIDDEN", help: "" },
  { name: "-help", category: "HIDDEN", help: "" },
];
