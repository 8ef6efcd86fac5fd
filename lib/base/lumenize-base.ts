import { DurableObject } from "cloudflare:workers";
import { Alarms } from "../alarms";
import { Caller } from "../call/internal";
import { ctn, type Chain, type Continuation } from "../chains";
import { registerChainHost } from "../chains/internal";
import type { HandOver, Settlement } from "../delivery";
import type { ChainEnvelope, ChainOutcome } from "../envelope";
import { ProxyFetch } from "../proxy-fetch/internal";
import { acceptChains, endOfTurn } from "./accept";
import { openDoorInTurn, openDoors, type ChainsReply } from "./batch-door";
import type { IncomingCall } from "./door";
import { registerHostHandles } from "./handles";
import { DurableObjectIdentity } from "./identity";
import { DurableObjectServices } from "./services";
import { settleAllThroughDoor, settleThroughDoor } from "./settle";

/**
 * Base class for Lumenize Durable Objects (SQLite-backed).
 *
 * Gives the DO `this.ctn()` to build continuations, `this.lmz` with its
 * identity and services, and the RPC door `__executeChain` through which
 * other Lumenize hosts run chains against it.
 *
 * @see https://lumenize.dev/docs/foundations/base-classes
 */
export abstract class LumenizeBase<Env = Cloudflare.Env> extends DurableObject<Env> {
  /** Lumenize services and what this DO knows of itself. */
  readonly lmz: DurableObjectServices;
  readonly #identity: DurableObjectIdentity;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    registerHostHandles(ctx, env);
    this.#identity = new DurableObjectIdentity(ctx, env);
    const identity = this.#identity;
    // Alarms only re-arms here; it never runs a handler in the constructor.
    const alarms = new Alarms(ctx, this);
    const waitUntil = (work: Promise<unknown>) => ctx.waitUntil(work);
    const caller = new Caller({
      env,
      self: this,
      identity: () => identity.identity,
      keepAlive: waitUntil,
      flush: groupCommit(() => ctx.storage.sync()),
      durable: { outcomes: alarms, origin: () => identity.origin() },
    });
    this.lmz = new DurableObjectServices(identity, caller, alarms, new ProxyFetch({ env, self: identity, alarms, waitUntil }));
  }

  /**
   * The platform alarm handler: runs the due schedules of `this.lmz.alarms`.
   * If you override it, call `await super.alarm(info)`, or no schedule fires.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    await this.lmz.alarms.alarm(info);
  }

  /** Access control: refuses a chain from elsewhere before it runs, by throwing (see {@link IncomingCall}). */
  protected onBeforeCall?(call: IncomingCall): void | Promise<void>;

  /** Records a continuation: a chain of this DO's own methods, to run later with a result. */
  ctn(): Continuation<this>;
  /** Records a chain against another host of type `T`, to run there. */
  ctn<T>(): Chain<T>;
  ctn(): unknown {
    return ctn();
  }

  /**
   * The door: runs a chain sent by another Lumenize host against this DO and
   * returns its outcome. Never throws; errors travel in the outcome.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __executeChain(envelope: ChainEnvelope): ChainOutcome | Promise<ChainOutcome> {
    return openDoorInTurn(this, envelope, (address) => this.#identity.learn(address));
  }

  /**
   * The door of calls sent together: the chains `call` and `callRaw` on
   * another Lumenize host send here in one synchronous stretch, each run like
   * `__executeChain`, in an event of its own, in order. Answers with the
   * outcomes ready once all have started; the rest follow through `later`.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __executeChains(envelopes: ChainEnvelope[]): Promise<ChainsReply> {
    return openDoors(this, envelopes, (address) => this.#identity.learn(address), (work) => this.ctx.waitUntil(work));
  }

  /**
   * The door of durable calls (`this.lmz.call(..., { durable: true })` on
   * other Lumenize hosts): answers at once, per call, `null` (taken) or why
   * not; then runs each chain like `__executeChain` (with `this.lmz.callId`
   * set) under `ctx.waitUntil`, and delivers the outcomes to their callers'
   * `__settleAll` doors, retrying until each caller's deadline.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __acceptChains(handOvers: HandOver[]): (string | null)[] {
    return acceptChains(this, this.env, handOvers, (work) => this.ctx.waitUntil(work), (address) => this.#identity.learn(address));
  }

  /**
   * The settle door: delivers, from elsewhere, the outcome that the pending
   * outcome `id` (made by `this.lmz.alarms.expect()`) waits for, and runs its
   * continuation with the outcome's value, or its Error. Only the holder of
   * the pending outcome's `token` can settle it; a schedule cannot be
   * reached through here at all. Resolves `true` if this delivery ran the
   * continuation, `false` (changing nothing) for a wrong token, an unknown,
   * settled or timed-out id, or a malformed outcome. Never throws, so
   * retrying a delivery whose RPC failed is safe: at most one runs.
   *
   * Plumbing for proxy-fetch, and for anything built on pending outcomes.
   * Chains cannot reach it.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __settle(id: string, token: string, outcome: ChainOutcome): Promise<boolean> {
    return settleThroughDoor(this.lmz.alarms, id, token, outcome);
  }

  /**
   * {@link __settle} for several outcomes at once, all claimed in one
   * storage commit: how durable calls' outcomes come home. Resolves, per
   * settlement, whether it ran the continuation. Never throws.
   * @internal Plumbing: Lumenize calls it over RPC; not for your code.
   */
  __settleAll(settlements: Settlement[]): Promise<boolean[]> {
    return settleAllThroughDoor(this.lmz.alarms, settlements);
  }
}

registerChainHost(LumenizeBase.prototype);

/**
 * `sync` shared by everyone who asks while one is waiting to start: at most
 * one runs and one waits, however many continuations finish meanwhile. A
 * caller joining the waiting one made its writes before that one starts, so
 * it covers them; one `sync()` per continuation would cost a storage flush
 * each (a third of a call's time at 1,000 concurrent calls). The first one
 * waits for the end of the turn, so that the continuations of replies that
 * arrive together share it too: measured, that took the flush from about 6% of a
 * call's CPU time at 1,000 and 5,000 concurrent calls to 1-3%.
 */
function groupCommit(sync: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let waiting: Promise<void> | undefined;
  return () => {
    if (waiting) return waiting;
    const next: Promise<void> = (running ?? endOfTurn())
      .catch(() => undefined)
      .then(() => {
        waiting = undefined;
        running = next;
        return sync();
      })
      .finally(() => {
        if (running === next) running = undefined;
      });
    waiting = next;
    return next;
  };
}
