/**
 * Rebuilding the objects that have no children to fill in later (Date,
 * RegExp, ArrayBuffer, views, URL, Headers, Request, Response) and the Error
 * shell, from untrusted tagged arrays. Each checks the array's shape first
 * and turns any refusal by a platform constructor into a {@link Refusal}
 * that names the array and the element.
 */
import { base64ToBytes } from "./base64";
import { describe, Refusal } from "./errors";
import { ERROR_FACTORIES, VIEW_CONSTRUCTORS } from "./kinds";

/** Throws unless `entry` has exactly `length` elements; `shape` shows the expected form. */
export function expectLength(entry: readonly unknown[], length: number, shape: string): void {
  if (entry.length !== length) throw new Refusal(entry, null, `expected ${shape} (${length} elements), got ${entry.length} elements`);
}

function expectString(entry: readonly unknown[], slot: number, what: string): string {
  const value = entry[slot];
  if (typeof value !== "string") throw new Refusal(entry, slot, `${what} must be a string, got ${describe(value)}`);
  return value;
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

export function rebuildDate(entry: readonly unknown[]): Date {
  expectLength(entry, 2, '["d", epochMs | null]');
  const time = entry[1];
  if (time === null) return new Date(NaN);
  if (typeof time !== "number") throw new Refusal(entry, 1, `a Date's time must be a number or null, got ${describe(time)}`);
  return new Date(time);
}

export function rebuildRegExp(entry: readonly unknown[]): RegExp {
  expectLength(entry, 4, '["x", source, flags, lastIndex]');
  const source = expectString(entry, 1, "a RegExp's source");
  const flags = expectString(entry, 2, "a RegExp's flags");
  const lastIndex = entry[3];
  if (!isWholeNumber(lastIndex)) throw new Refusal(entry, 3, `lastIndex must be a whole number, got ${describe(lastIndex)}`);
  let regexp: RegExp;
  try {
    regexp = new RegExp(source, flags);
  } catch (error) {
    throw new Refusal(entry, null, `the RegExp is invalid (${(error as Error).message})`, error);
  }
  regexp.lastIndex = lastIndex;
  return regexp;
}

export function rebuildArrayBuffer(entry: readonly unknown[]): ArrayBuffer {
  expectLength(entry, 2, '["B", base64]');
  return bytes(entry, 1).buffer as ArrayBuffer;
}

/**
 * A typed array or DataView over `buffer`, the already rebuilt value of
 * `entry[2]`: it must be an ArrayBuffer.
 */
export function rebuildView(entry: readonly unknown[], buffer: unknown): ArrayBufferView {
  const [, kind, , byteOffset, length] = entry;
  const View = typeof kind === "string" ? VIEW_CONSTRUCTORS.get(kind) : undefined;
  if (View === undefined) throw new Refusal(entry, 1, `${describe(kind)} is not a typed array or DataView this runtime has`);
  if (!(buffer instanceof ArrayBuffer)) throw new Refusal(entry, 2, `a ${kind}'s buffer must be an ArrayBuffer ("B" or a reference to one), got ${describe(buffer)}`);
  if (!isWholeNumber(byteOffset) || !isWholeNumber(length)) {
    throw new Refusal(entry, null, `byteOffset and length must be whole numbers, got ${describe(byteOffset)} and ${describe(length)}`);
  }
  const bytesPerElement = (View as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  if (byteOffset % bytesPerElement !== 0 || byteOffset + length * bytesPerElement > buffer.byteLength) {
    throw new Refusal(entry, null, `a ${kind} of ${length} elements at byte ${byteOffset} does not fit (aligned) in its ${buffer.byteLength}-byte buffer`);
  }
  return new View(buffer, byteOffset, length);
}

/** A typed array from `["t", kind, [element, ...]]`, on a buffer of its own. */
export function rebuildSmallView(entry: readonly unknown[]): ArrayBufferView {
  const [, kind, elements] = entry;
  const View = typeof kind === "string" && kind !== "DataView" ? VIEW_CONSTRUCTORS.get(kind) : undefined;
  if (View === undefined) throw new Refusal(entry, 1, `${describe(kind)} is not a typed array this runtime has`);
  if (kind === "BigInt64Array" || kind === "BigUint64Array") throw new Refusal(entry, 2, `a ${kind} is written with its buffer, not as a list of numbers`);
  if (!Array.isArray(elements)) throw new Refusal(entry, 2, `expected a list of numbers, got ${describe(elements)}`);
  for (let i = 0; i < elements.length; i++) {
    if (typeof elements[i] !== "number") throw new Refusal(elements, i, `a ${kind} element must be a number, got ${describe(elements[i])}`);
  }
  return new (View as unknown as new (elements: readonly number[]) => ArrayBufferView)(elements);
}

/** The Error itself; its `cause` and other properties are filled in later. */
export function rebuildError(entry: readonly unknown[]): Error {
  if (entry.length < 4 || entry.length % 2 !== 0) {
    throw new Refusal(entry, null, `expected ["e", name, message, stack, key, value, ...], got ${entry.length} elements`);
  }
  const name = expectString(entry, 1, "an Error's name");
  const message = expectString(entry, 2, "an Error's message");
  const stack = entry[3];
  if (stack !== null && typeof stack !== "string") throw new Refusal(entry, 3, `an Error's stack must be a string or null, got ${describe(stack)}`);
  const factory = ERROR_FACTORIES.get(name);
  // Capturing a stack here is the slowest part of making an Error, and it
  // would be thrown away below.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let error: Error;
  try {
    error = factory === undefined ? new Error(message) : factory(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
  // A custom name (say "ValidationError") has no class here: keep it as data.
  if (factory === undefined) defineHidden(error, "name", name);
  // Never the stack of this decode: the original one, or none.
  if (stack === null) Reflect.deleteProperty(error, "stack");
  else defineHidden(error, "stack", stack);
  return error;
}

export function rebuildURL(entry: readonly unknown[]): URL {
  expectLength(entry, 2, '["U", href]');
  const href = expectString(entry, 1, "a URL");
  try {
    return new URL(href);
  } catch (error) {
    throw new Refusal(entry, 1, `${describe(href)} is not a valid URL`, error);
  }
}

/** Headers from the flat `[name, value, ...]` list in `node` from index `start` (at `node[slot]` if given). */
export function rebuildHeaders(node: readonly unknown[], start: number, slot: number | null): Headers {
  if ((node.length - start) % 2 !== 0) throw new Refusal(node, slot, `headers must be a flat [name, value, ...] list, got ${node.length - start} elements`);
  const headers = new Headers();
  for (let i = start; i < node.length; i += 2) {
    const name = node[i];
    const value = node[i + 1];
    if (typeof name !== "string" || typeof value !== "string") throw new Refusal(node, slot, `header ${(i - start) / 2} is not a pair of strings`);
    try {
      headers.append(name, value);
    } catch (error) {
      throw new Refusal(node, slot, `header ${describe(name)} is not valid (${(error as Error).message})`, error);
    }
  }
  return headers;
}

/** The headers list of a Request or Response entry, at `entry[3]`. */
function headersAt(entry: readonly unknown[]): Headers {
  const list = entry[3];
  if (!Array.isArray(list)) throw new Refusal(entry, 3, `headers must be a flat [name, value, ...] list, got ${describe(list)}`);
  return rebuildHeaders(list, 0, null);
}

export function rebuildRequest(entry: readonly unknown[]): Request {
  expectLength(entry, 5, '["R", method, url, headers, body]');
  const method = expectString(entry, 1, "a Request's method");
  const url = expectString(entry, 2, "a Request's url");
  const headers = headersAt(entry);
  const body = entry[4] === null ? null : bytes(entry, 4);
  try {
    return new Request(url, { method, headers, body });
  } catch (error) {
    throw new Refusal(entry, null, `the Request could not be rebuilt (${(error as Error).message})`, error);
  }
}

export function rebuildResponse(entry: readonly unknown[]): Response {
  expectLength(entry, 5, '["S", status, statusText, headers, body]');
  const status = entry[1];
  if (!isWholeNumber(status)) throw new Refusal(entry, 1, `a Response's status must be a whole number, got ${describe(status)}`);
  const statusText = expectString(entry, 2, "a Response's statusText");
  const headers = headersAt(entry);
  const body = entry[4] === null ? null : bytes(entry, 4);
  try {
    // Status 0 is only ever a network error, which the constructor refuses.
    if (status === 0 && body === null) return Response.error();
    return new Response(body, { status, statusText, headers });
  } catch (error) {
    throw new Refusal(entry, null, `the Response could not be rebuilt (${(error as Error).message})`, error);
  }
}

function bytes(entry: readonly unknown[], slot: number): Uint8Array<ArrayBuffer> {
  const base64 = expectString(entry, slot, "binary data");
  try {
    return base64ToBytes(base64) as Uint8Array<ArrayBuffer>;
  } catch (error) {
    throw new Refusal(entry, slot, "binary data is not valid base64", error);
  }
}

/** Like the engine's own `name`/`stack`/`cause`: writable, configurable, not enumerable. */
export function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}

/** An ordinary own property, made without ever calling a setter (such as `__proto__`). */
export function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Sets `object[key]` as an own data property. Plain assignment is several
 * times faster than defineProperty and keeps objects in fast mode. The one
 * setter every object inherits is `__proto__`, so that key is always
 * defined instead. Where Object.prototype is frozen (hardened JS), assigning
 * a key such as "toString" throws; that key is defined too.
 */
export function assign(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key !== "__proto__") {
    try {
      object[key] = value;
      return;
    } catch {
      // Fall through to defineOwn.
    }
  }
  defineOwn(object, key, value);
}
