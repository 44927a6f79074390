/**
 * TypeScript bindings for the test-only interop.capnp (Peer, Counter, Callback), used by the
 * runtime's tests and the interop test against the C++ peer.
 *
 * @module
 */
import type { Struct } from "capnp-es";
import {
  type CallOptions,
  defineInterface,
  type InterfaceBinding,
} from "../../ipc/rpc/interface.ts";
import * as G from "./gen/interop.ts";

/** A counter: each `next` returns one more. */
export interface Counter {
  next(options?: CallOptions): Promise<number>;
}

/** A callback the Peer calls back into. */
export interface Callback {
  call(text: string, options?: CallOptions): Promise<string>;
}

/** The test service. */
export interface Peer {
  echo(text: string, options?: CallOptions): Promise<string>;
  fail(message: string, options?: CallOptions): Promise<void>;
  makeCounter(start: number, options?: CallOptions): Promise<Counter>;
  callBack(callback: Callback, text: string, options?: CallOptions): Promise<string>;
  wait(options?: CallOptions): Promise<void>;
  canceledCount(options?: CallOptions): Promise<number>;
  identity(counter: Counter, options?: CallOptions): Promise<Counter>;
  promiseCounter(start: number, options?: CallOptions): Promise<Counter>;
  promiseIdentity(counter: Counter, options?: CallOptions): Promise<Counter>;
}

const any = <T>(b: InterfaceBinding<T>) => b as InterfaceBinding<unknown>;

/** Binding for {@linkcode Counter}. */
export const COUNTER: InterfaceBinding<Counter> = defineInterface<Counter>({
  name: "Counter",
  id: G.Counter$Client.interfaceId,
  methods: [{
    name: "next",
    ordinal: 0,
    params: G.Counter_Next$Params,
    results: G.Counter_Next$Results,
    paramNames: [],
    resultNames: ["value"],
    writeParams() {},
    readParams: () => [],
    writeResults(s: Struct, v: unknown) {
      (s as G.Counter_Next$Results).value = v as number;
    },
    readResults: (s: Struct) => (s as G.Counter_Next$Results).value,
  }],
});

/** Binding for {@linkcode Callback}. */
export const CALLBACK: InterfaceBinding<Callback> = defineInterface<Callback>({
  name: "Callback",
  id: G.Callback$Client.interfaceId,
  methods: [{
    name: "call",
    ordinal: 0,
    params: G.Callback_Call$Params,
    results: G.Callback_Call$Results,
    paramNames: ["text"],
    resultNames: ["result"],
    writeParams(s: Struct, a: readonly unknown[]) {
      (s as G.Callback_Call$Params).text = a[0] as string;
    },
    readParams: (s: Struct) => [(s as G.Callback_Call$Params).text],
    writeResults(s: Struct, v: unknown) {
      (s as G.Callback_Call$Results).result = v as string;
    },
    readResults: (s: Struct) => (s as G.Callback_Call$Results).result,
  }],
});

