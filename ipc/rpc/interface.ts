/**
 * Typed interfaces over Cap'n Proto: a binding describes one schema interface (its id, methods,
 * and how to move TypeScript values in and out of the generated parameter and result structs),
 * and turns capabilities into objects with async methods.
 *
 * A role calls `await echo.echo("hello")` the same way whether `echo` is its own object or a
 * proxy for one in another process.
 *
 * @module
 */
import { type Struct, type StructCtor, utils } from "capnp-es";

/** Options every method accepts as its last argument. */
export interface CallOptions {
  /** Aborting cancels the call: the caller's promise rejects and the server is told (Finish). */
  signal?: AbortSignal;
}

/** Writes capabilities into interface pointer fields of a struct being built. */
export interface CapWriter {
  /** Stores `cap` (a proxy or a local implementation, or null) in pointer field `index`. */
  write(struct: Struct, index: number, cap: unknown, binding: InterfaceBinding<unknown>): void;
}

/** Reads capabilities out of interface pointer fields of a received struct. */
export interface CapReader {
  /** The capability in pointer field `index` as a proxy, or null. */
  read<T>(struct: Struct, index: number, binding: InterfaceBinding<T>): T | null;
}

/** How one method's parameters and results map to TypeScript values. */
export interface MethodBinding {
  /** The method name in the schema (and on the TypeScript interface). */
  readonly name: string;
  /** The ordinal (`@n`) in the schema. */
  readonly ordinal: number;
  /** Generated parameter struct class. */
  readonly params: StructCtor<Struct>;
  /** Generated result struct class. */
  readonly results: StructCtor<Struct>;
  /** Parameter field names, in argument order (for logs). */
  readonly paramNames: readonly string[];
  /** Result field names; with one name the result is that field's value, else an object. */
  readonly resultNames: readonly string[];
  /** Copies arguments into the parameter struct. */
  writeParams(struct: Struct, args: readonly unknown[], caps: CapWriter): void;
  /** Reads arguments from a received parameter struct. */
  readParams(struct: Struct, caps: CapReader): unknown[];
  /** Copies a method's return value into the result struct. */
  writeResults(struct: Struct, value: unknown, caps: CapWriter): void;
  /** Reads the return value from a received result struct. */
  readResults(struct: Struct, caps: CapReader): unknown;
  /**
   * Set when the result is one capability (pointer field `pointer`): calls on it can then be
   * pipelined with {@linkcode pipeline} before the result arrives.
   */
  readonly resultCap?: {
    readonly pointer: number;
    readonly binding: () => InterfaceBinding<unknown>;
  };
}

/** A schema interface bound to a TypeScript interface `T`. */
export interface InterfaceBinding<T> {
  /** The schema name, used in logs (`Echo.echo$Params`). */
  readonly name: string;
  /** The 64-bit interface id from the schema. */
  readonly id: bigint;
  /** Methods by ordinal. */
  readonly methods: readonly (MethodBinding | undefined)[];
  /** Makes a proxy object for a capability target (used by the runtime). */
  readonly wrap: (target: CapTarget) => T;
  /** Phantom marker for `T`; never set. */
  readonly _type?: T;
}

/**
 * Where a capability's calls go: a local object, an import from a peer, a promised answer...
 * Internal to the runtime; proxies hold one reference each.
 */
export interface CapTarget {
  /** Calls a method; `args` may carry {@linkcode CallOptions} after the declared parameters. */
  call(
    method: MethodBinding,
    args: readonly unknown[],
    binding: InterfaceBinding<unknown>,
  ): Promise<unknown>;
  /** Adds a reference. */
  addRef(): void;
  /** Drops a reference; the last one frees the target (e.g. sends `Release`). */
  release(): void;
  /** Where calls finally go once promises have resolved (itself if settled). */
  settled(): CapTarget;
}

const TARGET = Symbol("capTarget");
const REGISTRY = new Map<bigint, InterfaceBinding<unknown>>();

/**
 * A backstop for proxies dropped without being disposed: their reference is released when the
 * garbage collector reclaims them, so a forgotten proxy delays a Release instead of leaking.
 */
const FORGOTTEN = new FinalizationRegistry<CapTarget>((target) => target.release());

/** The base of every proxy object: one reference to a capability target. */
export class CapabilityProxy {
  /** The target; null once disposed. */
  [TARGET]: CapTarget | null;

