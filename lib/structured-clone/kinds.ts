/**
 * What kind of object a value is, decided by its prototype chain, and the
 * constructors the decoder may call for each type name. Both tables are
 * `Map`s, so a name read from untrusted input (say `"__proto__"`) can only
 * miss, never reach an inherited property.
 */

/** How the encoder treats an object. */
export type Kind =
  | "object"
  | "array"
  | "date"
  | "regexp"
  | "map"
  | "set"
  | "arraybuffer"
  | "view"
  | "error"
  | "boxed"
  | "headers"
  | "url"
  | "request"
  | "response"
  | "uncloneable";

/** A kind plus, for views and uncloneable objects, the class name to report or record. */
export interface KindInfo {
  readonly kind: Kind;
  readonly name: string;
}

const PLAIN: KindInfo = { kind: "object", name: "Object" };
const ARRAY: KindInfo = { kind: "array", name: "Array" };

/** Constructors of typed arrays and DataView, by the name written in the format. */
export const VIEW_CONSTRUCTORS = new Map<string, new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView>();

/** Error classes rebuilt as themselves; any other name becomes an `Error` with that `name`. */
export const ERROR_FACTORIES = new Map<string, (message: string) => Error>();

const KIND_BY_PROTOTYPE = new Map<object, KindInfo>();

function register(constructor: unknown, kind: Kind): void {
  // Float16Array and friends only exist on newer runtimes.
  if (typeof constructor !== "function") return;
  KIND_BY_PROTOTYPE.set(constructor.prototype as object, { kind, name: constructor.name });
}

register(Date, "date");
register(RegExp, "regexp");
register(Map, "map");
register(Set, "set");
register(ArrayBuffer, "arraybuffer");
register(Error, "error");
register(Boolean, "boxed");
register(Number, "boxed");
register(String, "boxed");
register(BigInt, "boxed");

const g = globalThis as Record<string, unknown>;
register(g.Headers, "headers");
register(g.URL, "url");
register(g.Request, "request");
register(g.Response, "response");
for (const name of [
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Float16Array",
  "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "DataView",
]) {
  const constructor = g[name];
  if (typeof constructor !== "function") continue;
  register(constructor, "view");
  VIEW_CONSTRUCTORS.set(name, constructor as never);
}

for (const name of ["Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"]) {
  const constructor = g[name] as ErrorConstructor;
  ERROR_FACTORIES.set(name, (message) => new constructor(message));
}
// Its first argument is the list of errors; `errors` itself is restored as a property.
ERROR_FACTORIES.set("AggregateError", (message) => new AggregateError([], message));

// Objects whose contents cannot be read synchronously, or that only make sense
// in this isolate. Copying their (empty) own properties would lose data silently.
for (const name of [
  "Promise", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Symbol", "SharedArrayBuffer",
  "ReadableStream", "WritableStream", "TransformStream", "Blob", "WebSocket", "AbortSignal",
]) {
  register(g[name], "uncloneable");
}

/** Classifies an object by the first prototype in its chain that is a known type. */
export function kindOf(value: object): KindInfo {
  let prototype = Object.getPrototypeOf(value) as object | null;
  // The common cases first, before any table lookup.
  if (prototype === Object.prototype || prototype === null) return PLAIN;
  if (Array.isArray(value)) return ARRAY;
  // Walking the chain puts subclasses (`class ValidationError extends Error`,
  // `Buffer`) with their base type, as the platform's structuredClone does.
  while (prototype !== null && prototype !== Object.prototype) {
    const info = KIND_BY_PROTOTYPE.get(prototype);
    if (info !== undefined) return info;
    prototype = Object.getPrototypeOf(prototype) as object | null;
  }
  return PLAIN;
}
