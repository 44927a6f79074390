/**
 * The methods that belong to the RPC server itself: `help`, `stop`, `uptime`, `getrpcinfo`,
 * `logging`, and the hidden test helpers `echo` and `echojson`.
 *
 * @module
 */
import type { JsonValue } from "./json.ts";
import { RPC_ERROR, RpcError } from "./errors.ts";
import { helpExampleCli, helpExampleRpc, type RpcArg, type RpcMethod } from "./method.ts";
import type { RpcRegistry } from "./registry.ts";
import { getArray, getInt, getStr } from "./values.ts";

/** The logger's category switches, as `logging` needs them. */
export interface LoggingControl {
  /** Every category and whether it is being debug-logged, sorted by name. */
  categories(): { category: string; active: boolean }[];
  /** Turns a category (or `all`/`1`) on; false when the name is unknown. */
  enableCategory(name: string): boolean;
  /** Turns a category (or `all`/`1`) off; false when the name is unknown. */
  disableCategory(name: string): boolean;
}

/** What the server methods need from their surroundings. */
export interface ServerMethodsOptions {
  /** Asks the process to shut down (called by `stop` before it answers). */
  shutdown: () => void;
  /** Seconds since the epoch now, mockable (freicoind's `GetTime`). */
  now: () => number;
  /** Seconds since the epoch when the process started. */
  startTime: number;
  /** The debug log's full path, for `getrpcinfo`. */
  logPath: () => string;
  logging: LoggingControl;
}

const STOP_RESULT = "Freicoin stopping";

function helpMethod(registry: RpcRegistry<unknown>): RpcMethod<unknown> {
  return {
    name: "help",
    category: "control",
    description: "\nList all commands, or get help for a specified command.\n",
    args: [{
      names: "command",
      type: "str",
      defaultHint: "all commands",
      description: "The command to get help on",
    }],
    results: [{ type: "str", description: "The help text" }, { type: "any" }],
    examples: "",
    handler: (call) => {
      const command = call.params.length > 0 ? getStr(call.params[0]) : "";
      if (command === "dump_all_command_conversions") return registry.argMap();
      return registry.help(command);
    },
  };
}

function stopMethod(
  registry: RpcRegistry<unknown>,
  options: ServerMethodsOptions,
): RpcMethod<unknown> {
  return {
    name: "stop",
    category: "control",
    description: "\nRequest a graceful shutdown of Freicoin.",
    args: [{
      names: "wait",
      type: "num",
      optional: true,
      hidden: true,
      description: "how long to wait in ms",
    }],
    results: [{ type: "str", description: `A string with the content '${STOP_RESULT}'` }],
    examples: "",
    handler: async (call) => {
      registry.notifyShutdown();
      options.shutdown();
      const wait = call.maybeArg(0);
      if (wait !== undefined && typeof wait !== "string") {
        const ms = getInt(wait);
        if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      }
      return STOP_RESULT;
    },
  };
}

function uptimeMethod(options: ServerMethodsOptions): RpcMethod<unknown> {
  return {
    name: "uptime",
    category: "control",
    description: "\nReturns the total uptime of the server.\n",
    args: [],
    results: [{
      type: "num",
      description: "The number of seconds that the server has been running",
    }],
    examples: helpExampleCli("uptime", "") + helpExampleRpc("uptime", ""),
    handler: () => Math.floor(options.now()) - Math.floor(options.startTime),
  };
}

function getRpcInfoMethod(
  registry: RpcRegistry<unknown>,
  options: ServerMethodsOptions,
): RpcMethod<unknown> {
  return {
    name: "getrpcinfo",
    category: "control",
    description: "\nReturns details of the RPC server.\n",
    args: [],
    results: [{
      type: "obj",
      inner: [
        {
          type: "arr",
          key: "active_commands",
          description: "All active commands",
          inner: [{
            type: "obj",
            description: "Information about an active command",
            inner: [
              { type: "str", key: "method", description: "The name of the RPC command" },
              { type: "num", key: "duration", description: "The running time in microseconds" },
            ],
          }],
        },
        { type: "str", key: "logpath", description: "The complete file path to the debug log" },
      ],
    }],
    examples: helpExampleCli("getrpcinfo", "") + helpExampleRpc("getrpcinfo", ""),
    handler: () => {
      const now = performance.now();
      return {
        active_commands: registry.activeCommands().map((c) => ({
          method: c.method,
          duration: Math.floor((now - c.startedAt) * 1000),
        })),
        logpath: options.logPath(),
      };
    },
  };
}

