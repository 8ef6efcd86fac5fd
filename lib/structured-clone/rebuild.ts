/**
 * Rebuilding the objects that have no children to fill in later (Date,
 * RegExp, ArrayBuffer, views, URL, Headers, Request, Response) and the Error
 * shell, from untrusted table entries. Each checks the entry's shape first
 * and turns any refusal by a platform constructor into a MALFORMED error that
 * names the entry.
 */
import { base64ToBytes } from "./base64";
import { describe, malformed } from "./errors";
import { ERROR_FACTORIES, VIEW_CONSTRUCTORS } from "./kinds";

/** Throws unless `entry` has exactly `length` elements; `shape` shows the expected form. */
export function expectLength(entry: readonly unknown[], length: number, index: number, shape: string): void {
  if (entry.length !== length) {
    throw malformed(`objects[${index}]`, `expected ${shape} (${length} elements), got ${entry.length} elements`);
  }
}

function expectString(value: unknown, where: string, what: string): string {
  if (typeof value !== "string") throw malformed(where, `${what} must be a string, got ${describe(value)}`);
  return value;
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

export function rebuildDate(entry: readonly unknown[], index: number): Date {
  expectLength(entry, 2, index, '["d", epochMs | null]');
  const time = entry[1];
  if (time === null) return new Date(NaN);
  if (typeof time !== "number") throw malformed(`objects[${index}][1]`, `a Date's time must be a number or null, got ${describe(time)}`);
  return new Date(time);
}

export function rebuildRegExp(entry: readonly unknown[], index: number): RegExp {
  expectLength(entry, 4, index, '["x", source, flags, lastIndex]');
  const source = expectString(entry[1], `objects[${index}][1]`, "a RegExp's source");
  const flags = expectString(entry[2], `objects[${index}][2]`, "a RegExp's flags");
  const lastIndex = entry[3];
  if (!isWholeNumber(lastIndex)) throw malformed(`objects[${index}][3]`, `lastIndex must be a whole number, got ${describe(lastIndex)}`);
  let regexp: RegExp;
  try {
    regexp = new RegExp(source, flags);
  } catch (error) {
    throw malformed(`objects[${index}]`, `the RegExp is invalid (${(error as Error).message})`, error);
  }
  regexp.lastIndex = lastIndex;
  return regexp;
}

export function rebuildArrayBuffer(entry: readonly unknown[], index: number): ArrayBuffer {
  expectLength(entry, 2, index, '["B", base64]');
  return bytes(entry[1], `objects[${index}][1]`).buffer as ArrayBuffer;
}

/**
 * A typed array or DataView over an ArrayBuffer that is already rebuilt.
 * @param entries the whole table, to check the buffer entry's tag
 * @param values the rebuilt objects, by table index
 */
export function rebuildView(entry: readonly unknown[], index: number, entries: readonly unknown[], values: readonly unknown[]): ArrayBufferView {
  expectLength(entry, 5, index, '["t", kind, bufferIndex, byteOffset, length]');
  const [, kind, bufferIndex, byteOffset, length] = entry;
  const View = typeof kind === "string" ? VIEW_CONSTRUCTORS.get(kind) : undefined;
  if (View === undefined) throw malformed(`objects[${index}][1]`, `${describe(kind)} is not a typed array or DataView this runtime has`);
  if (!isWholeNumber(bufferIndex) || bufferIndex >= entries.length) {
    throw malformed(`objects[${index}][2]`, `buffer reference ${describe(bufferIndex)} is not an index into the ${entries.length} objects in the table`);
  }
  const target = entries[bufferIndex] as readonly unknown[];
  if (target[0] !== "B") {
    throw malformed(`objects[${index}][2]`, `a ${kind} must point at an ArrayBuffer ("B") entry, but objects[${bufferIndex}] is ${describe(target[0])}`);
  }
  if (!isWholeNumber(byteOffset) || !isWholeNumber(length)) {
    throw malformed(`objects[${index}]`, `byteOffset and length must be whole numbers, got ${describe(byteOffset)} and ${describe(length)}`);
  }
  const buffer = values[bufferIndex] as ArrayBuffer;
  const bytesPerElement = (View as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  if (byteOffset % bytesPerElement !== 0 || byteOffset + length * bytesPerElement > buffer.byteLength) {
    throw malformed(
      `objects[${index}]`,
      `a ${kind} of ${length} elements at byte ${byteOffset} does not fit (aligned) in the ${buffer.byteLength}-byte buffer at objects[${bufferIndex}]`,
    );
  }
  return new View(buffer, byteOffset, length);
}

/** The Error itself; its `cause` and other properties are filled in later. */
export function rebuildError(entry: readonly unknown[], index: number): Error {
  if (entry.length < 4 || entry.length % 2 !== 0) {
    throw malformed(`objects[${index}]`, `expected ["e", name, message, stack, key, value, ...], got ${entry.length} elements`);
  }
  const name = expectString(entry[1], `objects[${index}][1]`, "an Error's name");
  const message = expectString(entry[2], `objects[${index}][2]`, "an Error's message");
  const stack = entry[3];
  if (stack !== null && typeof stack !== "string") throw malformed(`objects[${index}][3]`, `an Error's stack must be a string or null, got ${describe(stack)}`);
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

export function rebuildURL(entry: readonly unknown[], index: number): URL {
  expectLength(entry, 2, index, '["U", href]');
  const href = expectString(entry[1], `objects[${index}][1]`, "a URL");
  try {
    return new URL(href);
  } catch (error) {
    throw malformed(`objects[${index}][1]`, `${describe(href)} is not a valid URL`, error);
  }
}

/** Headers from a flat `[name, value, ...]` list. */
export function rebuildHeaders(list: unknown, where: string): Headers {
  if (!Array.isArray(list) || list.length % 2 !== 0) throw malformed(where, `headers must be a flat [name, value, ...] list, got ${describe(list)}`);
  const headers = new Headers();
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i];
    const value = list[i + 1];
    if (typeof name !== "string" || typeof value !== "string") throw malformed(where, `header ${i / 2} is not a pair of strings`);
    try {
      headers.append(name, value);
    } catch (error) {
      throw malformed(where, `header ${describe(name)} is not valid (${(error as Error).message})`, error);
    }
  }
  return headers;
}

export function rebuildRequest(entry: readonly unknown[], index: number): Request {
  expectLength(entry, 5, index, '["R", method, url, headers, body]');
  const method = expectString(entry[1], `objects[${index}][1]`, "a Request's method");
  const url = expectString(entry[2], `objects[${index}][2]`, "a Request's url");
  const headers = rebuildHeaders(entry[3], `objects[${index}][3]`);
  const body = entry[4] === null ? null : bytes(entry[4], `objects[${index}][4]`);
  try {
    return new Request(url, { method, headers, body });
  } catch (error) {
    throw malformed(`objects[${index}]`, `the Request could not be rebuilt (${(error as Error).message})`, error);
  }
}

export function rebuildResponse(entry: readonly unknown[], index: number): Response {
  expectLength(entry, 5, index, '["S", status, statusText, headers, body]');
  const status = entry[1];
  if (!isWholeNumber(status)) throw malformed(`objects[${index}][1]`, `a Response's status must be a whole number, got ${describe(status)}`);
  const statusText = expectString(entry[2], `objects[${index}][2]`, "a Response's statusText");
  const headers = rebuildHeaders(entry[3], `objects[${index}][3]`);
  const body = entry[4] === null ? null : bytes(entry[4], `objects[${index}][4]`);
  try {
    // Status 0 is only ever a network error, which the constructor refuses.
    if (status === 0 && body === null) return Response.error();
    return new Response(body, { status, statusText, headers });
  } catch (error) {
    throw malformed(`objects[${index}]`, `the Response could not be rebuilt (${(error as Error).message})`, error);
  }
}

function bytes(text: unknown, where: string): Uint8Array<ArrayBuffer> {
  const base64 = expectString(text, where, "binary data");
  try {
    return base64ToBytes(base64) as Uint8Array<ArrayBuffer>;
  } catch (error) {
    throw malformed(where, "binary data is not valid base64", error);
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
