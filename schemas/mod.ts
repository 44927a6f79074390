/**
 * Our Cap'n Proto interfaces as TypeScript: one interface and one binding per schema interface.
 *
 * `schemas/*.capnp` is the source of truth; `schemas/gen/` is generated from it by
 * `deno task schemas`. Implement the interface to serve it; get a proxy for a remote one from
 * a connection (`conn.bootstrap(INIT)`) or from a call's result. Both are used the same way.
 *
 * @module
 */
import type { Struct } from "capnp-es";
import {
  type CallOptions,
  defineInterface,
  type InterfaceBinding,
  type MethodBinding,
} from "../ipc/rpc/interface.ts";
import { Echo$Client, Echo_Echo$Params, Echo_Echo$Results } from "./gen/echo.ts";
import {
  Init$Client,
  Init_Configure$Params,
  Init_Configure$Results,
  Init_MakeEcho$Params,
  Init_MakeEcho$Results,
  Init_MakeRpc$Params,
  Init_MakeRpc$Results,
  Init_StartNode$Params,
  Init_StartNode$Results,
  LogSink$Client,
  LogSink_Write$Params,
  LogSink_Write$Results,
} from "./gen/init.ts";
import { Rpc$Client, Rpc_ExecuteRpc$Params, Rpc_ExecuteRpc$Results } from "./gen/rpc.ts";
import { type WalletInit, walletInitMethods } from "./wallet_bindings.ts";
export * from "./wallet_bindings.ts";
export type * from "./chain_interfaces.ts";

/** Echo (echo.capnp): a round-trip check of a connection. */
export interface Echo {
  /** Returns `echo` unchanged. */
  echo(echo: string, options?: CallOptions): Promise<string>;
}

/** Rpc (rpc.capnp): JSON-RPC requests carried over IPC. */
export interface Rpc {
  /**
   * Runs a JSON-RPC request (object or batch, as JSON text) sent to `uri` by `user`; resolves
   * to the JSON reply text.
   */
  executeRpc(request: string, uri: string, user: string, options?: CallOptions): Promise<string>;
}

/** LogSink (init.capnp): where a spawned child sends its finished debug.log lines. */
export interface LogSink {
  /** Appends `lines` (each ending in a newline) to the receiver's log. */
  write(lines: string, options?: CallOptions): Promise<void>;
}

/**
 * Init (init.capnp): the bootstrap interface every IPC-capable process serves. The wallet
 * methods (`makeWalletLoader`, `registerWallet`) exist only where they make sense.
 */
export interface Init extends Partial<WalletInit> {
  /** Returns a new Echo object. */
  makeEcho(options?: CallOptions): Promise<Echo>;
  /** A spawned child's configuration: the parent's arguments and its log sink. */
  configure(args: readonly string[], log: LogSink | null, options?: CallOptions): Promise<void>;
  /** Returns the process's JSON-RPC dispatcher. */
  makeRpc(options?: CallOptions): Promise<Rpc>;
  /** A spawned node child (freicoin-gui's): runs the node start-up with `args`. */
  startNode?(args: readonly string[], options?: CallOptions): Promise<void>;
}

/** The binding for {@linkcode Echo}. */
export const ECHO: InterfaceBinding<Echo> = defineInterface<Echo>({
  name: "Echo",
  id: Echo$Client.interfaceId,
  methods: [{
    name: "echo",
    ordinal: 0,
    params: Echo_Echo$Params,
    results: Echo_Echo$Results,
    paramNames: ["echo"],
    resultNames: ["result"],
    writeParams(s: Struct, args: readonly unknown[]): void {
      (s as Echo_Echo$Params).echo = args[0] as string;
    },
    readParams: (s: Struct): unknown[] => [(s as Echo_Echo$Params).echo],
    writeResults(s: Struct, value: unknown): void {
      (s as Echo_Echo$Results).result = value as string;
    },
    readResults: (s: Struct): unknown => (s as Echo_Echo$Results).result,
  }],
});

