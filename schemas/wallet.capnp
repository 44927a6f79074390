# What a wallet process serves the node: its loader (load wallets, list its RPC methods, run
# wallet RPC calls). The TypeScript interface is in chain_interfaces.ts; the binding in
# wallet_bindings.ts. JSON crosses as Text. Ordinals are never reused.
@0xf7b60a2050243f3f;

interface WalletLoader {
  # Loads the wallets named by -wallet and settings.json, as at freicoind start-up.
  loadWalletsAtStartup @0 () -> ();
  # The wallet RPC methods without handlers, as a JSON array (rpc/method.ts RpcMethod shape).
  rpcCatalog @1 () -> (methodsJson :Text);
  # One JSON-RPC request object (JSON text) sent to `uri` ("/" or "/wallet/<name>") by `user`;
  # returns the reply object as JSON text.
  executeRpc @2 (request :Text, uri :Text, user :Text) -> (response :Text);
  setMockTime @3 (seconds :Int64) -> ();
  # Flushes and closes every wallet.
  shutdown @4 () -> ();
}
