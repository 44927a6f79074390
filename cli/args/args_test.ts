import assert from "node:assert/strict";
import { Args, ArgsError, type ArgsFileSystem } from "./args.ts";
import { nodeOptionRegistry } from "./option_registry.ts";

function parse(argv: string[]): Args {
  const args = new Args(nodeOptionRegistry());
  args.parseCommandLine(argv);
  return args;
}

function memoryFiles(files: Record<string, string>, dirs: string[] = []): ArgsFileSystem {
  return {
    readTextFile: (file) => files[file],
    isDirectory: (dir) => dirs.includes(dir),
  };
}

function withConfig(argv: string[], files: Record<string, string>): Args {
  const args = parse(argv);
  args.readConfigFiles(memoryFiles(files, ["/d"]), "/home/.freicoin", () => {}, () => {});
  return args;
}

Deno.test("a bare option is set to the empty string, which reads as true", () => {
  const args = parse(["-listen"]);
  assert.equal(args.get("-listen"), "");
  assert.equal(args.getBool("-listen", false), true);
});

Deno.test("-nofoo negates and -nofoo=0 means foo=1", () => {
  assert.equal(parse(["-nolisten"]).getBool("-listen", true), false);
  assert.equal(parse(["-nolisten"]).isNegated("-listen"), true);
  assert.equal(parse(["-nolisten=0"]).getBool("-listen", false), true);
});

Deno.test("--name is accepted like -name", () => {
  assert.equal(parse(["--regtest"]).chainName(), "regtest");
});

Deno.test("repeated options keep every value and single reads take the last", () => {
  const args = parse([
    "-debug=net",
    "-debug=ipc",
    "-addnode=a",
    "-addnode=b",
    "-port=1",
    "-port=2",
  ]);
  assert.deepEqual(args.getAll("-debug"), ["net", "ipc"]);
  assert.deepEqual(args.getAll("-addnode"), ["a", "b"]);
  assert.equal(args.getInt("-port", 0), 2);
});

Deno.test("a negation erases the values before it", () => {
  assert.deepEqual(parse(["-debug=net", "-nodebug", "-debug=ipc"]).getAll("-debug"), ["ipc"]);
  assert.deepEqual(parse(["-debug=net", "-nodebug"]).getAll("-debug"), []);
});

Deno.test("rejects an unknown option with freicoind's text", () => {
  assert.throws(() => parse(["-fakearg"]), new ArgsError("Invalid parameter -fakearg"));
  assert.throws(() => parse(["-dash_cli=1"]), new ArgsError("Invalid parameter -dash_cli=1"));
  assert.throws(
    () => parse(["-regtest.port=1"]),
    new ArgsError("Invalid parameter -regtest.port=1"),
  );
});

Deno.test("rejects -includeconf on the command line but accepts -noincludeconf", () => {
  assert.throws(
    () => parse(["-includeconf=a.conf"]),
    new ArgsError('-includeconf cannot be used from commandline; -includeconf="a.conf"'),
  );
  parse(["-noincludeconf"]);
});

Deno.test("rejects negating an option that forbids it and eliding a required value", () => {
  assert.throws(
    () => parse(["-nosignetchallenge"]),
    new ArgsError("Negating of -signetchallenge is meaningless and therefore forbidden"),
  );
  assert.throws(
    () => parse(["-loglevel"]),
    new ArgsError(
      "Can not set -loglevel with no value. Please specify value with -loglevel=value.",
    ),
  );
});

Deno.test("integers are read with atoi leniency", () => {
  assert.equal(parse(["-port=12abc"]).getInt("-port", 0), 12);
  assert.equal(parse(["-port=abc"]).getInt("-port", 7), 0);
  assert.equal(parse([]).getInt("-port", 7), 7);
});

Deno.test("positional tokens stop option parsing", () => {
  const args = parse(["-regtest", "getblock", "-notanoption"]);
  assert.deepEqual(args.positional, ["getblock", "-notanoption"]);
});

