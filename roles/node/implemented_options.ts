/**
 * The options the node acts on today. Every other option freicoind accepts is still accepted,
 * and the node says in debug.log that it has no effect yet, rather than ignoring it silently.
 *
 * @module
 */

/** Options (without their dash) whose effect is implemented. */
export const IMPLEMENTED_NODE_OPTIONS: ReadonlySet<string> = new Set([
  // help and version
  "?",
  "h",
  "help",
  "help-debug",
  "version",
  // datadir, config and chain selection
  "datadir",
  "conf",
  "includeconf",
  "allowignoredconf",
  "settings",
  "chain",
  "regtest",
  "testnet",
  "signet",
  "pid",
  // logging
  "debug",
  "debugexclude",
  "loglevel",
  "loglevelalways",
  "debuglogfile",
  "printtoconsole",
  "logtimestamps",
  "logtimemicros",
  "logthreadnames",
  "logsourcelocations",
  "shrinkdebugfile",
  // chainstate
  "dbcache",
  "blocksdir",
  "reindex",
  "reindex-chainstate",
  "fastprune",
  "maxtipage",
  "testactivationheight",
  "vbparams",
  "bitcoinmode",
  "checkblocks",
  "checklevel",
  "par",
  "assumevalid",
  "loadblock",
  "txindex",
  "blockfilterindex",
  "coinstatsindex",
  // JSON-RPC server
  "server",
  "rpcport",
  "rpcbind",
  "rpcallowip",
  "rpcuser",
  "rpcpassword",
  "rpcauth",
  "rpccookiefile",
  "rpcthreads",
  "rpcworkqueue",
  "rpcservertimeout",
  "rpcwhitelist",
  "rpcwhitelistdefault",
  "logips",
  // IPC (roles/node/ipc)
  "ipcbind",
]);
