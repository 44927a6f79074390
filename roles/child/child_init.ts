/**
 * What a spawned child serves as its bootstrap `Init`: an Echo maker, and `configure`, by which
 * the parent hands over its settings and its log sink (the child was started with `-ipcfd N`
 * and nothing else).
 *
 * @module
 */
import { Args, ArgsError } from "../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../cli/args/option_registry.ts";
import type { DebugLog } from "../../cli/debug_log.ts";
import { LogConfigError } from "../../cli/debug_log.ts";
import { retain } from "../../ipc/rpc/interface.ts";
import type { Echo, Init, LogSink, Rpc } from "../../schemas/mod.ts";
import { ForwardingLogOutput } from "./forwarding_log_output.ts";

/** An Echo implemented in this process. */
export class LocalEcho implements Echo {
  /** Returns `text` unchanged. */
  echo(text: string): Promise<string> {
    return Promise.resolve(text);
  }
}

/** Raised for a second `configure`, or settings the child cannot apply. */
export class ChildConfigError extends Error {
  override name = "ChildConfigError";
}

/** The child's Init. */
export class ChildInit implements Init {
  readonly #log: DebugLog;
  readonly #threadName: string;
  #output: ForwardingLogOutput | null = null;
  #settings: Args | null = null;

  /**
   * @param log the child's log, buffering its lines until `configure` says where they go
   * @param threadName the `-logthreadnames` prefix, `<process name>-<pid>`
   */
  constructor(log: DebugLog, threadName: string) {
    this.#log = log;
    this.#threadName = threadName;
  }

  /** The settings received from the parent, once configured. */
  get settings(): Args | null {
    return this.#settings;
  }

  /** Returns a new Echo. */
  makeEcho(): Promise<Echo> {
    return Promise.resolve(new LocalEcho());
  }

  /**
   * Applies the parent's settings (logging options for now) and starts forwarding the log to
   * `sink`: the lines logged so far, then every new one.
   */
  configure(args: readonly string[], sink: LogSink | null): Promise<void> {
    if (this.#settings !== null) {
      return Promise.reject(new ChildConfigError("this process is already configured"));
    }
    const settings = new Args(nodeOptionRegistry());
    try {
      settings.parseCommandLine(args);
      if (settings.isSet("-chain")) settings.selectNetwork(settings.getString("-chain", "main"));
      if (settings.isSet("-debug")) this.#log.applyCategoryOptions(settings.getAll("-debug"), []);
      this.#log.applyCategoryOptions([], settings.getAll("-debugexclude"));
      if (settings.isSet("-loglevel")) this.#log.applyLevelOptions(settings.getAll("-loglevel"));
    } catch (error) {
      if (error instanceof ArgsError || error instanceof LogConfigError) {
        return Promise.reject(new ChildConfigError(error.message));
      }
      throw error;
    }
    this.#settings = settings;
    this.#log.configure({
      // Lines go to the parent's debug.log; "file" here means "the forwarded stream".
      filePath: sink === null ? undefined : "<parent>",
      printToConsole: false,
      timestamps: settings.getBool("-logtimestamps", true),
      timeMicros: settings.getBool("-logtimemicros", false),
      threadName: settings.getBool("-logthreadnames", false) ? this.#threadName : undefined,
      sourceLocations: settings.getBool("-logsourcelocations", false),
      alwaysPrintCategoryLevel: settings.getBool("-loglevelalways", false),
    });
    if (sink !== null) this.#output = new ForwardingLogOutput(retain(sink));
    this.#log.start(this.#output ?? { writeFile() {}, writeConsole() {} });
    return Promise.resolve();
  }

  /** A spawned child has no JSON-RPC server. */
  makeRpc(): Promise<Rpc> {
    return Promise.reject(new Error("this process has no JSON-RPC server"));
  }

  /** Waits until forwarded lines have left, then stops forwarding. */
  async close(): Promise<void> {
    await this.#output?.flushed();
    this.#output?.close();
  }
}