Deno.test("chain selection: flags, -chain and the one-at-most rule", () => {
  assert.equal(parse([]).chainName(), "main");
  assert.equal(parse(["-testnet"]).chainName(), "test");
  assert.equal(parse(["-signet"]).chainName(), "signet");
  assert.equal(parse(["-chain=regtest"]).chainName(), "regtest");
  assert.equal(parse(["-regtest", "-noregtest"]).chainName(), "main");
  assert.throws(
    () => parse(["-regtest", "-testnet"]).chainName(),
    new ArgsError(
      "Invalid combination of -regtest, -signet, -testnet and -chain. Can use at most one.",
    ),
  );
  assert.throws(() => parse(["-chain=foo"]).chainName(), new ArgsError("Unknown chain foo."));
});

Deno.test("config: regtest=1 selects the network and its section applies", () => {
  const args = withConfig(["-datadir=/d"], {
    "/d/freicoin.conf": "regtest=1\nport=1\n[regtest]\nport=2\nrpcport=3\n[main]\nrpcport=4\n",
  });
  assert.equal(args.chainName(), "regtest");
  assert.equal(args.network, "regtest");
  assert.equal(args.get("-port"), "2");
  assert.equal(args.get("-rpcport"), "3");
});

Deno.test("config: the command line beats the config, and the first config value wins", () => {
  const args = withConfig(["-datadir=/d", "-rpcport=9"], {
    "/d/freicoin.conf": "rpcport=1\nrpcport=2\ndbcache=10\ndbcache=20\n",
  });
  assert.equal(args.get("-rpcport"), "9");
  assert.equal(args.get("-dbcache"), "10");
});

Deno.test("config: network-only options at top level are not used on a test network", () => {
  const args = withConfig(["-datadir=/d", "-regtest"], {
    "/d/freicoin.conf": "port=5\ndbcache=7\n",
  });
  assert.equal(args.get("-port"), undefined);
  assert.equal(args.get("-dbcache"), "7");
  assert.deepEqual(args.unsuitableSectionOnlyArgs(), ["-port"]);
  const main = withConfig(["-datadir=/d"], { "/d/freicoin.conf": "port=5\n" });
  assert.equal(main.get("-port"), "5");
  assert.deepEqual(main.unsuitableSectionOnlyArgs(), []);
});

Deno.test("config: includeconf reads files relative to the datadir, once", () => {
  const warnings: string[] = [];
  const args = parse(["-datadir=/d"]);
  args.readConfigFiles(
    memoryFiles({
      "/d/freicoin.conf": "includeconf=a.conf\n",
      "/d/a.conf": "dbcache=33\nincludeconf=b.conf\n",
      "/d/b.conf": "dbcache=44\n",
    }, ["/d"]),
    "/home/.freicoin",
    (line) => warnings.push(line),
    () => {},
  );
  assert.equal(args.get("-dbcache"), "33");
  assert.deepEqual(warnings, [
    "warning: -includeconf cannot be used from included files; ignoring -includeconf=b.conf",
  ]);
});

Deno.test("config: a missing included file and a missing -conf are errors", () => {
  assert.throws(
    () => withConfig(["-datadir=/d"], { "/d/freicoin.conf": "includeconf=missing.conf\n" }),
    new ArgsError("Failed to include configuration file missing.conf"),
  );
  assert.throws(
    () => withConfig(["-datadir=/d", "-conf=/x.conf"], {}),
    new ArgsError('specified config file "/x.conf" could not be opened.'),
  );
});

Deno.test("config: conf= inside a config file is refused", () => {
  assert.throws(
    () => withConfig(["-datadir=/d"], { "/d/freicoin.conf": "conf=other.conf\n" }),
    new ArgsError(
      "conf cannot be set in the configuration file; use includeconf= if you want to include additional config files",
    ),
  );
});

Deno.test("config: unknown sections are reported with file and line", () => {
  const args = withConfig(["-datadir=/d"], {
    "/d/freicoin.conf": "foo.bar=1\n[testnot]\n[regtest]\nx.y=1\n",
  });
  assert.deepEqual(args.unrecognizedSections().map((s) => `${s.file}:${s.line} ${s.name}`), [
    "/d/freicoin.conf:1 foo",
    "/d/freicoin.conf:2 testnot",
    "/d/freicoin.conf:4 regtest.x",
  ]);
});

Deno.test("sensitive values are masked in the start-up argument lines", () => {
  const args = parse(["-rpcpassword=secret", "-regtest"]);
  assert.deepEqual(args.describe(), [
    'Command-line arg: regtest=""',
    "Command-line arg: rpcpassword=****",
  ]);
});
