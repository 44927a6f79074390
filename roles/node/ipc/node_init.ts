/**
 * What the node serves as `Init` to processes that connect to its `-ipcbind` addresses (a cli,
 * later a wallet or GUI started on their own).
 *
 * @module
 */
import type { Echo, Init, Rpc } from "../../../schemas/mod.ts";

/** An Echo implemented in this process. */
class LocalEcho implements Echo {
  echo(text: string): Promise<string> {
    return Promise.resolve(text);
  }
}

/** The node's Init for connecting peers. */
export class NodeInit implements Init {
  readonly #rpc: Rpc | null;
  readonly #registerWallet: ((wallet: Init) => Promise<void>) | undefined;

  /**
   * `rpc` is the node's JSON-RPC dispatcher, or null when `-server=0` disabled it;
   * `registerWallet` takes in wallet processes started on their own (roles/node/wallet_bridge).
   */
  constructor(rpc: Rpc | null, registerWallet?: (wallet: Init) => Promise<void>) {
    this.#rpc = rpc;
    this.#registerWallet = registerWallet;
  }

  /** A wallet process started on its own registers (`freicoin wallet -ipcconnect`). */
  registerWallet(wallet: Init): Promise<void> {
    if (this.#registerWallet === undefined) {
      return Promise.reject(new Error("this node takes no wallet processes"));
    }
    return this.#registerWallet(wallet);
  }

  /** Returns a new Echo. */
  makeEcho(): Promise<Echo> {
    return Promise.resolve(new LocalEcho());
  }

  /** Only a spawned child takes its configuration from a peer; a running node refuses. */
  configure(): Promise<void> {
    return Promise.reject(
      new Error("Init.configure is for spawned processes; this node was started on its own"),
    );
  }

  /** The node's JSON-RPC dispatcher. */
  makeRpc(): Promise<Rpc> {
    if (this.#rpc === null) {
      return Promise.reject(new Error("this node's JSON-RPC server is disabled (-server=0)"));
    }
    return Promise.resolve(this.#rpc);
  }
}
