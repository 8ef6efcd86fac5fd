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

/** Base class of every error Lumenize creates. */
export class LumenizeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // `new.target.name` keeps subclass names without each subclass repeating it.
    this.name = new.target.name;
  }
}

/** A value, chain or argument was not of the expected shape. */
export class InvalidInputError extends LumenizeError {}

/** Work did not finish before its deadline. */
export class TimeoutError extends LumenizeError {}
