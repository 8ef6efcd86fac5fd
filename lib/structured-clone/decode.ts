/**
 * `postprocess()`: rebuilds a value from the Intermediate format (see
 * `format.ts`), treating it as untrusted input.
 *
 * One loop, the encoder's mirror image, never recursive: a container met in
 * the input becomes an empty result (object, array, Map, Set, Error shell)
 * at once, numbered, and goes on a stack; the loop pops it and fills it from
 * its children. A reference is a lookup by number, so cycles and shared
 * objects need no special case, and depth costs nothing.
 *
 * Two modes. `postprocess()` copies: the Intermediate it reads is left
 * untouched. `parse()` adopts: the objects and arrays `JSON.parse` just made
 * become the result's own, with only tagged values replaced in place, so
 * plain data is not copied a second time.
 */
import { DataCloneError, describe, malformed, Refusal } from "./errors";
import { FORMAT_VERSION, type Intermediate } from "./format";
import { formatStep } from "./path";
import {
  assign,
  defineHidden,
  defineOwn,
  rebuildArrayBuffer,
  rebuildDate,
  rebuildError,
  rebuildHeaders,
  rebuildRegExp,
  rebuildRequest,
  rebuildResponse,
  rebuildSmallView,
  rebuildURL,
  rebuildView,
} from "./rebuild";

/**
 * Rebuilds the value `preprocess()`/`preprocessSync()` encoded. Reads the
 * Intermediate without changing it, and shares no object with it.
 *
 * Safe on untrusted input: it never changes a prototype (a `__proto__` key
 * becomes an ordinary own property), never recurses, and refuses anything
 * that is not a well-formed Intermediate.
 *
 * @throws {DataCloneError} code `"MALFORMED"`, saying what is wrong and where.
 */
export function postprocess(intermediate: Intermediate): unknown {
  try {
    return decode(intermediate, false);
  } catch (error) {
    throw located(error, intermediate);
  }
}

/**
 * Rebuilds the value in `parsed`, fresh from `JSON.parse`, taking its
 * objects and arrays over.
 * @throws {Refusal} on bad input, leaving `parsed` half rebuilt: locate the
 *   problem by running {@link postprocess} on a fresh parse.
 * @throws {DataCloneError} when the envelope itself is wrong.
 */
export function adopt(parsed: unknown): unknown {
  try {
    return decode(parsed, true);
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw located(error, parsed);
  }
}

/** `error` as the DataCloneError to throw, located in `input` if it is a {@link Refusal}. */
function located(error: unknown, input: unknown): DataCloneError {
  if (error instanceof DataCloneError) return error;
  if (error instanceof Refusal) return malformed(locate(input, error.node, error.slot), error.problem, error.cause);
  // A platform constructor refused something the checks let through.
  return malformed("", `rebuilding failed with ${String(error)}`, error);
}

function decode(input: unknown, adopting: boolean): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw malformed("", `expected { v: ${FORMAT_VERSION}, root } or { v: ${FORMAT_VERSION}, json }, got ${describe(input)}`);
  }
  const envelope = input as Record<string, unknown>;
  if (envelope.v !== FORMAT_VERSION) {
    throw malformed("v", `version ${describe(envelope.v)} is not one this build reads (it reads ${FORMAT_VERSION}); use the same Lumenize version on both sides`);
  }
  const hasRoot = Object.hasOwn(envelope, "root");
  if (hasRoot === Object.hasOwn(envelope, "json")) throw malformed("", hasRoot ? "it has both root and json" : "root is missing");
  const deep = envelope.deep;
  if (deep !== undefined && (!hasRoot || !Array.isArray(deep))) {
    throw malformed("deep", hasRoot ? `expected an array, got ${describe(deep)}` : "deep goes with root, not json");
  }
  if (!hasRoot) {
    // Plain JSON data: nothing is tagged, so no array is read as a tag.
    if (adopting) return envelope.json;
    return new Decoder(false, true, null).run(envelope, "json");
  }
  return new Decoder(adopting, false, (deep as unknown[] | undefined) ?? null).run(envelope, "root");
}

const SPECIAL_NUMBERS = new Map<unknown, number>([
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["-0", -0],
]);

const BIGINT = /^-?\d+$/;

/**
 * What a small typed array's buffer is numbered as (the view has the number
 * before), until something refers to it. Reading `view.buffer` makes the
 * engine move the bytes out of the view into a separate ArrayBuffer, so only
 * a reference does it.
 */
const BUFFER_OF_THE_VIEW_BEFORE: unique symbol = Symbol("buffer of the view before");

