import { RpcTarget } from "cloudflare:workers";
import { Caller } from "../call/internal";
import { ctn, type Chain, type Continuation } from "../chains";
import { registerChainHost } from "../chains/internal";
import type { ChainEnvelope, ChainOutcome, Identity } from "../envelope";
import { openDoor, type IncomingCall } from "./door";
import { registerHostHandles } from "./handles";
import { LumenizeServices } from "./services";

/**
 * Base class for Lumenize RPC targets: objects a DO or Worker returns over
 * RPC (the caller gets a stub). They have no durable identity; chains reach
 * them through the host that returned them, or through their own
 * `__executeChain` on a stub.
 *
 * @see https://lumenize.dev/docs/foundations/base-classes
 */
export abstract class LumenizeRpcTarget extends RpcTarget {
  /** Lumenize services and what this target knows of itself. */
  readonly lmz: LumenizeServices;

  /**
   * @param env the bindings `this.lmz.callRaw` may call through; pass the
   *   creating host's `env` if this target makes calls.
   */
  constructor(env?: unknown) {
    super();
    registerHostHandles(undefined, env);
    const identity = (): Identity => ({ kind: "rpc-target" });
    this.lmz = new LumenizeServices(
      identity,
      new Caller({ env, self: this, identity }),
      "An RpcTarget has no lifetime of its own to receive a continuation in: use this.lmz.callRaw(), or make the call from the DO or Worker that owns it.",
    );
  }

  /** Access control: refuses a chain from elsewhere before it runs, by throwing (see {@link IncomingCall}). */
  protected onBeforeCall?(call: IncomingCall): void | Promise<void>;

  /** Records a continuation: a chain of this target's own methods. */
  ctn(): Continuation<this>;
  /** Records a chain against another host of type `T`, to run there. */
  ctn<T>(): Chain<T>;
  ctn(): unknown {
    return ctn();
  }

  /**
   * The door: runs a chain against this target and returns its outcome.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __executeChain(envelope: ChainEnvelope): ChainOutcome | Promise<ChainOutcome> {
    return openDoor(this, envelope);
  }
}

registerChainHost(LumenizeRpcTarget.prototype);