function loggingMethod(control: LoggingControl): RpcMethod<unknown> {
  const names = control.categories().map((c) => c.category).join(", ");
  const change = (list: JsonValue | undefined, enable: boolean) => {
    for (const item of getArray(list)) {
      const name = getStr(item);
      const ok = enable ? control.enableCategory(name) : control.disableCategory(name);
      if (!ok) throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `unknown logging category ${name}`);
    }
  };
  return {
    name: "logging",
    category: "control",
    description: "Gets and sets the logging configuration.\n" +
      "When called without an argument, returns the list of categories with status that are currently being debug logged or not.\n" +
      "When called with arguments, adds or removes categories from debug logging and return the lists above.\n" +
      'The arguments are evaluated in order "include", "exclude".\n' +
      "If an item is both included and excluded, it will thus end up being excluded.\n" +
      `The valid logging categories are: ${names}\n` +
      "In addition, the following are available as category names with special meanings:\n" +
      '  - "all",  "1" : represent all logging categories.\n' +
      '  - "none", "0" : even if other logging categories are specified, ignore all of them.\n',
    args: [
      {
        names: "include",
        type: "arr",
        optional: true,
        description: "The categories to add to debug logging",
        inner: [{
          names: "include_category",
          type: "str",
          optional: true,
          description: "the valid logging category",
        }],
      },
      {
        names: "exclude",
        type: "arr",
        optional: true,
        description: "The categories to remove from debug logging",
        inner: [{
          names: "exclude_category",
          type: "str",
          optional: true,
          description: "the valid logging category",
        }],
      },
    ],
    results: [{
      type: "obj_dyn",
      description: "keys are the logging categories, and values indicates its status",
      inner: [{
        type: "bool",
        key: "category",
        description: "if being debug logged or not. false:inactive, true:active",
      }],
    }],
    examples: helpExampleCli("logging", '"[\\"all\\"]" "[\\"http\\"]"') +
      helpExampleRpc("logging", '["all"], ["libevent"]'),
    handler: (call) => {
      if (Array.isArray(call.maybeArg(0))) change(call.maybeArg(0), true);
      if (Array.isArray(call.maybeArg(1))) change(call.maybeArg(1), false);
      // A Map keeps the categories in freicoind's (alphabetical) order whatever their names.
      const result = new Map<string, JsonValue>();
      for (const { category, active } of control.categories()) result.set(category, active);
      return result;
    },
  };
}

function echoMethod(name: string): RpcMethod<unknown> {
  const args: RpcArg[] = [];
  for (let i = 0; i < 10; i++) {
    args.push({
      names: `arg${i}`,
      type: "str",
      optional: true,
      skipTypeCheck: true,
      description: "",
    });
  }
  return {
    name,
    category: "hidden",
    description: "\nSimply echo back the input arguments. This command is for testing.\n" +
      "\nIt will return an internal bug report when arg9='trigger_internal_bug' is passed.\n" +
      "\nThe difference between echo and echojson is that echojson has argument conversion enabled in the client-side table in " +
      "freicoin-cli and the GUI. There is no server-side difference.",
    args,
    results: [{ type: "any", description: "Returns whatever was passed in" }],
    examples: "",
    handler: (call) => {
      if (call.params[9] === "trigger_internal_bug") {
        throw new Error(
          'Internal bug detected: request.params[9].get_str() != "trigger_internal_bug"\n' +
            "rpc/server_methods.ts (echo)\n" +
            "Please report this issue here: https://github.com/tradecraftio/tradecraft/issues\n",
        );
      }
      return [...call.params];
    },
  };
}

/**
 * Registers `help`, `stop`, `uptime`, `getrpcinfo` and `logging` (category control) and the
 * hidden `echo` and `echojson` in `registry`.
 */
export function registerServerMethods(
  registry: RpcRegistry<unknown>,
  options: ServerMethodsOptions,
): void {
  registry.register(getRpcInfoMethod(registry, options));
  registry.register(helpMethod(registry));
  registry.register(stopMethod(registry, options));
  registry.register(uptimeMethod(options));
  registry.register(loggingMethod(options.logging));
  registry.register(echoMethod("echo"));
  registry.register(echoMethod("echojson"));
}
