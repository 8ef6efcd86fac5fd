import { LumenizeError } from "../errors";

/**
 * Why a value could not be cloned:
 * - `"UNCLONEABLE"`: it holds a function, a symbol or an object that cannot be
 *   copied (WeakMap, Promise, stream, a body already read); `path` says where.
 * - `"ASYNC_BODY"`: `preprocessSync()`/`stringifySync()` met a Request or
 *   Response with a body, which can only be read asynchronously.
 * - `"MALFORMED"`: `parse()`/`postprocess()` got input that is not a valid
 *   Intermediate; the message says what is wrong and where.
 */
export type DataCloneErrorCode = "UNCLONEABLE" | "ASYNC_BODY" | "MALFORMED";

/**
 * A value could not be turned into (or rebuilt from) structured-clone form.
 * Check `code` rather than the message.
 */
export class DataCloneError extends LumenizeError {
  override name = "DataCloneError";
  readonly code: DataCloneErrorCode;
  /**
   * Where in the value the problem is, e.g. `value.user.callbacks[2]` or
   * `value.<Map value>`. Set for `"UNCLONEABLE"` and `"ASYNC_BODY"`.
   */
  declare readonly path?: string;

  constructor(code: DataCloneErrorCode, message: string, options?: ErrorOptions & { path?: string }) {
    super(message, options);
    this.code = code;
    // Only when known, so a MALFORMED error carries no empty `path` around.
    if (options?.path !== undefined) (this as { path?: string }).path = options.path;
  }
}

/**
 * A MALFORMED error for `problem` found at `where` (e.g. `objects[3][2]`,
 * `root`, or `""` for the envelope itself).
 */
export function malformed(where: string, problem: string, cause?: unknown): DataCloneError {
  const at = where === "" ? "" : ` at ${where}`;
  return new DataCloneError(
    "MALFORMED",
    `Malformed structured-clone input${at}: ${problem}. Pass parse()/postprocess() only what stringify()/preprocess() produced, unchanged.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * What the decoder throws on bad input: the problem, and the container and
 * key where it found it. Turned into a MALFORMED {@link DataCloneError} by
 * `postprocess()`, which locates `node` in the input only then, so a
 * successful decode never pays for tracking where it is.
 */
export class Refusal {
  /**
   * @param node the array or object of the input holding the bad value
   * @param slot the key or index in `node` (`null`: `node` itself is bad)
   */
  constructor(
    readonly node: object,
    readonly slot: string | number | null,
    readonly problem: string,
    readonly cause?: unknown,
  ) {}
}

/** A short, non-recursive description of an untrusted value, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "object": {
      // Only JSON-made objects are plain; anything else came from a caller handing postprocess() live objects.
      const prototype = Object.getPrototypeOf(value) as object | null;
      return prototype === Object.prototype || prototype === null ? "an object" : `a ${Object.prototype.toString.call(value).slice(8, -1)} object`;
    }
    default:
      return typeof value;
  }
}