/** The binding for {@linkcode Rpc}. */
export const RPC: InterfaceBinding<Rpc> = defineInterface<Rpc>({
  name: "Rpc",
  id: Rpc$Client.interfaceId,
  methods: [{
    name: "executeRpc",
    ordinal: 0,
    params: Rpc_ExecuteRpc$Params,
    results: Rpc_ExecuteRpc$Results,
    paramNames: ["request", "uri", "user"],
    resultNames: ["response"],
    writeParams(s: Struct, args: readonly unknown[]): void {
      const p = s as Rpc_ExecuteRpc$Params;
      p.request = args[0] as string;
      p.uri = args[1] as string;
      p.user = args[2] as string;
    },
    readParams: (s: Struct): unknown[] => {
      const p = s as Rpc_ExecuteRpc$Params;
      return [p.request, p.uri, p.user];
    },
    writeResults(s: Struct, value: unknown): void {
      (s as Rpc_ExecuteRpc$Results).response = value as string;
    },
    readResults: (s: Struct): unknown => (s as Rpc_ExecuteRpc$Results).response,
  }],
});

/** The binding for {@linkcode LogSink}. */
export const LOG_SINK: InterfaceBinding<LogSink> = defineInterface<LogSink>({
  name: "LogSink",
  id: LogSink$Client.interfaceId,
  methods: [{
    name: "write",
    ordinal: 0,
    params: LogSink_Write$Params,
    results: LogSink_Write$Results,
    paramNames: ["lines"],
    resultNames: [],
    writeParams(s: Struct, args: readonly unknown[]): void {
      (s as LogSink_Write$Params).lines = args[0] as string;
    },
    readParams: (s: Struct): unknown[] => [(s as LogSink_Write$Params).lines],
    writeResults(): void {},
    readResults: (): unknown => undefined,
  }],
});

/** Init's `startNode` (ordinal 5): served by a spawned node child. */
const START_NODE: MethodBinding = {
  name: "startNode",
  ordinal: 5,
  params: Init_StartNode$Params,
  results: Init_StartNode$Results,
  paramNames: ["args"],
  resultNames: [],
  writeParams(s, args): void {
    const values = args[0] as readonly string[];
    const list = (s as Init_StartNode$Params)._initArgs(values.length);
    values.forEach((value, i) => list.set(i, value));
  },
  readParams: (s): unknown[] => [(s as Init_StartNode$Params).args.toArray()],
  writeResults(): void {},
  readResults: (): unknown => undefined,
};

/** The binding for {@linkcode Init}. */
export const INIT: InterfaceBinding<Init> = defineInterface<Init>({
  name: "Init",
  id: Init$Client.interfaceId,
  methods: [
    {
      name: "makeEcho",
      ordinal: 0,
      params: Init_MakeEcho$Params,
      results: Init_MakeEcho$Results,
      paramNames: [],
      resultNames: ["result"],
      writeParams(): void {},
      readParams: (): unknown[] => [],
      writeResults(s, value, caps): void {
        caps.write(s, 0, value, ECHO as InterfaceBinding<unknown>);
      },
      readResults: (s, caps): unknown => caps.read(s, 0, ECHO),
      resultCap: { pointer: 0, binding: () => ECHO as InterfaceBinding<unknown> },
    },
    {
      name: "configure",
      ordinal: 1,
      params: Init_Configure$Params,
      results: Init_Configure$Results,
      paramNames: ["args", "log"],
      resultNames: [],
      writeParams(s, args, caps): void {
        const values = args[0] as readonly string[];
        const list = (s as Init_Configure$Params)._initArgs(values.length);
        values.forEach((value, i) => list.set(i, value));
        caps.write(s, 1, args[1] ?? null, LOG_SINK as InterfaceBinding<unknown>);
      },
      readParams: (s, caps): unknown[] => [
        (s as Init_Configure$Params).args.toArray(),
        caps.read(s, 1, LOG_SINK),
      ],
      writeResults(): void {},
      readResults: (): unknown => undefined,
    },
    {
      name: "makeRpc",
      ordinal: 2,
      params: Init_MakeRpc$Params,
      results: Init_MakeRpc$Results,
      paramNames: [],
      resultNames: ["result"],
      writeParams(): void {},
      readParams: (): unknown[] => [],
      writeResults(s, value, caps): void {
        caps.write(s, 0, value, RPC as InterfaceBinding<unknown>);
      },
      readResults: (s, caps): unknown => caps.read(s, 0, RPC),
      resultCap: { pointer: 0, binding: () => RPC as InterfaceBinding<unknown> },
    },
    ...walletInitMethods(() => INIT as InterfaceBinding<unknown>),
    START_NODE,
  ],
});
