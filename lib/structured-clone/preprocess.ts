/**
 * `preprocess()` and `preprocessSync()`: the public faces of the one walker
 * in `encode.ts`. The only difference is Request/Response bodies, which the
 * async version reads after the walk and the sync version refuses.
 */
import { describeThrown } from "../errors/internal";
import { bytesToBase64 } from "./base64";
import { encode, type PendingBody } from "./encode";
import { DataCloneError } from "./errors";
import type { Intermediate } from "./format";

/**
 * Turns `value` into JSON-safe structured-clone form. Keeps what the
 * platform's structuredClone keeps (Map, Set, Date, RegExp, typed arrays,
 * cycles and shared references, ...) plus custom Error names, RegExp
 * `lastIndex`, Headers, URL, Request and Response. Request/Response bodies
 * are read from a `.clone()`, so yours stay readable.
 *
 * @throws {DataCloneError} code `"UNCLONEABLE"` (with `path`) for a function,
 *   a symbol or an object that cannot be copied (WeakMap, Promise, stream, a
 *   body already read). The promise rejects; nothing is thrown synchronously.
 */
export function preprocess(value: unknown): Promise<Intermediate> {
  return withBodies(value, (intermediate) => intermediate);
}

/**
 * Like {@link preprocess}, but synchronous: for values without a
 * Request/Response body (bodiless ones are fine).
 *
 * @throws {DataCloneError} code `"ASYNC_BODY"` (with `path`) for a
 *   Request/Response with a body (use {@link preprocess}), or `"UNCLONEABLE"`.
 */
export function preprocessSync(value: unknown): Intermediate {
  return encode(value, null);
}

/**
 * Encodes `value`, reads any bodies it holds, then resolves with
 * `finish(intermediate)`. Not an async function: without bodies (the usual
 * case) it settles with one promise and no extra turns of the microtask queue.
 */
export function withBodies<T>(value: unknown, finish: (intermediate: Intermediate) => T): Promise<T> {
  const bodies: PendingBody[] = [];
  let intermediate: Intermediate;
  try {
    intermediate = encode(value, bodies);
  } catch (error) {
    return Promise.reject(error);
  }
  if (bodies.length === 0) return Promise.resolve(finish(intermediate));
  return Promise.all(bodies.map(readBody)).then(() => finish(intermediate));
}

async function readBody(body: PendingBody): Promise<void> {
  let bytes: ArrayBuffer;
  try {
    bytes = await body.source.arrayBuffer();
  } catch (cause) {
    throw new DataCloneError(
      "UNCLONEABLE",
      `Reading a ${body.source instanceof Request ? "Request" : "Response"} body failed (${describeThrown(cause)}). Make sure the stream can be read to the end.`,
      { cause },
    );
  }
  body.entry[body.slot] = bytesToBase64(new Uint8Array(bytes));
}
