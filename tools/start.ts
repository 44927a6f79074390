/**
 * `deno task start`: a regtest node on a datadir inside this checkout (`.regtest/`), with the
 * log on the console.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../mod.ts";

const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = path.join(PROJECT_DIR, ".regtest");
Deno.mkdirSync(dataDir, { recursive: true });

const banner = [
  `Starting a regtest node (freicoin node -regtest) with its data in ${dataDir}`,
  `  debug log:  ${path.join(dataDir, "regtest", "debug.log")}`,
  `  JSON-RPC:   http://127.0.0.1:28638/ (cookie auth: ${
    path.join(dataDir, "regtest", ".cookie")
  })`,
  `  P2P:        port 28639 on all interfaces (-bind= to change)`,
  `  talk to it: deno run -A mod.ts rpc -regtest -datadir=${dataDir} <method> [params]`,
  `  stop it:    Ctrl-C`,
  "",
].join("\n");
await Deno.stdout.write(new TextEncoder().encode(banner));
Deno.exit(
  await main("freicoin", [
    "node",
    "-regtest",
    `-datadir=${dataDir}`,
    "-printtoconsole",
    ...Deno.args,
  ]),
);
