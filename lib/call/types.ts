/** Options for `this.lmz.callRaw`. */
export interface CallRawOptions {
  /**
   * Milliseconds to wait for the remote result before giving up with a
   * `TimeoutError`. A result arriving later is dropped (and logged). Default
   * {@link DEFAULT_CALL_TIMEOUT}, or {@link DEFAULT_WORKER_CALL_TIMEOUT} for
   * a call made by a `LumenizeWorker`.
   */
  readonly timeout?: number;
}

/** Options for `this.lmz.call`. */
export interface CallOptions extends CallRawOptions {
  /**
   * Store the continuation (one SQLite row, with the `timeout` as its
   * deadline) so that it runs exactly once even if this Durable Object
   * crashes, is evicted or is redeployed before the result comes home. The
   * remote runs the chain at least once (it may run it again if the call is
   * handed over again), reads the call id as `this.lmz.callId` to dedupe,
   * and delivers the outcome back through this object's `__settle` door.
   * Only a `LumenizeBase` Durable Object can make durable calls. Default
   * `false`: the continuation waits in memory, nothing is stored.
   *
   * @see https://lumenize.dev/docs/capabilities/call
   */
  readonly durable?: boolean;
}

/** Default `timeout` of a call made by a Durable Object or an RpcTarget: 30 seconds. */
export const DEFAULT_CALL_TIMEOUT = 30_000;

/**
 * Default `timeout` of a call made by a `LumenizeWorker`: 20 seconds. A
 * Worker's continuation runs while `ctx.waitUntil` keeps the invocation
 * alive, which the platform ends about 30 seconds after the invocation
 * returned; a deadline 10 seconds short of that leaves the `TimeoutError`
 * time to reach the continuation, and the continuation time to run, rather
 * than racing the end of the invocation.
 */
export const DEFAULT_WORKER_CALL_TIMEOUT = 20_000;

/**
 * Where a call goes: a Durable Object instance name (`string`) or id
 * (`DurableObjectId`) for a namespace binding; `undefined` for a service
 * binding to a `LumenizeWorker`.
 */
export type CallTarget = string | DurableObjectId | undefined;