// What a container on the stack is, so the loop knows how to fill it.
const OBJECT = 0;
const ARRAY = 1;
const ESCAPED_ARRAY = 2;
const SPARSE_ARRAY = 3;
const MAP = 4;
const SET = 5;
const ERROR = 6;

class Decoder {
  readonly #adopting: boolean;
  /** Plain JSON (the `json` form): arrays are only ever arrays. */
  readonly #raw: boolean;
  readonly #deep: readonly unknown[] | null;
  readonly #deepUsed: boolean[] | null;
  /** The rebuilt objects, by number. */
  readonly #objects: unknown[] = [];
  /** The containers still to fill, three slots each: the input node, the result, and its kind. */
  readonly #stack: unknown[] = [];
  /**
   * Copying, the input may be live objects rather than JSON text (sent over
   * RPC, say), where one object can sit in two places or contain itself:
   * each is read once, as JSON would allow, so a cycle cannot loop forever.
   */
  readonly #seen: Set<object> | null;

  constructor(adopting: boolean, raw: boolean, deep: readonly unknown[] | null) {
    this.#adopting = adopting;
    this.#raw = raw;
    this.#deep = deep;
    this.#deepUsed = deep === null ? null : [];
    this.#seen = adopting ? null : new Set();
  }

  run(envelope: Record<string, unknown>, key: "root" | "json"): unknown {
    const result = this.#value(envelope[key], envelope, key);
    const stack = this.#stack;
    while (stack.length > 0) {
      const kind = stack.pop() as number;
      const target = stack.pop();
      this.#fill(stack.pop() as unknown[], target, kind);
    }
    return result;
  }

  // ---------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------

  /** Decodes `encoded`, found in the input at `node[slot]`. */
  #value(encoded: unknown, node: object, slot: string | number): unknown {
    if (typeof encoded !== "object") {
      if (typeof encoded === "string" || typeof encoded === "number" || typeof encoded === "boolean") return encoded;
      throw new Refusal(node, slot, `expected JSON data, got ${describe(encoded)}`);
    }
    if (encoded === null) return null;
    if (!Array.isArray(encoded)) return this.#container(encoded, OBJECT, node, slot);
    const tag = encoded[0];
    if (typeof tag !== "string" || tag.length !== 1 || this.#raw) return this.#container(encoded, ARRAY, node, slot);
    switch (tag) {
      case "r": {
        const number = encoded[1];
        if (encoded.length === 2 && typeof number === "number" && number >= 0 && number < this.#objects.length && Number.isInteger(number)) {
          const object = this.#objects[number];
          if (object !== BUFFER_OF_THE_VIEW_BEFORE) return object;
          return (this.#objects[number] = (this.#objects[number - 1] as ArrayBufferView).buffer);
        }
        throw new Refusal(node, slot, this.#badReference(encoded));
      }
      case "u":
        if (encoded.length === 1) return undefined;
        throw new Refusal(node, slot, `undefined must be ["u"], got ${encoded.length} elements`);
      case "n": {
        const number = SPECIAL_NUMBERS.get(encoded[1]);
        if (encoded.length === 2 && number !== undefined) return number;
        throw new Refusal(node, slot, `${describe(encoded[1])} is not one of the special numbers "NaN", "Infinity", "-Infinity", "-0"`);
      }
      case "b": {
        const digits = encoded[1];
        if (encoded.length === 2 && typeof digits === "string" && BIGINT.test(digits)) return BigInt(digits);
        throw new Refusal(node, slot, `BigInt ${describe(digits)} is not a decimal integer`);
      }
      case "D":
        return this.#deepEntry(encoded, node, slot);
      case "a":
        return this.#container(encoded, ESCAPED_ARRAY, node, slot);
      case "A":
        return this.#container(encoded, SPARSE_ARRAY, node, slot);
      case "m":
        return this.#container(encoded, MAP, node, slot);
      case "s":
        return this.#container(encoded, SET, node, slot);
      case "e":
        return this.#container(encoded, ERROR, node, slot);
      case "d":
        return this.#number(rebuildDate(encoded));
      case "x":
        return this.#number(rebuildRegExp(encoded));
      case "B":
        return this.#number(rebuildArrayBuffer(encoded));
      case "t":
        return this.#view(encoded);
      case "w":
        return this.#number(this.#boxed(encoded));
      case "H":
        return this.#number(rebuildHeaders(encoded, 1, null));
      case "U":
        return this.#number(rebuildURL(encoded));
      case "R":
        return this.#number(rebuildRequest(encoded));
      case "S":
        return this.#number(rebuildResponse(encoded));
      default:
        throw new Refusal(node, slot, `unknown tag ${describe(tag)}`);
    }
  }

  /** Gives `object` the next number. */
  #number<T>(object: T): T {
    this.#objects.push(object);
    return object;
  }

  /** Why a `["r", ...]` is not a valid reference; only called on the way to an error. */
  #badReference(encoded: readonly unknown[]): string {
    const number = encoded[1];
    if (encoded.length !== 2) return `a reference must be ["r", number], got ${encoded.length} elements`;
    if (typeof number !== "number" || !Number.isInteger(number)) return `reference ${describe(number)} is not a whole number`;
    if (number < 0) return `reference ${number} is negative`;
    return `reference ${number} points past the ${this.#objects.length} objects rebuilt before it`;
  }

