/**
 * Test support (not exported from mod.ts): a chainstate in a temporary directory fed with the
 * recorded 158-block regtest chain up to a chosen height, a node context around it, an RPC
 * registry with every method of this folder (results checked against their docs), and the
 * reference node's recorded answers.
 */
import { Args } from "../../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../../cli/args/option_registry.ts";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { type JsonValue, parseJson, RpcError, RpcRegistry, writeJson } from "../../../rpc/mod.ts";
import type { ChainState } from "../chain/chain_state.ts";
import {
  feedBlocks,
  openTestChain,
  regtestChain,
  regtestParams,
  testSecp256k1,
  vectorPath,
} from "../chain/_test_support.ts";
import { NodeClock } from "../node_clock.ts";
import type { NodeContext } from "../node_context.ts";
import { blockchainBasicsMethods } from "./blockchain_basics.ts";
import { nodeRpcMethods } from "./mod.ts";
import type { NodeRpcExtras } from "./node_rpc_extras.ts";

/** One recorded call: [method, ...params] and its answer or `{__error__: {code, message}}`. */
export interface RpcSample {
  readonly call: [string, ...unknown[]];
  readonly result: unknown;
}

let samples: Record<string, RpcSample> | undefined;

/** The reference node's recorded answers by name. */
export function rpcSamples(): Record<string, RpcSample> {
  samples ??= (JSON.parse(Deno.readTextFileSync(vectorPath("regtest-rpc-samples.json"))) as {
    samples: Record<string, RpcSample>;
  }).samples;
  return samples;
}

/** A chain on the recorded blocks with a registry of this folder's methods. */
export class TestNode implements AsyncDisposable {
  readonly registry: RpcRegistry<NodeContext>;
  #fed = 0;

  private constructor(
    readonly dir: string,
    readonly chain: ChainState,
    readonly context: NodeContext & Partial<NodeRpcExtras>,
    docCheck: boolean,
  ) {
    this.registry = new RpcRegistry<NodeContext>(context, { docCheck });
    for (const method of [...blockchainBasicsMethods(), ...nodeRpcMethods()]) {
      this.registry.register(method);
    }
    this.registry.setWarmupFinished();
    this.#fed = chain.height + 1;
  }

  /**
   * Opens a fresh chain (genesis only) in a temporary directory. Results are checked against
   * their documented shapes unless `docCheck` is false.
   */
  static async open(
    extras: Partial<NodeRpcExtras> = {},
    options: { docCheck?: boolean } = {},
  ): Promise<TestNode> {
    const dir = await Deno.makeTempDir({ prefix: "node_rpc_test_" });
    const chain = await openTestChain(dir);
    const context = {
      args: new Args(nodeOptionRegistry()),
      params: regtestParams(),
      chain,
      clock: new NodeClock(),
      log: NULL_LOGGER,
      syncWithValidationQueue: () => Promise.resolve(),
      secp256k1: testSecp256k1(),
      ...extras,
    };
    return new TestNode(dir, chain, context, options.docCheck ?? true);
  }

  /** Feeds recorded blocks until the tip is at `height`. */
  async feedTo(height: number): Promise<void> {
    await feedBlocks(this.chain, regtestChain().blocks, this.#fed, height + 1);
    this.#fed = height + 1;
  }

  /** Calls a method as the server would; answers are plain JSON (parsed back from our text). */
  async call(method: string, params: JsonValue[] | Record<string, JsonValue>): Promise<unknown> {
    const result = await this.registry.execute({
      method,
      params: Array.isArray(params) ? params : params as unknown as JsonValue,
      id: 1,
      uri: "/",
      authUser: "",
      peerAddr: "",
    });
    return JSON.parse(writeJson(result));
  }

  /** Calls a method and returns its answer, or `{__error__: {code, message}}` as recorded. */
  answer(call: readonly unknown[]): Promise<unknown> {
    const [method, ...params] = call as [string, ...unknown[]];
    return this.answerText(method, JSON.stringify(params));
  }

  /** Like {@link answer}, with the params as raw JSON text (e.g. with repeated keys). */
  async answerText(method: string, paramsText: string): Promise<unknown> {
    const jsonParams = parseJson(paramsText) as JsonValue[];
    try {
      return await this.call(method, jsonParams);
    } catch (error) {
      if (error instanceof RpcError) {
        return { __error__: { code: error.code, message: error.message } };
      }
      throw error;
    }
  }

  /** Closes the chain and removes the directory. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.chain.close();
    await Deno.remove(this.dir, { recursive: true });
  }
}
