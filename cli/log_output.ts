/**
 * Destinations for debug log lines: the debug.log file and stdout.
 *
 * @module
 */
import type { LogOutput } from "./debug_log.ts";
import { writeStdout } from "./console.ts";

/** How much of debug.log `-shrinkdebugfile` keeps. */
const RECENT_DEBUG_HISTORY_SIZE = 10_000_000;

/**
 * Writes lines to a file opened for appending, one synchronous write per line so that a
 * crash loses nothing already logged, and to stdout.
 */
export class FileLogOutput implements LogOutput {
  #file: Deno.FsFile | undefined;
  readonly #filePath: string | undefined;

  constructor(filePath: string | undefined) {
    this.#filePath = filePath;
  }

  /**
   * Opens the file (creating it).
   * @returns false if it cannot be opened
   */
  open(): boolean {
    if (this.#filePath === undefined) return true;
    try {
      this.#file = Deno.openSync(this.#filePath, { append: true, create: true });
      return true;
    } catch {
      return false;
    }
  }

  writeFile(bytes: Uint8Array): void {
    if (!this.#file) return;
    let offset = 0;
    while (offset < bytes.length) offset += this.#file.writeSync(bytes.subarray(offset));
  }

  writeConsole(bytes: Uint8Array): void {
    writeStdout(bytes);
  }

  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}

/** Keeps only the last 10 MB of a debug.log that grew past 11 MB, as freicoind does. */
export function shrinkDebugFile(filePath: string): void {
  let size: number;
  try {
    size = Deno.statSync(filePath).size;
  } catch {
    return;
  }
  if (size <= 11 * (RECENT_DEBUG_HISTORY_SIZE / 10)) return;
  const file = Deno.openSync(filePath, { read: true });
  try {
    const tail = new Uint8Array(RECENT_DEBUG_HISTORY_SIZE);
    file.seekSync(-RECENT_DEBUG_HISTORY_SIZE, Deno.SeekMode.End);
    let read = 0;
    while (read < tail.length) {
      const n = file.readSync(tail.subarray(read));
      if (n === null) break;
      read += n;
    }
    Deno.writeFileSync(filePath, tail.subarray(0, read));
  } finally {
    file.close();
  }
}
