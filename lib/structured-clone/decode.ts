/**
 * `postprocess()`: rebuilds a value from the Intermediate format (see
 * `format.ts`), treating it as untrusted input.
 *
 * Two passes over the flat table, neither recursive. The first creates every
 * object: empty shells for containers, finished values for the rest (typed
 * arrays last, once their buffers exist). The second fills the containers,
 * where a reference is just a lookup, so cycles and shared objects need no
 * special case and depth costs nothing.
 */
import { DataCloneError, describe, malformed } from "./errors";
import { FORMAT_VERSION, type Intermediate, type ObjectTag } from "./format";
import {
  defineHidden,
  defineOwn,
  rebuildArrayBuffer,
  rebuildDate,
  rebuildError,
  rebuildHeaders,
  rebuildRegExp,
  rebuildRequest,
  rebuildResponse,
  rebuildURL,
  rebuildView,
} from "./rebuild";

/**
 * Rebuilds the value `preprocess()`/`preprocessSync()` encoded.
 *
 * Safe on untrusted input: it never changes a prototype (a `__proto__` key
 * becomes an ordinary own property), never recurses, and refuses anything
 * that is not a well-formed Intermediate.
 *
 * @throws {DataCloneError} code `"MALFORMED"`, saying what is wrong and where.
 */
export function postprocess(intermediate: Intermediate): unknown {
  try {
    return decode(intermediate);
  } catch (error) {
    if (error instanceof DataCloneError) throw error;
    // A platform constructor refused something the checks let through.
    throw malformed("", `rebuilding failed with ${String(error)}`, error);
  }
}

function decode(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw malformed("", `expected { v: ${FORMAT_VERSION}, root, objects }, got ${describe(input)}`);
  }
  const { v, objects } = input as Record<string, unknown>;
  if (v !== FORMAT_VERSION) {
    throw malformed("v", `version ${describe(v)} is not one this build reads (it reads ${FORMAT_VERSION}); use the same Lumenize version on both sides`);
  }
  if (!Array.isArray(objects)) throw malformed("objects", `expected an array, got ${describe(objects)}`);
  if (!Object.hasOwn(input, "root")) throw malformed("", "root is missing");
  return new Decoder(objects).run((input as { root: unknown }).root);
}

const SPECIAL_NUMBERS = new Map<unknown, number>([
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["-0", -0],
]);

const BIGINT = /^-?\d+$/;

class Decoder {
  readonly #entries: readonly unknown[];
  /** The rebuilt objects, by table index. */
  readonly #values: unknown[];

  constructor(entries: readonly unknown[]) {
    this.#entries = entries;
    this.#values = new Array(entries.length);
  }

  run(root: unknown): unknown {
    const entries = this.#entries;
    const values = this.#values;
    const views: number[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (!Array.isArray(entry) || typeof entry[0] !== "string") {
        throw malformed(`objects[${i}]`, `expected a tagged array such as ["o", ...], got ${describe(entry)}`);
      }
      if (entry[0] === "t") views.push(i);
      else values[i] = this.#create(entry, i);
    }
    for (const i of views) values[i] = rebuildView(entries[i] as unknown[], i, entries, values);
    for (let i = 0; i < entries.length; i++) this.#fill(entries[i] as unknown[], values[i], i);
    return this.#value(root, -1, 0);
  }

  // ---------------------------------------------------------------------------
  // Pass 1: create
  // ---------------------------------------------------------------------------

