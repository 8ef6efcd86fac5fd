/**
 * `this.lmz`: the Lumenize services of a host, and what it knows of itself.
 * Capabilities (call, alarms, proxy-fetch) hang off these objects so a user's
 * class keeps its own namespace free, and so the chain security rules can
 * refuse one name (`lmz`) for all of them.
 */
import type { Alarms } from "../alarms";
import type { ProxyFetchInput, ProxyFetchOptions, ProxyFetchSimpleOptions } from "../proxy-fetch";
import type { ProxyFetch } from "../proxy-fetch/internal";
import type { AnyChain, ChainBrand } from "../chains";
import { CallError, type CallOptions, type CallRawOptions, type CallTarget } from "../call";
import type { Caller } from "../call/internal";
import type { Identity } from "../envelope";
import { getCaller, getCallId, requireCallerContext } from "../context";
import { requireEvictionProtection } from "./eviction";
import type { DurableObjectIdentity } from "./identity";

/**
 * `this.lmz` on a `LumenizeWorker` and a `LumenizeRpcTarget` (a Durable
 * Object's is {@link DurableObjectServices}): identity, the caller of the chain
 * now running, and calls. The base classes make it; exported as a type only.
 */
export class LumenizeServices {
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
   * With `{ durable: true }` (a `LumenizeBase` Durable Object only), the
   * continuation is stored (one row, deadline `timeout`) and runs exactly
   * once across this object's crashes, evictions and redeploys; the remote
   * may run the chain more than once, and reads the call id as
   * `this.lmz.callId` to dedupe.
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
   *   arguments; for a durable call from a host without storage, or one no
   *   binding in its `env` reaches; nothing is sent or stored.
   * @throws {DataCloneError} at the call site for an argument that cannot be
   *   sent (or, durable, a continuation argument that cannot be stored).
   * @see https://lumenize.dev/docs/capabilities/call
   */
  call<R>(binding: string, target: CallTarget, remote: ChainBrand<R>, continuation: AnyChain, options?: CallOptions): string {
    // A durable call goes on, to be refused for want of storage with a message that says so.
    if (this.#continuationsUnavailable && !options?.durable) throw new CallError(this.#continuationsUnavailable);
    return this.#caller.call(binding, target, remote, continuation, options);
  }

  /**
   * Calls `remote` on another Lumenize host and resolves with its result, or
   * rejects with the Error it threw or a `TimeoutError`.
   *
   * @throws {CallError} at the call site for an unknown or uncallable binding,
   *   or `durable` among the options (a Promise cannot survive a restart).
   * @see https://lumenize.dev/docs/capabilities/call
   */
  callRaw<R>(binding: string, target: CallTarget, remote: ChainBrand<R>, options?: CallRawOptions): Promise<R> {
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
   * @see https://lumenize.dev/docs/guides/security
   */
  get caller(): Identity | undefined {
    return getCaller();
  }

  /**
   * Inside a method reached by a durable call (`call(..., { durable: true })`
   * from another host): the call's id, the same each time the call is
   * delivered. A durable call runs at least once, so a method with effects
   * keeps the ids it has seen and skips a repeat. `undefined` everywhere
   * else. Like `caller`, it is what the envelope says: unique per call from
   * an honest caller, not proof against a hostile one.
   *
   * @see https://lumenize.dev/docs/capabilities/call
   */
  get callId(): string | undefined {
    return getCallId();
  }
}

/** `this.lmz` of a {@link LumenizeBase} Durable Object. */
export class DurableObjectServices extends LumenizeServices {
  readonly #self: DurableObjectIdentity;
  readonly #proxyFetch: ProxyFetch;

  /**
   * Schedules (delays, dates, cron in UTC or a time zone, intervals)
   * multiplexed onto this DO's one platform alarm, each running a
   * continuation; pending outcomes; dead letters.
   *
   * @see https://lumenize.dev/docs/capabilities/alarms
   */
  readonly alarms: Alarms;

  /** @internal */
  constructor(self: DurableObjectIdentity, caller: Caller, alarms: Alarms, proxyFetch: ProxyFetch) {
    // After the AsyncLocalStorage check in super(): on a date old enough to lack both, that error names both flags.
    super(() => self.identity, caller);
    requireEvictionProtection();
    this.#self = self;
    this.alarms = alarms;
    this.#proxyFetch = proxyFetch;
  }

  /**
   * Fetches `request` through the `FetchOrchestrator` and an executor Worker,
   * and later, exactly once, runs `continuation` on this Durable Object with
   * the `Response` (or an `Error`) where `$response` stands. Returns the
   * request id at once; this object waits only for the hand-over, not for
   * the fetch, and may be evicted meanwhile.
   *
   * This object stores one pending outcome (`this.lmz.alarms.expect`); the
   * job goes to the orchestrator, which dispatches it, tracks it (`stats()`),
   * sends it again after its own restart (if its method may be repeated),
   * and answers with a `TimeoutError` at `timeout + gracePeriod` if no
   * outcome came. Only if the orchestrator cannot answer either does this
   * object's own deadline, one `gracePeriod` later, answer.
   *
   * @example
   * ```ts
   * this.lmz.proxyFetch(url, this.ctn().onWeather($response, city));
   * ```
   * @throws {ProxyFetchError} at the call site for an invalid URL, an
   *   unreadable body, a missing executor, orchestrator or origin binding, a
   *   continuation without `$response`, or bad options (a `timeout` or
   *   `gracePeriod` that is not a duration a Date can hold, say); nothing is
   *   stored or sent.
   * @throws {DataCloneError} for a continuation argument that cannot be stored.
   * @see https://lumenize.dev/docs/capabilities/proxy-fetch
   */
  proxyFetch(request: ProxyFetchInput, continuation: AnyChain, options?: ProxyFetchOptions): string {
    return this.#proxyFetch.orchestrated(request, continuation, options);
  }

  /**
   * Fetches `request` through an executor Worker, without an orchestrator,
   * and later, exactly once, runs `continuation` on this Durable Object with
   * the `Response` (or an `Error`) where `$response` stands. Returns the
   * request id at once.
   *
   * The only thing stored is one pending outcome on this object
   * (`this.lmz.alarms.expect`), id the request id, deadline `timeout +
   * gracePeriod`: the executor delivers to it, and if nothing came by the
   * deadline, it answers with a `TimeoutError`. Only the first of the two
   * runs the continuation.
   *
   * @example
   * ```ts
   * this.lmz.proxyFetchSimple(url, this.ctn().onWeather($response, city));
   * ```
   * @throws {ProxyFetchError} at the call site as {@link proxyFetch}, except
   *   that no orchestrator is needed; nothing is stored or sent.
   * @throws {DataCloneError} for a continuation argument that cannot be stored.
   * @see https://lumenize.dev/docs/capabilities/proxy-fetch
   */
  proxyFetchSimple(request: ProxyFetchInput, continuation: AnyChain, options?: ProxyFetchSimpleOptions): string {
    return this.#proxyFetch.simple(request, continuation, options);
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