  /** Wraps a target, taking over one reference to it. */
  constructor(target: CapTarget) {
    this[TARGET] = target;
    FORGOTTEN.register(this, target, this);
  }

  /** Releases this reference; idempotent. */
  [Symbol.dispose](): void {
    const target = this[TARGET];
    if (target === null) return;
    this[TARGET] = null;
    FORGOTTEN.unregister(this);
    target.release();
  }
}

/** Thrown when calling a proxy after it was disposed. */
export class ReleasedCapabilityError extends Error {
  /** Creates the error. */
  constructor() {
    super("capability was released");
    this.name = "ReleasedCapabilityError";
  }
}

/** Description of an interface for {@linkcode defineInterface}. */
export interface InterfaceSpec {
  /** The schema name, used in logs. */
  name: string;
  /** The interface id (`capnp compile -ocapnp` prints it; the generated `$Client.interfaceId`). */
  id: bigint;
  /** The methods, in any order. */
  methods: readonly MethodBinding[];
}

/**
 * Defines a binding from a schema interface to the TypeScript interface `T`. The binding is
 * registered by id so incoming calls can find it.
 */
export function defineInterface<T>(spec: InterfaceSpec): InterfaceBinding<T> {
  const methods: (MethodBinding | undefined)[] = [];
  class Proxy extends CapabilityProxy {}
  const holder: { binding?: InterfaceBinding<unknown> } = {};
  for (const method of spec.methods) {
    methods[method.ordinal] = method;
    Object.defineProperty(Proxy.prototype, method.name, {
      value: function (this: CapabilityProxy, ...args: unknown[]): Promise<unknown> {
        const target = this[TARGET];
        if (target === null) return Promise.reject(new ReleasedCapabilityError());
        return target.call(method, args, holder.binding!);
      },
    });
  }
  const binding: InterfaceBinding<T> = {
    name: spec.name,
    id: spec.id,
    methods,
    wrap: (target) => new Proxy(target) as unknown as T,
  };
  holder.binding = binding as InterfaceBinding<unknown>;
  REGISTRY.set(spec.id, holder.binding);
  return binding;
}

/** The binding registered for an interface id, if any. */
export function bindingForId(id: bigint): InterfaceBinding<unknown> | undefined {
  return REGISTRY.get(id);
}

/** The target behind a proxy, or null when `value` is not a live proxy. */
export function proxyTarget(value: unknown): CapTarget | null {
  return value instanceof CapabilityProxy ? value[TARGET] : null;
}

/** Whether `value` is a proxy (live or disposed). */
export function isProxy(value: unknown): value is CapabilityProxy {
  return value instanceof CapabilityProxy;
}

/** A capability whose calls all fail with one error (e.g. a null or broken capability). */
export class BrokenTarget implements CapTarget {
  readonly error: Error;
  /** Creates a target failing with `error`. */
  constructor(error: Error) {
    this.error = error;
  }
  /** Fails. */
  call(): Promise<unknown> {
    return Promise.reject(this.error);
  }
  /** Nothing to count. */
  addRef(): void {}
  /** Nothing to free. */
  release(): void {}
  /** Itself. */
  settled(): CapTarget {
    return this;
  }
}

const LOCAL_TARGETS = new WeakMap<object, LocalTarget>();

/** A capability implemented by an object in this process: calls go straight to its methods. */
export class LocalTarget implements CapTarget {
  readonly impl: Record<string, unknown>;
  readonly binding: InterfaceBinding<unknown>;

  private constructor(impl: object, binding: InterfaceBinding<unknown>) {
    this.impl = impl as Record<string, unknown>;
    this.binding = binding;
  }

  /** The one target for an implementation object (so it is exported under one id). */
  static for(impl: object, binding: InterfaceBinding<unknown>): LocalTarget {
    let target = LOCAL_TARGETS.get(impl);
    if (target === undefined) {
      target = new LocalTarget(impl, binding);
      LOCAL_TARGETS.set(impl, target);
    }
    return target;
  }