  #deepEntry(encoded: readonly unknown[], node: object, slot: string | number): unknown {
    const index = encoded[1];
    const deep = this.#deep;
    const used = this.#deepUsed;
    if (encoded.length !== 2 || deep === null || used === null || typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= deep.length) {
      throw new Refusal(node, slot, `${describe(index)} is not an index into deep (${deep?.length ?? 0} entries)`);
    }
    if (used[index]) throw new Refusal(node, slot, `deep[${index}] is used twice; refer to it again with ["r", number]`);
    used[index] = true;
    const entry = deep[index];
    // Only containers are moved to deep; anything else there would let one entry stand for another.
    const tag = Array.isArray(entry) ? entry[0] : undefined;
    if (typeof entry !== "object" || entry === null || (typeof tag === "string" && tag.length === 1 && !"aAmse".includes(tag))) {
      throw new Refusal(deep, index, `a deep entry must be an object, an array, or a tagged "a", "A", "m", "s" or "e", got ${describe(entry)}`);
    }
    return this.#value(entry, deep, index);
  }

  /** The empty result for a container, numbered and queued to be filled. */
  #container(encoded: object, kind: number, node: object, slot: string | number): unknown {
    if (!this.#adopting) {
      // Live objects, not JSON: only plain ones and arrays are data, and each is read once.
      if (kind === OBJECT) {
        const prototype = Object.getPrototypeOf(encoded) as object | null;
        if (prototype !== Object.prototype && prototype !== null) throw new Refusal(node, slot, `expected JSON data, got ${describe(encoded)}`);
      }
      const seen = this.#seen!;
      const size = seen.size;
      if (seen.add(encoded).size === size) throw new Refusal(node, slot, "this object appears twice in the input, which JSON cannot express");
    }
    const entry = encoded as unknown[];
    let target: unknown;
    switch (kind) {
      case OBJECT:
        target = this.#adopting ? encoded : {};
        break;
      case ARRAY:
        target = this.#adopting ? encoded : [];
        break;
      case ESCAPED_ARRAY:
        target = [];
        break;
      case SPARSE_ARRAY: {
        const length = entry[1];
        if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > 0xffffffff) {
          throw new Refusal(entry, 1, `an array length must be a whole number below 2^32, got ${describe(length)}`);
        }
        expectPairs(entry, 2, '["A", length, index, value, ...]');
        target = sparseArray(length);
        break;
      }
      case MAP:
        expectPairs(entry, 1, '["m", key, value, ...]');
        target = new Map();
        break;
      case SET:
        target = new Set();
        break;
      default:
        target = rebuildError(entry);
    }
    this.#objects.push(target);
    this.#stack.push(entry, target, kind);
    return target;
  }

  #view(entry: readonly unknown[]): ArrayBufferView {
    if (entry.length === 3) {
      // A small typed array written as its elements, alone on its buffer.
      const view = rebuildSmallView(entry);
      this.#objects.push(view, BUFFER_OF_THE_VIEW_BEFORE);
      return view;
    }
    if (entry.length !== 5) throw new Refusal(entry, null, `expected ["t", kind, buffer, byteOffset, length] or ["t", kind, [element, ...]], got ${entry.length} elements`);
    // The view is numbered before its buffer, as the encoder met them.
    const number = this.#objects.push(undefined) - 1;
    const view = rebuildView(entry, this.#value(entry[2], entry, 2));
    this.#objects[number] = view;
    return view;
  }

  #boxed(entry: readonly unknown[]): object {
    if (entry.length !== 2) throw new Refusal(entry, null, `expected ["w", primitive], got ${entry.length} elements`);
    const value = this.#value(entry[1], entry, 1);
    const type = typeof value;
    if (type !== "boolean" && type !== "number" && type !== "string" && type !== "bigint") {
      throw new Refusal(entry, 1, `only a boolean, number, string or BigInt can be boxed, got ${describe(entry[1])}`);
    }
    return Object(value) as object;
  }

  // ---------------------------------------------------------------------------
  // Containers: filled from their children
  // ---------------------------------------------------------------------------

  #fill(node: unknown[], target: unknown, kind: number): void {
    const length = node.length;
    switch (kind) {
      case OBJECT: {
        const object = node as unknown as Record<string, unknown>;
        const keys = Object.keys(object);
        if (this.#adopting) {
          for (let i = 0; i < keys.length; i++) {
            const key = keys[i];
            const encoded = object[key];
            // Only tagged values change. Every key is already an own data
            // property, so assigning never reaches a setter, `__proto__` included.
            if (typeof encoded === "object" && encoded !== null) {
              const value = this.#value(encoded, object, key);
              if (value !== encoded) object[key] = value;
            }
          }
          return;
        }
        const result = target as Record<string, unknown>;
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          assign(result, key, this.#value(object[key], object, key));
        }
        return;
      }
      case ARRAY: {
        if (this.#adopting) {
          for (let i = 0; i < length; i++) {
            const encoded = node[i];
            if (typeof encoded === "object" && encoded !== null) {
              const value = this.#value(encoded, node, i);
              if (value !== encoded) node[i] = value;
            }
          }
          return;
        }
        const array = target as unknown[];
        for (let i = 0; i < length; i++) array.push(this.#value(node[i], node, i));
        return;
      }
      case ESCAPED_ARRAY: {
        const array = target as unknown[];
        for (let i = 1; i < length; i++) array.push(this.#value(node[i], node, i));
        return;
      }
      case SPARSE_ARRAY: {
        const array = target as unknown[];
        for (let i = 2; i < length; i += 2) {
          const index = node[i];
          if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= array.length) {
            throw new Refusal(node, i, `index ${describe(index)} is not inside the array's length ${array.length}`);
          }
          array[index] = this.#value(node[i + 1], node, i + 1);
        }
        return;
      }
      case MAP: {
        const map = target as Map<unknown, unknown>;
        for (let i = 1; i < length; i += 2) map.set(this.#value(node[i], node, i), this.#value(node[i + 1], node, i + 1));
        return;
      }
      case SET: {
        const set = target as Set<unknown>;
        for (let i = 1; i < length; i++) set.add(this.#value(node[i], node, i));
        return;
      }
      default: {
        const error = target as Error;
        for (let i = 4; i < length; i += 2) {
          const key = node[i];
          if (typeof key !== "string") throw new Refusal(node, i, `a key must be a string, got ${describe(key)}`);
          const value = this.#value(node[i + 1], node, i + 1);
          // `cause` and `errors` are not enumerable when the engine sets them.
          if (key === "cause" || key === "errors") defineHidden(error, key, value);
          else defineOwn(error, key, value);
        }
      }
    }
  }
}

function expectPairs(entry: readonly unknown[], start: number, shape: string): void {
  if ((entry.length - start) % 2 !== 0) throw new Refusal(entry, null, `expected ${shape}, but a key has no value`);
}

/**
 * Where `node[slot]` is in `input`, as a path such as `root.items[2][1]`:
 * a breadth-first search, made only once something is wrong.
 */
function locate(input: unknown, node: object, slot: string | number | null): string {
  const parents = new Map<object, readonly [object, string | number] | null>();
  if (typeof input !== "object" || input === null) return "";
  parents.set(input, null);
  const queue: object[] = [input];
  for (let i = 0; i < queue.length && !parents.has(node); i++) {
    const current = queue[i] as Record<string | number, unknown>;
    const keys: (string | number)[] = Array.isArray(current) ? Array.from(current.keys()) : Object.keys(current);
    for (const key of keys) {
      const child = current[key];
      if (typeof child === "object" && child !== null && !parents.has(child)) {
        parents.set(child, [current, key]);
        queue.push(child);
      }
    }
  }
  if (!parents.has(node) || (slot === null && node === input)) return "";
  const steps: (string | number)[] = slot === null ? [] : [slot];
  for (let step = parents.get(node); step; step = parents.get(step[0])) steps.push(step[1]);
  // The first step is the envelope's key: root, json or deep.
  let path = String(steps[steps.length - 1]);
  for (let i = steps.length - 2; i >= 0; i--) path += formatStep(steps[i]);
  return path;
}

/**
 * An empty array of `length`. `new Array(n)` reserves every slot below about
 * 32 million in V8, so 2 KB of hostile text declaring forty such arrays would
 * take gigabytes; one element far past the capacity makes the engine keep a
 * dictionary instead, and deleting it leaves the length.
 */
function sparseArray(length: number): unknown[] {
  const array: unknown[] = [];
  if (length > 0) {
    array[length - 1] = undefined;
    delete array[length - 1];
  }
  return array;
}
