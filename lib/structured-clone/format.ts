/**
 * The Intermediate format: what `preprocess()` produces and `postprocess()`
 * reads. It is plain JSON data, so it can be stored in SQLite, sent over
 * Workers RPC or written with `JSON.stringify` as is.
 *
 * ```text
 * Intermediate = { v: 2, json: <any JSON> }                 nothing to rebuild: the value is that JSON
 *              | { v: 2, root: Encoded, deep?: Encoded[] }
 *
 * Encoded (one value):
 *   null | boolean | string | number     numbers are finite and never -0
 *   { key: Encoded, ... }                plain object (or class instance: its own enumerable properties)
 *   [Encoded, ...]                       array without holes, unless its first element is a
 *                                        one-character string: that is always a tag, below
 *   ["a", Encoded, ...]                  array without holes whose first element is a one-character string
 *   ["u"]                                undefined
 *   ["n", "NaN" | "Infinity" | "-Infinity" | "-0"]
 *   ["b", "-123"]                        BigInt, in decimal
 *   ["r", n]                             the n-th object already written (numbering below)
 *   ["D", k]                             the object written at deep[k] (see depth, below)
 *   ["A", length, index, Encoded, ...]   array with holes
 *   ["d", epochMs | null]                Date; null = invalid Date
 *   ["x", source, flags, lastIndex]      RegExp
 *   ["m", Encoded key, Encoded value, ...]   Map
 *   ["s", Encoded, ...]                  Set
 *   ["B", base64]                        ArrayBuffer
 *   ["t", kind, Encoded buffer, byteOffset, length]   typed array or DataView; kind is the class
 *                                        name, the buffer a "B" or a reference to one, length is
 *                                        in elements (bytes for DataView)
 *   ["e", name, message, stack | null, key, Encoded, ...]   Error; keys include "cause"/"errors" if own
 *   ["w", Encoded]                       Boolean/Number/String/BigInt object
 *   ["H", name, value, name, value, ...] Headers
 *   ["U", href]                          URL
 *   ["R", method, url, [name, value, ...], base64 | null]          Request
 *   ["S", status, statusText, [name, value, ...], base64 | null]   Response
 * ```
 *
 * **Identity.** Every object is written in full once and numbered 0, 1, 2…
 * in the order the walk meets it; a later meeting writes `["r", n]`. So
 * shared references and cycles survive. The walk (the same loop in the
 * encoder and the decoder) takes a container from a stack and goes through its
 * children in order: each child object not met before gets the next number
 * there, is written in full if it has no children of its own (a Date, a
 * typed array and its buffer…), and otherwise is pushed onto the stack, its
 * children to be walked later.
 *
 * **Depth.** Plain data nests as it is, which is what keeps the JSON short
 * and lets `parse()` adopt the objects `JSON.parse` made instead of copying
 * them. Past {@link MAX_NESTING} levels of containers, a container is
 * written at `deep[k]` and `["D", k]` stands in its place (numbered there),
 * so the JSON never nests much deeper than that, however deep the value is:
 * neither direction recurses, and `JSON.stringify` never runs out of stack.
 */

/** One value (see the format above). */
export type Encoded = null | boolean | string | number | EncodedObject | readonly Encoded[] | readonly [Tag, ...unknown[]];

/** A plain object: its own enumerable string keys, each with its value. */
export interface EncodedObject {
  readonly [key: string]: Encoded;
}

/** The first element of a tagged array. */
export type Tag = "a" | "u" | "n" | "b" | "r" | "D" | "A" | "d" | "x" | "m" | "s" | "B" | "t" | "e" | "w" | "H" | "U" | "R" | "S";

/**
 * A value in structured-clone form: JSON-safe and versioned. Either `json`
 * (the value is plain JSON data with nothing to rebuild) or `root` (plus
 * `deep` when the value nests deeper than {@link MAX_NESTING} levels).
 */
export type Intermediate =
  | { readonly v: 2; readonly json: unknown }
  | { readonly v: 2; readonly root: Encoded; readonly deep?: readonly Encoded[] };

/** The version this build writes and reads. */
export const FORMAT_VERSION = 2;

/**
 * How many containers deep the JSON may nest before one is moved to `deep`.
 * `JSON.stringify` recurses, so this bounds its stack; 64 levels of real
 * data are rare, and moving a container costs only one `["D", k]`.
 */
export const MAX_NESTING = 64;

// Shared, frozen so that no caller can corrupt them for everyone else.
export const UNDEFINED: Encoded = Object.freeze(["u"] as const);
export const NAN: Encoded = Object.freeze(["n", "NaN"] as const);
export const POSITIVE_INFINITY: Encoded = Object.freeze(["n", "Infinity"] as const);
export const NEGATIVE_INFINITY: Encoded = Object.freeze(["n", "-Infinity"] as const);
export const NEGATIVE_ZERO: Encoded = Object.freeze(["n", "-0"] as const);