  #create(entry: unknown[], i: number): unknown {
    const tag = entry[0] as ObjectTag;
    switch (tag) {
      case "o":
        expectPairs(entry, 1, i, '["o", key, value, ...]');
        return {};
      case "a":
        return [];
      case "A": {
        const length = entry[1];
        if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > 0xffffffff) {
          throw malformed(`objects[${i}][1]`, `an array length must be a whole number below 2^32, got ${describe(length)}`);
        }
        expectPairs(entry, 2, i, '["A", length, index, value, ...]');
        return sparseArray(length);
      }
      case "m":
        expectPairs(entry, 1, i, '["m", key, value, ...]');
        return new Map();
      case "s":
        return new Set();
      case "e":
        return rebuildError(entry, i);
      case "d":
        return rebuildDate(entry, i);
      case "x":
        return rebuildRegExp(entry, i);
      case "B":
        return rebuildArrayBuffer(entry, i);
      case "w":
        return this.#boxed(entry, i);
      case "H":
        return rebuildHeaders(entry.slice(1), `objects[${i}]`);
      case "U":
        return rebuildURL(entry, i);
      case "R":
        return rebuildRequest(entry, i);
      case "S":
        return rebuildResponse(entry, i);
      case "t":
        // Built in `run`, once every ArrayBuffer exists.
        return undefined;
      default:
        throw malformed(`objects[${i}][0]`, `unknown object tag ${describe(tag satisfies never)}`);
    }
  }

  #boxed(entry: unknown[], i: number): object {
    if (entry.length !== 2) throw malformed(`objects[${i}]`, `expected ["w", primitive], got ${entry.length} elements`);
    // A reference here would resolve to nothing yet, and fails the type check below.
    const primitive = this.#value(entry[1], i, 1);
    const type = typeof primitive;
    if (type !== "boolean" && type !== "number" && type !== "string" && type !== "bigint") {
      throw malformed(`objects[${i}][1]`, `only a boolean, number, string or BigInt can be boxed, got ${describe(primitive)}`);
    }
    return Object(primitive) as object;
  }

  // ---------------------------------------------------------------------------
  // Pass 2: fill
  // ---------------------------------------------------------------------------

  #fill(entry: unknown[], target: unknown, i: number): void {
    const length = entry.length;
    switch (entry[0]) {
      case "o": {
        const object = target as Record<string, unknown>;
        for (let j = 1; j < length; j += 2) {
          const key = entry[j];
          if (typeof key !== "string") throw malformed(`objects[${i}][${j}]`, `a key must be a string, got ${describe(key)}`);
          const value = this.#value(entry[j + 1], i, j + 1);
          // Plain assignment is several times faster than defineProperty and
          // keeps objects in fast mode. The one setter every object inherits
          // is `__proto__`, so that key is always defined instead. Where
          // Object.prototype is frozen (hardened JS), assigning a key such as
          // "toString" throws; that key is defined too.
          if (key !== "__proto__") {
            try {
              object[key] = value;
              continue;
            } catch {
              // Fall through to defineOwn.
            }
          }
          defineOwn(object, key, value);
        }
        return;
      }
      case "a": {
        const array = target as unknown[];
        for (let j = 1; j < length; j++) array.push(this.#value(entry[j], i, j));
        return;
      }
      case "A": {
        const array = target as unknown[];
        for (let j = 2; j < length; j += 2) {
          const index = entry[j];
          if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= array.length) {
            throw malformed(`objects[${i}][${j}]`, `index ${describe(index)} is not inside the array's length ${array.length}`);
          }
          array[index] = this.#value(entry[j + 1], i, j + 1);
        }
        return;
      }
      case "m": {
        const map = target as Map<unknown, unknown>;
        for (let j = 1; j < length; j += 2) map.set(this.#value(entry[j], i, j), this.#value(entry[j + 1], i, j + 1));
        return;
      }
      case "s": {
        const set = target as Set<unknown>;
        for (let j = 1; j < length; j++) set.add(this.#value(entry[j], i, j));
        return;
      }
      case "e": {
        for (let j = 4; j < length; j += 2) {
          const key = entry[j];
          if (typeof key !== "string") throw malformed(`objects[${i}][${j}]`, `a key must be a string, got ${describe(key)}`);
          const value = this.#value(entry[j + 1], i, j + 1);
          // `cause` and `errors` are not enumerable when the engine sets them.
          if (key === "cause" || key === "errors") defineHidden(target as Error, key, value);
          else defineOwn(target as Error, key, value);
        }
        return;
      }
      default:
        // Everything else was finished in pass 1.
        return;
    }
  }

  // ---------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------

  /** Decodes one value slot, `entry[slot]` of objects[i] (i = -1: the root). */
  #value(encoded: unknown, i: number, slot: number): unknown {
    if (typeof encoded !== "object") {
      if (typeof encoded === "string" || typeof encoded === "number" || typeof encoded === "boolean") return encoded;
    } else if (encoded === null) {
      return null;
    } else if (Array.isArray(encoded)) {
      switch (encoded[0]) {
        case "r": {
          const index = encoded[1];
          if (encoded.length === 2 && typeof index === "number" && index >= 0 && index < this.#values.length && Number.isInteger(index)) {
            return this.#values[index];
          }
          break;
        }
        case "u":
          if (encoded.length === 1) return undefined;
          break;
        case "n": {
          const number = SPECIAL_NUMBERS.get(encoded[1]);
          if (encoded.length === 2 && number !== undefined) return number;
          break;
        }
        case "b": {
          const digits = encoded[1];
          if (encoded.length === 2 && typeof digits === "string" && BIGINT.test(digits)) return BigInt(digits);
          break;
        }
      }
    }
    throw malformed(i === -1 ? "root" : `objects[${i}][${slot}]`, this.#problem(encoded));
  }

  /** Why `encoded` is not a valid value slot; only called on the way to an error. */
  #problem(encoded: unknown): string {
    if (!Array.isArray(encoded)) return `expected a JSON primitive or a tagged array, got ${describe(encoded)}`;
    const [tag, argument] = encoded;
    switch (tag) {
      case "r": {
        const count = this.#values.length;
        if (encoded.length !== 2) return `a reference must be ["r", index], got ${encoded.length} elements`;
        if (typeof argument !== "number" || !Number.isInteger(argument)) return `reference ${describe(argument)} is not a whole number`;
        if (argument < 0) return `reference ${argument} is negative`;
        return `reference ${argument} points past the ${count} objects in the table`;
      }
      case "u":
        return `undefined must be ["u"], got ${encoded.length} elements`;
      case "n":
        return `${describe(argument)} is not one of the special numbers "NaN", "Infinity", "-Infinity", "-0"`;
      case "b":
        return `BigInt ${describe(argument)} is not a decimal integer`;
      default:
        return `unknown value tag ${describe(tag)}`;
    }
  }
}

function expectPairs(entry: readonly unknown[], start: number, i: number, shape: string): void {
  if ((entry.length - start) % 2 !== 0) throw malformed(`objects[${i}]`, `expected ${shape}, but a key has no value`);
}

/**
 * An empty array of `length`, costing memory for the elements later set, not
 * for `length`. `new Array(n)` (or setting `length`) reserves every slot below
 * about 32 million in V8, so a few bytes of hostile text ("A", 30000000)
 * could take 240 MB each. One element set far past the capacity makes V8
 * keep the elements in a dictionary instead; deleting it leaves the length.
 */
function sparseArray(length: number): unknown[] {
  const array: unknown[] = [];
  if (length > 0) {
    array[length - 1] = undefined;
    delete array[length - 1];
  }
  return array;
}
