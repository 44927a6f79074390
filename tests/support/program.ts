/**
 * Runs the real program (`deno run mod.ts <role> ...`) as a subprocess, for integration tests.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The project's entry point. */
export const MOD_TS = fileURLToPath(new URL("../../mod.ts", import.meta.url));
const DENO_JSON = fileURLToPath(new URL("../../deno.json", import.meta.url));

/** What a finished run printed and returned. */
export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

function command(args: readonly string[], options: { cwd?: string; env?: Record<string, string> }) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--allow-all",
      `--config=${DENO_JSON}`,
      MOD_TS,
      ...args,
    ],
    cwd: options.cwd,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs `mod.ts <args>` to completion. */
export async function runProgram(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<ProgramResult> {
  const output = await command(args, options).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** A running program whose output is collected until it exits. */
export class RunningProgram implements AsyncDisposable {
  readonly #child: Deno.ChildProcess;
  readonly #result: Promise<ProgramResult>;

  constructor(
    args: readonly string[],
    options: { cwd?: string; env?: Record<string, string> } = {},
  ) {
    this.#child = command(args, options).spawn();
    this.#result = this.#child.output().then((output) => {
      const decoder = new TextDecoder();
      return {
        code: output.code,
        stdout: decoder.decode(output.stdout),
        stderr: decoder.decode(output.stderr),
      };
    });
  }

  get pid(): number {
    return this.#child.pid;
  }

  /** Sends a signal (SIGTERM by default). */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    try {
      this.#child.kill(signal);
    } catch {
      // already exited
    }
  }

  /** Waits for exit. */
  finished(): Promise<ProgramResult> {
    return this.#result;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.kill("SIGKILL");
    await this.#result;
  }
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True if the file exists. */
export function fileExists(file: string): boolean {
  try {
    Deno.statSync(file);
    return true;
  } catch {
    return false;
  }
}
