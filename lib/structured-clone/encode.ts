/**
 * The one walker behind `preprocess()` and `preprocessSync()`: turns a value
 * into the Intermediate format (see `format.ts`) in a single synchronous pass.
 *
 * It never recurses. Each object gets a table index the first time it is met
 * and is queued; the loop then writes the entries in index order, and a child
 * object inside an entry is only ever written as `["r", index]`. So depth
 * costs nothing but table rows, and identity and cycles come for free.
 *
 * Request/Response bodies are the one thing that cannot be read
 * synchronously. The walker either refuses them (`bodies === null`, the
 * synchronous API) or leaves `null` in the entry and records where the body
 * goes, for `preprocess()` to read and fill in afterwards.
 */
import { bytesToBase64 } from "./base64";
import { DataCloneError } from "./errors";
import {
  FORMAT_VERSION,
  NAN,
  NEGATIVE_INFINITY,
  NEGATIVE_ZERO,
  POSITIVE_INFINITY,
  UNDEFINED,
  type Encoded,
  type EncodedObject,
  type Intermediate,
} from "./format";
import { kindOf, type KindInfo } from "./kinds";
import { formatPath, MAP_KEY, MAP_VALUE, ROOT, SET_ENTRY, type PathKey } from "./path";

/** A body still to be read: `entry[slot]` gets its bytes as base64. */
export interface PendingBody {
  readonly entry: unknown[];
  readonly slot: number;
  /** A clone, taken during the walk, so the caller's Request/Response stays readable. */
  readonly source: Request | Response;
}

/**
 * Encodes `value`.
 * @param bodies where to record Request/Response bodies to read later, or
 *   `null` to throw `ASYNC_BODY` on the first one.
 * @throws {DataCloneError} `UNCLONEABLE` (with `path`) or `ASYNC_BODY`.
 */
export function encode(value: unknown, bodies: PendingBody[] | null): Intermediate {
  return new Encoder(bodies).run(value);
}

// What to do instead, per uncloneable class.
const HINTS = new Map<string, string>([
  ["Promise", "Await it and send the result instead."],
  ["WeakMap", "Its entries cannot be listed; copy what you need into a Map."],
  ["WeakSet", "Its entries cannot be listed; copy what you need into a Set."],
  ["WeakRef", "Send the object it points to instead."],
  ["ReadableStream", "Read it into an ArrayBuffer first, or wrap it in a Response and use preprocess()."],
  ["Blob", "Read it with await blob.arrayBuffer() and send the ArrayBuffer."],
  ["Symbol", "Use a string instead."],
]);
const DEFAULT_HINT = "It only has meaning inside this isolate; send plain data describing it instead.";

class Encoder {
  readonly #bodies: PendingBody[] | null;
  readonly #ids = new Map<object, number>();
  /** The objects, by table index: also the work queue, consumed in order. */
  readonly #sources: object[] = [];
  // For error paths only: how each object was first reached.
  readonly #parents: number[] = [];
  readonly #keys: PathKey[] = [];
  /** The index of the object whose entry is being written. */
  #current = -1;

  constructor(bodies: PendingBody[] | null) {
    this.#bodies = bodies;
  }

