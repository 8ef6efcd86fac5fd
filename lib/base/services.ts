/**
 * `this.lmz`: the Lumenize services of a host, and what it knows of itself.
 * Capabilities (call, alarms, proxy-fetch) hang off these objects so a user's
 * class keeps its own namespace free, and so the chain security rules can
 * refuse one name (`lmz`) for all of them.
 */
import type { Alarms } from "../alarms";
import type { AnyChain, ChainBrand } from "../chains";
import { CallError, type Caller, type CallOptions, type CallTarget } from "../call";
import type { Identity } from "../envelope";
import { getCaller, requireCallerContext } from "../context";
import type { DurableObjectIdentity } from "./identity";

/** Services every host has: identity, the caller of the chain now running, and calls. */
export class HostServices {
  readonly #identity: () => Identity;
  readonly #caller: Caller;
  readonly #continuationsUnavailable: string | undefined;

  /**
   * @internal
   * @param continuationsUnavailable why `call` cannot deliver continuations
   *   here (an RpcTarget has no lifetime of its own), or undefined if it can.
   */
  constructor(identity: () => Identity, caller: Caller, continuationsUnavailable?: string) {
    requireCallerContext();
    this.#identity = identity;
    this.#caller = caller;
    this.#continuationsUnavailable = continuationsUnavailable;
  }

  /**
   * Calls `remote` on another Lumenize host and, later, runs `continuation`
   * on this host with the result or an Error in its place: once, unless this
   * host crashes (or is redeployed) first, which loses the continuation of
   * every call still in flight (nothing is stored per call). Returns the call
   * id synchronously.
   *
   * `target` is a DO instance name or `DurableObjectId` for a namespace
   * binding, `undefined` for a service binding. The continuation marks where
   * the result goes by taking the remote chain itself as an argument:
   *
   * @example
   * ```ts
   * const remote = this.ctn<Counter>().increment(5);
   * this.lmz.call("COUNTER", "hits", remote, this.ctn().onCount(remote));
   * ```
   * @throws {CallError} at the call site for an unknown or uncallable binding,
   *   a wrong target, or a continuation without the remote chain among its
   *   arguments; nothing is sent.
   * @see https://lumenize.dev/docs/capabilities/call
   */
  call<R>(binding: string, target: CallTarget, remote: ChainBrand<R>, continuation: AnyChain, options?: CallOptions): string {
    if (this.#continuationsUnavailable) throw new CallError(this.#continuationsUnavailable);
    return this.#caller.call(binding, target, remote, continuation, options);
  }

  /**
   * Calls `remote` on another Lumenize host and resolves with its result, or
   * rejects with the Error it threw or a `TimeoutError`.
   *
   * @throws {CallError} at the call site for an unknown or uncallable binding.
   * @see https://lumenize.dev/docs/capabilities/call
   */
  callRaw<R>(binding: string, target: CallTarget, remote: ChainBrand<R>, options?: CallOptions): Promise<R> {
    return this.#caller.callRaw(binding, target, remote, options);
  }

  /** What this host knows of itself. */
  get identity(): Identity {
    return this.#identity();
  }

  /**
   * Who the envelope of the chain now running says sent it (inside a method
   * reached through `__executeChain`): shape-checked, not verified, so
   * anything that can reach the door can claim any identity. `undefined`
   * when the method was called otherwise, and inside continuations and
   * schedule handlers (this host's own code answering later).
   *
   * @see https://lumenize.dev/docs/foundations/base-classes
   */
  get caller(): Identity | undefined {
    return getCaller();
  }
}

/** `this.lmz` of a {@link LumenizeBase} Durable Object. */
export class DurableObjectServices extends HostServices {
  readonly #self: DurableObjectIdentity;

  /**
   * Schedules (delays, dates, cron in UTC or a time zone, intervals)
   * multiplexed onto this DO's one platform alarm, each running a
   * continuation; pending outcomes; dead letters.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  readonly alarms: Alarms;

  /** @internal */
  constructor(self: DurableObjectIdentity, caller: Caller, alarms: Alarms) {
    super(() => self.identity, caller);
    this.#self = self;
    this.alarms = alarms;
  }

  /** The binding this DO is reached through, once a call told it (see Base classes). */
  get binding(): string | undefined {
    return this.#self.binding;
  }

  /** This DO's instance name, if it was reached by name. */
  get name(): string | undefined {
    return this.#self.name;
  }

  /** This DO's id, as a hex string. */
  get id(): string {
    return this.#self.id;
  }
}
