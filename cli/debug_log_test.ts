import assert from "node:assert/strict";
import { DebugLog, type DebugLogOptions, formatLogTimestamp, LogConfigError } from "./debug_log.ts";

const decoder = new TextDecoder();

function capture(
  options: DebugLogOptions = {},
): { log: DebugLog; file: string[]; console: string[] } {
  const file: string[] = [];
  const console: string[] = [];
  const log = new DebugLog(options, {
    writeFile: (bytes) => file.push(decoder.decode(bytes)),
    writeConsole: (bytes) => console.push(decoder.decode(bytes)),
  });
  log.useClock(() => 1_795_000_000_123_456n);
  return { log, file, console };
}

Deno.test("timestamps use freicoind's ISO 8601 form, with micros when asked", () => {
  assert.equal(formatLogTimestamp(1_795_000_000_123_456n, false), "2026-11-18T11:06:40Z");
  assert.equal(formatLogTimestamp(1_795_000_000_123_456n, true), "2026-11-18T11:06:40.123456Z");
});

Deno.test("lines are buffered until start, then written line by line to file and console", () => {
  const { log, file, console } = capture({
    filePath: "x",
    printToConsole: true,
    timestamps: false,
  });
  log.info("early");
  assert.deepEqual(file, []);
  log.start();
  log.info("late");
  assert.deepEqual(file, ["\n\n\n\n\n", "early\n", "late\n"]);
  assert.deepEqual(console, ["early\n", "late\n"]);
});

Deno.test("prefixes: category implies debug, no category implies info", () => {
  const { log, file } = capture({ filePath: "x", timestamps: false });
  log.enableCategory("net");
  log.start();
  log.debug("net", "a");
  log.info("b");
  log.warning("c");
  log.error("d", "ipc");
  log.info("e", "net");
  assert.deepEqual(file.slice(1), [
    "[net] a\n",
    "b\n",
    "[warning] c\n",
    "[ipc:error] d\n",
    "[net:info] e\n",
  ]);
});

Deno.test("-loglevelalways prints category and level on every line", () => {
  const { log, file } = capture({
    filePath: "x",
    timestamps: false,
    alwaysPrintCategoryLevel: true,
  });
  log.enableCategory("all");
  log.start();
  log.debug("rpc", "a");
  log.info("b");
  assert.deepEqual(file.slice(1), ["[rpc:debug] a\n", "[all:info] b\n"]);
});

Deno.test("thread name, timestamp and mocktime decorate the line", () => {
  const { log, file } = capture({
    filePath: "x",
    threadName: "freicoin-wallet-4242",
    timeMicros: true,
  });
  log.useMockTime(() => 1_356_123_600n);
  log.start();
  log.info("hello");
  assert.equal(
    file[1],
    "2026-11-18T11:06:40.123456Z (mocktime: 2012-12-21T21:00:00Z) [freicoin-wallet-4242] hello\n",
  );
});

Deno.test("disabled categories never build their message", () => {
  const { log } = capture({ filePath: "x" });
  log.start();
  let built = 0;
  log.debug("ipc", () => {
    built++;
    return "expensive";
  });
  assert.equal(built, 0);
  log.enableCategory("ipc");
  log.debug("ipc", () => {
    built++;
    return "expensive";
  });
  assert.equal(built, 1);
});

Deno.test("-debug, -debugexclude and -loglevel follow freicoind's rules", () => {
  const { log } = capture();
  log.applyCategoryOptions(["1"], ["net"]);
  assert.equal(log.willLog("ipc", "debug"), true);
  assert.equal(log.willLog("net", "debug"), false);
  assert.equal(log.willLog("net", "info"), true);
  assert.equal(log.willLog("ipc", "trace"), false);
  log.applyLevelOptions(["ipc:trace"]);
  assert.equal(log.willLog("ipc", "trace"), true);
  assert.equal(log.willLog("rpc", "trace"), false);
  log.applyLevelOptions(["trace"]);
  assert.equal(log.willLog("rpc", "trace"), true);
});

Deno.test("-debug=0 or none enables nothing, even alongside other categories", () => {
  const { log } = capture();
  log.applyCategoryOptions(["net", "none"], []);
  assert.equal(log.willLog("net", "debug"), false);
});

Deno.test("unsupported categories and levels are errors with freicoind's texts", () => {
  const { log } = capture();
  assert.throws(
    () => log.applyCategoryOptions(["abc"], []),
    new LogConfigError("Unsupported logging category -debug=abc."),
  );
  assert.throws(
    () => log.applyCategoryOptions([], ["abc"]),
    new LogConfigError("Unsupported logging category -debugexclude=abc."),
  );
  assert.throws(
    () => log.applyLevelOptions(["abc"]),
    new LogConfigError(
      "Unsupported global logging level -loglevel=abc. Valid values: info, debug, trace.",
    ),
  );
  assert.throws(
    () => log.applyLevelOptions(["net:abc"]),
    /^LogConfigError: Unsupported category-specific logging level -loglevel=net:abc\. Expected -loglevel=<category>:<loglevel>\. Valid categories: addrman, bench, .*, zmq\. Valid loglevels: info, debug, trace\.$/,
  );
});

Deno.test("control characters are escaped", () => {
  const { log, file } = capture({ filePath: "x", timestamps: false });
  log.start();
  log.info("a\x1bb\x07");
  assert.equal(file[1], "a\\x1bb\\x07\n");
});
