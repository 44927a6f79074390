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
import { type CallOptions, defineInterface, type InterfaceBinding } from "../ipc/rpc/interface.ts";
import { Echo$Client, Echo_Echo$Params, Echo_Echo$Results } from "./gen/echo.ts";
import { Init$Client, Init_MakeEcho$Params, Init_MakeEcho$Results } from "./gen/init.ts";

/** Echo (echo.capnp): a round-trip check of a connection. */
export interface Echo {
  /** Returns `echo` unchanged. */
  echo(echo: string, options?: CallOptions): Promise<string>;
}

/** Init (init.capnp): the bootstrap interface every IPC-capable process serves. */
export interface Init {
  /** Returns a new Echo object. */
  makeEcho(options?: CallOptions): Promise<Echo>;
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

/** The binding for {@linkcode Init}. */
export const INIT: InterfaceBinding<Init> = defineInterface<Init>({
  name: "Init",
  id: Init$Client.interfaceId,
  methods: [{
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
  }],
});
