/**
 * What kind of binding an `env` entry is. Shared by everything that turns a
 * binding name into a stub (call, proxy-fetch).
 *
 * Service bindings are RPC proxies that answer every property name with a
 * remote method, so `typeof binding.idFromName` says nothing: look at what
 * their prototypes really define.
 */

/** Whether `value` is a Durable Object namespace binding. */
export function isNamespace(value: unknown): value is DurableObjectNamespace {
  return typeof prototypeOf(value)?.idFromName === "function";
}

/** Whether `value` is a service binding (a `Fetcher`). */
export function isService(value: unknown): value is Fetcher {
  return typeof prototypeOf(value)?.fetch === "function" && !isNamespace(value);
}

function prototypeOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null ? Object.getPrototypeOf(value) : undefined;
}
