/**
 * Run by connection_test.ts with `--v8-flags=--expose-gc`: capabilities that are never
 * disposed are released once the garbage collector reclaims their proxies. Prints the import
 * and export table sizes before and after.
 *
 * @module
 */
import { RpcConnection } from "./connection.ts";
import { memoryPair } from "./_test_streams.ts";
import { PEER, PeerImpl } from "../../tests/interop/peer_binding.ts";

const [a, b] = memoryPair();
const server = new RpcConnection(b, { bootstrap: { binding: PEER, impl: new PeerImpl() } });
const client = new RpcConnection(a);
const peer = client.bootstrap(PEER);
for (let i = 0; i < 1000; i++) await peer.makeCounter(i); // never disposed
const before = [client.tableSizes().imports, server.tableSizes().exports];
const gc = (globalThis as unknown as { gc: () => void }).gc;
for (let i = 0; i < 5; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 20));
}
const after = [client.tableSizes().imports, server.tableSizes().exports];
// deno-lint-ignore no-console
console.log(JSON.stringify({ before, after }));
client.close();
server.close();
