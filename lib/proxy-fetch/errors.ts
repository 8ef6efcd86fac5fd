import { LumenizeError } from "../errors";

/**
 * A proxied fetch could not be made or did not produce a Response: thrown at
 * the call site for bad input (invalid URL, unreadable body, missing binding),
 * nothing stored; otherwise delivered to the continuation in place of the
 * Response (the outbound fetch failed, the executor could not be reached).
 * The message names the request id, the method and the URL; `cause` holds
 * the underlying error. Timeouts are delivered as a `TimeoutError` instead.
 *
 * @see https://lumenize.dev/docs/capabilities/proxy-fetch
 */
export class ProxyFetchError extends LumenizeError {
  override name = "ProxyFetchError";
}