  /** Runs the implementation's method; a throw becomes a rejection. */
  call(method: MethodBinding, args: readonly unknown[]): Promise<unknown> {
    const fn = this.impl[method.name];
    if (typeof fn !== "function") {
      return Promise.reject(
        new Error(`method not implemented: ${this.binding.name}.${method.name}`),
      );
    }
    try {
      return Promise.resolve(fn.apply(this.impl, args));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  /** Local objects are not reference counted. */
  addRef(): void {}
  /** Local objects are not reference counted. */
  release(): void {}
  /** Itself. */
  settled(): CapTarget {
    return this;
  }
}

/** The target for a capability value: a proxy's target, or a local implementation. */
export function targetOf(value: unknown, binding: InterfaceBinding<unknown>): CapTarget | null {
  if (value === null || value === undefined) return null;
  if (value instanceof CapabilityProxy) {
    const target = value[TARGET];
    if (target === null) throw new ReleasedCapabilityError();
    return target;
  }
  if (typeof value !== "object") throw new TypeError(`not a capability: ${typeof value}`);
  return LocalTarget.for(value, binding);
}

/**
 * Keeps a capability received as a call parameter beyond the call: parameters' proxies are
 * released when the server method settles, so a server that stores one must `retain` it (and
 * dispose the copy later). Local implementations are returned unchanged.
 */
export function retain<T>(cap: T): T {
  if (!(cap instanceof CapabilityProxy)) return cap;
  const target = cap[TARGET];
  if (target === null) throw new ReleasedCapabilityError();
  target.addRef();
  const copy = Object.create(Object.getPrototypeOf(cap)) as CapabilityProxy;
  copy[TARGET] = target;
  FORGOTTEN.register(copy, target, copy);
  return copy as T;
}

/** Releases a proxy (same as `cap[Symbol.dispose]()`); local objects are left alone. */
export function release(cap: unknown): void {
  if (cap instanceof CapabilityProxy) cap[Symbol.dispose]();
}

const PIPELINES = new WeakMap<Promise<unknown>, unknown>();

/** Records the pipelined proxy for a call's result promise (used by the runtime). */
export function registerPipeline(promise: Promise<unknown>, proxy: unknown): void {
  PIPELINES.set(promise, proxy);
}

/**
 * A capability usable before the call returning it has finished (promise pipelining): calls on
 * it travel with the first call and run as soon as the result exists, saving round trips.
 * For a remote call it is the very object the promise resolves to (dispose it once). For a
 * local call it forwards to the resolved object.
 *
 * @example
 * ```ts ignore
 * using echo = pipeline(ECHO, init.makeEcho());
 * await echo.echo("hello"); // one round trip, not two
 * ```
 */
export function pipeline<T>(binding: InterfaceBinding<T>, promise: Promise<T>): T & Disposable {
  const known = PIPELINES.get(promise);
  if (known !== undefined) return known as T & Disposable;
  return binding.wrap(new LocalPromiseTarget(promise)) as T & Disposable;
}

/** Calls on a local promise for a capability: wait for it, then call. */
class LocalPromiseTarget implements CapTarget {
  #promise: Promise<unknown>;
  #resolved: CapTarget | null = null;
  constructor(promise: Promise<unknown>) {
    this.#promise = promise;
  }
  call(
    method: MethodBinding,
    args: readonly unknown[],
    binding: InterfaceBinding<unknown>,
  ): Promise<unknown> {
    if (this.#resolved !== null) return this.#resolved.call(method, args, binding);
    return this.#promise.then((value) => {
      const target = targetOf(value, binding) ?? new BrokenTarget(new Error("null capability"));
      this.#resolved = target;
      return target.call(method, args, binding);
    });
  }
  addRef(): void {}
  release(): void {}
  settled(): CapTarget {
    return this.#resolved?.settled() ?? this;
  }
}

/** Reads interface pointer `index` of a struct: its capability-table index, or null. */
export function capIndexAt(struct: Struct, index: number): number | null {
  const size = utils.getSize(struct);
  if (index >= size.pointerLength) return null;
  const p = utils.getPointer(index, struct);
  if (utils.isNull(p)) return null;
  const lo = p.segment.getUint32(p.byteOffset);
  if ((lo & 3) !== 3) throw new TypeError("expected a capability pointer");
  return p.segment.getUint32(p.byteOffset + 4);
}

/** Writes interface pointer `index` of a struct being built. */
export function setCapIndexAt(struct: Struct, index: number, capIndex: number): void {
  utils.setInterfacePointer(capIndex, utils.getPointer(index, struct));
}
