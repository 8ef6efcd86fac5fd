/**
 * The one walker behind `preprocess()`, `stringify()` and their Sync
 * variants: turns a value into the Intermediate format (see `format.ts`) in
 * a single synchronous pass, reading every property once.
 *
 * It never recurses. A container (plain object, array, Map, Set, Error) is
 * written as an empty shell where it is met, and pushed onto a stack with
 * its shell; the loop pops it and writes its children into the shell. A
 * leaf (Date, RegExp, typed array, URL…) is written in full where it is met.
 * Objects are numbered as they are met, which is the order the decoder's
 * identical loop meets them in, so a second meeting is just `["r", n]`.
 *
 * Request/Response bodies are the one thing that cannot be read
 * synchronously. The walker either refuses them (`bodies === null`, the
 * synchronous API) or leaves `null` in the entry and records where the body
 * goes, for the caller to read and fill in afterwards.
 */
import { bytesToBase64 } from "./base64";
import { DataCloneError } from "./errors";
import {
  FORMAT_VERSION,
  MAX_NESTING,
  NAN,
  NEGATIVE_INFINITY,
  NEGATIVE_ZERO,
  POSITIVE_INFINITY,
  UNDEFINED,
  type Encoded,
  type Intermediate,
} from "./format";
import { kindOf } from "./kinds";
import { Numbering } from "./numbering";
import { formatPath, MAP_KEY, MAP_VALUE, ROOT, SET_ENTRY, type PathKey } from "./path";
import { assign } from "./rebuild";

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
  try {
    return new Encoder(bodies, false).run(value);
  } catch (error) {
    if (error !== WHERE) throw error;
  }
  // Something must be refused, and the error needs its path: walk again,
  // this time recording how each object was reached (which costs a little on
  // every object, so the first walk does not).
  bodies?.splice(0);
  return new Encoder(bodies, true).run(value);
}

/** Thrown by an encoder that does not record paths, when it meets something to refuse. */
const WHERE = Symbol("path needed");

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

/** A container's shell: a plain object, or an array (plain, or tagged "m", "s", "e"). */
type Shell = Record<string, unknown> | unknown[];

class Encoder {
  readonly #bodies: PendingBody[] | null;
  readonly #tracking: boolean;
  /** Every object met so far, with its number. */
  readonly #numbers = new Numbering();
  /**
   * The containers still to walk, four slots each (no object per entry):
   * the source, its shell, its number and its nesting level.
   */
  readonly #stack: unknown[] = [];
  // For error paths only, when tracking: per object number, the number of
  // the container it was met in (-1: none) and the key it was met under.
  readonly #parents: number[] = [];
  readonly #keys: PathKey[] = [];
  #deep: Shell[] | null = null;
  /** How many containers deep the one being walked sits in the JSON. */
  #level = 0;
  /** Whether anything was written as a tagged array; if not, the value is plain JSON. */
  #tagged = false;
  /** Arrays given an "a" in front; plain JSON needs none, so they lose it if nothing is tagged. */
  #escaped: unknown[][] | null = null;

  constructor(bodies: PendingBody[] | null, tracking: boolean) {
    this.#bodies = bodies;
    this.#tracking = tracking;
  }

