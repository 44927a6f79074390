/**
 * The datadir lock that keeps two nodes off one data directory.
 *
 * @module
 */
import * as path from "node:path";

/** Why a lock was not taken: the directory is not writable, or someone holds it. */
export type LockFailure = "write" | "lock";

/** A held lock; released by {@linkcode DirectoryLock.release} or when the process exits. */
export class DirectoryLock {
  readonly #file: Deno.FsFile;
  #released = false;

  private constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /**
   * Takes an exclusive, non-blocking lock on `<dir>/.lock` (created if missing).
   *
   * @returns the lock, or why it could not be taken
   */
  static async acquire(dir: string): Promise<DirectoryLock | LockFailure> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path.join(dir, ".lock"), { read: true, write: true, create: true });
    } catch {
      return "write";
    }
    let locked = false;
    try {
      locked = await file.tryLock(true);
    } catch {
      locked = false;
    }
    if (!locked) {
      file.close();
      return "lock";
    }
    return new DirectoryLock(file);
  }

  /** Releases the lock; idempotent. The `.lock` file stays, as with freicoind. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    try {
      this.#file.unlockSync();
    } finally {
      this.#file.close();
    }
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