  run(value: unknown): Intermediate {
    const root = this.#value(value, ROOT);
    const objects: EncodedObject[] = [];
    const sources = this.#sources;
    // `sources` grows while we walk it: that is the queue.
    for (let i = 0; i < sources.length; i++) {
      this.#current = i;
      objects.push(this.#entry(sources[i]));
    }
    return { v: FORMAT_VERSION, root, objects };
  }

  // ---------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------

  #value(value: unknown, key: PathKey): Encoded {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        return encodeNumber(value);
      case "object":
        return value === null ? null : ["r", this.#ref(value, key)];
      case "undefined":
        return UNDEFINED;
      case "bigint":
        return ["b", value.toString()];
      case "function":
        throw this.#uncloneable(
          "a function",
          key,
          "Functions cannot leave the isolate that made them. Remove it, or record the call as an operation chain (ctn()) and send that.",
        );
      case "symbol":
        throw this.#uncloneable("a symbol", key, "Symbols are unique to their isolate. Use a string instead.");
    }
  }

  /** The table index of `object`, queueing it the first time it is seen. */
  #ref(object: object, key: PathKey): number {
    let id = this.#ids.get(object);
    if (id === undefined) {
      id = this.#sources.length;
      this.#ids.set(object, id);
      this.#sources.push(object);
      this.#parents.push(this.#current);
      this.#keys.push(key);
    }
    return id;
  }

  // ---------------------------------------------------------------------------
  // Objects
  // ---------------------------------------------------------------------------

  #entry(source: object): EncodedObject {
    const info = kindOf(source);
    switch (info.kind) {
      case "object":
        return this.#object(source as Record<string, unknown>);
      case "array":
        return this.#array(source as unknown[]);
      case "date": {
        const time = Date.prototype.getTime.call(source);
        return ["d", time === time ? time : null];
      }
      case "regexp": {
        const regexp = source as RegExp;
        const lastIndex = regexp.lastIndex;
        // lastIndex is read as ToLength; anything else behaves as 0.
        return ["x", regexp.source, regexp.flags, Number.isSafeInteger(lastIndex) && lastIndex > 0 ? lastIndex : 0];
      }
      case "map": {
        const entry: unknown[] = ["m"];
        for (const [key, value] of source as Map<unknown, unknown>) {
          entry.push(this.#value(key, MAP_KEY), this.#value(value, MAP_VALUE));
        }
        return entry as unknown as EncodedObject;
      }
      case "set": {
        const entry: unknown[] = ["s"];
        for (const value of source as Set<unknown>) entry.push(this.#value(value, SET_ENTRY));
        return entry as unknown as EncodedObject;
      }
      case "arraybuffer":
        return ["B", bytesToBase64(new Uint8Array(source as ArrayBuffer))];
      case "view":
        return this.#view(source as ArrayBufferView, info);
      case "error":
        return this.#error(source as Error);
      case "boxed":
        return ["w", this.#value(unbox(source, info.name), ROOT)];
      case "headers":
        return ["H", ...flattenHeaders(source as Headers)];
      case "url":
        return ["U", (source as URL).href];
      case "request": {
        const request = source as Request;
        const entry: unknown[] = ["R", request.method, request.url, flattenHeaders(request.headers), null];
        if (request.body !== null) this.#body(request, entry, 4);
        return entry as unknown as EncodedObject;
      }
      case "response": {
        const response = source as Response;
        const entry: unknown[] = ["S", response.status, response.statusText, flattenHeaders(response.headers), null];
        if (response.body !== null) this.#body(response, entry, 4);
        return entry as unknown as EncodedObject;
      }
      case "uncloneable":
        throw this.#uncloneable(`a ${info.name}`, null, HINTS.get(info.name) ?? DEFAULT_HINT);
      default:
        throw new Error(`Unhandled kind ${info.kind satisfies never}`);
    }
  }

  #object(source: Record<string, unknown>): EncodedObject {
    const entry: unknown[] = ["o"];
    // Own enumerable string keys, as structuredClone copies them: symbol keys
    // and the prototype are left behind.
    const keys = Object.keys(source);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      entry.push(key, this.#value(source[key], key));
    }
    return entry as unknown as EncodedObject;
  }

  #array(source: unknown[]): EncodedObject {
    const entry: unknown[] = ["a"];
    const length = source.length;
    for (let i = 0; i < length; i++) {
      const item = source[i];
      // Only an `undefined` read can be a hole, so the `in` check is rare.
      if (item === undefined && !(i in source)) return this.#sparseArray(source);
      entry.push(this.#value(item, i));
    }
    return entry as unknown as EncodedObject;
  }

  #sparseArray(source: unknown[]): EncodedObject {
    const entry: unknown[] = ["A", source.length];
    // Object.keys lists only the elements that exist, so `new Array(1e9)`
    // costs nothing. Indices come first, ascending; named properties after
    // them are dropped, as for dense arrays.
    for (const key of Object.keys(source)) {
      const index = Number(key);
      if (!isArrayIndex(index, key)) break;
      entry.push(index, this.#value(source[index], index));
    }
    return entry as unknown as EncodedObject;
  }

  #view(view: ArrayBufferView, info: KindInfo): EncodedObject {
    // The buffer is its own entry, so views that share one still share it.
    const buffer = this.#ref(view.buffer, "buffer");
    const length = info.name === "DataView" ? view.byteLength : (view as Uint8Array).length;
    return ["t", info.name, buffer, view.byteOffset, length];
  }

  #error(error: Error): EncodedObject {
    const { name, message, stack } = error;
    const entry: unknown[] = [
      "e",
      typeof name === "string" ? name : "Error",
      message == null ? "" : String(message),
      typeof stack === "string" ? stack : null,
    ];
    // Own but not enumerable when set by the constructor, so asked for by name.
    if (Object.hasOwn(error, "cause")) entry.push("cause", this.#value(error.cause, "cause"));
    if (Object.hasOwn(error, "errors")) entry.push("errors", this.#value((error as AggregateError).errors, "errors"));
    const keys = Object.keys(error);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === "name" || key === "message" || key === "stack" || key === "cause" || key === "errors") continue;
      entry.push(key, this.#value((error as unknown as Record<string, unknown>)[key], key));
    }
    return entry as unknown as EncodedObject;
  }

  #body(message: Request | Response, entry: unknown[], slot: number): void {
    const what = message instanceof Request ? "Request" : "Response";
    const path = this.#currentPath();
    if (this.#bodies === null) {
      throw new DataCloneError(
        "ASYNC_BODY",
        `The ${what} at ${path} has a body, which can only be read asynchronously. Use preprocess() or stringify() instead of the Sync variant.`,
        { path },
      );
    }
    if (message.bodyUsed) {
      throw new DataCloneError(
        "UNCLONEABLE",
        `The ${what} at ${path} has a body that was already read. Clone it before reading (${what.toLowerCase()}.clone()), or send the body you read.`,
        { path },
      );
    }
    this.#bodies.push({ entry, slot, source: message.clone() });
  }

  // ---------------------------------------------------------------------------
  // Errors
  // ---------------------------------------------------------------------------

  /** `key === null` means the object being written is itself the problem. */
  #uncloneable(what: string, key: PathKey | null, hint: string): DataCloneError {
    const path = key === null ? this.#currentPath() : formatPath(this.#parents, this.#keys, this.#current, key);
    return new DataCloneError("UNCLONEABLE", `Cannot clone ${what} at ${path}. ${hint}`, { path });
  }

  #currentPath(): string {
    const current = this.#current;
    return formatPath(this.#parents, this.#keys, this.#parents[current], this.#keys[current]);
  }
}

function encodeNumber(value: number): Encoded {
  // `value - value` is 0 exactly for finite numbers.
  if (value - value === 0) return value === 0 && 1 / value < 0 ? NEGATIVE_ZERO : value;
  return value !== value ? NAN : value > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
}

function isArrayIndex(index: number, key: string): boolean {
  return index >>> 0 === index && index !== 0xffffffff && String(index) === key;
}

/** The primitive inside a Boolean/Number/String/BigInt object, read without trusting its own valueOf. */
function unbox(source: object, name: string): unknown {
  switch (name) {
    case "Boolean":
      return Boolean.prototype.valueOf.call(source);
    case "Number":
      return Number.prototype.valueOf.call(source);
    case "String":
      return String.prototype.valueOf.call(source);
    default:
      return BigInt.prototype.valueOf.call(source);
  }
}

function flattenHeaders(headers: Headers): string[] {
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  return flat;
}
