/**
 * The Intermediate format: what `preprocess()` produces and `postprocess()`
 * reads. It is plain JSON data, so it can be stored in SQLite, sent over
 * Workers RPC or written with `JSON.stringify` as is.
 *
 * ```text
 * Intermediate = { v: 1, root: Encoded, objects: EncodedObject[] }
 *
 * Encoded (one value slot):
 *   null | boolean | string | number     numbers are finite and never -0
 *   ["u"]                                undefined
 *   ["n", "NaN" | "Infinity" | "-Infinity" | "-0"]
 *   ["b", "-123"]                        BigInt, in decimal
 *   ["r", i]                             the object at objects[i]
 *
 * EncodedObject (one per distinct object, in the order first met):
 *   ["o", key, Encoded, key, Encoded, ...]            plain object / class instance
 *   ["a", Encoded, Encoded, ...]                      array without holes
 *   ["A", length, index, Encoded, index, Encoded, ...] array with holes
 *   ["d", epochMs | null]                             Date; null = invalid Date
 *   ["x", source, flags, lastIndex]                   RegExp
 *   ["m", Encoded key, Encoded value, ...]            Map
 *   ["s", Encoded, Encoded, ...]                      Set
 *   ["B", base64]                                     ArrayBuffer
 *   ["t", kind, bufferIndex, byteOffset, length]      typed array or DataView; kind is the
 *                                                     class name, bufferIndex points at a "B"
 *                                                     entry, length is in elements (bytes for DataView)
 *   ["e", name, message, stack | null, key, Encoded, ...]  Error; keys include "cause"/"errors" if own
 *   ["w", Encoded]                                    Boolean/Number/String/BigInt object
 *   ["H", name, value, name, value, ...]              Headers
 *   ["U", href]                                       URL
 *   ["R", method, url, [name, value, ...], base64 | null]              Request
 *   ["S", status, statusText, [name, value, ...], base64 | null]       Response
 * ```
 *
 * Every object appears in `objects` exactly once, so shared references and
 * cycles survive, and the JSON stays a few levels deep however deep the value
 * is: nothing about it needs recursion to write or read.
 */

/** One value slot: a JSON primitive or a tagged array (see the format above). */
export type Encoded =
  | null
  | boolean
  | string
  | number
  | readonly ["u"]
  | readonly ["n", "NaN" | "Infinity" | "-Infinity" | "-0"]
  | readonly ["b", string]
  | readonly ["r", number];

/** One entry of the object table: a tagged array whose first element names the type. */
export type EncodedObject = readonly [ObjectTag, ...unknown[]];

/** The first element of an {@link EncodedObject}. */
export type ObjectTag = "o" | "a" | "A" | "d" | "x" | "m" | "s" | "B" | "t" | "e" | "w" | "H" | "U" | "R" | "S";

/**
 * A value in structured-clone form: JSON-safe, versioned, with every object
 * in a flat table so identity and cycles are kept.
 */
export interface Intermediate {
  /** Format version. A reader refuses versions it does not know. */
  readonly v: 1;
  /** The value itself; an object is `["r", 0]`. */
  readonly root: Encoded;
  /** Every distinct object in the value, each once. */
  readonly objects: readonly EncodedObject[];
}

/** The version this build writes and reads. */
export const FORMAT_VERSION = 1;

// Shared, frozen so that no caller can corrupt them for everyone else.
export const UNDEFINED: Encoded = Object.freeze(["u"] as const);
export const NAN: Encoded = Object.freeze(["n", "NaN"] as const);
export const POSITIVE_INFINITY: Encoded = Object.freeze(["n", "Infinity"] as const);
export const NEGATIVE_INFINITY: Encoded = Object.freeze(["n", "-Infinity"] as const);
export const NEGATIVE_ZERO: Encoded = Object.freeze(["n", "-0"] as const);
