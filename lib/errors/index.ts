/**
 * The error family every Lumenize capability throws or delivers.
 *
 * Errors cross Durable Object boundaries through structured-clone, which keeps
 * `name`, `message`, `stack`, `cause` and extra own properties but not the
 * prototype. So the meaning lives in `name` (e.g. `"TimeoutError"`) and in a
 * message that says what happened and what to do; `instanceof` only works on
 * the side that created the error.
 *
 * @module
 */

/**
 * Base class of every error Lumenize creates. Each subclass sets `name` to a
 * string literal (the compiler insists: it is abstract here), not
 * `new.target.name` or `constructor.name`: a minifier renames classes, and
 * the name is what a receiver on the other side of an RPC tests.
 */
export abstract class LumenizeError extends Error {
  abstract override name: string;
}

/** A value, chain or argument was not of the expected shape. */
export class InvalidInputError extends LumenizeError {
  override name = "InvalidInputError";
}

/**
 * The Worker's configuration lacks something Lumenize needs (a compatibility
 * date or flag); the message names what to set in wrangler.jsonc.
 */
export class ConfigurationError extends LumenizeError {
  override name = "ConfigurationError";
}

/** Work did not finish before its deadline. */
export class TimeoutError extends LumenizeError {
  override name = "TimeoutError";
}
