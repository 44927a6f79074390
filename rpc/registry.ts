/**
 * The method table: methods register once with their metadata; requests are executed with
 * freicoind's checks in freicoind's order (warm-up, method lookup, named arguments, argument
 * count, argument types), and `help` is generated from the same metadata.
 *
 * @module
 */
import { isJsonObject, type JsonValue } from "./json.ts";
import { RPC_ERROR, RpcError } from "./errors.ts";
import { methodHelp } from "./help.ts";
import type { RpcArgType, RpcCall, RpcMethod } from "./method.ts";
import { checkArgTypes, isValidArgCount, namedToPositional } from "./params.ts";
import { checkResult } from "./result_check.ts";

/** One parsed JSON-RPC call, ready to execute. */
export interface RpcRequest {
  method: string;
  /** A positional array or a named-params object (`null`/missing was already made `[]`). */
  params: JsonValue;
  id: JsonValue;
  /** The URI path, "/" or "/wallet/<name>". */
  uri: string;
  authUser: string;
  peerAddr: string;
}

/** A method currently running, for `getrpcinfo`. */
export interface ActiveCommand {
  method: string;
  /** When it started, in `performance.now()` milliseconds. */
  startedAt: number;
}

/**
 * Holds the methods of one RPC server and runs calls against them.
 *
 * @example
 * ```ts
 * import { RpcRegistry } from "./registry.ts";
 * const registry = new RpcRegistry(undefined);
 * registry.register({
 *   name: "getanswer", category: "util", description: "Returns 42.", args: [],
 *   results: [{ type: "num" }], examples: "", handler: () => 42,
 * });
 * registry.setWarmupFinished();
 * await registry.execute({ method: "getanswer", params: [], id: 1, uri: "/", authUser: "", peerAddr: "" }); // 42
 * ```
 */
export class RpcRegistry<Context = unknown> {
  readonly #methods = new Map<string, RpcMethod<Context>>();
  readonly #active = new Set<ActiveCommand>();
  #warmup = true;
  #warmupStatus = "RPC server started";

  readonly #docCheck: boolean;
  readonly #shutdownListeners = new Set<() => void>();

  /**
   * Makes an empty table; `context` is handed to every method call. With `docCheck`
   * (freicoind's `-rpcdoccheck`) every result is checked against its documented shape.
   */
  constructor(readonly context: Context, options: { docCheck?: boolean } = {}) {
    this.#docCheck = options.docCheck ?? false;
  }

  /** Adds a method; a name can be registered only once. */
  register(method: RpcMethod<Context>): void {
    if (this.#methods.has(method.name)) {
      throw new Error(`RPC method ${method.name} is already registered`);
    }
    this.#methods.set(method.name, method);
  }

  /**
   * Calls `listener` when a shutdown is requested through {@linkcode notifyShutdown} (the
   * `stop` method); returns a function that removes it. The RPC server uses this to send
   * `Connection: close` from then on, as freicoind does.
   */
  addShutdownListener(listener: () => void): () => void {
    this.#shutdownListeners.add(listener);
    return () => this.#shutdownListeners.delete(listener);
  }

