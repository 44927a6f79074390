import assert from "node:assert/strict";
import { type Logger, type LogMessage, NULL_LOGGER } from "../../../cli/logger.ts";
import { sha256d } from "../../../kernel/hash/mod.ts";
import { selectParams } from "../../../kernel/chain/mod.ts";
import { type AddrInfo, AddrMan, type AddrManSnapshot } from "./addrman.ts";
import { formatIp, formatService, parseIp } from "./net_address.ts";
import {
  decodePeersFile,
  encodePeersFile,
  loadPeersFile,
  PeersFileError,
  PeersFileVersionError,
  savePeersFile,
} from "./peers_file.ts";

const NOW = 1_795_000_000;
const MAGIC = selectParams("regtest").messageStart;
const SIGNET_MAGIC = selectParams("signet").messageStart;

function recordingLogger(lines: string[]): Logger {
  const text = (m: LogMessage) => typeof m === "string" ? m : m();
  return { ...NULL_LOGGER, info: (m) => lines.push(text(m)) };
}

function entry(text: string) {
  return { ...parseIp(text, 8639)!, services: 9n, time: NOW };
}

function addrman(): AddrMan {
  return new AddrMan({ log: NULL_LOGGER, now: () => NOW });
}

/** A file as the reference framework's serialize_addrman builds it (no entries). */
function mockFile(
  options: { compat?: number; key?: number; nNew?: number; nTried?: number; magic?: Uint8Array } =
    {},
): Uint8Array {
  const parts: number[] = [...(options.magic ?? MAGIC), 1, 32 + (options.compat ?? 4)];
  const key = new Uint8Array(32);
  key[0] = options.key ?? 1;
  parts.push(...key);
  const i32 = (v: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v, true);
    parts.push(...b);
  };
  i32(options.nNew ?? 0);
  i32(options.nTried ?? 0);
  i32(1024 ^ (1 << 30));
  for (let i = 0; i < 1024; i++) i32(0);
  const body = new Uint8Array(parts);
  return new Uint8Array([...body, ...sha256d(body)]);
}

/** What peers.dat keeps of a snapshot (no last-try time, source without port). */
function comparable(snapshot: AddrManSnapshot) {
  const info = (i: AddrInfo) => ({
    service: formatService(i),
    services: i.services,
    time: i.time,
    source: formatIp(i.source),
    lastSuccess: i.lastSuccess,
    attempts: i.attempts,
  });
  return {
    key: snapshot.key,
    newEntries: snapshot.newEntries.map(info),
    triedEntries: snapshot.triedEntries.map(info),
    newBuckets: snapshot.newBuckets,
  };
}