/** Binding for {@linkcode Peer}. */
export const PEER: InterfaceBinding<Peer> = defineInterface<Peer>({
  name: "Peer",
  id: G.Peer$Client.interfaceId,
  methods: [
    {
      name: "echo",
      ordinal: 0,
      params: G.Peer_Echo$Params,
      results: G.Peer_Echo$Results,
      paramNames: ["text"],
      resultNames: ["result"],
      writeParams(s, a) {
        (s as G.Peer_Echo$Params).text = a[0] as string;
      },
      readParams: (s) => [(s as G.Peer_Echo$Params).text],
      writeResults(s, v) {
        (s as G.Peer_Echo$Results).result = v as string;
      },
      readResults: (s) => (s as G.Peer_Echo$Results).result,
    },
    {
      name: "fail",
      ordinal: 1,
      params: G.Peer_Fail$Params,
      results: G.Peer_Fail$Results,
      paramNames: ["message"],
      resultNames: [],
      writeParams(s, a) {
        (s as G.Peer_Fail$Params).message = a[0] as string;
      },
      readParams: (s) => [(s as G.Peer_Fail$Params).message],
      writeResults() {},
      readResults: () => undefined,
    },
    {
      name: "makeCounter",
      ordinal: 2,
      params: G.Peer_MakeCounter$Params,
      results: G.Peer_MakeCounter$Results,
      paramNames: ["start"],
      resultNames: ["counter"],
      writeParams(s, a) {
        (s as G.Peer_MakeCounter$Params).start = a[0] as number;
      },
      readParams: (s) => [(s as G.Peer_MakeCounter$Params).start],
      writeResults(s, v, caps) {
        caps.write(s, 0, v, any(COUNTER));
      },
      readResults: (s, caps) => caps.read(s, 0, COUNTER),
      resultCap: { pointer: 0, binding: () => any(COUNTER) },
    },
    {
      name: "callBack",
      ordinal: 3,
      params: G.Peer_CallBack$Params,
      results: G.Peer_CallBack$Results,
      paramNames: ["callback", "text"],
      resultNames: ["result"],
      writeParams(s, a, caps) {
        caps.write(s, 0, a[0], any(CALLBACK));
        (s as G.Peer_CallBack$Params).text = a[1] as string;
      },
      readParams: (s, caps) => [caps.read(s, 0, CALLBACK), (s as G.Peer_CallBack$Params).text],
      writeResults(s, v) {
        (s as G.Peer_CallBack$Results).result = v as string;
      },
      readResults: (s) => (s as G.Peer_CallBack$Results).result,
    },
    {
      name: "wait",
      ordinal: 4,
      params: G.Peer_Wait$Params,
      results: G.Peer_Wait$Results,
      paramNames: [],
      resultNames: [],
      writeParams() {},
      readParams: () => [],
      writeResults() {},
      readResults: () => undefined,
    },
    {
      name: "canceledCount",
      ordinal: 5,
      params: G.Peer_CanceledCount$Params,
      results: G.Peer_CanceledCount$Results,
      paramNames: [],
      resultNames: ["count"],
      writeParams() {},
      readParams: () => [],
      writeResults(s, v) {
        (s as G.Peer_CanceledCount$Results).count = v as number;
      },
      readResults: (s) => (s as G.Peer_CanceledCount$Results).count,
    },
    {
      name: "identity",
      ordinal: 6,
      params: G.Peer_Identity$Params,
      results: G.Peer_Identity$Results,
      paramNames: ["counter"],
      resultNames: ["counter"],
      writeParams(s, a, caps) {
        caps.write(s, 0, a[0], any(COUNTER));
      },
      readParams: (s, caps) => [caps.read(s, 0, COUNTER)],
      writeResults(s, v, caps) {
        caps.write(s, 0, v, any(COUNTER));
      },
      readResults: (s, caps) => caps.read(s, 0, COUNTER),
      resultCap: { pointer: 0, binding: () => any(COUNTER) },
    },
    {
      name: "promiseCounter",
      ordinal: 7,
      params: G.Peer_PromiseCounter$Params,
      results: G.Peer_PromiseCounter$Results,
      paramNames: ["start"],
      resultNames: ["counter"],
      writeParams(s, a) {
        (s as G.Peer_PromiseCounter$Params).start = a[0] as number;
      },
      readParams: (s) => [(s as G.Peer_PromiseCounter$Params).start],
      writeResults(s, v, caps) {
        caps.write(s, 0, v, any(COUNTER));
      },
      readResults: (s, caps) => caps.read(s, 0, COUNTER),
      resultCap: { pointer: 0, binding: () => any(COUNTER) },
    },
    {
      name: "promiseIdentity",
      ordinal: 8,
      params: G.Peer_PromiseIdentity$Params,
      results: G.Peer_PromiseIdentity$Results,
      paramNames: ["counter"],
      resultNames: ["counter"],
      writeParams(s, a, caps) {
        caps.write(s, 0, a[0], any(COUNTER));
      },
      readParams: (s, caps) => [caps.read(s, 0, COUNTER)],
      writeResults(s, v, caps) {
        caps.write(s, 0, v, any(COUNTER));
      },
      readResults: (s, caps) => caps.read(s, 0, COUNTER),
      resultCap: { pointer: 0, binding: () => any(COUNTER) },
    },
  ],
});

/** A local Counter. */
export class CounterImpl implements Counter {
  #value: number;
  constructor(start: number) {
    this.#value = start;
  }
  next(): Promise<number> {
    return Promise.resolve(++this.#value);
  }
}

/** Our implementation of the Peer service, mirroring the C++ one. */
export class PeerImpl implements Peer {
  canceled = 0;
  echo(text: string): Promise<string> {
    return Promise.resolve(text);
  }
  fail(message: string): Promise<void> {
    return Promise.reject(new Error(message));
  }
  makeCounter(start: number): Promise<Counter> {
    return Promise.resolve(new CounterImpl(start));
  }
  async callBack(callback: Callback, text: string): Promise<string> {
    return `ts got: ${await callback.call(text)}`;
  }
  wait(options?: CallOptions): Promise<void> {
    return new Promise((_resolve, reject) => {
      options?.signal?.addEventListener("abort", () => {
        this.canceled++;
        reject(options.signal!.reason);
      });
    });
  }
  canceledCount(): Promise<number> {
    return Promise.resolve(this.canceled);
  }
  identity(counter: Counter): Promise<Counter> {
    return Promise.resolve(counter);
  }
  promiseCounter(start: number): Promise<Counter> {
    return Promise.resolve(new CounterImpl(start));
  }
  promiseIdentity(counter: Counter): Promise<Counter> {
    return Promise.resolve(counter);
  }
}
