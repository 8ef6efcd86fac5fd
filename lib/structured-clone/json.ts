/**
 * The string forms: `stringify()`/`stringifySync()` are `preprocess()` plus
 * `JSON.stringify` (or, for plain JSON data, `JSON.stringify` of the value
 * itself: see `plain-json.ts`), and `parse()` is `JSON.parse` plus the
 * decoder, adopting the objects `JSON.parse` made rather than copying them.
 * The Intermediate nests no deeper than `MAX_NESTING` containers, so neither
 * direction can overflow the stack.
 */
import { adopt, postprocess } from "./decode";
import { describe, malformed, Refusal } from "./errors";
import type { Intermediate } from "./format";
import { PLAIN_JSON_PREFIX, plainJsonText } from "./plain-json";
import { preprocessSync, withBodies } from "./preprocess";

/**
 * Serializes `value` to a JSON string that {@link parse} turns back into it.
 * @throws {DataCloneError} as {@link preprocess} (the promise rejects).
 */
export function stringify(value: unknown): Promise<string> {
  const text = plainJsonText(value);
  return text === undefined ? withBodies(value, JSON.stringify) : Promise.resolve(text);
}

/**
 * {@link stringify}, synchronously.
 * @throws {DataCloneError} as {@link preprocessSync}: `"ASYNC_BODY"` for a Request/Response with a body.
 */
export function stringifySync(value: unknown): string {
  return plainJsonText(value) ?? JSON.stringify(preprocessSync(value));
}

/**
 * Rebuilds a value from {@link stringify}'s output. Safe on untrusted text.
 * @throws {DataCloneError} code `"MALFORMED"` for text that is not JSON or not a valid Intermediate.
 */
export function parse(text: string): unknown {
  if (typeof text !== "string") throw malformed("", `parse() takes a string, got ${describe(text)}`);
  // Plain JSON data, as stringify() writes it: parse the value alone. If what follows the prefix is not
  // exactly one JSON value (another key after it, say), it fails to parse, and the full path says why.
  if (text.startsWith(PLAIN_JSON_PREFIX) && text.endsWith("}")) {
    try {
      return JSON.parse(text.slice(PLAIN_JSON_PREFIX.length, -1));
    } catch {
      // Not plain JSON data after all: the full path below parses it again and says what is wrong.
    }
  }
  try {
    return adopt(parseJson(text));
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    // Adopting left that parse half rebuilt. Copying from a fresh one runs
    // the same checks in the same order, fails at the same place, and says where.
    postprocess(parseJson(text) as Intermediate);
    throw malformed("", error.problem, error.cause);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Includes the RangeError an engine may throw for absurdly nested JSON.
    throw malformed("", `the text is not valid JSON (${(error as Error).message})`, error);
  }
}
