import assert from "node:assert/strict";
import { Args } from "../../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../../cli/args/option_registry.ts";
import { type Logger, type LogMessage, NULL_LOGGER } from "../../../cli/logger.ts";
import { selectParams } from "../../../kernel/chain/mod.ts";
import { openTestChain } from "../chain/_test_support.ts";
import { NodeClock } from "../node_clock.ts";
import { NetworkConfigError, startNetwork } from "./network.ts";

/** Starts and stops the P2P service with `argv` (never listening); returns the lines it logged. */
async function startupLines(argv: string[]): Promise<string[]> {
  const dir = Deno.makeTempDirSync();
  const lines: string[] = [];
  const text = (m: LogMessage) => typeof m === "string" ? m : m();
  const log: Logger = { ...NULL_LOGGER, info: (m) => lines.push(text(m)) };
  const chain = await openTestChain(dir);
  try {
    const args = new Args(nodeOptionRegistry());
    args.parseCommandLine(["-regtest", "-listen=0", ...argv]);
    const network = startNetwork({
      args,
      params: selectParams("regtest"),
      chain,
      clock: new NodeClock(),
      log,
      networkDir: dir,
    });
    await network.close();
    return lines;
  } finally {
    await chain.close();
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("-networkactive sets the network switch at start-up and logs it", async () => {
  assert.ok((await startupLines(["-dnsseed=0"])).includes("SetNetworkActive: true"));
  assert.ok(
    (await startupLines(["-dnsseed=0", "-networkactive=0"])).includes("SetNetworkActive: false"),
  );
  assert.ok(
    (await startupLines(["-dnsseed=0", "-nonetworkactive"])).includes("SetNetworkActive: false"),
  );
});

Deno.test("start-up loads peers.dat, reports DNS seeding off and starts the outbound loop", async () => {
  const lines = await startupLines(["-dnsseed=0", "-fixedseeds=0"]);
  assert.ok(lines.some((l) => l.startsWith("Creating peers.dat because the file was not found")));
  for (const expected of ["DNS seeding disabled", "addcon thread start", "opencon thread start"]) {
    assert.ok(lines.includes(expected), expected);
  }
  assert.ok(lines.includes("Fixed seeds are disabled"));
});

Deno.test("-connect ignores -seednode, warns about -dnsseed with -proxy, and disables DNS seeding", async () => {
  const lines = await startupLines(["-connect=fakeaddress1", "-seednode=fakeaddress2"]);
  assert.ok(lines.includes("-seednode is ignored when -connect is used"));
  assert.ok(lines.includes("DNS seeding disabled"));
  const proxied = await startupLines(["-connect=fakeaddress1", "-dnsseed=1", "-proxy=1.2.3.4"]);
  assert.ok(proxied.includes("-dnsseed is ignored when -connect is used and -proxy is specified"));
  const soft = await startupLines(["-connect=fakeaddress1", "-proxy=1.2.3.4"]);
  assert.ok(soft.includes("addcon thread start"));
  assert.ok(!soft.includes("-dnsseed is ignored when -connect is used and -proxy is specified"));
  const off = await startupLines(["-noconnect", "-seednode=fakeaddress2"]);
  assert.ok(!off.includes("-seednode is ignored when -connect is used"));
  assert.ok(!off.includes("opencon thread start"), "-noconnect: no outbound loop");
});

Deno.test("rejects -dnsseed=1 with an -onlynet that excludes IPv4/IPv6, and -forcednsseed without -dnsseed", async () => {
  await assert.rejects(
    startupLines(["-dnsseed=1", "-onlynet=i2p"]),
    (e) =>
      e instanceof NetworkConfigError &&
      e.message ===
        "Incompatible options: -dnsseed=1 was explicitly specified, but -onlynet forbids connections to IPv4/IPv6",
  );
  await assert.rejects(
    startupLines(["-dnsseed=0", "-forcednsseed=1"]),
    /Cannot set -forcednsseed to true when setting -dnsseed to false\./,
  );
});
