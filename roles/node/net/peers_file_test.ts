import assert from "node:assert/strict";
import { type Logger, type LogMessage, NULL_LOGGER } from "../../../cli/logger.ts";
import { AddrMan } from "./addrman.ts";
import { parseIp } from "./net_address.ts";
import { loadPeersFile, parsePeersFile, savePeersFile, serializePeers } from "./peers_file.ts";

const NOW = 1_795_000_000;

function recordingLogger(lines: string[]): Logger {
  const text = (m: LogMessage) => typeof m === "string" ? m : m();
  return { ...NULL_LOGGER, info: (m) => lines.push(text(m)) };
}

function entry(text: string) {
  return { ...parseIp(text, 8639)!, services: 9n, time: NOW };
}

Deno.test("creates peers.dat when it is missing, then loads what was saved", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const lines: string[] = [];
    const first = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
    loadPeersFile(dir, first, recordingLogger(lines));
    assert.match(lines[0], /^Creating peers\.dat because the file was not found/);
    assert.ok(Deno.statSync(`${dir}/peers.dat`).isFile);
    first.add([entry("1.2.3.4"), entry("5.6.7.8")], entry("9.9.9.9"));
    savePeersFile(dir, first);
    const second = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
    loadPeersFile(dir, second, recordingLogger(lines));
    assert.match(lines[1], /^Loaded 2 addresses from peers\.dat {2}\d+ms$/);
    assert.equal(second.size(), 2);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("logs Loaded 0 addresses for an empty saved address manager", () => {
  const dir = Deno.makeTempDirSync();
  try {
    savePeersFile(dir, new AddrMan({ log: NULL_LOGGER, now: () => NOW }));
    const lines: string[] = [];
    loadPeersFile(dir, new AddrMan({ log: NULL_LOGGER, now: () => NOW }), recordingLogger(lines));
    assert.match(lines[0], /^Loaded 0 addresses from peers\.dat/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("backs up a peers.dat in another format and starts a new one", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeFileSync(`${dir}/peers.dat`, new Uint8Array([0xf9, 0xbe, 0xb4, 0xd9, 3, 0]));
    const lines: string[] = [];
    loadPeersFile(dir, new AddrMan({ log: NULL_LOGGER, now: () => NOW }), recordingLogger(lines));
    assert.match(lines[0], /^Creating new peers\.dat because the file version was not compatible/);
    assert.equal(Deno.readFileSync(`${dir}/peers.dat.bak`)[0], 0xf9);
    assert.ok(parsePeersFile(Deno.readTextFileSync(`${dir}/peers.dat`)));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("rejects malformed entries and survives random edits of a valid file", () => {
  const addrman = new AddrMan({ log: NULL_LOGGER, now: () => NOW });
  addrman.add([entry("1.2.3.4")], entry("9.9.9.9"));
  const text = serializePeers(addrman);
  assert.equal(parsePeersFile(text)?.length, 1);
  assert.equal(parsePeersFile(text.replace('"services":"9"', '"services":"-1"')), undefined);
  assert.equal(parsePeersFile(text.replace('"port":8639', '"port":70000')), undefined);
  assert.equal(parsePeersFile(text.replace(/"ip":"[0-9a-f]+"/, '"ip":"zz"')), undefined);
  assert.equal(parsePeersFile("[]"), undefined);
  for (let i = 0; i < 500; i++) {
    const chars = [...text];
    const at = Math.floor(Math.random() * chars.length);
    chars[at] = String.fromCharCode(32 + Math.floor(Math.random() * 95));
    const parsed = parsePeersFile(chars.join(""));
    assert.ok(parsed === undefined || Array.isArray(parsed));
  }
});
