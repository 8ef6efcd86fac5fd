/** Options for `this.lmz.call` and `this.lmz.callRaw`. */
export interface CallOptions {
  /**
   * Milliseconds to wait for the remote result before giving up with a
   * `TimeoutError`. A result arriving later is dropped (and logged). Default
   * {@link DEFAULT_CALL_TIMEOUT}.
   */
  readonly timeout?: number;
}

/** Default `timeout` of a call: 30 seconds. */
export const DEFAULT_CALL_TIMEOUT = 30_000;

/**
 * Where a call goes: a Durable Object instance name (`string`) or id
 * (`DurableObjectId`) for a namespace binding; `undefined` for a service
 * binding to a `LumenizeWorker`.
 */
export type CallTarget = string | DurableObjectId | undefined;
