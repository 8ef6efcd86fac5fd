/**
 * The string forms: `stringify()`/`stringifySync()` are `preprocess()` plus
 * `JSON.stringify`, and `parse()` is `JSON.parse` plus `postprocess()`. The
 * Intermediate is a flat table, so the JSON is a few levels deep whatever the
 * value's depth, and neither direction can overflow the stack.
 */
import { postprocess } from "./decode";
import { describe, malformed } from "./errors";
import type { Intermediate } from "./format";
import { preprocess, preprocessSync } from "./preprocess";

/**
 * Serializes `value` to a JSON string that {@link parse} turns back into it.
 * @throws {DataCloneError} as {@link preprocess} (the promise rejects).
 */
export async function stringify(value: unknown): Promise<string> {
  return JSON.stringify(await preprocess(value));
}

/**
 * {@link stringify}, synchronously.
 * @throws {DataCloneError} as {@link preprocessSync}: `"ASYNC_BODY"` for a Request/Response with a body.
 */
export function stringifySync(value: unknown): string {
  return JSON.stringify(preprocessSync(value));
}

/**
 * Rebuilds a value from {@link stringify}'s output. Safe on untrusted text.
 * @throws {DataCloneError} code `"MALFORMED"` for text that is not JSON or not a valid Intermediate.
 */
export function parse(text: string): unknown {
  if (typeof text !== "string") throw malformed("", `parse() takes a string, got ${describe(text)}`);
  let intermediate: unknown;
  try {
    intermediate = JSON.parse(text);
  } catch (error) {
    // Includes the RangeError an engine may throw for absurdly nested JSON.
    throw malformed("", `the text is not valid JSON (${(error as Error).message})`, error);
  }
  return postprocess(intermediate as Intermediate);
}
