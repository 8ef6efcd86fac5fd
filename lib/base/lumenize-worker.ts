import { WorkerEntrypoint } from "cloudflare:workers";
import { Caller } from "../call/internal";
import { DEFAULT_WORKER_CALL_TIMEOUT } from "../call";
import { ctn, type Chain, type Continuation } from "../chains";
import { registerChainHost } from "../chains/internal";
import type { Address, ChainEnvelope, ChainOutcome, Identity } from "../envelope";
import type { HandOver } from "../delivery";
import { acceptChains } from "./accept";
import { openDoorInTurn, openDoors, type ChainsReply } from "./batch-door";
import type { IncomingCall } from "./door";
import { registerHostHandles } from "./handles";
import { LumenizeServices } from "./services";

/**
 * Base class for Lumenize Workers: a `WorkerEntrypoint` reached through a
 * service binding. Stateless, so it has no instance name: its identity is the
 * binding a caller reached it through.
 *
 * @see https://lumenize.dev/docs/foundations/base-classes
 */
export abstract class LumenizeWorker<Env = Cloudflare.Env> extends WorkerEntrypoint<Env> {
  /** Lumenize services and what this Worker knows of itself. */
  readonly lmz: LumenizeServices;
  #binding: string | undefined;

  constructor(ctx: ExecutionContext, env: Env) {
    super(ctx, env);
    registerHostHandles(ctx, env);
    const identity = (): Identity => ({ kind: "worker", binding: this.#binding });
    // A Worker has no durable home, so continuations run here while
    // `ctx.waitUntil` keeps this invocation alive: about 30 s, hence a shorter default timeout.
    const caller = new Caller({ env, self: this, identity, keepAlive: (promise) => ctx.waitUntil(promise), defaultTimeout: DEFAULT_WORKER_CALL_TIMEOUT });
    this.lmz = new LumenizeServices(identity, caller);
  }

  /** Access control: refuses a chain from elsewhere before it runs, by throwing (see {@link IncomingCall}). */
  protected onBeforeCall?(call: IncomingCall): void | Promise<void>;

  /** Records a continuation: a chain of this Worker's own methods. */
  ctn(): Continuation<this>;
  /** Records a chain against another host of type `T`, to run there. */
  ctn<T>(): Chain<T>;
  ctn(): unknown {
    return ctn();
  }

  /**
   * The door: runs a chain sent by another Lumenize host against this Worker.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __executeChain(envelope: ChainEnvelope): ChainOutcome | Promise<ChainOutcome> {
    return openDoorInTurn(this, envelope, this.#learn);
  }

  /**
   * The door of calls sent together: the chains `call` and `callRaw` on
   * another Lumenize host send here in one synchronous stretch, each run like
   * `__executeChain`, in an event of its own, in order. Answers with the
   * outcomes ready once all have started; the rest follow through `later`.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __executeChains(envelopes: ChainEnvelope[]): Promise<ChainsReply> {
    return openDoors(this, envelopes, this.#learn, (work) => this.ctx.waitUntil(work));
  }

  /**
   * The door of durable calls: answers at once which it took, then runs them
   * under `ctx.waitUntil` and delivers their outcomes to their callers (see
   * `LumenizeBase.__acceptChains`).
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __acceptChains(handOvers: HandOver[]): (string | null)[] {
    return acceptChains(this, this.env, handOvers, (work) => this.ctx.waitUntil(work), this.#learn);
  }

  readonly #learn = (address: Address): void => {
    // An entrypoint instance lives for one request; the claim costs nothing to believe.
    this.#binding = address.binding;
  };
}

registerChainHost(LumenizeWorker.prototype);