  run(value: unknown): Intermediate {
    const root = this.#value(value, -1, ROOT);
    const stack = this.#stack;
    while (stack.length > 0) {
      this.#level = stack.pop() as number;
      const number = stack.pop() as number;
      const shell = stack.pop() as Shell;
      this.#walk(stack.pop() as object, shell, number);
    }
    if (!this.#tagged) {
      if (this.#escaped !== null) for (const shell of this.#escaped) shell.shift();
      return { v: FORMAT_VERSION, json: root };
    }
    return this.#deep === null ? { v: FORMAT_VERSION, root } : { v: FORMAT_VERSION, root, deep: this.#deep as Encoded[] };
  }

  // ---------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------

  /** Encodes one value met in the container numbered `parent` (-1: none) under `key`. */
  #value(value: unknown, parent: number, key: PathKey): Encoded {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        // `value - value` is 0 exactly for finite numbers.
        if (value - value === 0 && (value !== 0 || 1 / value > 0)) return value;
        this.#tagged = true;
        return value !== value ? NAN : value === 0 ? NEGATIVE_ZERO : value > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
      case "object":
        return value === null ? null : this.#object(value, parent, key);
      case "undefined":
        this.#tagged = true;
        return UNDEFINED;
      case "bigint":
        this.#tagged = true;
        return ["b", value.toString()];
      case "function":
        throw this.#uncloneable(
          "a function",
          parent,
          key,
          "Functions cannot leave the isolate that made them. Remove it, or record the call as an operation chain (ctn()) and send that.",
        );
      case "symbol":
        throw this.#uncloneable("a symbol", parent, key, "Symbols are unique to their isolate. Use a string instead.");
    }
  }

  /** An object met for the first time is numbered and written (or its shell pushed); after that, `["r", n]`. */
  #object(object: object, parent: number, key: PathKey): Encoded {
    const numbers = this.#numbers;
    const seen = numbers.add(object);
    if (seen !== -1) {
      this.#tagged = true;
      return ["r", seen];
    }
    const number = numbers.size - 1;
    const info = kindOf(object);
    if (info.kind === "uncloneable") throw this.#uncloneable(`a ${info.name}`, parent, key, HINTS.get(info.name) ?? DEFAULT_HINT);
    if (this.#tracking) {
      this.#parents.push(parent);
      this.#keys.push(key);
    }
    switch (info.kind) {
      case "object":
        return this.#container(object, {}, number);
      case "array":
        return this.#container(object, [], number);
      case "map":
        this.#tagged = true;
        return this.#container(object, ["m"], number);
      case "set":
        this.#tagged = true;
        return this.#container(object, ["s"], number);
      case "error": {
        this.#tagged = true;
        const { name, message, stack } = object as Error;
        const shell = ["e", typeof name === "string" ? name : "Error", message == null ? "" : String(message), typeof stack === "string" ? stack : null];
        return this.#container(object, shell, number);
      }
      case "date": {
        this.#tagged = true;
        const time = Date.prototype.getTime.call(object);
        return ["d", time === time ? time : null];
      }
      case "regexp": {
        this.#tagged = true;
        const regexp = object as RegExp;
        const lastIndex = regexp.lastIndex;
        // lastIndex is read as ToLength; anything else behaves as 0.
        return ["x", regexp.source, regexp.flags, Number.isSafeInteger(lastIndex) && lastIndex > 0 ? lastIndex : 0];
      }
      case "arraybuffer":
        this.#tagged = true;
        return ["B", bytesToBase64(new Uint8Array(object as ArrayBuffer))];
      case "view": {
        this.#tagged = true;
        const view = object as ArrayBufferView;
        const buffer = view.buffer;
        const elements = numbers.has(buffer) ? null : smallElements(view, buffer);
        if (elements !== null) {
          // The buffer is numbered all the same, for a view met later to share it.
          numbers.add(buffer);
          if (this.#tracking) {
            this.#parents.push(number);
            this.#keys.push("buffer");
          }
          return ["t", info.name, elements];
        }
        // The buffer is its own object, so views that share one still share it.
        const encodedBuffer = this.#object(buffer, number, "buffer");
        const length = info.name === "DataView" ? view.byteLength : (view as Uint8Array).length;
        return ["t", info.name, encodedBuffer, view.byteOffset, length];
      }
      case "boxed":
        this.#tagged = true;
        return ["w", this.#value(unbox(object, info.name), number, ROOT)];
      case "headers":
        this.#tagged = true;
        return ["H", ...flattenHeaders(object as Headers)];
      case "url":
        this.#tagged = true;
        return ["U", (object as URL).href];
      case "request": {
        this.#tagged = true;
        const request = object as Request;
        const entry: unknown[] = ["R", request.method, request.url, flattenHeaders(request.headers), null];
        if (request.body !== null) this.#body(request, entry, number);
        return entry as Encoded;
      }
      case "response": {
        this.#tagged = true;
        const response = object as Response;
        const entry: unknown[] = ["S", response.status, response.statusText, flattenHeaders(response.headers), null];
        if (response.body !== null) this.#body(response, entry, number);
        return entry as Encoded;
      }
      default:
        throw new Error(`Unhandled kind ${info.kind satisfies never}`);
    }
  }

  /** Pushes a container to be walked later; past MAX_NESTING levels its shell goes to `deep`. */
  #container(source: object, shell: Shell, number: number): Encoded {
    let level = this.#level + 1;
    let encoded = shell as Encoded;
    if (level > MAX_NESTING) {
      this.#tagged = true;
      const deep = (this.#deep ??= []);
      encoded = ["D", deep.push(shell) - 1];
      level = 0;
    }
    this.#stack.push(source, shell, number, level);
    return encoded;
  }

  // ---------------------------------------------------------------------------
  // Containers: their children, written into the shell
  // ---------------------------------------------------------------------------

  #walk(source: object, shell: Shell, number: number): void {
    if (!Array.isArray(shell)) return this.#walkObject(source as Record<string, unknown>, shell, number);
    if (shell.length === 0) return this.#walkArray(source as unknown[], shell, number);
    switch (shell[0]) {
      case "m":
        for (const [key, value] of source as Map<unknown, unknown>) shell.push(this.#value(key, number, MAP_KEY), this.#value(value, number, MAP_VALUE));
        return;
      case "s":
        for (const value of source as Set<unknown>) shell.push(this.#value(value, number, SET_ENTRY));
        return;
      default:
        return this.#walkError(source as Error, shell, number);
    }
  }

  #walkObject(source: Record<string, unknown>, shell: Record<string, unknown>, number: number): void {
    // Own enumerable string keys, as structuredClone copies them: symbol keys
    // and the prototype are left behind.
    const keys = Object.keys(source);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      assign(shell, key, this.#value(source[key], number, key));
    }
  }

  #walkArray(source: unknown[], shell: unknown[], number: number): void {
    const length = source.length;
    if (length === 0) return;
    const first = source[0];
    // A one-character string in front would read as a tag.
    const escaped = typeof first === "string" && first.length === 1;
    if (escaped) {
      (this.#escaped ??= []).push(shell);
      shell.push("a");
    }
    for (let i = 0; i < length; i++) {
      const item = i === 0 ? first : source[i];
      // Only an `undefined` read can be a hole, so the `in` check is rare.
      if (item === undefined && !(i in source)) return this.#walkSparse(source, shell, number, i, escaped);
      shell.push(this.#value(item, number, i));
    }
  }

  /**
   * The array has a hole at `hole`: rewrites the shell as `["A", length,
   * index, value, ...]`, keeping the elements already written (their
   * objects are numbered), and writes the rest from the indices that exist.
   */
  #walkSparse(source: unknown[], shell: unknown[], number: number, hole: number, escaped: boolean): void {
    const written = shell.slice(escaped ? 1 : 0);
    this.#tagged = true;
    shell.length = 0;
    shell.push("A", source.length);
    for (let i = 0; i < written.length; i++) shell.push(i, written[i]);
    // Object.keys lists only the elements that exist, so `new Array(1e9)`
    // costs nothing. Indices come first, ascending; named properties after
    // them are dropped, as for dense arrays.
    for (const key of Object.keys(source)) {
      const index = Number(key);
      if (!isArrayIndex(index, key)) break;
      if (index > hole) shell.push(index, this.#value(source[index], number, index));
    }
  }

  #walkError(error: Error, shell: unknown[], number: number): void {
    // Own but not enumerable when set by the constructor, so asked for by name.
    if (Object.hasOwn(error, "cause")) shell.push("cause", this.#value(error.cause, number, "cause"));
    if (Object.hasOwn(error, "errors")) shell.push("errors", this.#value((error as AggregateError).errors, number, "errors"));
    const keys = Object.keys(error);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === "name" || key === "message" || key === "stack" || key === "cause" || key === "errors") continue;
      shell.push(key, this.#value((error as unknown as Record<string, unknown>)[key], number, key));
    }
  }

  #body(message: Request | Response, entry: unknown[], number: number): void {
    if (this.#bodies !== null && !message.bodyUsed) {
      this.#bodies.push({ entry, slot: 4, source: message.clone() });
      return;
    }
    if (!this.#tracking) throw WHERE;
    const what = message instanceof Request ? "Request" : "Response";
    const path = formatPath(this.#parents, this.#keys, this.#parents[number], this.#keys[number]);
    if (this.#bodies === null) {
      throw new DataCloneError(
        "ASYNC_BODY",
        `The ${what} at ${path} has a body, which can only be read asynchronously. Use preprocess() or stringify() instead of the Sync variant.`,
        { path },
      );
    }
    throw new DataCloneError(
      "UNCLONEABLE",
      `The ${what} at ${path} has a body that was already read. Clone it before reading (${what.toLowerCase()}.clone()), or send the body you read.`,
      { path },
    );
  }

  /** The error for `what`, met in the container numbered `parent` under `key`. */
  #uncloneable(what: string, parent: number, key: PathKey, hint: string): DataCloneError {
    if (!this.#tracking) throw WHERE;
    const path = formatPath(this.#parents, this.#keys, parent, key);
    return new DataCloneError("UNCLONEABLE", `Cannot clone ${what} at ${path}. ${hint}`, { path });
  }
}

/**
 * How many bytes a typed array may have to be written as a list of numbers.
 * Engines keep typed arrays this small inside the object itself: rebuilt
 * from a list, one costs a tenth of one over a separate ArrayBuffer.
 */
const SMALL_VIEW_BYTES = 64;

/**
 * The elements of `view`, if it is a small typed array alone on its whole
 * buffer and every element is a number JSON keeps exactly; otherwise null.
 */
function smallElements(view: ArrayBufferView, buffer: ArrayBufferLike): number[] | null {
  const byteLength = view.byteLength;
  if (byteLength > SMALL_VIEW_BYTES || view.byteOffset !== 0 || byteLength !== buffer.byteLength || view instanceof DataView) return null;
  // A SharedArrayBuffer is refused on the long path.
  if (!(buffer instanceof ArrayBuffer)) return null;
  const source = view as unknown as ArrayLike<unknown>;
  const length = source.length;
  // Pushed, not pre-sized: a packed array is what JSON.stringify writes fastest.
  const elements: number[] = [];
  for (let i = 0; i < length; i++) {
    const element = source[i];
    // Not a BigInt, not -0, NaN or an infinity.
    if (typeof element !== "number" || element - element !== 0 || (element === 0 && 1 / element < 0)) return null;
    elements.push(element);
  }
  return elements;
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
