import { DurableObject } from "cloudflare:workers";
import { Alarms } from "../alarms";
import { Caller } from "../call";
import { ctn, registerChainHost, type Chain, type Continuation } from "../chains";
import type { ChainEnvelope, ChainOutcome } from "../envelope";
import { openDoor, type IncomingCall } from "./door";
import { registerHostHandles } from "./handles";
import { DurableObjectIdentity } from "./identity";
import { DurableObjectServices } from "./services";
import { settleSchedule } from "./settle";

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
    this.lmz = new DurableObjectServices(identity, new Caller({ env, self: this, identity: () => identity.identity, keepAlive: (promise) => ctx.waitUntil(promise), flush: groupCommit(() => ctx.storage.sync()) }), alarms);
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
   */
  __executeChain(envelope: ChainEnvelope): Promise<ChainOutcome> {
    return openDoor(this, envelope, (address) => this.#identity.learn(address));
  }

  /**
   * The delivery door: if the one-shot schedule `scheduleId` is still
   * pending, cancels it and runs its continuation now with `outcome`'s value
   * (or its Error) in place of the result placeholders, and returns `true`.
   * Of a delivery and the schedule's own firing, exactly one runs the
   * continuation: a late or duplicate delivery returns `false` and is
   * logged. A continuation that throws here is logged, not retried.
   *
   * Plumbing for capabilities that wait on an answer from elsewhere with a
   * timeout schedule as the fallback (proxy-fetch). Chains cannot reach it.
   *
   * @throws {InvalidInputError} for a missing id or an outcome that is not a
   *   `ChainOutcome`; the schedule is left as it was.
   * @see https://lumenize.dev/docs/capabilities/proxy-fetch
   */
  __settleSchedule(scheduleId: string, outcome: ChainOutcome): Promise<boolean> {
    return settleSchedule(this, this.lmz.alarms, scheduleId, outcome);
  }
}

registerChainHost(LumenizeBase.prototype);

/**
 * `sync` shared by everyone who asks while one is waiting to start: at most
 * one runs and one waits, however many continuations finish meanwhile. A
 * caller joining the waiting one made its writes before that one starts, so
 * it covers them; one `sync()` per continuation would cost a storage flush
 * each (a third of a call's time at 1,000 concurrent calls).
 */
function groupCommit(sync: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let waiting: Promise<void> | undefined;
  return () => {
    if (waiting) return waiting;
    const next: Promise<void> = (running ?? Promise.resolve())
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
