# The bootstrap interface every IPC-capable process serves; all other objects are reached from it.
# Ordinals are never reused: add new `make*` methods at the end.
@0xafc6d8b8baa2d691;

using Echo = import "echo.capnp";
using Rpc = import "rpc.capnp";
using Chain = import "chain.capnp";
using Wallet = import "wallet.capnp";

interface Init {
  # Returns a new Echo object, used to check that the connection works.
  makeEcho @0 () -> (result :Echo.Echo);

  # Hands a spawned child its configuration: the parent's command-line arguments (a child is
  # started with `-ipcfd N` and nothing else) and where to send its log lines. Call it once,
  # first; a process that was not spawned (e.g. a node serving -ipcbind) refuses it.
  configure @1 (args :List(Text), log :LogSink) -> ();

  # Returns the process's JSON-RPC dispatcher (see rpc.capnp); processes without one throw.
  makeRpc @2 () -> (result :Rpc.Rpc);

  # Served by a wallet process: makes its wallet loader, which uses `chain` (the node's) for
  # everything it needs to know about the chain. Other processes throw.
  makeWalletLoader @3 (chain :Chain.Chain) -> (result :Wallet.WalletLoader);

  # Served by a node: a wallet process started on its own (`-ipcconnect`) hands over its Init;
  # the node calls `makeWalletLoader` on it and routes wallet RPCs to it while it stays
  # connected. Returns once the wallet's start-up wallets are loaded.
  registerWallet @4 (wallet :Init) -> ();

  # Served by a spawned node child (`freicoin-node -ipcfd N`, spawned by freicoin-gui): runs the
  # full node start-up with `args` (the node's command-line arguments) inside the child and
  # returns once it is running; `makeRpc` then reaches its RPC methods. Call it after
  # `configure`; echo-only children (configured without it) stay as they are.
  startNode @5 (args :List(Text)) -> ();
}

interface LogSink {
  # Appends finished debug.log lines (each ending in a newline) to the receiver's log.
  write @0 (lines :Text) -> ();
}
