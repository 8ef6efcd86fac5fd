/**
 * The fast path of `stringify()`/`stringifySync()`: a value that is plain
 * JSON data needs no encoding. One check walks it, and `JSON.stringify`
 * writes the value itself behind the `json` marker, the same text the
 * encoder would produce from its copy.
 *
 * Plain JSON data here means plain objects (prototype `Object.prototype` or
 * null) and arrays, of strings, finite numbers other than -0, booleans and
 * null; every object met once (no shared references, no cycles); nothing
 * that `JSON.stringify` would call (`toJSON`, own or inherited); no deeper
 * than `MAX_NESTING` levels. Anything else falls back to the encoder, having
 * cost only the walk up to where the check stopped.
 *
 * The price: a getter on such data is called twice, once by the check and
 * once by `JSON.stringify`, where the encoder calls it once. Copying the data
 * instead, so that only the copy is read again, made the JSON-only round
 * trips 13-16% slower when measured.
 */
import { FORMAT_VERSION, MAX_NESTING } from "./format";
import { Numbering } from "./numbering";

/** `stringify(value)` for plain JSON data, or undefined if `value` is not that. */
export function plainJsonText(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      break;
    case "number":
      if (!isJsonNumber(value)) return undefined;
      break;
    case "object":
      if (value !== null && !isPlainJson(value)) return undefined;
      break;
    default:
      return undefined;
  }
  // The envelope around the value written as text: the same as stringifying an object that holds it, without making one.
  return `${PLAIN_JSON_PREFIX}${JSON.stringify(value)}}`;
}

/** How the text of plain JSON data begins: `{"v":2,"json":`, then the value, then `}`. */
export const PLAIN_JSON_PREFIX = `{"v":${FORMAT_VERSION},"json":`;

/** Finite and not -0: `value - value` is 0 exactly for finite numbers. */
function isJsonNumber(value: number): boolean {
  return value - value === 0 && (value !== 0 || 1 / value > 0);
}

/** An array, or an object whose prototype is Object.prototype or null. */
function isPlainContainer(object: object): boolean {
  if (Array.isArray(object)) return true;
  const prototype = Object.getPrototypeOf(object) as object | null;
  return prototype === Object.prototype || prototype === null;
}

function isPlainJson(root: object): boolean {
  if (!isPlainContainer(root)) return false;
  // Two slots per object to check: the object, and how deep it sits. An
  // object's prototype is checked as it is pushed, so a Date or a Map in rich
  // data stops the check at once, not when its turn comes.
  const stack: unknown[] = [root, 1];
  const met = new Numbering();
  while (stack.length > 0) {
    const level = stack.pop() as number;
    const object = stack.pop() as Record<string, unknown>;
    if (level > MAX_NESTING) return false;
    if (met.add(object) !== -1) return false;
    // What JSON.stringify would call instead of writing the object (a load is cheaper than `in`).
    if (object.toJSON !== undefined) return false;
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) if (!accept(object[i], stack, level)) return false;
      continue;
    }
    // `for in` also lists inherited enumerable keys, which only makes the
    // check stricter; unlike Object.keys it allocates nothing.
    for (const key in object) if (!accept(object[key], stack, level)) return false;
  }
  return true;
}

/** Whether `item`, inside a container `level` deep, is plain JSON so far; a container is pushed to check later. */
function accept(item: unknown, stack: unknown[], level: number): boolean {
  switch (typeof item) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return isJsonNumber(item);
    case "object":
      if (item === null) return true;
      if (!isPlainContainer(item)) return false;
      stack.push(item, level + 1);
      return true;
    default:
      // undefined (which is also what a hole reads as), a BigInt, a function or a symbol.
      return false;
  }
}