  /** Tells the listeners that a shutdown was requested. */
  notifyShutdown(): void {
    for (const listener of this.#shutdownListeners) listener();
  }

  /** Removes a method; returns whether it was there. */
  unregister(name: string): boolean {
    return this.#methods.delete(name);
  }

  /** The method registered under `name`. */
  get(name: string): RpcMethod<Context> | undefined {
    return this.#methods.get(name);
  }

  /** All method names, sorted. */
  names(): string[] {
    return [...this.#methods.keys()].sort();
  }

  /** Sets the text that calls get with -28 while the server warms up. */
  setWarmupStatus(status: string): void {
    this.#warmupStatus = status;
  }

  /** Ends warm-up: calls run from now on. */
  setWarmupFinished(): void {
    this.#warmup = false;
  }

  /** Whether calls are still refused with -28, and the status text they get. */
  warmupState(): { inWarmup: boolean; status: string } {
    return { inWarmup: this.#warmup, status: this.#warmupStatus };
  }

  /** The methods running right now. */
  activeCommands(): ActiveCommand[] {
    return [...this.#active];
  }

  /**
   * Runs one call and returns its result; throws {@linkcode RpcError} with freicoind's code and
   * message for every failure (other exceptions from a method become -1 with their message).
   */
  async execute(request: RpcRequest): Promise<JsonValue> {
    if (this.#warmup) throw new RpcError(RPC_ERROR.IN_WARMUP, this.#warmupStatus);
    const method = this.#methods.get(request.method);
    if (!method) throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, "Method not found");
    const active: ActiveCommand = { method: request.method, startedAt: performance.now() };
    this.#active.add(active);
    try {
      const params = isJsonObject(request.params)
        ? namedToPositional(request.params, method.args)
        : request.params as JsonValue[];
      if (!isValidArgCount(method.args, params.length)) {
        throw new RpcError(RPC_ERROR.MISC_ERROR, methodHelp(method));
      }
      checkArgTypes(method.args, params);
      // A handler that returns nothing (a bug the types should catch) answers null, never a
      // reply without "result".
      const result = (await method.handler(this.#makeCall(request, method, params))) ?? null;
      if (this.#docCheck) checkResult(method.name, method.results, result);
      return result;
    } catch (error) {
      throw asRpcError(error);
    } finally {
      this.#active.delete(active);
    }
  }

  #makeCall(request: RpcRequest, method: RpcMethod<Context>, params: JsonValue[]) {
    const maybeArg = (i: number) => {
      const value = params[i];
      return value === null ? undefined : value;
    };
    const call: RpcCall<Context> = {
      method: request.method,
      params,
      id: request.id,
      uri: request.uri,
      authUser: request.authUser,
      peerAddr: request.peerAddr,
      context: this.context,
      maybeArg,
      arg: (i) => maybeArg(i) ?? method.args[i]?.default,
    };
    return call;
  }

  /**
   * freicoind's `help` output: the listing by category (hidden ones left out) when `command` is
   * empty, otherwise that method's full help, or "help: unknown command: <command>".
   */
  help(command = ""): string {
    const entries = [...this.#methods.values()]
      .map((m) => ({ key: m.category + m.name, method: m }))
      .sort((a, b) => compareBytes(a.key, b.key));
    let out = "";
    let category = "";
    for (const { method } of entries) {
      if ((command !== "" || method.category === "hidden") && method.name !== command) continue;
      let text = methodHelp(method);
      if (command === "") {
        const newline = text.indexOf("\n");
        if (newline >= 0) text = text.slice(0, newline);
        if (category !== method.category) {
          if (category !== "") out += "\n";
          category = method.category;
          out += `== ${category.charAt(0).toUpperCase()}${category.slice(1)} ==\n`;
        }
      }
      out += text + "\n";
    }
    if (out === "") out = `help: unknown command: ${command}\n`;
    return out.slice(0, -1);
  }

  /**
   * Every argument as `[method, position, name, is-a-string]`, sorted by method: what
   * `help dump_all_command_conversions` returns for checking the client's conversion table.
   */
  argMap(): JsonValue[] {
    const out: JsonValue[] = [];
    for (const name of [...this.#methods.keys()].sort(compareBytes)) {
      const method = this.#methods.get(name)!;
      method.args.forEach((arg, i) => {
        for (const argName of arg.names.split("|")) {
          out.push([name, i, argName, isStringType(arg.type)]);
          if (arg.type !== "obj_named_params") continue;
          for (const inner of arg.inner ?? []) {
            for (const innerName of inner.names.split("|")) {
              out.push([name, i, innerName, isStringType(inner.type)]);
            }
          }
        }
      });
    }
    return out;
  }
}

function isStringType(type: RpcArgType): boolean {
  return type === "str" || type === "str_hex";
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Turns anything a method threw into the error answer freicoind would give. */
export function asRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof Error) return new RpcError(RPC_ERROR.MISC_ERROR, error.message);
  return new RpcError(RPC_ERROR.MISC_ERROR, String(error));
}