function withDir(fn: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync();
  try {
    fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

function loadError(bytes: Uint8Array): string {
  let message = "";
  withDir((dir) => {
    Deno.writeFileSync(`${dir}/peers.dat`, bytes);
    try {
      loadPeersFile(dir, addrman(), { log: NULL_LOGGER, magic: MAGIC });
    } catch (error) {
      assert.ok(error instanceof PeersFileError);
      message = error.message;
    }
  });
  return message;
}

Deno.test("creates peers.dat when it is missing, then loads what was saved", () => {
  withDir((dir) => {
    const lines: string[] = [];
    const first = addrman();
    loadPeersFile(dir, first, { log: recordingLogger(lines), magic: MAGIC });
    assert.match(lines[0], /^Creating peers\.dat because the file was not found/);
    first.add([entry("1.2.3.4"), entry("5.6.7.8")], entry("9.9.9.9"));
    first.good(parseIp("5.6.7.8", 8639)!, NOW);
    savePeersFile(dir, first, { log: NULL_LOGGER, magic: MAGIC });
    const second = addrman();
    loadPeersFile(dir, second, { log: recordingLogger(lines), magic: MAGIC });
    assert.match(lines[1], /^Loaded 2 addresses from peers\.dat {2}\d+ms$/);
    assert.equal(second.size(undefined, "new"), 1);
    assert.equal(second.size(undefined, "tried"), 1);
    // Same key, same places: the tables come back exactly.
    assert.deepEqual(comparable(second.snapshot()), comparable(first.snapshot()));
  });
});

Deno.test("writes freicoind's layout: magic, format 4, compat 36, 2^30-marked bucket count", () => {
  const bytes = encodePeersFile(addrman().snapshot(), MAGIC);
  assert.deepEqual([...bytes.subarray(0, 4)], [...MAGIC]);
  assert.equal(bytes[4], 4);
  assert.equal(bytes[5], 36);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  assert.equal(view.getInt32(4 + 2 + 32 + 8, true), 1024 ^ (1 << 30));
  // header + 1024 empty buckets + asmap checksum + checksum
  assert.equal(bytes.length, 4 + 2 + 32 + 12 + 1024 * 4 + 32 + 32);
  const body = bytes.subarray(0, bytes.length - 32);
  assert.deepEqual(bytes.subarray(bytes.length - 32), sha256d(body));
});

Deno.test("loads the reference framework's mock file with 0 addresses", () => {
  withDir((dir) => {
    Deno.writeFileSync(`${dir}/peers.dat`, mockFile());
    const lines: string[] = [];
    const loaded = addrman();
    loadPeersFile(dir, loaded, { log: recordingLogger(lines), magic: MAGIC });
    assert.match(lines[0], /^Loaded 0 addresses from peers\.dat/);
    assert.equal(loaded.size(), 0);
  });
});

Deno.test("rejects corrupt files with freicoind's reasons", async (t) => {
  const cases: [string, Uint8Array, RegExp][] = [
    [
      "compat below 32",
      mockFile({ compat: -32 }),
      /\(Corrupted addrman database: The compat value \(0\) is lower than the expected minimum value 32\.: iostream error\)/,
    ],
    ["truncated", mockFile().subarray(0, mockFile().length - 1), /\(AutoFile::read: end of file/],
    ["other network", mockFile({ magic: SIGNET_MAGIC }), /\(Invalid network magic number\)/],
    [
      "bad checksum",
      new Uint8Array([...mockFile().subarray(0, -32), ...new Uint8Array(32).fill(0x61)]),
      /\(Checksum mismatch, data corrupted\)/,
    ],
    ["nTried -1", mockFile({ nTried: -1 }), /nTried=-1, should be in \[0, 16384\]/],
    ["nTried too large", mockFile({ nTried: 16385 }), /nTried=16385, should be in \[0, 16384\]/],
    ["nNew -1", mockFile({ nNew: -1 }), /nNew=-1, should be in \[0, 65536\]/],
    ["nNew too large", mockFile({ nNew: 65537 }), /nNew=65537, should be in \[0, 65536\]/],
    ["null key", mockFile({ key: 0 }), /Consistency check failed with code -16: iostream error/],
  ];
  for (const [name, bytes, reason] of cases) {
    await t.step(name, () => {
      const message = loadError(bytes);
      assert.match(message, /^Invalid or corrupt peers\.dat \(/);
      assert.match(message, reason);
      assert.match(message, /to have a new one created on the next start\.$/);
    });
  }
});

Deno.test("backs up a file of a newer format, or our earlier JSON, and starts a new one", () => {
  for (const bytes of [mockFile({ compat: 111 }), new TextEncoder().encode('{"format":1}')]) {
    withDir((dir) => {
      Deno.writeFileSync(`${dir}/peers.dat`, bytes);
      const lines: string[] = [];
      loadPeersFile(dir, addrman(), { log: recordingLogger(lines), magic: MAGIC });
      assert.match(
        lines[0],
        /^Creating new peers\.dat because the file version was not compatible \(".*peers\.dat"\)\. Original backed up to peers\.dat\.bak$/,
      );
      assert.deepEqual(Deno.readFileSync(`${dir}/peers.dat.bak`), bytes);
      assert.equal(decodePeersFile(Deno.readFileSync(`${dir}/peers.dat`), MAGIC).checksum, "ok");
    });
  }
});

Deno.test("survives random corruption and truncation of a valid file (bounded fuzz)", () => {
  const source = addrman();
  for (let i = 1; i <= 20; i++) source.add([entry(`10.${i}.3.4`)], entry(`20.${i}.9.9`));
  const valid = encodePeersFile(source.snapshot(), MAGIC);
  for (let round = 0; round < 300; round++) {
    let bytes = valid.slice();
    if (round % 3 === 0) bytes = bytes.subarray(0, Math.floor(Math.random() * bytes.length));
    for (let flips = 0; flips < 1 + (round % 4); flips++) {
      bytes[Math.floor(Math.random() * bytes.length)] = Math.floor(Math.random() * 256);
    }
    try {
      decodePeersFile(bytes, MAGIC);
    } catch (error) {
      assert.ok(error instanceof PeersFileError || error instanceof PeersFileVersionError);
    }
  }
});
