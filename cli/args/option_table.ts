// Generated from freicoind v27.1.1's option registry (names, flags, categories) and its
// `-help` output (../shared/vectors/freicoind-help.txt). Facts, not code: edit by hand only to
// add an option freicoind has.

import type { OptionSpec } from "./option_spec.ts";

/** Every option freicoind 27.1 registers, in registration order. */
export const FREICOIND_OPTIONS: readonly OptionSpec[] = [
  { name: "-?", category: "OPTIONS", help: "Print this help message and exit" },
  {
    name: "-help-debug",
    category: "DEBUG_TEST",
    help: "Print help message with debugging options and exit",
  },
  { name: "-version", category: "OPTIONS", help: "Print version and exit" },
  {
    name: "-alertnotify",
    param: "=<cmd>",
    category: "OPTIONS",
    help: "Execute command when an alert is raised (%s in cmd is replaced by message)",
  },
  {
    name: "-assumevalid",
    param: "=<hex>",
    category: "OPTIONS",
    help:
      "If this block is in the chain assume that it and its ancestors are valid and potentially skip their script verification (0 to verify all, default: 0000000003785caa54529380bbf22211bd32b6539485896c61c69d23668f5c1b, testnet: 00000000000017c5d079dfbe901cb7d0fae2a8eafd91be4e98f23481c73921d5, signet: 0000000870f15246ba23c16e370a7ffb1fc8a3dcf8cb4492882ed4b0e3d4cd26)",
  },
  {
    name: "-blocksdir",
    param: "=<dir>",
    category: "OPTIONS",
    help: "Specify directory to hold blocks subdirectory for *.dat files (default: <datadir>)",
  },
  {
    name: "-fastprune",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Use smaller block files and lower minimum prune height for testing purposes",
  },
  {
    name: "-blocknotify",
    param: "=<cmd>",
    category: "OPTIONS",
    help: "Execute command when the best block changes (%s in cmd is replaced by block hash)",
  },
  {
    name: "-blockreconstructionextratxn",
    param: "=<n>",
    category: "OPTIONS",
    help: "Extra transactions to keep in memory for compact block reconstructions (default: 100)",
  },
  {
    name: "-blocksonly",
    category: "OPTIONS",
    help:
      "Whether to reject transactions from network peers. Automatic broadcast and rebroadcast of any transactions from inbound peers is disabled, unless the peer has the 'forcerelay' permission. RPC transactions are not affected. (default: 0)",
  },
  {
    name: "-coinstatsindex",
    category: "OPTIONS",
    help: "Maintain coinstats index used by the gettxoutsetinfo RPC (default: 0)",
  },
  {
    name: "-conf",
    param: "=<file>",
    category: "OPTIONS",
    help:
      "Specify path to read-only configuration file. Relative paths will be prefixed by datadir location (only useable from command line, not configuration file) (default: freicoin.conf)",
  },
  { name: "-datadir", param: "=<dir>", category: "OPTIONS", help: "Specify data directory" },
  {
    name: "-dbbatchsize",
    category: "OPTIONS",
    debugOnly: true,
    help: "Maximum database write batch size in bytes (default: 16777216)",
  },
  {
    name: "-dbcache",
    param: "=<n>",
    category: "OPTIONS",
    help:
      "Maximum database cache size <n> MiB (4 to 16384, default: 450). In addition, unused mempool memory is shared for this cache (see -maxmempool).",
  },
  {
    name: "-includeconf",
    param: "=<file>",
    category: "OPTIONS",
    help:
      "Specify additional configuration file, relative to the -datadir path (only useable from configuration file, not command line)",
  },
  {
    name: "-allowignoredconf",
    category: "OPTIONS",
    help:
      "For backwards compatibility, treat an unused freicoin.conf file in the datadir as a warning, not an error.",
  },
  {
    name: "-loadblock",
    param: "=<file>",
    category: "OPTIONS",
    help: "Imports blocks from external file on startup",
  },
  {
    name: "-maxmempool",
    param: "=<n>",
    category: "OPTIONS",
    help: "Keep the transaction memory pool below <n> megabytes (default: 300)",
  },
  {
    name: "-maxorphantx",
    param: "=<n>",
    category: "OPTIONS",
    help: "Keep at most <n> unconnectable transactions in memory (default: 100)",
  },
  {
    name: "-mempoolexpiry",
    param: "=<n>",
    category: "OPTIONS",
    help: "Do not keep transactions in the mempool longer than <n> hours (default: 336)",
  },
  {
    name: "-minimumchainwork",
    param: "=<hex>",
    category: "OPTIONS",
    debugOnly: true,
    help:
      "Minimum work assumed to exist on a valid chain in hex (default: 0x0000000000000000000000000000000000000000000003dae5d849b84576f6e7, testnet: 0x00000000000000000000000000000000000000000000000000b5f8d7a875bd74, signet: 0x00000000000000000000000000000000000000000000000000000206e86f08e8)",
  },
  {
    name: "-par",
    param: "=<n>",
    category: "OPTIONS",
    help:
      "Set the number of script verification threads (0 = auto, up to 15, <0 = leave that many cores free, default: 0)",
  },
  {
    name: "-persistmempool",
    category: "OPTIONS",
    help: "Whether to save the mempool on shutdown and load on restart (default: 1)",
  },
  {
    name: "-persistmempoolv1",
    category: "OPTIONS",
    help:
      "Whether a mempool.dat file created by -persistmempool or the savemempool RPC will be written in the legacy format (version 1) or the current format (version 2). This temporary option will be removed in the future. (default: 0)",
  },
  {
    name: "-pid",
    param: "=<file>",
    category: "OPTIONS",
    help:
      "Specify pid file. Relative paths will be prefixed by a net-specific datadir location. (default: freicoind.pid)",
  },
  {
    name: "-prune",
    param: "=<n>",
    category: "OPTIONS",
    help:
      "Reduce storage requirements by enabling pruning (deleting) of old blocks. This allows the pruneblockchain RPC to be called to delete specific blocks and enables automatic pruning of old blocks if a target size in MiB is provided. This mode is incompatible with -txindex. Warning: Reverting this setting requires re-downloading the entire blockchain. (default: 0 = disable pruning blocks, 1 = allow manual pruning via RPC, >=550 = automatically prune block files to stay under the specified target size in MiB)",
  },
  {
    name: "-reindex",
    category: "OPTIONS",
    help:
      "If enabled, wipe chain state and block index, and rebuild them from blk*.dat files on disk. Also wipe and rebuild other optional indexes that are active. If an assumeutxo snapshot was loaded, its chainstate will be wiped as well. The snapshot can then be reloaded via RPC.",
  },
  {
    name: "-reindex-chainstate",
    category: "OPTIONS",
    help:
      "If enabled, wipe chain state, and rebuild it from blk*.dat files on disk. If an assumeutxo snapshot was loaded, its chainstate will be wiped as well. The snapshot can then be reloaded via RPC.",
  },
  {
    name: "-settings",
    param: "=<file>",
    category: "OPTIONS",
    help:
      "Specify path to dynamic settings data file. Can be disabled with -nosettings. File is written at runtime and not meant to be edited by users (use freicoin.conf instead for custom settings). Relative paths will be prefixed by datadir location. (default: settings.json)",
  },
  {
    name: "-startupnotify",
    param: "=<cmd>",
    category: "OPTIONS",
    help: "Execute command on startup.",
  },
  {
    name: "-shutdownnotify",
    param: "=<cmd>",
    category: "OPTIONS",
    help:
      "Execute command immediately before beginning shutdown. The need for shutdown may be urgent, so be careful not to delay it long (if the command doesn't require interaction with the server, consider having it fork into the background).",
  },
  {
    name: "-txindex",
    category: "OPTIONS",
    help: "Maintain a full transaction index, used by the getrawtransaction rpc call (default: 0)",
  },
  {
    name: "-blockfilterindex",
    param: "=<type>",
    category: "OPTIONS",
    help:
      "Maintain an index of compact filters by block (default: 0, values: basic). If <type> is not supplied or if <type> = 1, indexes for all known types are enabled.",
  },
  {
    name: "-addnode",
    param: "=<ip>",
    category: "CONNECTION",
    networkOnly: true,
    help:
      "Add a node to connect to and attempt to keep the connection open (see the addnode RPC help for more info). This option can be specified multiple times to add multiple nodes; connections are limited to 8 at a time and are counted separately from the -maxconnections limit.",
  },
  {
    name: "-asmap",
    param: "=<file>",
    category: "CONNECTION",
    help:
      "Specify asn mapping used for bucketing of the peers (default: ip_asn.map). Relative paths will be prefixed by the net-specific datadir location.",
  },
  {
    name: "-bantime",
    param: "=<n>",
    category: "CONNECTION",
    help: "Default duration (in seconds) of manually configured bans (default: 86400)",
  },
  {
    name: "-bind",
    param: "=<addr>[:<port>][=onion]",
    category: "CONNECTION",
    networkOnly: true,
    help:
      "Bind to given address and always listen on it (default: 0.0.0.0). Use [host]:port notation for IPv6. Append =onion to tag any incoming connections to that address and port as incoming Tor connections (default: 127.0.0.1:8640=onion, testnet: 127.0.0.1:18640=onion, signet: 127.0.0.1:38640=onion, regtest: 127.0.0.1:28640=onion)",
  },
  {
    name: "-cjdnsreachable",
    category: "CONNECTION",
    help:
      "If set, then this host is configured for CJDNS (connecting to fc00::/8 addresses would lead us to the CJDNS network, see doc/cjdns.md) (default: 0)",
  },
  {
    name: "-connect",
    param: "=<ip>",
    category: "CONNECTION",
    networkOnly: true,
    help:
      "Connect only to the specified node; -noconnect disables automatic connections (the rules for this peer are the same as for -addnode). This option can be specified multiple times to connect to multiple nodes.",
  },
  {
    name: "-discover",
    category: "CONNECTION",
    help: "Discover own IP addresses (default: 1 when listening and no -externalip or -proxy)",
  },
  {
    name: "-dns",
    category: "CONNECTION",
    help: "Allow DNS lookups for -addnode, -seednode and -connect (default: 1)",
  },
  {
    name: "-dnsseed",
    category: "CONNECTION",
    help:
      "Query for peer addresses via DNS lookup, if low on addresses (default: 1 unless -connect used or -maxconnections=0)",
  },
  {
    name: "-externalip",
    param: "=<ip>",
    category: "CONNECTION",
    help: "Specify your own public address",
  },
  {
    name: "-fixedseeds",
    category: "CONNECTION",
    help: "Allow fixed seeds if DNS seeds don't provide peers (default: 1)",
  },
  {
    name: "-forcednsseed",
    category: "CONNECTION",
    help: "Always query for peer addresses via DNS lookup (default: 0)",
  },
  {
    name: "-listen",
    category: "CONNECTION",
    help:
      "Accept connections from outside (default: 1 if no -proxy, -connect or -maxconnections=0)",
  },
  {
    name: "-listenonion",
    category: "CONNECTION",
    help: "Automatically create Tor onion service (default: 1)",
  },
  {
    name: "-maxconnections",
    param: "=<n>",
    category: "CONNECTION",
    help:
      "Maintain at most <n> automatic connections to peers (default: 125). This limit does not apply to connections manually added via -addnode or the addnode RPC, which have a separate limit of 8.",
  },
  {
    name: "-maxreceivebuffer",
    param: "=<n>",
    category: "CONNECTION",
    help: "Maximum per-connection receive buffer, <n>*1000 bytes (default: 5000)",
  },
  {
    name: "-maxsendbuffer",
    param: "=<n>",
    category: "CONNECTION",
    help: "Maximum per-connection memory usage for the send buffer, <n>*1000 bytes (default: 1000)",
  },
  {
    name: "-maxtimeadjustment",
    category: "CONNECTION",
    help:
      "Maximum allowed median peer time offset adjustment. Local perspective of time may be influenced by outbound peers forward or backward by this amount (default: 4200 seconds).",
  },
  {
    name: "-maxuploadtarget",
    param: "=<n>",
    category: "CONNECTION",
    help:
      "Tries to keep outbound traffic under the given target per 24h. Limit does not apply to peers with 'download' permission or blocks created within past week. 0 = no limit (default: 0M). Optional suffix units [k|K|m|M|g|G|t|T] (default: M). Lowercase is 1000 base while uppercase is 1024 base",
  },
  {
    name: "-onion",
    param: "=<ip:port>",
    category: "CONNECTION",
    help:
      "Use separate SOCKS5 proxy to reach peers via Tor onion services, set -noonion to disable (default: -proxy)",
  },
  {
    name: "-i2psam",
    param: "=<ip:port>",
    category: "CONNECTION",
    help: "I2P SAM proxy to reach I2P peers and accept I2P connections (default: none)",
  },
  {
    name: "-i2pacceptincoming",
    category: "CONNECTION",
    help:
      "Whether to accept inbound I2P connections (default: 1). Ignored if -i2psam is not set. Listening for inbound I2P connections is done through the SAM proxy, not by binding to a local address and port.",
  },
  {
    name: "-onlynet",
    param: "=<net>",
    category: "CONNECTION",
    help:
      "Make automatic outbound connections only to network <net> (ipv4, ipv6, onion, i2p, cjdns). Inbound and manual connections are not affected by this option. It can be specified multiple times to allow multiple networks.",
  },
  { name: "-v2transport", category: "CONNECTION", help: "Support v2 transport (default: 1)" },
  {
    name: "-peerbloomfilters",
    category: "CONNECTION",
    help: "Support filtering of blocks and transaction with bloom filters (default: 0)",
  },
  {
    name: "-peerblockfilters",
    category: "CONNECTION",
    help: "Serve compact block filters to peers per BIP 157 (default: 0)",
  },
  {
    name: "-txreconciliation",
    category: "CONNECTION",
    debugOnly: true,
    help: "Enable transaction reconciliations per BIP 330 (default: 0)",
  },
  {
    name: "-port",
    param: "=<port>",
    category: "CONNECTION",
    networkOnly: true,
    help:
      "Listen for connections on <port>. Nodes not using the default ports (default: 8639, testnet: 18639, signet: 38639, regtest: 28639) are unlikely to get incoming connections. Not relevant for I2P (see doc/i2p.md).",
  },
  {
    name: "-proxy",
    param: "=<ip:port>",
    category: "CONNECTION",
    disallowElision: true,
    help: "Connect through SOCKS5 proxy, set -noproxy to disable (default: disabled)",
  },
  {
    name: "-proxyrandomize",
    category: "CONNECTION",
    help:
      "Randomize credentials for every proxy connection. This enables Tor stream isolation (default: 1)",
  },
  {
    name: "-seednode",
    param: "=<ip>",
    category: "CONNECTION",
    help:
      "Connect to a node to retrieve peer addresses, and disconnect. This option can be specified multiple times to connect to multiple nodes.",
  },
  {
    name: "-networkactive",
    category: "CONNECTION",
    help:
      "Enable all P2P network activity (default: 1). Can be changed by the setnetworkactive RPC command",
  },
  {
    name: "-timeout",
    param: "=<n>",
    category: "CONNECTION",
    help:
      "Specify socket connection timeout in milliseconds. If an initial attempt to connect is unsuccessful after this amount of time, drop it (minimum: 1, default: 5000)",
  },
  {
    name: "-peertimeout",
    param: "=<n>",
    category: "CONNECTION",
    debugOnly: true,
    help:
      "Specify a p2p connection timeout delay in seconds. After connecting to a peer, wait this amount of time before considering disconnection based on inactivity (minimum: 1, default: 60)",
  },
  {
    name: "-torcontrol",
    param: "=<ip>:<port>",
    category: "CONNECTION",
    help:
      "Tor control host and port to use if onion listening enabled (default: 127.0.0.1:9051). If no port is specified, the default port of 9051 will be used.",
  },
  {
    name: "-torpassword",
    param: "=<pass>",
    category: "CONNECTION",
    sensitive: true,
    help: "Tor control port password (default: empty)",
  },
  {
    name: "-whitebind",
    param: "=<[permissions@]addr>",
    category: "CONNECTION",
    help:
      "Bind to the given address and add permission flags to the peers connecting to it. Use [host]:port notation for IPv6. Allowed permissions: bloomfilter (allow requesting BIP37 filtered blocks and transactions), noban (do not ban for misbehavior; implies download), forcerelay (relay transactions that are already in the mempool; implies relay), relay (relay even in -blocksonly mode, and unlimited transaction announcements), mempool (allow requesting BIP35 mempool contents), download (allow getheaders during IBD, no disconnect after maxuploadtarget limit), addr (responses to GETADDR avoid hitting the cache and contain random records with the most up-to-date info). Specify multiple permissions separated by commas (default: download,noban,mempool,relay). Can be specified multiple times.",
  },
  {
    name: "-whitelist",
    param: "=<[permissions@]IP address or network>",
    category: "CONNECTION",
    help:
      "Add permission flags to the peers connecting from the given IP address (e.g. 1.2.3.4) or CIDR-notated network (e.g. 1.2.3.0/24). Uses the same permissions as -whitebind. Can be specified multiple times.",
  },
  {
    name: "-zmqpubhashblock",
    param: "=<address>",
    category: "ZMQ",
    help: "Enable publish hash block in <address>",
  },
  {
    name: "-zmqpubhashtx",
    param: "=<address>",
    category: "ZMQ",
    help: "Enable publish hash transaction in <address>",
  },
  {
    name: "-zmqpubrawblock",
    param: "=<address>",
    category: "ZMQ",
    help: "Enable publish raw block in <address>",
  },
  {
    name: "-zmqpubrawtx",
    param: "=<address>",
    category: "ZMQ",
    help: "Enable publish raw transaction in <address>",
  },
  {
    name: "-zmqpubsequence",
    param: "=<address>",
    category: "ZMQ",
    help: "Enable publish hash block and tx sequence in <address>",
  },
  {
    name: "-zmqpubhashblockhwm",
    param: "=<n>",
    category: "ZMQ",
    help: "Set publish hash block outbound message high water mark (default: 1000)",
  },
  {
    name: "-zmqpubhashtxhwm",
    param: "=<n>",
    category: "ZMQ",
    help: "Set publish hash transaction outbound message high water mark (default: 1000)",
  },
  {
    name: "-zmqpubrawblockhwm",
    param: "=<n>",
    category: "ZMQ",
    help: "Set publish raw block outbound message high water mark (default: 1000)",
  },
  {
    name: "-zmqpubrawtxhwm",
    param: "=<n>",
    category: "ZMQ",
    help: "Set publish raw transaction outbound message high water mark (default: 1000)",
  },
  {
    name: "-zmqpubsequencehwm",
    param: "=<n>",
    category: "ZMQ",
    help: "Set publish hash sequence message high water mark (default: 1000)",
  },
  {
    name: "-checkblocks",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "How many blocks to check at startup (default: 6, 0 = all)",
  },
  {
    name: "-checklevel",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "How thorough the block verification of -checkblocks is: level 0 reads the blocks from disk, level 1 verifies block validity, level 2 verifies undo data, level 3 checks disconnection of tip blocks, level 4 tries to reconnect the blocks, each level includes the checks of the previous levels (0-4, default: 3)",
  },
  {
    name: "-checkblockindex",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Do a consistency check for the block tree, chainstate, and other validation data structures occasionally. (default: 0, regtest: 1)",
  },
  {
    name: "-checkaddrman",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Run addrman consistency checks every <n> operations. Use 0 to disable. (default: 0)",
  },
  {
    name: "-checkmempool",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Run mempool consistency checks every <n> transactions. Use 0 to disable. (default: 0, regtest: 1)",
  },
  {
    name: "-checkpoints",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Enable rejection of any forks from the known historical chain until block 413280 (default: 1)",
  },
  {
    name: "-deprecatedrpc",
    param: "=<method>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Allows deprecated RPC method(s) to be used",
  },
  {
    name: "-bitcoinmode",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Enable bitcoin unit test compatibility mode, where certain Freicoin-specific consensus rules are ignored (-regtest only; default: 0)",
  },
  {
    name: "-stopafterblockimport",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Stop running after importing blocks from disk (default: 0)",
  },
  {
    name: "-stopatheight",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Stop running after reaching the given height in the main chain (default: 0)",
  },
  {
    name: "-limitancestorcount",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Do not accept transactions if number of in-mempool ancestors is <n> or more (default: 25)",
  },
  {
    name: "-limitancestorsize",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Do not accept transactions whose size with all in-mempool ancestors exceeds <n> kilobytes (default: 101)",
  },
  {
    name: "-limitdescendantcount",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Do not accept transactions if any ancestor would have <n> or more in-mempool descendants (default: 25)",
  },
  {
    name: "-limitdescendantsize",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Do not accept transactions if any ancestor would have more than <n> kilobytes of in-mempool descendants (default: 101).",
  },
  {
    name: "-addrmantest",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Allows to test address relay on localhost",
  },
  {
    name: "-capturemessages",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Capture all P2P messages to disk",
  },
  {
    name: "-mocktime",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Replace actual time with  (default: 0)",
  },
  {
    name: "-maxsigcachesize",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Limit sum of signature cache and script execution cache sizes to <n> MiB (default: 32)",
  },
  {
    name: "-maxtipage",
    param: "=<n>",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Maximum tip age in seconds to consider node in initial block download (default: 1209600)",
  },
  {
    name: "-printpriority",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Log transaction fee rate in /kvB when mining blocks (default: 0)",
  },
  {
    name: "-uacomment",
    param: "=<cmt>",
    category: "DEBUG_TEST",
    help: "Append comment to the user agent string",
  },
  {
    name: "-acceptnonstdtxn",
    category: "NODE_RELAY",
    debugOnly: true,
    help: 'Relay and mine "non-standard" transactions (test networks only; default: 0)',
  },
  {
    name: "-incrementalrelayfee",
    param: "=<amt>",
    category: "NODE_RELAY",
    debugOnly: true,
    help:
      "Fee rate (in FRC/kvB) used to define cost of relay, used for mempool limiting and replacement policy. (default: 0.00001)",
  },
  {
    name: "-dustrelayfee",
    param: "=<amt>",
    category: "NODE_RELAY",
    debugOnly: true,
    help:
      "Fee rate (in FRC/kvB) used to define dust, the value of an output such that it will cost more than its value in fees at this fee rate to spend it. (default: 0.00003)",
  },
  {
    name: "-acceptstalefeeestimates",
    category: "DEBUG_TEST",
    debugOnly: true,
    help:
      "Read fee estimates even if they are stale (regtest only; default: 0) fee estimates are considered stale if they are 60 hours old",
  },
  {
    name: "-bytespersigop",
    category: "NODE_RELAY",
    help: "Equivalent bytes per sigop in transactions for relay and mining (default: 20)",
  },
  {
    name: "-datacarrier",
    category: "NODE_RELAY",
    help: "Relay and mine data carrier transactions (default: 0)",
  },
  {
    name: "-datacarriersize",
    category: "NODE_RELAY",
    help:
      "Relay and mine transactions whose data-carrying raw scriptPubKey is of this size or less (default: 51)",
  },
  {
    name: "-mempoolfullrbf",
    category: "NODE_RELAY",
    help:
      "Accept transaction replace-by-fee without requiring replaceability signaling (default: 1)",
  },
  {
    name: "-permitbaremultisig",
    category: "NODE_RELAY",
    help: "Relay non-P2SH multisig (default: 1)",
  },
  {
    name: "-minrelaytxfee",
    param: "=<amt>",
    category: "NODE_RELAY",
    help:
      "Fees (in FRC/kvB) smaller than this are considered zero fee for relaying, mining and transaction creation (default: 0.00001)",
  },
  {
    name: "-whitelistforcerelay",
    category: "NODE_RELAY",
    help:
      "Add 'forcerelay' permission to whitelisted inbound peers with default permissions. This will relay transactions even if the transactions were already in the mempool. (default: 0)",
  },
  {
    name: "-whitelistrelay",
    category: "NODE_RELAY",
    help:
      "Add 'relay' permission to whitelisted inbound peers with default permissions. This will accept relayed transactions even when not relaying transactions (default: 1)",
  },
  {
    name: "-blockmaxweight",
    param: "=<n>",
    category: "BLOCK_CREATION",
    help: "Set maximum BIP141 block weight (default: 3996000)",
  },
  {
    name: "-blockmintxfee",
    param: "=<amt>",
    category: "BLOCK_CREATION",
    help:
      "Set lowest fee rate (in FRC/kvB) for transactions to be included in block creation. (default: 0.00001)",
  },
  {
    name: "-blockversion",
    param: "=<n>",
    category: "BLOCK_CREATION",
    debugOnly: true,
    help: "Override block version to test forking scenarios",
  },
  { name: "-rest", category: "RPC", help: "Accept public REST requests (default: 0)" },
  {
    name: "-rpcallowip",
    param: "=<ip>",
    category: "RPC",
    help:
      "Allow JSON-RPC connections from specified source. Valid values for <ip> are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0), a network/CIDR (e.g. 1.2.3.4/24), all ipv4 (0.0.0.0/0), or all ipv6 (::/0). This option can be specified multiple times",
  },
  {
    name: "-rpcauth",
    param: "=<userpw>",
    category: "RPC",
    sensitive: true,
    help:
      "Username and HMAC-SHA-256 hashed password for JSON-RPC connections. The field <userpw> comes in the format: <USERNAME>:<SALT>$<HASH>. A canonical python script is included in share/rpcauth. The client then connects normally using the rpcuser=<USERNAME>/rpcpassword=<PASSWORD> pair of arguments. This option can be specified multiple times",
  },
  {
    name: "-rpcbind",
    param: "=<addr>[:port]",
    category: "RPC",
    networkOnly: true,
    help:
      "Bind to given address to listen for JSON-RPC connections. Do not expose the RPC server to untrusted networks such as the public internet! This option is ignored unless -rpcallowip is also passed. Port is optional and overrides -rpcport. Use [host]:port notation for IPv6. This option can be specified multiple times (default: 127.0.0.1 and ::1 i.e., localhost)",
  },
  {
    name: "-rpcdoccheck",
    category: "RPC",
    debugOnly: true,
    help:
      "Throw a non-fatal error at runtime if the documentation for an RPC is incorrect (default: 0)",
  },
  {
    name: "-rpccookiefile",
    param: "=<loc>",
    category: "RPC",
    help:
      "Location of the auth cookie. Relative paths will be prefixed by a net-specific datadir location. (default: data dir)",
  },
  {
    name: "-rpcpassword",
    param: "=<pw>",
    category: "RPC",
    sensitive: true,
    help: "Password for JSON-RPC connections",
  },
  {
    name: "-rpcport",
    param: "=<port>",
    category: "RPC",
    networkOnly: true,
    help:
      "Listen for JSON-RPC connections on <port> (default: 8638, testnet: 18638, signet: 38638, regtest: 28638)",
  },
  {
    name: "-rpcservertimeout",
    param: "=<n>",
    category: "RPC",
    debugOnly: true,
    help: "Timeout during HTTP requests (default: 30)",
  },
  {
    name: "-rpcthreads",
    param: "=<n>",
    category: "RPC",
    help: "Set the number of threads to service RPC calls (default: 4)",
  },
  {
    name: "-rpcuser",
    param: "=<user>",
    category: "RPC",
    sensitive: true,
    help: "Username for JSON-RPC connections",
  },
  {
    name: "-rpcwhitelist",
    param: "=<whitelist>",
    category: "RPC",
    help:
      "Set a whitelist to filter incoming RPC calls for a specific user. The field <whitelist> comes in the format: <USERNAME>:<rpc 1>,<rpc 2>,...,<rpc n>. If multiple whitelists are set for a given user, they are set-intersected. See -rpcwhitelistdefault documentation for information on default whitelist behavior.",
  },
  {
    name: "-rpcwhitelistdefault",
    category: "RPC",
    help:
      "Sets default behavior for rpc whitelisting. Unless rpcwhitelistdefault is set to 0, if any -rpcwhitelist is set, the rpc server acts as if all rpc users are subject to empty-unless-otherwise-specified whitelists. If rpcwhitelistdefault is set to 1 and no -rpcwhitelist is set, rpc server acts as if all rpc users are subject to empty whitelists.",
  },
  {
    name: "-rpcworkqueue",
    param: "=<n>",
    category: "RPC",
    debugOnly: true,
    help: "Set the depth of the work queue to service RPC calls (default: 16)",
  },
  { name: "-server", category: "RPC", help: "Accept command line and JSON-RPC commands" },
  { name: "-stratum", category: "STRATUM", help: "Enable stratum server (default: off)" },
  {
    name: "-stratumbind",
    param: "=<addr>",
    category: "STRATUM",
    networkOnly: true,
    help:
      "Bind to given address to listen for Stratum work requests. Use [host]:port notation for IPv6. This option can be specified multiple times (default: bind to all interfaces)",
  },
  {
    name: "-stratumport",
    param: "=<port>",
    category: "STRATUM",
    networkOnly: true,
    help: "Listen for Stratum work requests on <port> (default: 9638 or testnet: 19638)",
  },
  {
    name: "-stratumallowip",
    param: "=<ip>",
    category: "STRATUM",
    help:
      "Allow Stratum work requests from specified source. Valid for <ip> are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0) or a network/CIDR (e.g. 1.2.3.4/24). This option can be specified multiple times",
  },
  {
    name: "-defaultminingaddress",
    param: "=<addr>",
    category: "STRATUM",
    help:
      "Set the default mining address for the stratum server, used if the miner authenticates with a blank username. (Conflicts with -stratumwallet option)",
  },
  {
    name: "-miningmindiff",
    param: "=<n>",
    category: "STRATUM",
    help: "Set the minimum difficulty for stratum clients (default: 1000)",
  },
  {
    name: "-daemon",
    category: "OPTIONS",
    help: "Run in the background as a daemon and accept commands (default: 0)",
  },
  {
    name: "-daemonwait",
    category: "OPTIONS",
    help:
      "Wait for initialization to be finished before exiting. This implies -daemon (default: 0)",
  },
  {
    name: "-debuglogfile",
    param: "=<file>",
    category: "OPTIONS",
    help:
      "Specify location of debug log file (default: debug.log). Relative paths will be prefixed by a net-specific datadir location. Pass -nodebuglogfile to disable writing the log to a file.",
  },
  {
    name: "-debug",
    param: "=<category>",
    category: "DEBUG_TEST",
    help:
      "Output debug and trace logging (default: -nodebug, supplying <category> is optional). If <category> is not supplied or if <category> = 1, output all debug and trace logging. <category> can be: addrman, bench, blockstorage, cmpctblock, coindb, estimatefee, http, i2p, ipc, leveldb, libevent, mempool, mempoolrej, net, proxy, prune, qt, rand, reindex, rpc, scan, selectcoins, stratum, tor, txpackages, txreconciliation, util, validation, walletdb, zmq. This option can be specified multiple times to output multiple categories.",
  },
  {
    name: "-debugexclude",
    param: "=<category>",
    category: "DEBUG_TEST",
    help:
      "Exclude debug and trace logging for a category. Can be used in conjunction with -debug=1 to output debug and trace logging for all categories except the specified category. This option can be specified multiple times to exclude multiple categories.",
  },
  {
    name: "-logips",
    category: "DEBUG_TEST",
    help: "Include IP addresses in debug output (default: 0)",
  },
  {
    name: "-loglevel",
    param: "=<level>|<category>:<level>",
    category: "DEBUG_TEST",
    disallowNegation: true,
    disallowElision: true,
    debugOnly: true,
    help:
      "Set the global or per-category severity level for logging categories enabled with the -debug configuration option or the logging RPC. Possible values are info, debug, trace (default=debug). The following levels are always logged: error, warning, info. If <category>:<level> is supplied, the setting will override the global one and may be specified multiple times to set multiple category-specific levels. <category> can be: addrman, bench, blockstorage, cmpctblock, coindb, estimatefee, http, i2p, ipc, leveldb, libevent, mempool, mempoolrej, net, proxy, prune, qt, rand, reindex, rpc, scan, selectcoins, stratum, tor, txpackages, txreconciliation, util, validation, walletdb, zmq.",
  },
  {
    name: "-logtimestamps",
    category: "DEBUG_TEST",
    help: "Prepend debug output with timestamp (default: 1)",
  },
  {
    name: "-logthreadnames",
    category: "DEBUG_TEST",
    help:
      "Prepend debug output with name of the originating thread (only available on platforms supporting thread_local) (default: 0)",
  },
  {
    name: "-logsourcelocations",
    category: "DEBUG_TEST",
    help:
      "Prepend debug output with name of the originating source location (source file, line number and function name) (default: 0)",
  },
  {
    name: "-logtimemicros",
    category: "DEBUG_TEST",
    debugOnly: true,
    help: "Add microsecond precision to debug timestamps (default: 0)",
  },
  {
    name: "-loglevelalways",
    category: "DEBUG_TEST",
    help: "Always prepend a category and level (default: 0)",
  },
  {
    name: "-printtoconsole",
    category: "DEBUG_TEST",
    help:
      "Send trace/debug info to console (default: 1 when no -daemon. To disable logging to file, set -nodebuglogfile)",
  },
  {
    name: "-shrinkdebugfile",
    category: "DEBUG_TEST",
    help: "Shrink debug.log file on client startup (default: 1 when no -debug)",
  },
  {
    name: "-chain",
    param: "=<chain>",
    category: "CHAINPARAMS",
    help: "Use the chain <chain> (default: main). Allowed values: main, test, signet, regtest",
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
    name: "-testnet",
    category: "CHAINPARAMS",
    help: "Use the test chain. Equivalent to -chain=test.",
  },
  {
    name: "-vbparams",
    param: "=deployment:start:end[:min_activation_height]",
    category: "CHAINPARAMS",
    debugOnly: true,
    help:
      "Use given start/end times and min_activation_height for specified version bits deployment (regtest-only)",
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
    name: "-addresstype",
    category: "WALLET",
    help: 'What type of addresses to use ("legacy" or "bech32", default: "bech32")',
  },
  {
    name: "-avoidpartialspends",
    category: "WALLET",
    help:
      'Group outputs by address, selecting many (possibly all) or none, instead of selecting on a per-output basis. Privacy is improved as addresses are mostly swept with fewer transactions and outputs are aggregated in clean change addresses. It may result in higher fees due to less optimal coin selection caused by this added limitation and possibly a larger-than-necessary number of inputs being used. Always enabled for wallets with "avoid_reuse" enabled, otherwise default: 0.',
  },
  {
    name: "-changetype",
    category: "WALLET",
    help:
      'What type of change to use ("legacy" or "bech32"). Default is "legacy" when -addresstype=legacy, else it is an implementation detail.',
  },
  {
    name: "-consolidatefeerate",
    param: "=<amt>",
    category: "WALLET",
    help:
      "The maximum feerate (in FRC/kvB) at which transaction building may use more inputs than strictly necessary so that the wallet's UTXO pool can be reduced (default: 0.0001).",
  },
  {
    name: "-disablewallet",
    category: "WALLET",
    help: "Do not load the wallet and disable wallet RPC calls",
  },
  {
    name: "-discardfee",
    param: "=<amt>",
    category: "WALLET",
    help:
      "The fee rate (in FRC/kvB) that indicates your tolerance for discarding change by adding it to the fee (default: 0.0001). Note: An output is discarded if it is dust at this rate, but we will always discard up to the dust relay fee and a discard fee above that is limited by the fee estimate for the longest target",
  },
  {
    name: "-fallbackfee",
    param: "=<amt>",
    category: "WALLET",
    help:
      "A fee rate (in FRC/kvB) that will be used when fee estimation has insufficient data. 0 to entirely disable the fallbackfee feature. (default: 0.00)",
  },
  {
    name: "-keypool",
    param: "=<n>",
    category: "WALLET",
    help:
      "Set key pool size to <n> (default: 1000). Warning: Smaller sizes may increase the risk of losing funds when restoring from an old backup, if none of the addresses in the original keypool have been used.",
  },
  {
    name: "-maxapsfee",
    param: "=<n>",
    category: "WALLET",
    help:
      "Spend up to this amount in additional (absolute) fees (in FRC) if it allows the use of partial spend avoidance (default: 0.00)",
  },
  {
    name: "-maxtxfee",
    param: "=<amt>",
    category: "DEBUG_TEST",
    help:
      "Maximum total fees (in FRC) to use in a single wallet transaction; setting this too low may abort large transactions (default: 0.10)",
  },
  {
    name: "-mintxfee",
    param: "=<amt>",
    category: "WALLET",
    help:
      "Fee rates (in FRC/kvB) smaller than this are considered zero fee for transaction creation (default: 0.00001)",
  },
  {
    name: "-paytxfee",
    param: "=<amt>",
    category: "WALLET",
    help: "Fee rate (in FRC/kvB) to add to transactions you send (default: 0.00)",
  },
  {
    name: "-signer",
    param: "=<cmd>",
    category: "WALLET",
    help: "External signing tool, see doc/external-signer.md",
  },
  {
    name: "-spendzeroconfchange",
    category: "WALLET",
    help: "Spend unconfirmed change when sending transactions (default: 1)",
  },
  {
    name: "-txconfirmtarget",
    param: "=<n>",
    category: "WALLET",
    help:
      "If paytxfee is not set, include enough fee so transactions begin confirmation on average within n blocks (default: 6)",
  },
  {
    name: "-wallet",
    param: "=<path>",
    category: "WALLET",
    networkOnly: true,
    help:
      "Specify wallet path to load at startup. Can be used multiple times to load multiple wallets. Path is to a directory containing wallet data and log files. If the path is not absolute, it is interpreted relative to <walletdir>. This only loads existing wallets and does not create new ones. For backwards compatibility this also accepts names of existing top-level data files in <walletdir>.",
  },
  {
    name: "-walletbroadcast",
    category: "WALLET",
    help: "Make the wallet broadcast transactions (default: 1)",
  },
  {
    name: "-walletdir",
    param: "=<dir>",
    category: "WALLET",
    networkOnly: true,
    help:
      "Specify directory to hold wallets (default: <datadir>/wallets if it exists, otherwise <datadir>)",
  },
  {
    name: "-walletnotify",
    param: "=<cmd>",
    category: "WALLET",
    help:
      "Execute command when a wallet transaction changes. %s in cmd is replaced by TxID, %w is replaced by wallet name, %b is replaced by the hash of the block including the transaction (set to 'unconfirmed' if the transaction is not included) and %h is replaced by the block height (-1 if not included). %w is not currently implemented on windows. On systems where %w is supported, it should NOT be quoted because this would break shell escaping used to invoke the command.",
  },
  {
    name: "-walletrbf",
    category: "WALLET",
    help: "Send transactions with full-RBF opt-in enabled (RPC only, default: 1)",
  },
  {
    name: "-dblogsize",
    param: "=<n>",
    category: "WALLET_DEBUG_TEST",
    debugOnly: true,
    help:
      "Flush wallet database activity from memory to disk log every <n> megabytes (default: 100)",
  },
  {
    name: "-flushwallet",
    category: "WALLET_DEBUG_TEST",
    debugOnly: true,
    help: "Run a thread to flush wallet periodically (default: 1)",
  },
  {
    name: "-privdb",
    category: "WALLET_DEBUG_TEST",
    debugOnly: true,
    help: "Sets the DB_PRIVATE flag in the wallet db environment (default: 1)",
  },
  {
    name: "-unsafesqlitesync",
    category: "WALLET_DEBUG_TEST",
    debugOnly: true,
    help:
      "Set SQLite synchronous=OFF to disable waiting for the database to sync to disk. This is unsafe and can cause data loss and corruption. This option is only used by tests to improve their performance (default: false)",
  },
  {
    name: "-walletrejectlongchains",
    category: "WALLET_DEBUG_TEST",
    debugOnly: true,
    help: "Wallet will not create transactions that violate mempool chain limits (default: 0)",
  },
  {
    name: "-walletcrosschain",
    category: "WALLET_DEBUG_TEST",
    debugOnly: true,
    help: "Allow reusing wallet files across chains (default: 0)",
  },
  {
    name: "-stratumwallet",
    param: "=<wallet>",
    category: "STRATUM",
    help:
      "Specify wallet to use for stratum mining when the user authenticates with default credentials (default: first wallet; conflicts with -defaultminingaddress option)",
  },
];
