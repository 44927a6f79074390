# The Rpc interface: JSON-RPC requests carried over IPC instead of HTTP (`freicoin rpc
# -ipcconnect=...`), in the spirit of Bitcoin Core's `bitcoin-cli -ipcconnect` (#32297).
@0xf70f526e3970c371;

interface Rpc {
  # Runs a JSON-RPC request (one request object, or a batch array, as JSON text) through the
  # node's method registry, as if it had been POSTed to `uri` ("/" or "/wallet/<name>") by
  # `user`, and returns the JSON reply text the HTTP server would have sent as its body.
  executeRpc @0 (request :Text, uri :Text, user :Text) -> (response :Text);
}
