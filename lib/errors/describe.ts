/**
 * Saying what was thrown without trusting it: the one helper lib/ uses
 * wherever a message includes a caught value, an executor's refusal or a
 * failed RPC. A thrown value can be
 * anything: an object whose getters throw, a revoked Proxy (every operation
 * on it throws), a value whose `toString` throws. Code that reports a throw
 * must not throw while reading it, or the report is lost.
 */

/** `value` as text for a message: `Name: message` for an Error, `String(value)` otherwise. Never throws. */
export function describeThrown(value: unknown): string {
  try {
    if (value instanceof Error) return `${String(value.name)}: ${String(value.message)}`;
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    // Even reading it threw: say what it most likely is.
    return "a value that cannot be described (a revoked Proxy?)";
  }
}
